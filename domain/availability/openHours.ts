import type { DateOverride, WeeklyHours } from '../resource/schema.ts';
import type { EpochMillis, LocalDate } from '../shared/time.ts';
import {
  addDays,
  assertEnumerableDays,
  dayOfWeek,
  daysBetween,
  minutesOfDay,
} from '../shared/time.ts';
import { PLAIN_ZONE_TIME, type ZoneTime } from './zoneTime.ts';

export interface Interval {
  readonly start: EpochMillis;
  readonly end: EpochMillis;
}

/** A local day's opening hours in minutes after midnight, merged and sorted; `closed` when an override empties the day. */
export const hoursOn = (
  date: LocalDate,
  weeklyHours: WeeklyHours,
  overridesByDate: ReadonlyMap<LocalDate, DateOverride>,
): { closed: boolean; ranges: { opens: number; closes: number }[] } => {
  const override = overridesByDate.get(date);
  const day = dayOfWeek(date);
  const raw = override ? override.hours : weeklyHours.filter((h) => h.day === day);
  const ranges = raw
    .map((r) => ({ opens: minutesOfDay(r.opens), closes: minutesOfDay(r.closes) }))
    .sort((a, b) => a.opens - b.opens);
  const merged: { opens: number; closes: number }[] = [];
  for (const range of ranges) {
    const last = merged[merged.length - 1];
    if (last && range.opens <= last.closes) last.closes = Math.max(last.closes, range.closes);
    else merged.push({ ...range });
  }
  return { closed: override !== undefined && merged.length === 0, ranges: merged };
};

/**
 * Opening intervals as instants, one list per local day that can touch
 * [from, to), converted through the zone so DST days are as long as they
 * really are (09:00–17:00 is 8 h; 00:00–06:00 is 5 h on spring-forward).
 * Intervals are not merged across midnight, so each day's grid is anchored on
 * that day's opening.
 */
export const openIntervals = (
  zone: string,
  weeklyHours: WeeklyHours,
  dateOverrides: readonly DateOverride[],
  from: EpochMillis,
  to: EpochMillis,
  zoneTime: ZoneTime = PLAIN_ZONE_TIME,
): Interval[] => {
  const { localDateOf, localToEpochMillis } = zoneTime;
  const overrides = new Map(dateOverrides.map((o) => [o.date, o]));
  const first = addDays(localDateOf(from, zone), -1);
  const last = localDateOf(to, zone);
  const days = daysBetween(first, last) + 1;
  assertEnumerableDays(days, first, last);
  const intervals: Interval[] = [];
  for (let i = 0; i < days; i++) {
    const date = addDays(first, i);
    for (const range of hoursOn(date, weeklyHours, overrides).ranges) {
      const start = localToEpochMillis(date, range.opens, zone);
      const end = localToEpochMillis(date, range.closes, zone);
      if (end > from && start < to && end > start) intervals.push({ start, end });
    }
  }
  return intervals.sort((a, b) => a.start - b.start);
};
