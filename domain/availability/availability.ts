import { busyBlocksOf } from '../calendar/busyBlocks.ts';
import type { CalendarState } from '../calendar/state.ts';
import type { ResourceConfig } from '../resource/schema.ts';
import type { SlotKey } from '../shared/streams.ts';
import type { EpochMillis, LocalDate } from '../shared/time.ts';
import { MINUTE_MS } from '../shared/time.ts';
import { checkStay, type StayAvailability } from './nightly.ts';
import { timedAvailability } from './timed.ts';
import type { BusyBooking, BusyHold, CalendarSource, TimedAvailability } from './timedInput.ts';
import type { SlotUsageSummary } from './usage.ts';
import { PLAIN_ZONE_TIME, type ZoneTime } from './zoneTime.ts';

export type { SlotHoldSummary, SlotUsageSummary } from './usage.ts';
export { activeHeldOfSummary, usageOfSlotState } from './usage.ts';

/** What is asked about: a stay of nights, or the timed slots of a window [from, to). */
export type AvailabilityPeriod =
  | { readonly kind: 'nightly'; readonly checkIn: LocalDate; readonly checkOut: LocalDate }
  | {
      readonly kind: 'timed';
      readonly from: EpochMillis;
      readonly to: EpochMillis;
      /** Seed 004 `slotDuration` for listing; defaults to the resource's slot length. */
      readonly slotMinutes?: number | undefined;
    };

export interface AvailabilityInput {
  readonly config: ResourceConfig;
  readonly period: AvailabilityPeriod;
  /** Units wanted per night or slot. */
  readonly quantity: number;
  readonly now: EpochMillis;
  /**
   * Per slot key, the slot stream's usage (see `SlotUsageSummary`); a key
   * without an entry was never opened. Timed: the window's slots and their
   * buffer neighbours; nightly: the stay's nights.
   */
  readonly usage: ReadonlyMap<SlotKey, SlotUsageSummary>;
  /** Imported calendar busy time over the window and its buffers (timed only; see `calendarSourcesOf`). */
  readonly calendars: readonly CalendarSource[];
  /** Memoized zone conversions; default the plain ones (changes no answer). */
  readonly zoneTime?: ZoneTime | undefined;
}

/**
 * The answer: per night (`available` = remaining units, reasons) with the
 * stay's own reasons, or per timed slot (remaining units, reasons, confidence).
 */
export type AvailabilityAnswer =
  | ({ readonly kind: 'nightly' } & StayAvailability)
  | ({ readonly kind: 'timed' } & TimedAvailability);

/** The padding around a timed window within which bookings, holds and busy time matter. */
export const bufferPadMs = (config: ResourceConfig): number =>
  (config.bufferBeforeMinutes + config.bufferAfterMinutes) * MINUTE_MS;

/** A calendar stream's busy time around [from, to) (buffers included), as the pipeline takes it. */
export const calendarSourcesOf = (
  config: ResourceConfig,
  calendar: CalendarState | undefined,
  from: EpochMillis,
  to: EpochMillis,
  now: EpochMillis,
): CalendarSource[] => {
  if (calendar === undefined || calendar.status === 'Empty') return [];
  const pad = bufferPadMs(config);
  return busyBlocksOf(calendar, from - pad, to + pad, { now }).map(
    ({ sourceId, status, blocks }): CalendarSource => ({ sourceId, status, blocks }),
  );
};

const timedAnswer = (
  input: AvailabilityInput,
  period: Extract<AvailabilityPeriod, { kind: 'timed' }>,
): TimedAvailability => {
  const { config, now } = input;
  const zoneTime = input.zoneTime ?? PLAIN_ZONE_TIME;
  const slotMs = config.slotMinutes * MINUTE_MS;
  const bookings: BusyBooking[] = [];
  const holds: BusyHold[] = [];
  const closedSlotKeys: SlotKey[] = [];
  const slotCapacities: Record<SlotKey, number> = {};
  // Sorted so the answer (and its computedVersion) does not depend on the map's insertion order.
  for (const slotKey of [...input.usage.keys()].sort()) {
    const slot = input.usage.get(slotKey)!;
    const start = zoneTime.timedSlotStart(slotKey, config.zone);
    const end = start + slotMs;
    if (slot.closed) closedSlotKeys.push(slotKey);
    if (slot.capacity !== config.capacity) slotCapacities[slotKey] = slot.capacity;
    if (slot.booked > 0) bookings.push({ reservationId: '', start, end, quantity: slot.booked });
    const active = slot.holds.filter((h) => h.expiresAt > now);
    // In deadline order, so the answer does not depend on the order the holds were listed in.
    active.sort((a, b) => a.expiresAt - b.expiresAt || a.quantity - b.quantity);
    for (const { quantity, expiresAt } of active)
      holds.push({ reservationId: '', start, end, quantity, expiresAt });
  }
  return timedAvailability({
    resource: config,
    from: period.from,
    to: period.to,
    now,
    ...(period.slotMinutes === undefined ? {} : { slotMinutes: period.slotMinutes }),
    quantity: input.quantity,
    bookings,
    holds,
    calendars: input.calendars,
    closedSlotKeys,
    slotCapacities,
    ...(input.zoneTime === undefined ? {} : { zoneTime: input.zoneTime }),
  });
};

/**
 * THE availability function, shared by the write side (a hold's or a
 * rebooking's check, from loaded slot states) and the read side (from
 * projected usage): seed 003's stay check for nightly resources, seed 004's
 * timed pipeline for timed ones. Pure; both sides differ only in how they
 * build `usage`, so they cannot drift (see availabilityParity.unit.spec.ts).
 */
export const availabilityOf = (input: AvailabilityInput): AvailabilityAnswer => {
  const { period } = input;
  if (period.kind === 'timed') return { kind: 'timed', ...timedAnswer(input, period) };
  const stay = checkStay({
    resource: input.config,
    checkIn: period.checkIn,
    checkOut: period.checkOut,
    quantity: input.quantity,
    now: input.now,
    usageOf: (night) => input.usage.get(night),
    ...(input.zoneTime === undefined ? {} : { zoneTime: input.zoneTime }),
  });
  return { kind: 'nightly', ...stay };
};
