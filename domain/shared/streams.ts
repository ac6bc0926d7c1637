import { ValidationError } from './errors.ts';
import type { EpochMillis, LocalDate, LocalDateTime } from './time.ts';
import {
  epochMillisToLocal,
  isLocalDate,
  isLocalTime,
  localDateTimeToEpochMillis,
  offsetMinutesAt,
  toEpochMillis,
} from './time.ts';

/**
 * Stream names are `category-id` (DESIGN.md). Slot keys name one night
 * (`2026-12-24`) or one timed slot (`2026-12-24T09:00`) in the resource's zone.
 * A local time repeated by a fall-back transition names its first occurrence;
 * the second occurrence carries its offset (`2026-11-01T01:30-05:00`) so every
 * instant has exactly one key.
 */
export type SlotKey = string;

export type ParsedSlotKey =
  | { readonly kind: 'nightly'; readonly date: LocalDate }
  | {
      readonly kind: 'timed';
      readonly date: LocalDate;
      readonly time: string;
      readonly offset?: string;
    };

/** Ids are opaque but must not contain the `.` that separates a slot stream's resource id and key. */
const ID = /^[A-Za-z0-9_-]{1,128}$/;
const TIMED = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})([+-]\d{2}:\d{2})?$/;

export const assertStreamId = (id: string, what = 'id'): string => {
  if (!ID.test(id)) {
    throw new ValidationError(`${what} must be 1–128 letters, digits, "_" or "-" (got "${id}").`);
  }
  return id;
};

export const parseSlotKey = (key: string): ParsedSlotKey => {
  if (isLocalDate(key)) return { kind: 'nightly', date: key };
  const match = TIMED.exec(key);
  const [, date = '', time = '', offset] = match ?? [];
  if (match === null || !isLocalDate(date) || !isLocalTime(time) || time === '24:00') {
    throw new ValidationError(
      `A slot key is a local date (2026-12-24) or local date-time (2026-12-24T09:00); got "${key}".`,
    );
  }
  return offset === undefined
    ? { kind: 'timed', date, time }
    : { kind: 'timed', date, time, offset };
};

export const isSlotKey = (key: string): boolean => {
  try {
    parseSlotKey(key);
    return true;
  } catch {
    return false;
  }
};

export const nightlySlotKey = (date: LocalDate): SlotKey => {
  if (!isLocalDate(date))
    throw new ValidationError(`A night is named by its date as YYYY-MM-DD (got "${date}").`);
  return date;
};

const formatOffset = (minutes: number): string => {
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
};

/** Transitions move clocks by at most this much (Lord Howe: 30 min, most zones: 1 h). */
const MAX_DST_SHIFT_MS = 3 * 60 * 60_000;

/** The key of the timed slot starting at an instant, in the resource's zone. */
export const timedSlotKey = (start: EpochMillis, zone: string): SlotKey => {
  const local = epochMillisToLocal(start, zone);
  // The same wall time happened earlier iff the offset was larger just before and still is at that earlier instant.
  const before = offsetMinutesAt(start - MAX_DST_SHIFT_MS, zone);
  const earlier = start - (before - local.offsetMinutes) * 60_000;
  const repeated = before > local.offsetMinutes && offsetMinutesAt(earlier, zone) === before;
  return repeated ? `${local.dateTime}${formatOffset(local.offsetMinutes)}` : local.dateTime;
};

/** The instant a timed slot key starts at in a zone (inverse of `timedSlotKey`). */
export const timedSlotStart = (key: SlotKey, zone: string): EpochMillis => {
  const parsed = parseSlotKey(key);
  if (parsed.kind !== 'timed')
    throw new ValidationError(`"${key}" names a night, not a timed slot.`);
  const dateTime: LocalDateTime = `${parsed.date}T${parsed.time}`;
  return parsed.offset === undefined
    ? localDateTimeToEpochMillis(dateTime, zone)
    : toEpochMillis(`${dateTime}:00${parsed.offset}`);
};

export const resourceStream = (resourceId: string): string =>
  `resource-${assertStreamId(resourceId, 'resourceId')}`;

export const slotStream = (resourceId: string, slotKey: SlotKey): string => {
  parseSlotKey(slotKey);
  return `slot-${assertStreamId(resourceId, 'resourceId')}.${slotKey}`;
};

export const reservationStream = (reservationId: string): string =>
  `reservation-${assertStreamId(reservationId, 'reservationId')}`;

export const paymentStream = (reservationId: string): string =>
  `payment-${assertStreamId(reservationId, 'reservationId')}`;

/** Splits `slot-{resourceId}.{slotKey}` back into its parts. */
export const parseSlotStream = (stream: string): { resourceId: string; slotKey: SlotKey } => {
  const dot = stream.indexOf('.');
  if (!stream.startsWith('slot-') || dot < 0) {
    throw new ValidationError(
      `A slot stream is named slot-{resourceId}.{slotKey} (got "${stream}").`,
    );
  }
  const resourceId = assertStreamId(stream.slice('slot-'.length, dot), 'resourceId');
  const slotKey = stream.slice(dot + 1);
  parseSlotKey(slotKey);
  return { resourceId, slotKey };
};

/** The stream category (`slot` of `slot-r1.2026-12-24`). */
export const streamCategory = (stream: string): string =>
  stream.slice(0, Math.max(0, stream.indexOf('-')));
