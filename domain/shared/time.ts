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

const HOUR_MS = 3_600_000;
/** Per zone, the UTC offset (minutes) of each hour with no offset change inside it. */
const offsetsByHour = new Map<string, Map<number, number>>();
const MAX_CACHED_HOURS = 200_000;

/**
 * The zone's UTC offset in minutes at an instant. Intl (through luxon) answers
 * in microseconds, so offsets are precomputed per zone and hour: an hour whose
 * first and last millisecond have the same offset has it throughout (zones
 * change offset at most once in any hour); an hour with a change in it is
 * asked exactly, every time.
 */
export const offsetMinutesAt = (millis: EpochMillis, zone: string): number => {
  if (zone === 'UTC') return 0;
  let hours = offsetsByHour.get(zone);
  if (hours === undefined) offsetsByHour.set(assertZone(zone), (hours = new Map<number, number>()));
  const hour = Math.floor(millis / HOUR_MS);
  const cached = hours.get(hour);
  if (cached !== undefined) return cached;
  const iana = IANAZone.create(zone);
  const first = iana.offset(hour * HOUR_MS);
  if (first !== iana.offset(hour * HOUR_MS + HOUR_MS - 1)) return iana.offset(millis);
  if (hours.size >= MAX_CACHED_HOURS) hours.clear();
  hours.set(hour, first);
  return first;
};

export const assertZone = (zone: string): string => {
  if (!isZone(zone)) {
    throw new ValidationError(
      `zone must be an IANA time zone such as "Europe/Paris" or "UTC", not a fixed offset (got "${zone}").`,
    );
  }
  return zone;
};

/*
 * Calendar arithmetic on local dates is plain integer arithmetic on days
 * since 1970-01-01 (proleptic Gregorian, H. Hinnant's civil-date algorithms),
 * not a luxon DateTime per call: a hold parses its dates several times.
 */
const DAY_MS = 86_400_000;
const isLeap = (y: number): boolean => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
const daysInMonth = (y: number, m: number): number =>
  m === 2 ? (isLeap(y) ? 29 : 28) : [4, 6, 9, 11].includes(m) ? 30 : 31;

const daysFromCivil = (y: number, m: number, d: number): number => {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
};

const civilFromDays = (days: number): { y: number; m: number; d: number } => {
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return { y: yoe + era * 400 + (m <= 2 ? 1 : 0), m, d };
};

const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));

/** Days since 1970-01-01 of a valid `YYYY-MM-DD`, else undefined. */
const epochDayOf = (date: string): number | undefined => {
  if (!LOCAL_DATE.test(date)) return undefined;
  const y = Number(date.slice(0, 4));
  const m = Number(date.slice(5, 7));
  const d = Number(date.slice(8, 10));
  if (m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) return undefined;
  return daysFromCivil(y, m, d);
};

/** `YYYY-MM-DD` of a day number; years past 9999 as luxon writes them (`+010000-…`). */
const formatEpochDay = (days: number): LocalDate => {
  const { y, m, d } = civilFromDays(days);
  if (y >= 0 && y <= 9999) return `${String(y).padStart(4, '0')}-${pad2(m)}-${pad2(d)}`;
  return DateTime.fromMillis(days * DAY_MS, { zone: 'UTC' }).toISODate() ?? '';
};

const parseEpochDay = (date: LocalDate): number => {
  const days = epochDayOf(date);
  if (days === undefined) {
    throw new ValidationError(`Expected a calendar date as YYYY-MM-DD (got "${date}").`);
  }
  return days;
};

export const isLocalDate = (date: string): boolean => epochDayOf(date) !== undefined;

export const assertLocalDate = (date: string): LocalDate => (parseEpochDay(date), date);

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
  formatEpochDay(parseEpochDay(date) + Math.trunc(days));

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export const daysBetween = (from: LocalDate, to: LocalDate): number =>
  parseEpochDay(to) - parseEpochDay(from);

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
  const first = parseEpochDay(checkIn);
  return Array.from({ length: nights }, (_, i) => formatEpochDay(first + i));
};

export const dayOfWeek = (date: LocalDate): Weekday => {
  // 1970-01-01 was a Thursday.
  const weekday = WEEKDAYS[(((parseEpochDay(date) + 3) % 7) + 7) % 7];
  if (weekday === undefined) throw new ValidationError(`No weekday for ${date}.`);
  return weekday;
};

export const compareLocal = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Parses an ISO 8601 instant that names its offset (`Z` or `+02:00`). */
/** The common shape, `2026-12-24T09:00:00.000Z` or with `+02:00`; anything else goes through luxon. */
const PLAIN_INSTANT =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(?:Z|([+-])(\d{2}):?(\d{2}))$/;

/** Arithmetic for the plain shape with every field in range; undefined sends it to luxon. */
export const plainInstantMillis = (iso: string): EpochMillis | undefined => {
  const match = PLAIN_INSTANT.exec(iso);
  if (match === null) return undefined;
  const [, y, mo, d, h, mi, sec, frac, sign, oh, om] = match;
  const days = epochDayOf(`${y}-${mo}-${d}`);
  const hour = Number(h);
  const minute = Number(mi);
  const second = sec === undefined ? 0 : Number(sec);
  if (days === undefined || hour > 23 || minute > 59 || second > 59) return undefined;
  const offset = sign === undefined ? 0 : (sign === '-' ? -1 : 1) * (Number(oh) * 60 + Number(om));
  if (sign !== undefined && (Number(oh) > 23 || Number(om) > 59)) return undefined;
  // luxon's rule for fractions: the first three digits, truncated.
  const millis = frac === undefined ? 0 : Math.floor(parseFloat(`0.${frac}`) * 1000);
  return days * DAY_MS + ((hour * 60 + minute - offset) * 60 + second) * 1000 + millis;
};

export const toEpochMillis = (iso: string): EpochMillis => {
  const plain = plainInstantMillis(iso);
  if (plain !== undefined) return plain;
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

/** Years 0000–9999: what `Date#toISOString` writes, the same as luxon's UTC `toISO()`. */
const ISO_SAFE_FROM = -62_167_219_200_000;
const ISO_SAFE_TO = 253_402_300_799_999;

export const toIsoInstant = (millis: EpochMillis): string =>
  Number.isInteger(millis) && millis >= ISO_SAFE_FROM && millis <= ISO_SAFE_TO
    ? new Date(millis).toISOString()
    : (DateTime.fromMillis(millis, { zone: 'UTC' }).toISO() ?? '');

/**
 * A local date-time in a zone → the instant, DST-safe with the usual
 * ("compatible") rules: a time skipped by spring-forward moves forward by the
 * gap (02:30 → 03:30); a time repeated by fall-back means its first occurrence.
 */
export const localToEpochMillis = (date: LocalDate, minutes: number, zone: string): EpochMillis => {
  assertZone(zone);
  // The wall clock as if it were UTC, to the whole minute.
  const wall =
    Math.floor((parseEpochDay(date) * DAY_MS + minutes * MINUTE_MS) / MINUTE_MS) * MINUTE_MS;
  // The offsets a day either side (a zone changes offset at most once in between).
  const before = offsetMinutesAt(wall - DAY_MS, zone) * MINUTE_MS;
  const after = offsetMinutesAt(wall + DAY_MS, zone) * MINUTE_MS;
  const valid = [wall - before, wall - after].filter(
    (t) => t + offsetMinutesAt(t, zone) * MINUTE_MS === wall,
  );
  // Repeated (fall-back): the first occurrence; skipped (spring-forward): forward by the gap.
  return valid.length > 0 ? Math.min(...valid) : wall - before;
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
  const offsetMinutes = offsetMinutesAt(millis, zone);
  const wall = Math.floor(millis / MINUTE_MS) * MINUTE_MS + offsetMinutes * MINUTE_MS;
  const days = Math.floor(wall / DAY_MS);
  const minuteOfDay = Math.round((wall - days * DAY_MS) / MINUTE_MS);
  const date = formatEpochDay(days);
  const time = `${pad2(Math.floor(minuteOfDay / 60))}:${pad2(minuteOfDay % 60)}`;
  return { date, time, dateTime: `${date}T${time}`, offsetMinutes };
};

/** The local calendar date of an instant in a zone. */
export const localDateOf = (millis: EpochMillis, zone: string): LocalDate =>
  epochMillisToLocal(millis, zone).date;
