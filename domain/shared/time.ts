import { DateTime, IANAZone } from 'luxon';
import { ValidationError } from './errors.ts';

/**
 * Time in the domain. Instants are epoch milliseconds (or ISO strings with an
 * offset at the edges); calendar values are *local* to a resource's IANA zone
 * and kept as strings: `LocalDate` `2026-12-24`, `LocalTime` `09:00`,
 * `LocalDateTime` `2026-12-24T09:00`. Luxon does the zone arithmetic; it is
 * pure as long as every call gets explicit inputs (never `DateTime.now()`).
 */
export type LocalDate = string;
export type LocalTime = string;
export type LocalDateTime = string;
/** Milliseconds since the Unix epoch, UTC. */
export type EpochMillis = number;

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export const MINUTE_MS = 60_000;
export const DAY_MINUTES = 1440;

const LOCAL_DATE = /^\d{4}-\d{2}-\d{2}$/;
const LOCAL_TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

// Validating a zone builds an Intl formatter (~0.25 ms); the answer never changes, so it is memoized.
const zoneValidity = new Map<string, boolean>();

/** An IANA region zone (`Europe/Paris`) or `UTC`; fixed offsets and legacy abbreviations are refused. */
export const isZone = (zone: string): boolean => {
  let valid = zoneValidity.get(zone);
  if (valid === undefined) {
    valid =
      (zone === 'UTC' || zone.includes('/')) &&
      !zone.startsWith('Etc/GMT') &&
      IANAZone.isValidZone(zone);
    zoneValidity.set(zone, valid);
  }
  return valid;
};

/** The zone's UTC offset in minutes at an instant. */
export const offsetMinutesAt = (millis: EpochMillis, zone: string): number =>
  IANAZone.create(assertZone(zone)).offset(millis);

export const assertZone = (zone: string): string => {
  if (!isZone(zone)) {
    throw new ValidationError(
      `zone must be an IANA time zone such as "Europe/Paris" or "UTC", not a fixed offset (got "${zone}").`,
    );
  }
  return zone;
};

const parseDate = (date: LocalDate): DateTime => {
  const parsed = LOCAL_DATE.test(date) ? DateTime.fromISO(date, { zone: 'UTC' }) : undefined;
  if (!parsed?.isValid) {
    throw new ValidationError(`Expected a calendar date as YYYY-MM-DD (got "${date}").`);
  }
  return parsed;
};

export const isLocalDate = (date: string): boolean =>
  LOCAL_DATE.test(date) && DateTime.fromISO(date, { zone: 'UTC' }).isValid;

export const assertLocalDate = (date: string): LocalDate => (parseDate(date), date);

export const isLocalTime = (time: string): boolean => LOCAL_TIME.test(time) || time === '24:00';

/** `HH:mm` → minutes after local midnight; `24:00` is the end of the day (1440). */
export const minutesOfDay = (time: LocalTime): number => {
  if (!isLocalTime(time)) {
    throw new ValidationError(
      `Expected a local time as HH:mm between 00:00 and 24:00 (got "${time}").`,
    );
  }
  const [hours = 0, minutes = 0] = time.split(':').map(Number);
  return hours * 60 + minutes;
};

export const formatMinutesOfDay = (minutes: number): LocalTime =>
  `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

export const addDays = (date: LocalDate, days: number): LocalDate =>
  parseDate(date).plus({ days }).toISODate() ?? date;

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export const daysBetween = (from: LocalDate, to: LocalDate): number =>
  Math.round(parseDate(to).diff(parseDate(from), 'days').days);

/** Nights of a stay `[checkIn, checkOut)`; checkOut must be after checkIn. */
export const nightsBetween = (checkIn: LocalDate, checkOut: LocalDate): number => {
  const nights = daysBetween(checkIn, checkOut);
  if (nights <= 0) {
    throw new ValidationError(`checkOut must be after checkIn (got ${checkIn} → ${checkOut}).`);
  }
  return nights;
};

/**
 * Most days one enumeration of dates may walk (about ten years). Every range a
 * caller names is counted and refused above this before any per-day work, so
 * no request's cost grows with a far date (`9999-12-31`).
 */
export const MAX_ENUMERATED_DAYS = 3_660;

/** Throws RANGE_TOO_LONG when `days` days are more than one enumeration may walk. */
export const assertEnumerableDays = (days: number, from: LocalDate, to: LocalDate): void => {
  if (days > MAX_ENUMERATED_DAYS) {
    throw new ValidationError(
      `A date range may span at most ${MAX_ENUMERATED_DAYS} days (got ${days}, ${from} → ${to}); choose nearer dates.`,
      { days, maxDays: MAX_ENUMERATED_DAYS },
      'RANGE_TOO_LONG',
    );
  }
};

/** The local dates of each night of a stay `[checkIn, checkOut)`, ascending; counted before enumerated. */
export const nightsOf = (checkIn: LocalDate, checkOut: LocalDate): LocalDate[] => {
  const nights = nightsBetween(checkIn, checkOut);
  assertEnumerableDays(nights, checkIn, checkOut);
  const first = parseDate(checkIn);
  return Array.from({ length: nights }, (_, i) => first.plus({ days: i }).toISODate() ?? checkIn);
};

export const dayOfWeek = (date: LocalDate): Weekday => {
  const weekday = WEEKDAYS[parseDate(date).weekday - 1];
  if (weekday === undefined) throw new ValidationError(`No weekday for ${date}.`);
  return weekday;
};

export const compareLocal = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Parses an ISO 8601 instant that names its offset (`Z` or `+02:00`). */
export const toEpochMillis = (iso: string): EpochMillis => {
  const parsed = /(Z|[+-]\d{2}:?\d{2})$/.test(iso)
    ? DateTime.fromISO(iso, { setZone: true })
    : undefined;
  if (!parsed?.isValid) {
    throw new ValidationError(
      `Expected an ISO 8601 instant with an offset, e.g. 2026-12-24T09:00:00Z (got "${iso}").`,
    );
  }
  return parsed.toMillis();
};

export const toIsoInstant = (millis: EpochMillis): string =>
  DateTime.fromMillis(millis, { zone: 'UTC' }).toISO() ?? '';

/**
 * A local date-time in a zone → the instant, DST-safe with the usual
 * ("compatible") rules: a time skipped by spring-forward moves forward by the
 * gap (02:30 → 03:30); a time repeated by fall-back means its first occurrence.
 */
export const localToEpochMillis = (date: LocalDate, minutes: number, zone: string): EpochMillis => {
  const midnight = parseDate(date);
  const wall = midnight.plus({ minutes });
  const local = DateTime.fromObject(
    { year: wall.year, month: wall.month, day: wall.day, hour: wall.hour, minute: wall.minute },
    { zone: assertZone(zone) },
  );
  const candidates = local.getPossibleOffsets().map((d) => d.toMillis());
  return candidates.length > 0 ? Math.min(...candidates) : local.toMillis();
};

export const localDateTimeToEpochMillis = (dateTime: LocalDateTime, zone: string): EpochMillis => {
  const [date = '', time = ''] = dateTime.split('T');
  return localToEpochMillis(date, minutesOfDay(time), zone);
};

/** The local date, time and UTC offset (minutes) of an instant in a zone. */
export const epochMillisToLocal = (
  millis: EpochMillis,
  zone: string,
): { date: LocalDate; time: LocalTime; dateTime: LocalDateTime; offsetMinutes: number } => {
  const local = DateTime.fromMillis(millis, { zone: assertZone(zone) });
  const pad = (n: number, width = 2): string => String(n).padStart(width, '0');
  const date = `${pad(local.year, 4)}-${pad(local.month)}-${pad(local.day)}`;
  const time = `${pad(local.hour)}:${pad(local.minute)}`;
  return { date, time, dateTime: `${date}T${time}`, offsetMinutes: local.offset };
};

/** The local calendar date of an instant in a zone. */
export const localDateOf = (millis: EpochMillis, zone: string): LocalDate =>
  epochMillisToLocal(millis, zone).date;
