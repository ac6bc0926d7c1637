import { timedSlotKey, timedSlotStart, type SlotKey } from '../shared/streams.ts';
import {
  localDateOf,
  localToEpochMillis,
  type EpochMillis,
  type LocalDate,
} from '../shared/time.ts';

/**
 * The zone conversions the timed pipeline makes, as a port so a caller that
 * computes availability again and again (the read API) can pass a memoized
 * set. Each is a pure function of its arguments (the tz database is fixed for
 * the process), so memoizing changes how long an answer takes, never what it is.
 */
export interface ZoneTime {
  readonly localToEpochMillis: (date: LocalDate, minutes: number, zone: string) => EpochMillis;
  readonly localDateOf: (millis: EpochMillis, zone: string) => LocalDate;
  readonly timedSlotKey: (start: EpochMillis, zone: string) => SlotKey;
  /** The inverse of `timedSlotKey` (throws on a night's key, as streams.ts does). */
  readonly timedSlotStart: (key: SlotKey, zone: string) => EpochMillis;
}

export const PLAIN_ZONE_TIME: ZoneTime = {
  localToEpochMillis,
  localDateOf,
  timedSlotKey,
  timedSlotStart,
};

/** Entries kept per function; past it that memo starts over. */
const MAX_ENTRIES = 50_000;

const memoize = <A extends readonly (string | number)[], R>(
  fn: (...args: A) => R,
): ((...args: A) => R) => {
  const entries = new Map<string, R>();
  return (...args: A): R => {
    const key = args.join('|');
    const hit = entries.get(key);
    if (hit !== undefined) return hit;
    const value = fn(...args);
    if (entries.size >= MAX_ENTRIES) entries.clear();
    entries.set(key, value);
    return value;
  };
};

/**
 * Memoized conversions (luxon's zone offsets cost tens of microseconds each,
 * and a vendor's slots repeat from request to request). `localDateOf` is
 * memoized only for whole-minute instants (slot and window bounds): instants
 * like `now`, new every millisecond, would only fill the memo.
 */
export const createZoneTimeMemo = (): ZoneTime => {
  const toMillis = memoize(localToEpochMillis);
  const slotKey = memoize(timedSlotKey);
  const dateOf = memoize(localDateOf);
  const slotStart = memoize(timedSlotStart);
  return {
    timedSlotStart: slotStart,
    localToEpochMillis: toMillis,
    timedSlotKey: slotKey,
    localDateOf: (millis, zone) =>
      millis % 60_000 === 0 ? dateOf(millis, zone) : localDateOf(millis, zone),
  };
};
