import { contentHash } from '../shared/canonicalJson.ts';
import { ValidationError } from '../shared/errors.ts';
import { timedSlotKey } from '../shared/streams.ts';
import type { EpochMillis } from '../shared/time.ts';
import { addDays, localDateOf, MINUTE_MS, toIsoInstant } from '../shared/time.ts';
import type { Interval } from './openHours.ts';
import { hoursOn, openIntervals } from './openHours.ts';
import type { BlockingReason, SlotReason } from './reasons.ts';
import {
  FAILED_PENALTY,
  NEAR_BUFFER_CONFIDENCE,
  REASON_CONFIDENCE,
  roundConfidence,
  STALE_PENALTY,
  TENTATIVE_CONFIDENCE,
} from './reasons.ts';
import type { Overlap, WeightedBlock } from './sweep.ts';
import { sweepOverlaps } from './sweep.ts';
import type { AvailabilitySlot, TimedAvailability, TimedAvailabilityInput } from './timedInput.ts';
import { PLAIN_ZONE_TIME } from './zoneTime.ts';

/** Bumped whenever the pipeline's rules change, so computedVersion changes with them. */
const ALGORITHM_VERSION = 2;

const slotLength = (input: TimedAvailabilityInput): number => {
  const minutes = input.slotMinutes ?? input.resource.slotMinutes;
  if (!Number.isSafeInteger(minutes) || minutes < 5 || minutes > 1440) {
    throw new ValidationError(
      `slotMinutes must be a whole number of minutes between 5 and 1440 (got ${minutes}).`,
    );
  }
  return minutes * MINUTE_MS;
};

/** The slot grid: each opening interval cut into whole slots from its opening, inside [from, to). */
const slotGrid = (input: TimedAvailabilityInput, length: number): Interval[] => {
  const { zone, weeklyHours, dateOverrides } = input.resource;
  const slots: Interval[] = [];
  const zoneTime = input.zoneTime ?? PLAIN_ZONE_TIME;
  for (const interval of openIntervals(
    zone,
    weeklyHours,
    dateOverrides,
    input.from,
    input.to,
    zoneTime,
  )) {
    for (let start = interval.start; start + length <= interval.end; start += length) {
      if (start >= input.from && start + length <= input.to)
        slots.push({ start, end: start + length });
    }
  }
  return slots;
};

/** Busy blocks as the sweep counts them; others' active holds only. */
const busyBlocks = (input: TimedAvailabilityInput): WeightedBlock[] => {
  const own = input.forReservationId;
  return [
    ...input.bookings
      .filter((b) => b.reservationId !== own)
      .map((b) => ({ ...b, kind: 'booking' as const })),
    ...input.holds
      .filter((h) => h.reservationId !== own && h.expiresAt > input.now)
      .map((h) => ({ start: h.start, end: h.end, quantity: h.quantity, kind: 'hold' as const })),
    ...input.calendars.flatMap((source) =>
      source.blocks.map((b) => ({
        start: b.start,
        end: b.end,
        quantity: 1,
        kind: b.tentative ? ('tentative' as const) : ('calendar' as const),
      })),
    ),
  ];
};

interface SlotFacts {
  readonly raw: Overlap;
  readonly buffered: Overlap;
  readonly near: Overlap;
  readonly inHours: boolean;
  readonly closed: boolean;
  /** The slot's own capacity (an override on its stream) or the resource's. */
  readonly capacity: number;
}

/** Reasons after which no unit of the slot can be booked, whatever its usage. */
const NOTHING_LEFT: ReadonlySet<BlockingReason> = new Set([
  'OUTSIDE_HOURS',
  'CLOSED',
  'BUSY_CALENDAR',
  'MIN_NOTICE',
  'BEYOND_HORIZON',
]);

/** Units free over the slot and its buffers (0 when a non-capacity reason blocks it). */
const remainingOf = (facts: SlotFacts, blocking: readonly BlockingReason[]): number => {
  if (blocking.some((r) => NOTHING_LEFT.has(r))) return 0;
  if (facts.buffered.calendar + facts.buffered.tentative > 0) return 0;
  const used = Math.max(
    facts.raw.booking + facts.raw.hold,
    facts.buffered.booking + facts.buffered.hold,
  );
  return Math.max(0, facts.capacity - used);
};

/** Earliest bookable start (minimum notice) and the first instant beyond the horizon, in real time. */
const bookingWindow = (
  input: TimedAvailabilityInput,
): { earliest: EpochMillis; beyond: EpochMillis } => {
  const { minimumNoticeMinutes, horizonDays, zone } = input.resource;
  const zoneTime = input.zoneTime ?? PLAIN_ZONE_TIME;
  const lastBookableDay = addDays(zoneTime.localDateOf(input.now, zone), horizonDays);
  return {
    earliest: input.now + minimumNoticeMinutes * MINUTE_MS,
    beyond: zoneTime.localToEpochMillis(addDays(lastBookableDay, 1), 0, zone),
  };
};

const reasonsFor = (
  input: TimedAvailabilityInput,
  window: { earliest: EpochMillis; beyond: EpochMillis },
  slot: Interval,
  facts: SlotFacts,
): BlockingReason[] => {
  const { capacity } = facts;
  const wanted = input.quantity ?? 1;
  const reasons: BlockingReason[] = [];
  if (!facts.inHours) reasons.push('OUTSIDE_HOURS');
  if (facts.closed || capacity === 0) reasons.push('CLOSED');
  const { raw, buffered } = facts;
  if (raw.calendar + raw.tentative > 0) reasons.push('BUSY_CALENDAR');
  const rawUsed = raw.booking + raw.hold;
  if (capacity > 0 && wanted > capacity) reasons.push('EXCEEDS_CAPACITY');
  else if (rawUsed + wanted > capacity) {
    if (raw.booking > 0) reasons.push('BUSY_BOOKING');
    if (raw.hold > 0) reasons.push('HELD');
  }
  const bufferBlocked =
    (raw.calendar + raw.tentative === 0 && buffered.calendar + buffered.tentative > 0) ||
    (rawUsed + wanted <= capacity && buffered.booking + buffered.hold + wanted > capacity);
  if (bufferBlocked) reasons.push('BUFFER');
  if (slot.start < window.earliest) reasons.push('MIN_NOTICE');
  if (slot.start >= window.beyond) reasons.push('BEYOND_HORIZON');
  return reasons;
};

const evaluate = (
  input: TimedAvailabilityInput,
  slots: Interval[],
  inHours: (slot: Interval) => boolean,
): TimedAvailability => {
  const { zone, bufferBeforeMinutes, bufferAfterMinutes } = input.resource;
  const computedAt = toIsoInstant(input.now);
  const { zoneTime = PLAIN_ZONE_TIME, ...hashed } = input;
  const computedVersion = contentHash({
    algorithm: ALGORITHM_VERSION,
    input: hashed,
    slots: slots.length,
  });
  const blocks = busyBlocks(input);
  // Stacked buffers: an existing booking's after-buffer and a new slot's before-buffer both apply.
  const pad = (bufferBeforeMinutes + bufferAfterMinutes) * MINUTE_MS;
  const raw = sweepOverlaps(slots, blocks, 0);
  const buffered = pad > 0 ? sweepOverlaps(slots, blocks, pad) : raw;
  const near = pad > 0 ? sweepOverlaps(slots, blocks, pad + slotLength(input)) : raw;
  const closedKeys = new Set(input.closedSlotKeys ?? []);
  const window = bookingWindow(input);
  const stale = input.calendars.some((c) => c.status === 'stale');
  const failed = input.calendars.some((c) => c.status === 'failed');
  const result = slots.map((slot, i): AvailabilitySlot => {
    const slotKey = zoneTime.timedSlotKey(slot.start, zone);
    const facts = {
      raw: raw[i]!,
      buffered: buffered[i]!,
      near: near[i]!,
      inHours: inHours(slot),
      closed: closedKeys.has(slotKey),
      capacity: input.slotCapacities?.[slotKey] ?? input.resource.capacity,
    };
    const blocking = reasonsFor(input, window, slot, facts);
    const notes: SlotReason[] = [];
    // Busy time that is only tentative scores as tentative, not as explicitly busy.
    const score = (r: BlockingReason): number =>
      r === 'BUSY_CALENDAR' && facts.raw.calendar === 0
        ? TENTATIVE_CONFIDENCE
        : REASON_CONFIDENCE[r];
    let confidence = Math.min(1, ...blocking.map(score));
    if (blocking.length === 0 && pad > 0 && Object.values(facts.near).some((n) => n > 0)) {
      notes.push('NEAR_BUFFER');
      confidence = NEAR_BUFFER_CONFIDENCE;
    }
    if (confidence > 0 && failed) notes.push('CALENDAR_FAILED');
    else if (confidence > 0 && stale) notes.push('CALENDAR_STALE');
    if (confidence > 0) confidence -= failed ? FAILED_PENALTY : stale ? STALE_PENALTY : 0;
    return {
      slotKey,
      startTime: toIsoInstant(slot.start),
      endTime: toIsoInstant(slot.end),
      isAvailable: blocking.length === 0,
      remaining: remainingOf(facts, blocking),
      confidence: roundConfidence(confidence),
      reasons: [...blocking, ...notes],
      computedAt,
      computedVersion,
    };
  });
  return { computedAt, computedVersion, slots: result };
};

const assertWindow = (input: TimedAvailabilityInput): void => {
  if (!(input.from < input.to))
    throw new ValidationError('The availability window must end after it starts (from < to).');
};

/**
 * The timed pipeline (seed 004): weekly hours and date overrides → opening
 * intervals in the resource's zone → slot grid → minus busy time (bookings
 * and others' active holds with stacked buffers, imported calendar busy
 * time) → minimum notice and horizon. Lists every slot of the opening hours
 * in [from, to), available or not, each with its reasons and confidence.
 */
export const timedAvailability = (input: TimedAvailabilityInput): TimedAvailability => {
  assertWindow(input);
  return evaluate(input, slotGrid(input, slotLength(input)), () => true);
};

/**
 * Evaluates one specific slot (a revalidation before commit): the same rules,
 * plus OUTSIDE_HOURS or CLOSED when the slot is not inside the opening hours.
 */
export const checkTimedSlot = (
  input: Omit<TimedAvailabilityInput, 'from' | 'to'>,
  start: EpochMillis,
): AvailabilitySlot => {
  const length = slotLength({ ...input, from: start, to: start + 1 });
  const window = { ...input, from: start, to: start + length };
  const { zone, weeklyHours, dateOverrides } = input.resource;
  const intervals = openIntervals(zone, weeklyHours, dateOverrides, window.from, window.to);
  const date = localDateOf(start, zone);
  const dayClosed = hoursOn(
    date,
    weeklyHours,
    new Map(dateOverrides.map((o) => [o.date, o])),
  ).closed;
  const closedKeys = dayClosed
    ? [...(input.closedSlotKeys ?? []), timedSlotKey(start, zone)]
    : (input.closedSlotKeys ?? []);
  const slot = { start, end: start + length };
  const inHours = dayClosed || intervals.some((i) => i.start <= slot.start && slot.end <= i.end);
  const result = evaluate({ ...window, closedSlotKeys: closedKeys }, [slot], () => inHours);
  return result.slots[0]!;
};
