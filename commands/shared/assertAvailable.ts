import { checkStay } from '../../domain/availability/nightly.ts';
import { checkTimedSlot, timedAvailability } from '../../domain/availability/timed.ts';
import type {
  BusyBooking,
  BusyHold,
  CalendarSource,
} from '../../domain/availability/timedInput.ts';
import { busyBlocksOf } from '../../domain/calendar/busyBlocks.ts';
import type { CalendarState } from '../../domain/calendar/state.ts';
import type { ResourceConfig } from '../../domain/resource/schema.ts';
import { ConflictError, ValidationError } from '../../domain/shared/errors.ts';
import { timedSlotStart } from '../../domain/shared/streams.ts';
import {
  MINUTE_MS,
  toEpochMillis,
  toIsoInstant,
  type EpochMillis,
} from '../../domain/shared/time.ts';
import { capacityOf } from '../../domain/slot/state.ts';
import type { ResolvedHoldPeriod } from './holdPeriod.ts';
import { slotStateOf, type LoadedSlots } from './loadSlots.ts';

export interface AvailabilityRequest {
  readonly resourceId: string;
  readonly config: ResourceConfig;
  readonly period: ResolvedHoldPeriod;
  readonly quantity: number;
  readonly now: EpochMillis;
  /** Every slot of the period (and, for timed resources, its buffer neighbours). */
  readonly slots: LoadedSlots;
  /** Imported busy time (`calendar-{resourceId}`), timed resources only. */
  readonly calendar?: CalendarState;
  /** A reservation re-checking its own slots: its holds and bookings do not count against it. */
  readonly forReservationId?: string;
}

const unavailable = (
  resourceId: string,
  what: string,
  details: Record<string, unknown>,
): ConflictError =>
  new ConflictError(
    'SLOT_UNAVAILABLE',
    `Resource ${resourceId} cannot be booked for ${what} (see details.reasons); choose other times or fewer units.`,
    { resourceId, ...details },
  );

/** Holds, bookings and closures on the loaded timed slots, as the timed pipeline takes them. */
const timedBusy = (request: AvailabilityRequest, slotMs: number) => {
  const holds: BusyHold[] = [];
  const bookings: BusyBooking[] = [];
  const closedSlotKeys: string[] = [];
  for (const { state, slotKey } of request.slots.values()) {
    if (state.status === 'Empty') continue;
    const start = timedSlotStart(slotKey, request.config.zone);
    const end = start + slotMs;
    if (state.status === 'Closed') closedSlotKeys.push(slotKey);
    for (const h of state.holds.values()) holds.push({ ...h, start, end });
    for (const b of state.bookings.values()) bookings.push({ ...b, start, end });
  }
  return { holds, bookings, closedSlotKeys };
};

const calendarsOf = (request: AvailabilityRequest, from: EpochMillis, to: EpochMillis) =>
  request.calendar === undefined
    ? []
    : busyBlocksOf(request.calendar, from, to, { now: request.now }).map(
        ({ sourceId, status, blocks }): CalendarSource => ({ sourceId, status, blocks }),
      );

const assertTimed = (
  request: AvailabilityRequest,
  period: Extract<ResolvedHoldPeriod, { kind: 'timed' }>,
): void => {
  const { config, resourceId, quantity, now } = request;
  const from = period.starts[0] ?? 0;
  const to = (period.starts.at(-1) ?? 0) + period.slotMs;
  const padMs = (config.bufferBeforeMinutes + config.bufferAfterMinutes) * MINUTE_MS;
  const calendars = calendarsOf(request, from - padMs, to + padMs);
  const busy = timedBusy(request, period.slotMs);
  const grid = new Set(
    timedAvailability({
      resource: config,
      from,
      to,
      now,
      bookings: [],
      holds: [],
      calendars: [],
    }).slots.map((s) => toEpochMillis(s.startTime)),
  );
  const refused: { slotKey: string; reasons: readonly string[] }[] = [];
  period.starts.forEach((start, i) => {
    const slotKey = period.slotKeys[i] ?? '';
    const state = slotStateOf(request.slots, resourceId, slotKey);
    const slot = checkTimedSlot(
      {
        resource: { ...config, capacity: capacityOf(state, config.capacity) },
        now,
        quantity,
        calendars,
        ...busy,
        ...(request.forReservationId ? { forReservationId: request.forReservationId } : {}),
      },
      start,
    );
    if (!slot.reasons.includes('OUTSIDE_HOURS') && !grid.has(start)) {
      throw new ValidationError(
        `${toIsoInstant(start)} is not the start of a slot: slots of ${config.slotMinutes} minutes start at the opening time; pick a start on that grid.`,
        { slotStart: toIsoInstant(start) },
        'SLOT_NOT_ALIGNED',
      );
    }
    if (!slot.isAvailable) refused.push({ slotKey, reasons: slot.reasons });
  });
  if (refused.length > 0) {
    throw unavailable(resourceId, `${period.startsAt} → ${period.endsAt}`, {
      reasons: [...new Set(refused.flatMap((s) => s.reasons))],
      slots: refused,
    });
  }
};

/**
 * The availability check before a claim (DESIGN.md "Availability"): nightly
 * stays through `checkStay` (restrictions, advance window, every night's
 * capacity), timed slots through `checkTimedSlot` (hours, grid, buffers,
 * calendar busy time, notice, horizon). 409 SLOT_UNAVAILABLE with the reasons
 * when refused; the slot decider re-checks capacity at append time.
 */
export const assertAvailable = (request: AvailabilityRequest): void => {
  const { period } = request;
  if (period.kind === 'timed') return assertTimed(request, period);
  const result = checkStay({
    resource: request.config,
    checkIn: period.checkIn,
    checkOut: period.checkOut,
    quantity: request.quantity,
    now: request.now,
    slotOf: (date) => slotStateOf(request.slots, request.resourceId, date),
    ...(request.forReservationId ? { forReservationId: request.forReservationId } : {}),
  });
  if (result.bookable) return;
  const nights = result.nights.filter((n) => n.reasons.length > 0);
  throw unavailable(request.resourceId, `${period.checkIn} → ${period.checkOut}`, {
    reasons: [...new Set([...result.reasons, ...nights.flatMap((n) => n.reasons)])],
    nights,
  });
};
