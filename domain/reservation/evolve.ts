import { IllegalStateError } from '../shared/errors.ts';
import type { ReservationEvent } from './events.ts';
import type { HistoryEntry, Reservation, ReservationState } from './state.ts';
import type { ReservationStatus } from './status.ts';

type Change = Partial<Omit<Reservation, 'status' | 'version' | 'history'>>;

const move = (
  state: Reservation,
  event: ReservationEvent,
  to: ReservationStatus,
  at: string,
  change: Change = {},
  extra: Pick<HistoryEntry, 'by' | 'reason'> = {},
): Reservation => ({
  ...state,
  ...change,
  status: to,
  version: state.version + 1,
  history: [...state.history, { event: event.type, from: state.status, to, at, ...extra }],
});

/** Folds one event into the state; pure, and total over every event the decider can emit. */
export const evolve = (state: ReservationState, event: ReservationEvent): ReservationState => {
  if (event.type === 'ReservationRequested') {
    const d = event.data;
    return {
      status: 'HELD',
      reservationId: d.reservationId,
      bookingReference: d.bookingReference,
      resource: d.resource,
      slots: d.slots,
      quantity: d.quantity,
      startsAt: d.startsAt,
      endsAt: d.endsAt,
      guest: d.guest,
      requesterId: d.requesterId,
      partnerId: d.partnerId,
      quote: d.quote,
      promoCode: d.promoCode,
      cancellationPolicy: d.cancellationPolicy,
      extensionQuotes: [],
      requestedAt: d.requestedAt,
      expiresAt: d.expiresAt,
      vendorConfirmedAt: null,
      authorizations: { vendor: null, requester: null },
      paymentMethod: null,
      revalidation: null,
      captures: null,
      failureReason: null,
      cancellation: null,
      version: 1,
      history: [{ event: event.type, from: null, to: 'HELD', at: d.requestedAt }],
    };
  }
  if (state.status === 'NONE') {
    throw new IllegalStateError(
      `Event ${event.type} cannot start a reservation stream; ReservationRequested must come first.`,
    );
  }
  switch (event.type) {
    case 'VendorNotified':
      return move(state, event, 'AWAITING_VENDOR_CONFIRMATION', event.data.notifiedAt);
    case 'VendorConfirmed':
      return move(state, event, 'CONFIRMED_BY_VENDOR', event.data.confirmedAt, {
        vendorConfirmedAt: event.data.confirmedAt,
        expiresAt: event.data.expiresAt,
      });
    case 'VendorDeclined':
      return move(
        state,
        event,
        'FAILED_VENDOR_DECLINED',
        event.data.declinedAt,
        { failureReason: event.data.reason },
        { reason: event.data.reason },
      );
    case 'VendorConfirmationTimedOut':
      return move(state, event, 'FAILED_VENDOR_TIMEOUT', event.data.timedOutAt, {
        failureReason: 'The vendor did not confirm in time.',
      });
    case 'AuthorizationRequested':
      return move(
        state,
        event,
        event.data.party === 'vendor' ? 'AWAITING_VENDOR_AUTH' : 'AWAITING_REQUESTER_AUTH',
        event.data.requestedAt,
      );
    case 'PaymentMethodProvided':
      return move(state, event, state.status, event.data.providedAt, {
        paymentMethod: event.data.paymentMethod,
      });
    case 'VendorAuthorized':
      return move(state, event, 'VENDOR_AUTHORIZED', event.data.authorizedAt, {
        authorizations: { ...state.authorizations, vendor: event.data.authorization },
      });
    case 'VendorAuthorizationFailed':
      return move(
        state,
        event,
        'FAILED_VENDOR_AUTH',
        event.data.failedAt,
        { failureReason: event.data.reason },
        { reason: event.data.reason },
      );
    case 'RequesterAuthorized':
      return move(state, event, 'AUTHORIZED_BOTH', event.data.authorizedAt, {
        authorizations: { ...state.authorizations, requester: event.data.authorization },
        expiresAt: event.data.expiresAt,
        revalidation: null,
      });
    case 'RequesterAuthorizationFailed':
      return move(
        state,
        event,
        'FAILED_REQUESTER_AUTH',
        event.data.failedAt,
        { failureReason: event.data.reason },
        { reason: event.data.reason },
      );
    case 'AvailabilityRevalidated':
      return move(state, event, state.status, event.data.revalidatedAt, {
        revalidation: { at: event.data.revalidatedAt, status: event.data.status },
      });
    case 'AvailabilityRevalidationFailed':
      return move(
        state,
        event,
        'FAILED_AVAILABILITY_CHANGED',
        event.data.revalidatedAt,
        { failureReason: event.data.reason },
        { reason: event.data.reason },
      );
    case 'CommitStarted':
      return move(state, event, 'COMMIT_IN_PROGRESS', event.data.startedAt);
    case 'ReservationCommitted':
      return move(state, event, 'CONFIRMED', event.data.committedAt, {
        captures: event.data.captures,
        expiresAt: null,
      });
    case 'CommitFailed':
      return move(
        state,
        event,
        'FAILED_COMMIT',
        event.data.failedAt,
        { failureReason: event.data.reason },
        { reason: event.data.reason },
      );
    case 'ReservationCheckedIn':
      return move(state, event, 'CHECKED_IN', event.data.checkedInAt);
    case 'ReservationCompleted':
      return move(state, event, 'COMPLETED', event.data.completedAt);
    case 'ReservationMarkedNoShow':
      return move(state, event, 'NO_SHOW', event.data.markedAt);
    case 'ReservationCancelled': {
      const { cancelledBy: by, reason, cancelledAt: at } = event.data;
      return move(
        state,
        event,
        'CANCELLED',
        at,
        { cancellation: { by, reason, at } },
        { by, reason },
      );
    }
    case 'ReservationExpired':
      return move(state, event, 'EXPIRED', event.data.expiredAt, {
        failureReason: 'The reservation expired before it was committed.',
      });
    case 'ReservationModified': {
      const d = event.data;
      return move(state, event, state.status, d.modifiedAt, {
        slots: d.slots,
        quantity: d.quantity,
        startsAt: d.startsAt,
        endsAt: d.endsAt,
        quote: d.quote,
        extensionQuotes: [],
      });
    }
    case 'ReservationExtended':
      return move(state, event, state.status, event.data.extendedAt, {
        slots: [...state.slots, ...event.data.addedSlots],
        endsAt: event.data.endsAt,
        extensionQuotes: [...state.extensionQuotes, event.data.additionalQuote],
      });
    default: {
      const _never: never = event;
      return _never;
    }
  }
};
