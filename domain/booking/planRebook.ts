import { calendarSourcesOf } from '../availability/availability.ts';
import type { ReservationCommand } from '../reservation/commands.ts';
import { reservationDecider } from '../reservation/decider.ts';
import type { Reservation, ReservationState } from '../reservation/state.ts';
import type { ResourceConfig } from '../resource/schema.ts';
import { ConflictError, ValidationError } from '../shared/errors.ts';
import { reservationStream, type SlotKey } from '../shared/streams.ts';
import { addDays, MINUTE_MS, toIsoInstant, type EpochMillis } from '../shared/time.ts';
import { assertAvailable } from './assertAvailable.ts';
import type { HoldPeriod } from './holdPeriod.ts';
import { usageOfLoaded, type LoadedBooking } from './loaded.ts';
import { bookingPlan, type BookingPlan } from './plan.ts';
import { holdSlotKeys } from './planHold.ts';
import { priceSlots } from './price.ts';
import { bookChange, releaseChange } from './slotChanges.ts';

/** A new end: the check-out date (nightly) or the last slot's end instant (timed). */
export type NewEnd = { readonly checkOut: string } | { readonly slotEnd: string };

/** A change of a committed booking: seed 002's modification, or seed 001's extension. */
export type RebookChange =
  | {
      readonly kind: 'modify';
      /** The version the caller read (seed 002 `expected_version`). */
      readonly expectedVersion: number;
      readonly period: HoldPeriod;
      /** Defaults to the current quantity. */
      readonly quantity?: number | undefined;
    }
  | { readonly kind: 'extend'; readonly end: NewEnd };

/** A booked slot's hold lives only inside one decision, so its deadline merely has to lie ahead. */
const REBOOK_HOLD_MS = 15 * MINUTE_MS;

/**
 * The period a change asks for, checked against the reservation first: a
 * stale version is 409 VERSION_MISMATCH (no retry fixes it, so not the
 * retried ConcurrencyError); an extension's end must match the resource kind.
 */
export const rebookPeriodOf = (reservation: Reservation, change: RebookChange): HoldPeriod => {
  if (change.kind === 'modify') {
    if (change.expectedVersion !== reservation.version) {
      throw new ConflictError(
        'VERSION_MISMATCH',
        `Reservation ${reservation.reservationId} is at version ${reservation.version}, not ${change.expectedVersion}; GET it again and retry with the current version.`,
        {
          reservationId: reservation.reservationId,
          expectedVersion: change.expectedVersion,
          actualVersion: reservation.version,
        },
      );
    }
    return change.period;
  }
  const { end } = change;
  if ('checkOut' in end) {
    if (reservation.resource.kind !== 'nightly')
      throw new ValidationError('This booking is timed; extend it with slotEnd.');
    const lastNight = [...reservation.slots].sort().at(-1) ?? '';
    return { kind: 'nights', checkIn: addDays(lastNight, 1), checkOut: end.checkOut };
  }
  if (reservation.resource.kind !== 'timed')
    throw new ValidationError('This booking is nightly; extend it with checkOut.');
  return { kind: 'instants', start: reservation.endsAt, end: end.slotEnd };
};

/** What a rebooking loads: the new period's slots and buffer neighbours, plus (modification) the slots given back. */
export const rebookSlotKeys = (
  config: ResourceConfig,
  reservation: Reservation,
  change: RebookChange,
): readonly SlotKey[] => {
  const { slotKeys } = holdSlotKeys(config, rebookPeriodOf(reservation, change));
  return change.kind === 'modify' ? [...slotKeys, ...reservation.slots] : slotKeys;
};

export interface RebookLoaded extends LoadedBooking {
  readonly reservation: Reservation;
  /** Revision of `reservation-{id}` the reservation was loaded at. */
  readonly revision: number;
}

/**
 * A change of a committed booking (modification, extension), pure: the new
 * period available (not counting the reservation's own units), re-priced for
 * the same guest and promo code, the reservation's event (Modify/Extend), the
 * slots it claims booked (claimed first) and those it gives back released.
 * A quantity change re-books every slot; otherwise only the difference moves.
 */
export const planRebook = (
  loaded: RebookLoaded,
  change: RebookChange,
  now: EpochMillis,
  options: { readonly surgeEnabled: boolean },
): BookingPlan<Reservation> => {
  const { reservation, resource, slots } = loaded;
  const { config, resourceId } = resource;
  const { reservationId } = reservation;
  const nowIso = toIsoInstant(now);
  const { period } = holdSlotKeys(config, rebookPeriodOf(reservation, change));
  const quantity =
    change.kind === 'modify' ? (change.quantity ?? reservation.quantity) : reservation.quantity;
  assertAvailable({
    resourceId,
    config,
    period,
    quantity,
    now,
    usage: usageOfLoaded(slots, reservationId),
    calendars:
      period.kind === 'timed'
        ? calendarSourcesOf(config, loaded.calendar, period.start, period.end, now)
        : [],
  });
  const price = (slotKeys: readonly SlotKey[]) =>
    priceSlots({
      config,
      resourceId,
      slotKeys,
      quantity,
      slots,
      now,
      guest: { taxStatus: reservation.guest.taxStatus, persons: reservation.guest.persons },
      promoCode: reservation.promoCode,
      surgeEnabled: options.surgeEnabled,
    });
  let command: ReservationCommand;
  let toClaim: readonly SlotKey[];
  let toRelease: readonly SlotKey[];
  if (change.kind === 'modify') {
    const { slotKeys, startsAt, endsAt } = period;
    command = {
      type: 'Modify',
      reservationId,
      now: nowIso,
      expectedVersion: change.expectedVersion,
      slots: slotKeys,
      quantity,
      startsAt,
      endsAt,
      quote: price(slotKeys),
    };
    const sameQuantity = quantity === reservation.quantity;
    const old = new Set(reservation.slots);
    const next = new Set(slotKeys);
    toClaim = slotKeys.filter((s) => !sameQuantity || !old.has(s));
    toRelease = reservation.slots.filter((s) => !sameQuantity || !next.has(s));
  } else {
    command = {
      type: 'Extend',
      reservationId,
      now: nowIso,
      addedSlots: period.slotKeys,
      endsAt: period.endsAt,
      additionalQuote: price(period.slotKeys),
    };
    toClaim = period.slotKeys;
    toRelease = [];
  }
  const events = reservationDecider.decide(command, reservation);
  const state = events.reduce<ReservationState>(
    (s, e) => reservationDecider.evolve(s, e),
    reservation,
  );
  const claim = {
    resourceId,
    resourceCapacity: config.capacity,
    reservationId,
    quantity,
    expiresAt: toIsoInstant(now + REBOOK_HOLD_MS),
    now: nowIso,
  };
  const claimed = new Set(toClaim);
  return bookingPlan(
    slots,
    {
      claims: toClaim.map((key) => bookChange(claim, key, 'MODIFIED')),
      aggregates: [
        { stream: reservationStream(reservationId), expectedRevision: loaded.revision, events },
      ],
      releases: toRelease
        .filter((key) => !claimed.has(key))
        .map((key) => releaseChange(resourceId, key, reservationId, 'MODIFIED', nowIso)),
    },
    state as Reservation,
  );
};
