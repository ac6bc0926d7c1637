import { addDays, type LocalDate } from '../../domain/shared/time.ts';
import { stayOf, timedSlotsOf } from '../shared/computeAvailability.ts';
import type { ZoneTime } from '../../domain/availability/zoneTime.ts';
import type { SlotUsage } from '../shared/slotUsage.ts';
import type { Candidate } from './candidates.ts';

export interface StayRequest {
  readonly kind: 'nightly' | 'timed';
  readonly checkIn: LocalDate;
  readonly checkOut: LocalDate;
  readonly quantity: number;
}

/**
 * The local dates whose usage decides a search: the nights themselves for a
 * stay; for timed windows also the day before, since slots near midnight (and
 * their buffers) may sit on a neighbouring local date.
 */
export const usageDatesOf = (stay: StayRequest): { fromDate: LocalDate; toDate: LocalDate } =>
  stay.kind === 'nightly'
    ? { fromDate: stay.checkIn, toDate: addDays(stay.checkOut, -1) }
    : { fromDate: addDays(stay.checkIn, -1), toDate: stay.checkOut };

/**
 * The unit(s) one candidate would sell for the stay — every night, or the
 * first free slot of a timed window — or undefined when it is not bookable.
 * No pricing here: this is the cheap filter every candidate goes through.
 */
export const availableUnitsOf = (
  stay: StayRequest,
  candidate: Candidate,
  usage: ReadonlyMap<string, SlotUsage>,
  now: number,
  zoneTime: ZoneTime,
): readonly string[] | undefined => {
  const { resourceId, config } = candidate.row;
  if (config.kind === 'nightly') {
    const checked = stayOf({
      resourceId,
      config,
      checkIn: stay.checkIn,
      checkOut: stay.checkOut,
      quantity: stay.quantity,
      now,
      usage,
      zoneTime,
    });
    return checked.bookable ? checked.nights.map((n) => n.date) : undefined;
  }
  const window = timedSlotsOf({
    config,
    from: zoneTime.localToEpochMillis(stay.checkIn, 0, config.zone),
    to: zoneTime.localToEpochMillis(stay.checkOut, 0, config.zone),
    now,
    quantity: stay.quantity,
    usage,
    calendar: { status: 'Empty' },
    zoneTime,
  });
  const first = window.slots.find((slot) => slot.isAvailable);
  return first === undefined ? undefined : [first.slotKey];
};
