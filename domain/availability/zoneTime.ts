import { timedSlotKey, timedSlotStart, type SlotKey } from '../shared/streams.ts';
import {
  addDays,
  dayOfWeek,
  daysBetween,
  localDateOf,
  localToEpochMillis,
  nightsOf,
  type EpochMillis,
  type LocalDate,
} from '../shared/time.ts';

/**
 * The calendar arithmetic and zone conversions the availability checks make,
 * as a port so a caller that computes availability again and again (the read
 * API) can pass a memoized set. Each is a pure function of its arguments (the
 * tz database is fixed for the process), so memoizing changes how long an
 * answer takes, never what it is.
 */
export interface ZoneTime {
  readonly localToEpochMillis: (date: LocalDate, minutes: number, zone: string) => EpochMillis;
  readonly localDateOf: (millis: EpochMillis, zone: string) => LocalDate;
  readonly timedSlotKey: (start: EpochMillis, zone: string) => SlotKey;
  /** The inverse of `timedSlotKey` (throws on a night's key, as streams.ts does). */
  readonly timedSlotStart: (key: SlotKey, zone: string) => EpochMillis;
  readonly addDays: (date: LocalDate, days: number) => LocalDate;
  readonly daysBetween: (from: LocalDate, to: LocalDate) => number;
  readonly dayOfWeek: typeof dayOfWeek;
  /** The nights of `[checkIn, checkOut)`; the array may be shared, never mutate it. */
  readonly nightsOf: (checkIn: LocalDate, checkOut: LocalDate) => readonly LocalDate[];
}

export const PLAIN_ZONE_TIME: ZoneTime = {
  localToEpochMillis,
  localDateOf,
  timedSlotKey,
  timedSlotStart,
  addDays,
  daysBetween,
  dayOfWeek,
  nightsOf,
};

/** Entries kept per function; past it that memo starts over. */
const MAX_ENTRIES = 50_000;

const memoize = <A extends readonly (string | number)[], R>(
  fn: (...args: A) => R,
  maxEntries = MAX_ENTRIES,
): ((...args: A) => R) => {
  const entries = new Map<string, R>();
  return (...args: A): R => {
    const key = args.join('|');
    const hit = entries.get(key);
    if (hit !== undefined) return hit;
    // A throw is not kept: bad input throws again, every time.
    const value = fn(...args);
    if (entries.size >= maxEntries) entries.clear();
    entries.set(key, value);
    return value;
  };
};

/**
 * Memoized conversions (luxon's zone offsets cost tens of microseconds each,
 * and a vendor's slots or a search's stay repeat from request to request;
 * luxon's date parsing is not free either). `localDateOf` keeps whole-minute
 * instants (slot and window bounds) in the large memo and other instants,
 * like a request's `now` that every candidate of one search asks about, in a
 * small one that starts over often.
 */
export const createZoneTimeMemo = (): ZoneTime => {
  const dateOf = memoize(localDateOf);
  const dateOfNow = memoize(localDateOf, 256);
  return {
    localToEpochMillis: memoize(localToEpochMillis),
    localDateOf: (millis, zone) =>
      millis % 60_000 === 0 ? dateOf(millis, zone) : dateOfNow(millis, zone),
    timedSlotKey: memoize(timedSlotKey),
    timedSlotStart: memoize(timedSlotStart),
    addDays: memoize(addDays),
    daysBetween: memoize(daysBetween),
    dayOfWeek: memoize(dayOfWeek),
    nightsOf: memoize(nightsOf),
  };
};
