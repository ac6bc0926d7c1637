import { z } from 'zod';
import { openIntervals } from '../../domain/availability/openHours.ts';
import type { ResourceConfig } from '../../domain/resource/schema.ts';
import { ValidationError } from '../../domain/shared/errors.ts';
import { parseSlotKey, timedSlotKey, type SlotKey } from '../../domain/shared/streams.ts';
import {
  addDays,
  daysBetween,
  isLocalDate,
  localToEpochMillis,
  MINUTE_MS,
  minutesOfDay,
} from '../../domain/shared/time.ts';

/** One request touches at most this many slot streams (one atomic append). */
export const MAX_SLOTS_PER_REQUEST = 400;
const MAX_DAYS = 366;

const localDate = z.string().refine(isLocalDate, 'Expected a calendar date as YYYY-MM-DD.');
const localTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'Expected HH:mm.');

/** Which slots: explicit keys, or every slot of a date range (inclusive), optionally within a time window. */
export const slotRangeShape = {
  slotKeys: z.array(z.string().min(1).max(40)).min(1).max(MAX_SLOTS_PER_REQUEST).optional(),
  dates: z.strictObject({ from: localDate, to: localDate }).optional(),
  /** Timed resources: only slots starting in [from, to) local time each day. */
  times: z.strictObject({ from: localTime, to: localTime }).optional(),
};
export type SlotRange = {
  readonly [K in keyof typeof slotRangeShape]?: z.output<(typeof slotRangeShape)[K]>;
};

const tooMany = (count: number): ValidationError =>
  new ValidationError(
    `One request may touch at most ${MAX_SLOTS_PER_REQUEST} slots (this range has ${count}); split it.`,
  );

const explicitKeys = (keys: readonly string[], config: ResourceConfig): SlotKey[] =>
  [...new Set(keys)].map((key) => {
    const parsed = parseSlotKey(key);
    if (parsed.kind !== config.kind) {
      throw new ValidationError(
        `"${key}" names a ${parsed.kind} slot but the resource is ${config.kind}; use ${config.kind === 'nightly' ? 'a date like 2026-12-24' : 'a local date-time like 2026-12-24T09:00'}.`,
      );
    }
    return key;
  });

/** Every slot of the resource's grid on `date` (each opening interval cut from its start). */
const timedKeysOn = (date: string, config: ResourceConfig, window?: SlotRange['times']) => {
  const { zone, weeklyHours, dateOverrides, slotMinutes } = config;
  const dayStart = localToEpochMillis(date, 0, zone);
  const dayEnd = localToEpochMillis(addDays(date, 1), 0, zone);
  const length = slotMinutes * MINUTE_MS;
  const keys: SlotKey[] = [];
  for (const interval of openIntervals(zone, weeklyHours, dateOverrides, dayStart, dayEnd)) {
    for (let start = interval.start; start + length <= interval.end; start += length) {
      if (start < dayStart || start >= dayEnd) continue;
      const key = timedSlotKey(start, zone);
      const minutes = minutesOfDay(key.slice(11, 16));
      if (window && (minutes < minutesOfDay(window.from) || minutes >= minutesOfDay(window.to)))
        continue;
      keys.push(key);
    }
  }
  return keys;
};

/** The slot keys a range names for this resource, in order; refuses empty and oversized ranges. */
export const slotKeysOf = (range: SlotRange, config: ResourceConfig): SlotKey[] => {
  if ((range.slotKeys === undefined) === (range.dates === undefined)) {
    throw new ValidationError(
      'Name the slots with exactly one of slotKeys (["2026-12-24"]) or dates ({"from": "2026-12-24", "to": "2026-12-26"}).',
    );
  }
  if (range.times && (config.kind !== 'timed' || range.dates === undefined)) {
    throw new ValidationError('times narrows a dates range of a timed resource only.');
  }
  if (range.slotKeys) return explicitKeys(range.slotKeys, config);
  const { from, to } = range.dates!;
  const days = daysBetween(from, to) + 1;
  if (days < 1)
    throw new ValidationError(`dates.to must not be before dates.from (got ${from} → ${to}).`);
  if (days > MAX_DAYS)
    throw new ValidationError(`A date range spans at most ${MAX_DAYS} days (got ${days}).`);
  if (config.kind === 'nightly' && days > MAX_SLOTS_PER_REQUEST) throw tooMany(days);
  const keys: SlotKey[] = [];
  for (let i = 0; i < days; i++) {
    const date = addDays(from, i);
    if (config.kind === 'nightly') keys.push(date);
    else keys.push(...timedKeysOn(date, config, range.times));
    if (keys.length > MAX_SLOTS_PER_REQUEST) throw tooMany(keys.length);
  }
  if (keys.length === 0) {
    throw new ValidationError(
      `The range ${from} → ${to} contains no slots of this resource (it is outside its opening hours); check the dates and times.`,
      {},
      'NO_SLOTS_IN_RANGE',
    );
  }
  return keys;
};
