import { checkStay, type StayAvailability } from '../../domain/availability/nightly.ts';
import { timedAvailability } from '../../domain/availability/timed.ts';
import type {
  BusyBooking,
  BusyHold,
  CalendarSource,
  TimedAvailability,
} from '../../domain/availability/timedInput.ts';
import { busyBlocksOf } from '../../domain/calendar/busyBlocks.ts';
import { PLAIN_ZONE_TIME, type ZoneTime } from '../../domain/availability/zoneTime.ts';
import type { CalendarState } from '../../domain/calendar/state.ts';
import type { ResourceConfig } from '../../domain/resource/schema.ts';
import {
  localDateOf,
  MINUTE_MS,
  type EpochMillis,
  type LocalDate,
} from '../../domain/shared/time.ts';
import type { SlotState } from '../../domain/slot/state.ts';
import type { SlotUsage } from './slotUsage.ts';

/** The local dates whose slots can affect a timed window, buffers included. */
export const timedUsageDates = (
  config: ResourceConfig,
  from: EpochMillis,
  to: EpochMillis,
): { fromDate: LocalDate; toDate: LocalDate } => {
  const pad =
    (config.bufferBeforeMinutes + config.bufferAfterMinutes + config.slotMinutes) * MINUTE_MS;
  return {
    fromDate: localDateOf(from - pad, config.zone),
    toDate: localDateOf(to + pad, config.zone),
  };
};

export interface TimedRequest {
  readonly config: ResourceConfig;
  readonly from: EpochMillis;
  readonly to: EpochMillis;
  readonly now: EpochMillis;
  readonly slotMinutes?: number | undefined;
  readonly quantity: number;
  readonly usage: ReadonlyMap<string, SlotUsage>;
  readonly calendar: CalendarState;
  /** The read context's memoized conversions; default the plain ones. */
  readonly zoneTime?: ZoneTime | undefined;
}

/**
 * The seed-004 pipeline over the read models. Usage is per slot stream, so
 * every slot's bookings and active holds become one busy block each over the
 * resource's own slot grid. A capacity override below the resource's capacity
 * counts as that many units taken, since the pipeline has one capacity per resource.
 */
export const timedSlotsOf = (request: TimedRequest): TimedAvailability => {
  const { config, now } = request;
  const slotMs = config.slotMinutes * MINUTE_MS;
  const bookings: BusyBooking[] = [];
  const holds: BusyHold[] = [];
  const closedSlotKeys: string[] = [];
  for (const [slotKey, slot] of request.usage) {
    const start = (request.zoneTime ?? PLAIN_ZONE_TIME).timedSlotStart(slotKey, config.zone);
    const end = start + slotMs;
    if (slot.closed) closedSlotKeys.push(slotKey);
    const taken = Math.max(0, slot.booked + config.capacity - slot.capacity);
    if (taken > 0)
      bookings.push({ reservationId: `booked:${slotKey}`, start, end, quantity: taken });
    // Already filtered to the holds active at `now`, so they stay active for this computation.
    if (slot.held > 0)
      holds.push({
        reservationId: `held:${slotKey}`,
        start,
        end,
        quantity: slot.held,
        expiresAt: now + 1,
      });
  }
  const pad = (config.bufferBeforeMinutes + config.bufferAfterMinutes) * MINUTE_MS;
  const calendars = busyBlocksOf(request.calendar, request.from - pad, request.to + pad, {
    now,
  }).map(({ sourceId, status, blocks }): CalendarSource => ({ sourceId, status, blocks }));
  return timedAvailability({
    resource: config,
    from: request.from,
    to: request.to,
    now,
    ...(request.slotMinutes === undefined ? {} : { slotMinutes: request.slotMinutes }),
    quantity: request.quantity,
    bookings,
    holds,
    calendars,
    closedSlotKeys,
    ...(request.zoneTime === undefined ? {} : { zoneTime: request.zoneTime }),
  });
};

const slotStateOf = (
  resourceId: string,
  slotKey: string,
  slot: SlotUsage | undefined,
  now: EpochMillis,
): SlotState => {
  if (slot === undefined) return { status: 'Empty' };
  const facts = {
    resourceId,
    slotKey,
    capacity: slot.capacity,
    holds: new Map(
      slot.held > 0
        ? [['held', { reservationId: 'held', quantity: slot.held, expiresAt: now + 1 }]]
        : [],
    ),
    bookings: new Map(
      slot.booked > 0 ? [['booked', { reservationId: 'booked', quantity: slot.booked }]] : [],
    ),
  };
  return slot.closed
    ? { status: 'Closed', closedReason: 'closed', ...facts }
    : { status: 'Open', ...facts };
};

/** Seed 003's stay check over the read models' usage of each night. */
export const stayOf = (request: {
  readonly resourceId: string;
  readonly config: ResourceConfig;
  readonly checkIn: LocalDate;
  readonly checkOut: LocalDate;
  readonly quantity: number;
  readonly now: EpochMillis;
  readonly usage: ReadonlyMap<string, SlotUsage>;
  readonly zoneTime?: ZoneTime | undefined;
}): StayAvailability =>
  checkStay({
    ...(request.zoneTime === undefined ? {} : { zoneTime: request.zoneTime }),
    resource: request.config,
    checkIn: request.checkIn,
    checkOut: request.checkOut,
    quantity: request.quantity,
    now: request.now,
    slotOf: (night) =>
      slotStateOf(request.resourceId, night, request.usage.get(night), request.now),
  });
