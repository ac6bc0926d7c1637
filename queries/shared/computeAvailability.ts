import {
  availabilityOf,
  calendarSourcesOf,
  type AvailabilityAnswer,
} from '../../domain/availability/availability.ts';
import type { StayAvailability } from '../../domain/availability/nightly.ts';
import type { AvailabilitySlot, TimedAvailability } from '../../domain/availability/timedInput.ts';
import type { ZoneTime } from '../../domain/availability/zoneTime.ts';
import type { CalendarState } from '../../domain/calendar/state.ts';
import type { ResourceConfig } from '../../domain/resource/schema.ts';
import {
  localDateOf,
  MINUTE_MS,
  type EpochMillis,
  type LocalDate,
} from '../../domain/shared/time.ts';
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

/** A slot as the read API shows it today (the units left stay inside the domain's answer). */
export type ShownSlot = Omit<AvailabilitySlot, 'remaining'>;
export type ShownTimedAvailability = Omit<TimedAvailability, 'slots'> & {
  readonly slots: readonly ShownSlot[];
};

const shown = ({ remaining: _remaining, ...slot }: AvailabilitySlot): ShownSlot => slot;

/**
 * The seed-004 pipeline over the read models, through the domain's shared
 * `availabilityOf` (the function a hold's check calls on loaded slot states).
 */
export const timedSlotsOf = (request: TimedRequest): ShownTimedAvailability => {
  const { config, now } = request;
  const answer: AvailabilityAnswer = availabilityOf({
    config,
    period: { kind: 'timed', from: request.from, to: request.to, slotMinutes: request.slotMinutes },
    quantity: request.quantity,
    now,
    usage: request.usage,
    calendars: calendarSourcesOf(config, request.calendar, request.from, request.to, now),
    zoneTime: request.zoneTime,
  });
  if (answer.kind !== 'timed') throw new Error('A timed period gave a nightly answer.');
  return {
    computedAt: answer.computedAt,
    computedVersion: answer.computedVersion,
    slots: answer.slots.map(shown),
  };
};

/** Seed 003's stay check over the read models' usage of each night, through `availabilityOf`. */
export const stayOf = (request: {
  readonly resourceId: string;
  readonly config: ResourceConfig;
  readonly checkIn: LocalDate;
  readonly checkOut: LocalDate;
  readonly quantity: number;
  readonly now: EpochMillis;
  readonly usage: ReadonlyMap<string, SlotUsage>;
  readonly zoneTime?: ZoneTime | undefined;
}): StayAvailability => {
  const answer = availabilityOf({
    config: request.config,
    period: { kind: 'nightly', checkIn: request.checkIn, checkOut: request.checkOut },
    quantity: request.quantity,
    now: request.now,
    usage: request.usage,
    calendars: [],
    zoneTime: request.zoneTime,
  });
  if (answer.kind !== 'nightly') throw new Error('A nightly period gave a timed answer.');
  const { kind: _kind, ...stay } = answer;
  return stay;
};
