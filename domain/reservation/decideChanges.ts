import { ConcurrencyError, ValidationError } from '../shared/errors.ts';
import type { Quote } from '../pricing/quoteSchema.ts';
import { makeBookingReference } from './bookingReference.ts';
import type { Extend, Modify, RequestReservation } from './commands.ts';
import type { ReservationEvent } from './events.ts';
import { assertPeriod, assertQuantity, assertSlots } from './guards.ts';
import type { Reservation } from './state.ts';
import { amountOwed } from './state.ts';
import type { TtlPolicy } from './ttl.ts';
import { expiresAtFor, instantMillis } from './ttl.ts';

/** The decisions that create a reservation or change what it books (the rest are one-line transitions in decide.ts). */
const assertCurrency = (quote: Quote, expected: string): void => {
  if (quote.currency !== expected) {
    throw new ValidationError(
      `The quote is in ${quote.currency} but the reservation is priced in ${expected}; re-quote in ${expected}.`,
    );
  }
};

export const request = (c: RequestReservation, policy: TtlPolicy): ReservationEvent[] => {
  assertSlots(c.slots, 'slots');
  assertQuantity(c.quantity);
  assertPeriod(c.startsAt, c.endsAt);
  if (c.quote.quantity !== c.quantity) {
    throw new ValidationError(
      `The quote is for quantity ${c.quote.quantity} but ${c.quantity} was requested; re-quote.`,
    );
  }
  const stage = c.resource.confirmationPolicy === 'instant' ? 'instantHold' : 'hold';
  return [
    {
      type: 'ReservationRequested',
      data: {
        reservationId: c.reservationId,
        bookingReference: makeBookingReference(c.now, c.referenceEntropy),
        resource: c.resource,
        slots: [...c.slots],
        quantity: c.quantity,
        startsAt: c.startsAt,
        endsAt: c.endsAt,
        guest: c.guest,
        requesterId: c.requesterId,
        partnerId: c.partnerId,
        quote: c.quote,
        promoCode: c.promoCode,
        cancellationPolicy: c.cancellationPolicy ?? null,
        requestedAt: c.now,
        expiresAt: expiresAtFor(c.now, stage, policy),
        personalData: c.personalData ?? null,
      },
    },
  ];
};

export const modify = (state: Reservation, c: Modify): ReservationEvent[] => {
  if (c.expectedVersion !== state.version) {
    throw new ConcurrencyError(
      `reservation-${state.reservationId}`,
      String(c.expectedVersion),
      String(state.version),
    );
  }
  assertSlots(c.slots, 'slots');
  assertQuantity(c.quantity);
  assertPeriod(c.startsAt, c.endsAt);
  assertCurrency(c.quote, state.quote.currency);
  const old = new Set(state.slots);
  const next = new Set(c.slots);
  // A quantity change re-holds every night at the new quantity; otherwise only the difference moves.
  const sameQuantity = c.quantity === state.quantity;
  const owed = amountOwed(state);
  return [
    {
      type: 'ReservationModified',
      data: {
        reservationId: state.reservationId,
        modifiedAt: c.now,
        slots: [...c.slots],
        quantity: c.quantity,
        startsAt: c.startsAt,
        endsAt: c.endsAt,
        slotsToClaim: c.slots.filter((s) => !sameQuantity || !old.has(s)),
        slotsToRelease: state.slots.filter((s) => !sameQuantity || !next.has(s)),
        quote: c.quote,
        priceDifference: { amount: c.quote.total.amount - owed.amount, currency: owed.currency },
      },
    },
  ];
};

export const extend = (state: Reservation, c: Extend): ReservationEvent[] => {
  assertSlots(c.addedSlots, 'addedSlots');
  const overlap = c.addedSlots.filter((s) => state.slots.includes(s));
  if (overlap.length > 0) {
    throw new ValidationError(
      `An extension adds new slots only; ${overlap.join(', ')} already belong to the reservation.`,
    );
  }
  if (instantMillis(c.endsAt, 'endsAt') <= instantMillis(state.endsAt, 'endsAt')) {
    throw new ValidationError(
      `An extension must end after the current end (got ${c.endsAt}, current ${state.endsAt}).`,
    );
  }
  assertCurrency(c.additionalQuote, state.quote.currency);
  return [
    {
      type: 'ReservationExtended',
      data: {
        reservationId: state.reservationId,
        extendedAt: c.now,
        addedSlots: [...c.addedSlots],
        endsAt: c.endsAt,
        additionalQuote: c.additionalQuote,
      },
    },
  ];
};
