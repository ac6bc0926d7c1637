import type { ReservationEvent } from '../reservation/events.ts';
import { evolve } from '../reservation/evolve.ts';
import { amountOwed, type Reservation, type ReservationState } from '../reservation/state.ts';
import type { ReservationStatus } from '../reservation/status.ts';
import {
  PUBLIC_EVENTS_VERSION,
  type PublicEvent,
  type PublicEventType,
  type ReservationSnapshot,
} from './publicEventSchema.ts';

/** Where the internal event sits in the log; everything else comes from the event and its stream. */
export interface SourceEvent {
  readonly eventId: string;
  /** The log checkpoint after the event. */
  readonly position: string;
  readonly recordedAt: string;
  /** 0-based revision in its reservation stream. */
  readonly revision: number;
}

/** The public id of the `type` event derived from internal event `sourceEventId`: stable across deliveries and relays. */
export const publicEventId = (sourceEventId: string, type: PublicEventType): string =>
  `${sourceEventId}:${type}`;

type Extras = Readonly<Record<string, unknown>>;

const FAILURE_CODES: Partial<Record<ReservationStatus, string>> = {
  FAILED_VENDOR_TIMEOUT: 'vendor_timeout',
  FAILED_VENDOR_DECLINED: 'vendor_declined',
  FAILED_VENDOR_AUTH: 'vendor_auth',
  FAILED_REQUESTER_AUTH: 'requester_auth',
  FAILED_AVAILABILITY_CHANGED: 'availability_changed',
  FAILED_COMMIT: 'commit',
};

/** The specific public events of one internal event (status_changed is added by the caller). */
const specificEvents = (
  event: ReservationEvent,
  after: Reservation,
): readonly (readonly [PublicEventType, Extras])[] => {
  switch (event.type) {
    case 'ReservationRequested':
      return [
        ['reservation.created', {}],
        ['booking.created', {}],
      ];
    case 'VendorConfirmed':
      return [['reservation.vendor_confirmed', {}]];
    case 'VendorAuthorized':
      return [['reservation.vendor_authorized', {}]];
    case 'RequesterAuthorized':
      return [['reservation.authorized_both', {}]];
    case 'ReservationCommitted':
      return [
        ['reservation.committed', {}],
        ['booking.confirmed', {}],
      ];
    case 'VendorDeclined':
    case 'VendorConfirmationTimedOut':
    case 'VendorAuthorizationFailed':
    case 'RequesterAuthorizationFailed':
    case 'AvailabilityRevalidationFailed':
    case 'CommitFailed':
      return [['reservation.failed', { failure: { code: FAILURE_CODES[after.status] } }]];
    case 'ReservationCheckedIn':
      return [['booking.checked_in', {}]];
    case 'ReservationCompleted':
      return [['booking.completed', {}]];
    case 'ReservationCancelled':
      return [
        ['reservation.cancelled', { cancelledBy: event.data.cancelledBy }],
        ['booking.cancelled', { cancelledBy: event.data.cancelledBy }],
      ];
    case 'ReservationExpired':
      return [
        ['reservation.expired', {}],
        ['booking.expired', {}],
      ];
    case 'ReservationModified':
      return [['booking.updated', { priceDifference: event.data.priceDifference }]];
    case 'ReservationExtended':
      return [['booking.extended', { addedSlots: event.data.addedSlots }]];
    case 'VendorNotified':
    case 'AuthorizationRequested':
    case 'PaymentMethodProvided':
    case 'AvailabilityRevalidated':
    case 'CommitStarted':
    case 'ReservationMarkedNoShow':
      return [];
    default: {
      const _never: never = event;
      return _never;
    }
  }
};

const snapshotOf = (
  after: Reservation,
  previousStatus: ReservationStatus | null,
): ReservationSnapshot => ({
  bookingReference: after.bookingReference,
  status: after.status,
  previousStatus,
  resourceId: after.resource.resourceId,
  vendorId: after.resource.vendorId,
  partnerId: after.partnerId,
  startsAt: after.startsAt,
  endsAt: after.endsAt,
  quantity: after.quantity,
  total: amountOwed(after),
});

/**
 * THE mapping from internal reservation events to public events (pure): the
 * specific events of the change, then `booking.status_changed` when the status
 * moved. `before` is the reservation's state before `event` (the fold of its
 * earlier events). Internal details — guests, payment ids, free-text reasons —
 * never leave.
 */
export const toPublicEvents = (
  before: ReservationState,
  event: ReservationEvent,
  source: SourceEvent,
): { readonly after: ReservationState; readonly events: readonly PublicEvent[] } => {
  const after = evolve(before, event);
  if (after.status === 'NONE') return { after, events: [] };
  const previousStatus = before.status === 'NONE' ? null : before.status;
  const types = [...specificEvents(event, after)];
  if (previousStatus !== null && previousStatus !== after.status) {
    types.push(['booking.status_changed', {}]);
  }
  const snapshot = snapshotOf(after, previousStatus);
  return {
    after,
    events: types.map(([type, extras]) => ({
      id: publicEventId(source.eventId, type),
      type,
      version: PUBLIC_EVENTS_VERSION,
      occurredAt: source.recordedAt,
      position: source.position,
      reservationId: after.reservationId,
      reservationVersion: source.revision + 1,
      data: { ...snapshot, ...extras },
    })),
  };
};
