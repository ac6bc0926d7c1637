import {
  calendarSourcesOf,
  usageOfSlotState,
  type SlotUsageSummary,
} from '../../domain/availability/availability.ts';
import { assertAvailable as assertBookable } from '../../domain/booking/assertAvailable.ts';
import type { ResolvedHoldPeriod } from '../../domain/booking/holdPeriod.ts';
import type { CalendarState } from '../../domain/calendar/state.ts';
import type { ResourceConfig } from '../../domain/resource/schema.ts';
import type { SlotKey } from '../../domain/shared/streams.ts';
import type { EpochMillis } from '../../domain/shared/time.ts';
import type { LoadedSlots } from './loadSlots.ts';

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

/** The loaded slot streams as the availability function's usage (the write side's view). */
export const usageOfLoaded = (
  slots: LoadedSlots,
  forReservationId?: string,
): Map<SlotKey, SlotUsageSummary> => {
  const usage = new Map<SlotKey, SlotUsageSummary>();
  for (const { slotKey, state } of slots.values()) {
    const summary = usageOfSlotState(state, forReservationId);
    if (summary !== undefined) usage.set(slotKey, summary);
  }
  return usage;
};

/**
 * The availability check before a claim, from the loaded slot streams, by
 * the domain's shared availability function (domain/booking/assertAvailable.ts).
 */
export const assertAvailable = (request: AvailabilityRequest): void => {
  const { period, config, now } = request;
  const calendars =
    period.kind === 'timed'
      ? calendarSourcesOf(
          config,
          request.calendar,
          period.starts[0] ?? 0,
          (period.starts.at(-1) ?? 0) + period.slotMs,
          now,
        )
      : [];
  assertBookable({
    resourceId: request.resourceId,
    config,
    period,
    quantity: request.quantity,
    now,
    usage: usageOfLoaded(request.slots, request.forReservationId),
    calendars,
  });
};
