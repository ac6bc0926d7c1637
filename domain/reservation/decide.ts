import { ConcurrencyError, IllegalStateError, ValidationError } from '../shared/errors.ts';
import type { Quote } from '../pricing/quoteSchema.ts';
import { makeBookingReference } from './bookingReference.ts';
import type { Extend, Modify, RequestReservation, ReservationCommand } from './commands.ts';
import type { ReservationEvent } from './events.ts';
import {
  assertBeforeDeadline,
  assertGuard,
  assertNonEmpty,
  assertPeriod,
  assertQuantity,
  assertSlots,
  assertTransition,
} from './guards.ts';
import type { Reservation, ReservationState } from './state.ts';
import { amountOwed } from './state.ts';
import type { TtlPolicy } from './ttl.ts';
import { expiresAtFor, isDue, parseInstant, toUtcIso } from './ttl.ts';

const assertCurrency = (quote: Quote, expected: string): void => {
  if (quote.currency !== expected) {
    throw new ValidationError(
      `The quote is in ${quote.currency} but the reservation is priced in ${expected}; re-quote in ${expected}.`,
    );
  }
};

const request = (c: RequestReservation, policy: TtlPolicy): ReservationEvent[] => {
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
        requestedAt: c.now,
        expiresAt: expiresAtFor(c.now, stage, policy),
      },
    },
  ];
};

const modify = (state: Reservation, c: Modify): ReservationEvent[] => {
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

const extend = (state: Reservation, c: Extend): ReservationEvent[] => {
  assertSlots(c.addedSlots, 'addedSlots');
  const overlap = c.addedSlots.filter((s) => state.slots.includes(s));
  if (overlap.length > 0) {
    throw new ValidationError(
      `An extension adds new slots only; ${overlap.join(', ')} already belong to the reservation.`,
    );
  }
  if (parseInstant(c.endsAt, 'endsAt') <= parseInstant(state.endsAt, 'endsAt')) {
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

/**
 * decide(command, state): legality from THE transition table, then guards,
 * deadlines and input checks, then exactly one event (or none for an Expire
 * that is not yet due).
 */
export const decideReservation = (
  command: ReservationCommand,
  state: ReservationState,
  policy: TtlPolicy,
): ReservationEvent[] => {
  const transition = assertTransition(state, command);
  const now = toUtcIso(parseInstant(command.now));
  const c = { ...command, now };
  if (state.status === 'NONE') {
    if (c.type !== 'RequestReservation')
      throw new IllegalStateError(`Only RequestReservation can start a reservation.`);
    return request(c, policy);
  }
  assertGuard(transition.guard, state, c);
  assertBeforeDeadline(state, c);
  const reservationId = state.reservationId;
  switch (c.type) {
    case 'RequestReservation':
      throw new IllegalStateError(`Reservation ${reservationId} already exists.`);
    case 'NotifyVendor':
      return [{ type: 'VendorNotified', data: { reservationId, notifiedAt: now } }];
    case 'ConfirmByVendor':
      return [
        {
          type: 'VendorConfirmed',
          data: {
            reservationId,
            confirmedAt: now,
            expiresAt: expiresAtFor(now, 'afterVendorConfirmation', policy),
          },
        },
      ];
    case 'DeclineByVendor':
      assertNonEmpty(c.reason, 'reason');
      return [
        { type: 'VendorDeclined', data: { reservationId, declinedAt: now, reason: c.reason } },
      ];
    case 'RequestAuthorization': {
      const deposit = state.resource.vendorDeposit;
      const vendorFirst = deposit !== null && state.authorizations.vendor === null;
      return [
        {
          type: 'AuthorizationRequested',
          data: vendorFirst
            ? { reservationId, party: 'vendor', amount: deposit, requestedAt: now }
            : { reservationId, party: 'requester', amount: amountOwed(state), requestedAt: now },
        },
      ];
    }
    case 'RecordVendorAuthorization':
      return [
        {
          type: 'VendorAuthorized',
          data: { reservationId, authorization: c.authorization, authorizedAt: now },
        },
      ];
    case 'RecordVendorAuthorizationFailure':
      return [
        {
          type: 'VendorAuthorizationFailed',
          data: { reservationId, reason: c.reason, failedAt: now },
        },
      ];
    case 'RecordRequesterAuthorization':
      return [
        {
          type: 'RequesterAuthorized',
          data: {
            reservationId,
            authorization: c.authorization,
            authorizedAt: now,
            expiresAt: expiresAtFor(now, 'afterBothAuthorizations', policy),
          },
        },
      ];
    case 'RecordRequesterAuthorizationFailure':
      return [
        {
          type: 'RequesterAuthorizationFailed',
          data: { reservationId, reason: c.reason, failedAt: now },
        },
      ];
    case 'Revalidate':
      return c.outcome === 'passed'
        ? [
            {
              type: 'AvailabilityRevalidated',
              data: { reservationId, revalidatedAt: now, status: state.status },
            },
          ]
        : [
            {
              type: 'AvailabilityRevalidationFailed',
              data: {
                reservationId,
                revalidatedAt: now,
                reason: c.reason,
                previousStatus: state.status,
              },
            },
          ];
    case 'BeginCommit':
      return [{ type: 'CommitStarted', data: { reservationId, startedAt: now } }];
    case 'RecordCommitSuccess':
      return [
        {
          type: 'ReservationCommitted',
          data: {
            reservationId,
            bookingReference: state.bookingReference,
            committedAt: now,
            captures: c.captures,
          },
        },
      ];
    case 'RecordCommitFailure':
      return [{ type: 'CommitFailed', data: { reservationId, failedAt: now, reason: c.reason } }];
    case 'CheckIn':
      return [{ type: 'ReservationCheckedIn', data: { reservationId, checkedInAt: now } }];
    case 'Complete':
      return [{ type: 'ReservationCompleted', data: { reservationId, completedAt: now } }];
    case 'MarkNoShow':
      return [{ type: 'ReservationMarkedNoShow', data: { reservationId, markedAt: now } }];
    case 'Cancel':
      assertNonEmpty(c.reason, 'reason');
      return [
        {
          type: 'ReservationCancelled',
          data: {
            reservationId,
            cancelledBy: c.by,
            reason: c.reason,
            cancelledAt: now,
            previousStatus: state.status,
            slotsToRelease: [...state.slots],
          },
        },
      ];
    case 'Expire': {
      const deadline = state.expiresAt;
      if (deadline === null || !isDue(deadline, now)) return [];
      return state.status === 'AWAITING_VENDOR_CONFIRMATION'
        ? [
            {
              type: 'VendorConfirmationTimedOut',
              data: { reservationId, timedOutAt: now, deadline },
            },
          ]
        : [
            {
              type: 'ReservationExpired',
              data: { reservationId, expiredAt: now, deadline, previousStatus: state.status },
            },
          ];
    }
    case 'Modify':
      return modify(state, c);
    case 'Extend':
      return extend(state, c);
    default: {
      const _never: never = c;
      return _never;
    }
  }
};
