import type { ResourceConfig } from '../../domain/resource/schema.ts';
import { ValidationError } from '../../domain/shared/errors.ts';
import { timedSlotKey, type SlotKey } from '../../domain/shared/streams.ts';
import {
  localDateTimeToEpochMillis,
  localToEpochMillis,
  MINUTE_MS,
  nightsOf,
  toEpochMillis,
  toIsoInstant,
  type EpochMillis,
  type LocalDate,
} from '../../domain/shared/time.ts';

/** What a caller asks to book, in the shape its API uses. */
export type HoldPeriod =
  | { readonly kind: 'nights'; readonly checkIn: LocalDate; readonly checkOut: LocalDate }
  /** ISO 8601 instants with offsets (seed 004 `slotStartTime`/`slotEndTime`). */
  | { readonly kind: 'instants'; readonly start: string; readonly end: string }
  /** A local date and time in the resource's zone plus a duration (seed 002 `booking_date`/`booking_time`). */
  | {
      readonly kind: 'localTime';
      readonly date: LocalDate;
      readonly time: string;
      readonly durationMinutes: number;
    };

export type ResolvedPeriod =
  | {
      readonly kind: 'nightly';
      readonly checkIn: LocalDate;
      readonly checkOut: LocalDate;
      readonly slotKeys: readonly SlotKey[];
      readonly startsAt: string;
      readonly endsAt: string;
    }
  | {
      readonly kind: 'timed';
      /** Start instant of each slot, ascending. */
      readonly starts: readonly EpochMillis[];
      readonly slotMs: number;
      readonly slotKeys: readonly SlotKey[];
      readonly startsAt: string;
      readonly endsAt: string;
    };

/** Longest stay or run of slots one request may claim; bounds the streams one request loads. */
export const MAX_NIGHTS = 365;
export const MAX_TIMED_SLOTS = 96;

const timedStarts = (start: EpochMillis, end: EpochMillis, slotMs: number): EpochMillis[] => {
  if (!(start < end)) {
    throw new ValidationError(
      `slotEnd must be after slotStart (got ${toIsoInstant(start)} → ${toIsoInstant(end)}).`,
    );
  }
  if ((end - start) % slotMs !== 0) {
    throw new ValidationError(
      `A timed booking covers whole slots of ${slotMs / MINUTE_MS} minutes; ${toIsoInstant(start)} → ${toIsoInstant(end)} is not a whole number of them.`,
      {},
      'SLOT_NOT_ALIGNED',
    );
  }
  const count = (end - start) / slotMs;
  if (count > MAX_TIMED_SLOTS) {
    throw new ValidationError(
      `One booking may cover at most ${MAX_TIMED_SLOTS} consecutive slots (got ${count}); split it.`,
    );
  }
  return Array.from({ length: count }, (_, i) => start + i * slotMs);
};

const kindMismatch = (config: ResourceConfig): ValidationError =>
  new ValidationError(
    config.kind === 'nightly'
      ? 'This resource is sold by the night; send checkIn and checkOut dates instead of slot times.'
      : 'This resource is sold in timed slots; send slotStart and slotEnd instead of dates.',
    { kind: config.kind },
    'WRONG_RESOURCE_KIND',
  );

/** The slots a period covers on a resource: nights of [checkIn, checkOut), or whole slots of the grid. */
export const resolvePeriod = (config: ResourceConfig, period: HoldPeriod): ResolvedPeriod => {
  if (period.kind === 'nights') {
    if (config.kind !== 'nightly') throw kindMismatch(config);
    const nights = nightsOf(period.checkIn, period.checkOut);
    if (nights.length > MAX_NIGHTS) {
      throw new ValidationError(
        `A stay may last at most ${MAX_NIGHTS} nights (got ${nights.length}); split it.`,
      );
    }
    return {
      kind: 'nightly',
      checkIn: period.checkIn,
      checkOut: period.checkOut,
      slotKeys: nights,
      startsAt: toIsoInstant(localToEpochMillis(period.checkIn, 0, config.zone)),
      endsAt: toIsoInstant(localToEpochMillis(period.checkOut, 0, config.zone)),
    };
  }
  if (config.kind !== 'timed') throw kindMismatch(config);
  const slotMs = config.slotMinutes * MINUTE_MS;
  const start =
    period.kind === 'instants'
      ? toEpochMillis(period.start)
      : localDateTimeToEpochMillis(`${period.date}T${period.time}`, config.zone);
  const end =
    period.kind === 'instants'
      ? toEpochMillis(period.end)
      : start + period.durationMinutes * MINUTE_MS;
  const starts = timedStarts(start, end, slotMs);
  return {
    kind: 'timed',
    starts,
    slotMs,
    slotKeys: starts.map((s) => timedSlotKey(s, config.zone)),
    startsAt: toIsoInstant(start),
    endsAt: toIsoInstant(end),
  };
};

/**
 * Timed slots near the period whose bookings or holds could reach it through
 * stacked buffers; they are read (not claimed) so the buffer rules see them.
 */
export const bufferNeighbourKeys = (config: ResourceConfig, period: ResolvedPeriod): SlotKey[] => {
  if (period.kind !== 'timed') return [];
  const padMs = (config.bufferBeforeMinutes + config.bufferAfterMinutes) * MINUTE_MS;
  if (padMs === 0) return [];
  const first = period.starts[0] ?? 0;
  const afterLast = (period.starts.at(-1) ?? 0) + period.slotMs;
  const steps = Math.ceil(padMs / period.slotMs);
  const keys: SlotKey[] = [];
  for (let i = 1; i <= steps; i += 1) {
    keys.push(timedSlotKey(first - i * period.slotMs, config.zone));
    keys.push(timedSlotKey(afterLast + (i - 1) * period.slotMs, config.zone));
  }
  return keys;
};
