import type { ResourceConfig } from '../../domain/resource/schema.ts';
import { ValidationError } from '../../domain/shared/errors.ts';
import { timedSlotKey } from '../../domain/shared/streams.ts';
import {
  localDateTimeToEpochMillis,
  MINUTE_MS,
  nightsOf,
  toIsoInstant,
  type EpochMillis,
  type LocalDate,
} from '../../domain/shared/time.ts';

/** Most nights or slots one read prices or checks. */
export const MAX_UNITS = 365;

export type QueryPeriod =
  | { readonly kind: 'nights'; readonly checkIn: LocalDate; readonly checkOut: LocalDate }
  | { readonly kind: 'slots'; readonly start: EpochMillis; readonly end: EpochMillis }
  /** A local date and time in the resource's zone plus a duration (seed 002). */
  | {
      readonly kind: 'localTime';
      readonly date: LocalDate;
      readonly time: string;
      readonly minutes: number;
    };

export type ResolvedQueryPeriod =
  | {
      readonly kind: 'nightly';
      readonly checkIn: LocalDate;
      readonly checkOut: LocalDate;
      readonly slotKeys: readonly string[];
    }
  | {
      readonly kind: 'timed';
      readonly start: EpochMillis;
      readonly end: EpochMillis;
      readonly slotKeys: readonly string[];
    };

const wrongKind = (config: ResourceConfig): ValidationError =>
  new ValidationError(
    config.kind === 'nightly'
      ? 'This resource is sold by the night; send checkIn and checkOut dates.'
      : 'This resource is sold in timed slots; send a slot start and end.',
    { kind: config.kind },
    'WRONG_RESOURCE_KIND',
  );

/** The slot keys a period covers on a resource: its nights, or whole slots of its grid. */
export const resolveQueryPeriod = (
  config: ResourceConfig,
  period: QueryPeriod,
): ResolvedQueryPeriod => {
  if (period.kind === 'nights') {
    if (config.kind !== 'nightly') throw wrongKind(config);
    const slotKeys = nightsOf(period.checkIn, period.checkOut);
    if (slotKeys.length > MAX_UNITS)
      throw new ValidationError(
        `A stay may last at most ${MAX_UNITS} nights (got ${slotKeys.length}).`,
      );
    return { kind: 'nightly', checkIn: period.checkIn, checkOut: period.checkOut, slotKeys };
  }
  if (config.kind !== 'timed') throw wrongKind(config);
  const slotMs = config.slotMinutes * MINUTE_MS;
  const start =
    period.kind === 'slots'
      ? period.start
      : localDateTimeToEpochMillis(`${period.date}T${period.time}`, config.zone);
  const end = period.kind === 'slots' ? period.end : start + period.minutes * MINUTE_MS;
  const span = end - start;
  if (!(span > 0) || span % slotMs !== 0 || span / slotMs > MAX_UNITS) {
    throw new ValidationError(
      `A timed period covers 1 to ${MAX_UNITS} whole slots of ${config.slotMinutes} minutes (got ${toIsoInstant(start)} → ${toIsoInstant(end)}).`,
      {},
      'SLOT_NOT_ALIGNED',
    );
  }
  const slotKeys = Array.from({ length: span / slotMs }, (_, i) =>
    timedSlotKey(start + i * slotMs, config.zone),
  );
  return { kind: 'timed', start, end, slotKeys };
};

/** Either dates or instants, never both, as the two query shapes say. */
export const toQueryPeriod = (input: {
  readonly checkIn?: LocalDate | undefined;
  readonly checkOut?: LocalDate | undefined;
  readonly slotStart?: EpochMillis | undefined;
  readonly slotEnd?: EpochMillis | undefined;
}): QueryPeriod => {
  const { checkIn, checkOut, slotStart, slotEnd } = input;
  if (
    checkIn !== undefined &&
    checkOut !== undefined &&
    slotStart === undefined &&
    slotEnd === undefined
  )
    return { kind: 'nights', checkIn, checkOut };
  if (
    slotStart !== undefined &&
    slotEnd !== undefined &&
    checkIn === undefined &&
    checkOut === undefined
  )
    return { kind: 'slots', start: slotStart, end: slotEnd };
  throw new ValidationError(
    'Send checkIn and checkOut for a nightly stay, or slotStart and slotEnd for timed slots.',
    {
      fields: ['checkIn', 'checkOut', 'slotStart', 'slotEnd'],
    },
  );
};
