import type { ResourceConfig, ResourceKind } from '../resource/schema.ts';
import { ValidationError } from '../shared/errors.ts';
import { timedSlotKey, type SlotKey } from '../shared/streams.ts';
import {
  localDateTimeToEpochMillis,
  MINUTE_MS,
  nightsBetween,
  nightsOf,
  toIsoInstant,
  type EpochMillis,
  type LocalDate,
} from '../shared/time.ts';

/** A period asked for on one resource, instants already parsed. */
export type Period =
  | { readonly kind: 'nights'; readonly checkIn: LocalDate; readonly checkOut: LocalDate }
  | { readonly kind: 'instants'; readonly start: EpochMillis; readonly end: EpochMillis }
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
    }
  | {
      readonly kind: 'timed';
      readonly start: EpochMillis;
      readonly end: EpochMillis;
      /** Start instant of each slot, ascending. */
      readonly starts: readonly EpochMillis[];
      readonly slotMs: number;
      readonly slotKeys: readonly SlotKey[];
    };

/**
 * What one side accepts: writes and reads share the resolution but not the
 * limits or the wording, which their API tests pin.
 */
export interface PeriodRules {
  /** Message when the period's shape does not fit the resource, keyed by the resource's kind. */
  readonly wrongKindMessage: Readonly<Record<ResourceKind, string>>;
  /** Throws when a stay of `nights` nights is not accepted. */
  readonly assertNights: (nights: number) => void;
  /** Throws unless [start, end) is a run of whole `slotMs` slots this side accepts. */
  readonly assertTimedSpan: (start: EpochMillis, end: EpochMillis, slotMs: number) => void;
}

/** Longest stay or run of slots one hold or booking may claim; bounds the streams one write loads. */
export const MAX_HOLD_NIGHTS = 365;
export const MAX_HOLD_TIMED_SLOTS = 96;
/** Most nights or slots one read prices or checks. */
export const MAX_READ_UNITS = 365;

/** Holds, bookings and their changes: each failure has its own message. */
export const HOLD_PERIOD_RULES: PeriodRules = {
  wrongKindMessage: {
    nightly:
      'This resource is sold by the night; send checkIn and checkOut dates instead of slot times.',
    timed: 'This resource is sold in timed slots; send slotStart and slotEnd instead of dates.',
  },
  assertNights: (nights) => {
    if (nights > MAX_HOLD_NIGHTS) {
      throw new ValidationError(
        `A stay may last at most ${MAX_HOLD_NIGHTS} nights (got ${nights}); split it.`,
      );
    }
  },
  assertTimedSpan: (start, end, slotMs) => {
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
    if (count > MAX_HOLD_TIMED_SLOTS) {
      throw new ValidationError(
        `One booking may cover at most ${MAX_HOLD_TIMED_SLOTS} consecutive slots (got ${count}); split it.`,
      );
    }
  },
};

/** Availability checks and quotes: a bad timed span is one SLOT_NOT_ALIGNED, whatever is wrong with it. */
export const READ_PERIOD_RULES: PeriodRules = {
  wrongKindMessage: {
    nightly: 'This resource is sold by the night; send checkIn and checkOut dates.',
    timed: 'This resource is sold in timed slots; send a slot start and end.',
  },
  assertNights: (nights) => {
    if (nights > MAX_READ_UNITS) {
      throw new ValidationError(
        `A stay may last at most ${MAX_READ_UNITS} nights (got ${nights}).`,
      );
    }
  },
  assertTimedSpan: (start, end, slotMs) => {
    const span = end - start;
    if (!(span > 0) || span % slotMs !== 0 || span / slotMs > MAX_READ_UNITS) {
      throw new ValidationError(
        `A timed period covers 1 to ${MAX_READ_UNITS} whole slots of ${slotMs / MINUTE_MS} minutes (got ${toIsoInstant(start)} → ${toIsoInstant(end)}).`,
        {},
        'SLOT_NOT_ALIGNED',
      );
    }
  },
};

/** Throws WRONG_RESOURCE_KIND unless a period of `kind` can be asked of the resource. */
export const assertPeriodKind = (
  config: ResourceConfig,
  kind: Period['kind'],
  rules: PeriodRules,
): void => {
  if ((kind === 'nights') === (config.kind === 'nightly')) return;
  throw new ValidationError(
    rules.wrongKindMessage[config.kind],
    { kind: config.kind },
    'WRONG_RESOURCE_KIND',
  );
};

/** The slots a period covers on a resource: nights of [checkIn, checkOut), or whole slots of its grid. */
export const resolvePeriod = (
  config: ResourceConfig,
  period: Period,
  rules: PeriodRules,
): ResolvedPeriod => {
  assertPeriodKind(config, period.kind, rules);
  if (period.kind === 'nights') {
    // Counted and refused before the nights are listed: a far checkOut costs nothing.
    rules.assertNights(nightsBetween(period.checkIn, period.checkOut));
    const slotKeys = nightsOf(period.checkIn, period.checkOut);
    return { kind: 'nightly', checkIn: period.checkIn, checkOut: period.checkOut, slotKeys };
  }
  const slotMs = config.slotMinutes * MINUTE_MS;
  const start =
    period.kind === 'instants'
      ? period.start
      : localDateTimeToEpochMillis(`${period.date}T${period.time}`, config.zone);
  const end = period.kind === 'instants' ? period.end : start + period.durationMinutes * MINUTE_MS;
  rules.assertTimedSpan(start, end, slotMs);
  const starts = Array.from({ length: (end - start) / slotMs }, (_, i) => start + i * slotMs);
  return {
    kind: 'timed',
    start,
    end,
    starts,
    slotMs,
    slotKeys: starts.map((s) => timedSlotKey(s, config.zone)),
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
