import type { ResourceConfig } from '../resource/schema.ts';
import type { SlotState } from '../slot/state.ts';
import { activeHeldOfSummary, usageOfSlotState, type SlotUsageSummary } from './usage.ts';
import { ValidationError } from '../shared/errors.ts';
import type { EpochMillis, LocalDate } from '../shared/time.ts';
import { MINUTE_MS } from '../shared/time.ts';
import { PLAIN_ZONE_TIME, type ZoneTime } from './zoneTime.ts';

export type StayReason =
  | 'MIN_NIGHTS'
  | 'MAX_NIGHTS'
  | 'CLOSED_TO_ARRIVAL'
  | 'CLOSED_TO_DEPARTURE'
  | 'MIN_NOTICE'
  | 'BEYOND_HORIZON';
export type NightReason = 'CLOSED' | 'BUSY_BOOKING' | 'HELD' | 'NO_CAPACITY' | 'EXCEEDS_CAPACITY';

export interface NightAvailability {
  readonly date: LocalDate;
  readonly capacity: number;
  readonly held: number;
  readonly booked: number;
  readonly available: number;
  readonly reasons: readonly NightReason[];
}

export interface StayAvailability {
  readonly bookable: boolean;
  readonly reasons: readonly StayReason[];
  readonly nights: readonly NightAvailability[];
}

export type NightlyResource = Pick<
  ResourceConfig,
  'zone' | 'capacity' | 'stayRestrictions' | 'minimumNoticeMinutes' | 'horizonDays'
>;

export interface StayRequest {
  readonly resource: NightlyResource;
  readonly checkIn: LocalDate;
  readonly checkOut: LocalDate;
  readonly quantity: number;
  readonly now: EpochMillis;
  /**
   * Each night's usage (`undefined` when its slot stream does not exist), or,
   * through `slotOf`, each night's slot stream state. One of the two.
   */
  readonly usageOf?: (night: LocalDate) => SlotUsageSummary | undefined;
  readonly slotOf?: (night: LocalDate) => SlotState;
  /** With `slotOf`: the asking reservation, whose own holds and bookings do not count against it. */
  readonly forReservationId?: string;
  /** Calendar and zone conversions; default the plain ones. */
  readonly zoneTime?: ZoneTime;
}

const closedOn = (
  days: { dates: readonly string[]; weekdays: readonly string[] },
  date: LocalDate,
  zoneTime: ZoneTime,
): boolean =>
  days.dates.includes(date) ||
  (days.weekdays.length > 0 && days.weekdays.includes(zoneTime.dayOfWeek(date)));

const usageOfNight = (request: StayRequest, date: LocalDate): SlotUsageSummary | undefined => {
  if (request.usageOf !== undefined) return request.usageOf(date);
  if (request.slotOf === undefined) throw new Error('checkStay needs usageOf or slotOf.');
  return usageOfSlotState(request.slotOf(date), request.forReservationId);
};

const night = (request: StayRequest, date: LocalDate): NightAvailability => {
  const usage = usageOfNight(request, date);
  const capacity = usage?.capacity ?? request.resource.capacity;
  const held = usage === undefined ? 0 : activeHeldOfSummary(usage, request.now);
  const booked = usage?.booked ?? 0;
  const closed = usage?.closed ?? false;
  const available = closed ? 0 : Math.max(0, capacity - held - booked);
  const reasons: NightReason[] = [];
  if (closed) reasons.push('CLOSED');
  if (!closed && capacity > 0 && request.quantity > capacity) reasons.push('EXCEEDS_CAPACITY');
  else if (!closed && available < request.quantity) {
    if (booked > 0) reasons.push('BUSY_BOOKING');
    if (held > 0) reasons.push('HELD');
    if (booked === 0 && held === 0) reasons.push('NO_CAPACITY');
  }
  return { date, capacity, held, booked, available, reasons };
};

/**
 * Nightly stay check (seed 003): a stay [checkIn, checkOut) is bookable when
 * every night has `capacity − held − booked ≥ quantity` and is open, arrival
 * and departure days are not closed to arrival/departure, the length of stay
 * fits min/max nights, and the arrival fits the advance window: arrival may be
 * booked until the end of its local day minus the minimum notice, and the
 * last night must lie within `horizonDays` of today (in the resource's zone).
 */
export const checkStay = (request: StayRequest): StayAvailability => {
  if (!Number.isSafeInteger(request.quantity) || request.quantity < 1) {
    throw new ValidationError(`quantity must be a positive integer (got ${request.quantity}).`);
  }
  const { zone, stayRestrictions: rules, minimumNoticeMinutes, horizonDays } = request.resource;
  const time = request.zoneTime ?? PLAIN_ZONE_TIME;
  const { addDays, daysBetween, localDateOf, localToEpochMillis } = time;
  const dates = time.nightsOf(request.checkIn, request.checkOut);
  const reasons: StayReason[] = [];
  if (dates.length < rules.minNights) reasons.push('MIN_NIGHTS');
  if (rules.maxNights !== null && dates.length > rules.maxNights) reasons.push('MAX_NIGHTS');
  if (closedOn(rules.closedToArrival, request.checkIn, time)) reasons.push('CLOSED_TO_ARRIVAL');
  if (closedOn(rules.closedToDeparture, request.checkOut, time))
    reasons.push('CLOSED_TO_DEPARTURE');
  const endOfArrivalDay = localToEpochMillis(addDays(request.checkIn, 1), 0, zone);
  if (request.now + minimumNoticeMinutes * MINUTE_MS >= endOfArrivalDay) reasons.push('MIN_NOTICE');
  const today = localDateOf(request.now, zone);
  if (daysBetween(today, addDays(request.checkOut, -1)) > horizonDays)
    reasons.push('BEYOND_HORIZON');
  const nights = dates.map((date) => night(request, date));
  return {
    bookable: reasons.length === 0 && nights.every((n) => n.reasons.length === 0),
    reasons,
    nights,
  };
};
