import { IllegalStateError } from '../shared/errors.ts';
import type { ReservationCommand } from './commands.ts';
import { extend, modify, request } from './decideChanges.ts';
import type { ReservationEvent } from './events.ts';
import { assertBeforeDeadline, assertGuard, assertNonEmpty, assertTransition } from './guards.ts';
import type { ReservationState } from './state.ts';
import { amountOwed } from './state.ts';
import type { TtlPolicy } from './ttl.ts';
import { expiresAtFor, isDue, normalizeInstant } from './ttl.ts';

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
  const now = normalizeInstant(command.now);
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
    case 'ProvidePaymentMethod':
      // The same token again is a retry of the same fact.
      if (c.paymentMethod === state.paymentMethod) return [];
      return [
        {
          type: 'PaymentMethodProvided',
          data: { reservationId, paymentMethod: c.paymentMethod, providedAt: now },
        },
      ];
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
