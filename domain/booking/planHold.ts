import type { SealedPersonalData } from '../guest/sealedPersonalData.ts';
import { calendarSourcesOf } from '../availability/availability.ts';
import { bufferNeighbourKeys } from '../availability/period.ts';
import {
  bookingReferenceStream,
  claimBookingReference,
} from '../reservation/bookingReferenceClaim.ts';
import { reservationDecider } from '../reservation/decider.ts';
import type { Guest } from '../reservation/eventParts.ts';
import type { Reservation, ReservationState } from '../reservation/state.ts';
import type { ResourceConfig } from '../resource/schema.ts';
import { IllegalStateError } from '../shared/errors.ts';
import { reservationStream, type SlotKey } from '../shared/streams.ts';
import { toIsoInstant, type EpochMillis } from '../shared/time.ts';
import { assertAvailable } from './assertAvailable.ts';
import { resolveHoldPeriod, type HoldPeriod, type ResolvedHoldPeriod } from './holdPeriod.ts';
import { resourceSnapshotOf, usageOfLoaded, type LoadedBooking } from './loaded.ts';
import { bookingPlan, type BookingPlan } from './plan.ts';
import { priceSlots } from './price.ts';
import { holdChange } from './slotChanges.ts';

export interface HoldRequest {
  readonly reservationId: string;
  readonly period: HoldPeriod;
  readonly quantity: number;
  readonly guest: Guest;
  readonly requesterId: string;
  readonly partnerId: string;
  readonly promoCode: string | null;
  /** The platform's surge switch (config SURGE_ENABLED). */
  readonly surgeEnabled: boolean;
  /** The guest's personal data as the PII store sealed it; null when none was given. */
  readonly personalData?: SealedPersonalData | null;
}

/** A just-requested reservation runs on a TTL; one without a deadline is a bug in the decider. */
const holdDeadlineOf = (reservation: Reservation): string => {
  if (reservation.expiresAt === null)
    throw new IllegalStateError(
      `Reservation ${reservation.reservationId} was requested without a hold deadline.`,
    );
  return reservation.expiresAt;
};

/** What a hold must load for a period: its slots and, for timed resources, their buffer neighbours. */
export const holdSlotKeys = (
  config: ResourceConfig,
  period: HoldPeriod,
): { readonly period: ResolvedHoldPeriod; readonly slotKeys: readonly SlotKey[] } => {
  const resolved = resolveHoldPeriod(config, period);
  return {
    period: resolved,
    slotKeys: [...resolved.slotKeys, ...bufferNeighbourKeys(config, resolved)],
  };
};

/**
 * The hold decision (DESIGN.md "Holds"), pure: the period's slots →
 * availability (the shared `availabilityOf`) → price → RequestReservation →
 * a PlaceHold on every slot (deadline = the reservation's own) and the claim
 * of the booking reference. Returns every stream's events and expected
 * revision; throws the domain's refusals (SLOT_UNAVAILABLE, validation).
 * `entropy` draws the booking reference (fresh bytes per attempt).
 */
export const planHold = (
  loaded: LoadedBooking,
  request: HoldRequest,
  now: EpochMillis,
  entropy: Uint8Array,
): BookingPlan<Reservation> => {
  const { resource, slots } = loaded;
  const { config, resourceId } = resource;
  const { reservationId, quantity } = request;
  const nowIso = toIsoInstant(now);
  const period = resolveHoldPeriod(config, request.period);
  assertAvailable({
    resourceId,
    config,
    period,
    quantity,
    now,
    usage: usageOfLoaded(slots),
    calendars:
      period.kind === 'timed'
        ? calendarSourcesOf(config, loaded.calendar, period.start, period.end, now)
        : [],
  });
  const quote = priceSlots({
    config,
    resourceId,
    slotKeys: period.slotKeys,
    quantity,
    slots,
    now,
    guest: { taxStatus: request.guest.taxStatus, persons: request.guest.persons },
    promoCode: request.promoCode,
    surgeEnabled: request.surgeEnabled,
  });
  const initial: ReservationState = reservationDecider.initialState();
  const requested = reservationDecider.decide(
    {
      type: 'RequestReservation',
      reservationId,
      now: nowIso,
      resource: resourceSnapshotOf(resource),
      slots: period.slotKeys,
      quantity,
      startsAt: period.startsAt,
      endsAt: period.endsAt,
      guest: request.guest,
      requesterId: request.requesterId,
      partnerId: request.partnerId,
      quote,
      promoCode: request.promoCode,
      cancellationPolicy: config.cancellationPolicy,
      referenceEntropy: entropy,
      personalData: request.personalData ?? null,
    },
    initial,
  );
  const reservation = requested.reduce(
    (s, e) => reservationDecider.evolve(s, e),
    initial,
  ) as Reservation;
  const claim = {
    resourceId,
    resourceCapacity: config.capacity,
    reservationId,
    quantity,
    // The slot holds end with the reservation's own deadline, so both expire together.
    expiresAt: holdDeadlineOf(reservation),
    now: nowIso,
  };
  return bookingPlan(
    slots,
    {
      claims: period.slotKeys.map((key) => holdChange(claim, key)),
      aggregates: [
        {
          stream: reservationStream(reservationId),
          expectedRevision: 'no_stream',
          events: requested,
        },
        {
          stream: bookingReferenceStream(reservation.bookingReference),
          expectedRevision: 'no_stream',
          events: [claimBookingReference(reservation.bookingReference, reservationId, nowIso)],
        },
      ],
      releases: [],
    },
    reservation,
  );
};
