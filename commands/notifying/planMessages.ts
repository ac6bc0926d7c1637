import type { GuestMessageKind } from '../../domain/notifications/messageKinds.ts';
import type { ReservationEvent } from '../../domain/reservation/events.ts';
import type { PlannedMessage } from './ports.ts';

/** A reservation's reminder: scheduled, moved or dropped as its events arrive. */
export type ReminderChange =
  | {
      readonly kind: 'set';
      readonly reservationId: string;
      readonly dueAt: Date;
      readonly startsAt: string;
    }
  | { readonly kind: 'clear'; readonly reservationId: string }
  | { readonly kind: 'none' };

export interface NotificationPlan {
  readonly messages: readonly PlannedMessage[];
  readonly reminder: ReminderChange;
}

export interface PlanSource {
  readonly event: ReservationEvent;
  readonly eventId: string;
  readonly revision: number;
}

export const guestMessage = (
  kind: GuestMessageKind,
  reservationId: string,
  sourceEventId: string,
  sequence: number,
): PlannedMessage => ({
  dedupKey: `${kind}:${sourceEventId}:guest`,
  reservationId,
  kind,
  recipient: 'guest',
  sequence,
  sourceEventId,
});

/** The reminder's dedup key names the start it reminds of: a moved booking gets a new one. */
export const reminderDedupKey = (reservationId: string, startsAt: string): string =>
  `reminder:${reservationId}:${startsAt}:guest`;

const NOTHING: NotificationPlan = { messages: [], reminder: { kind: 'none' } };

/**
 * What one reservation event means for the guest: which message to send and
 * how the reminder moves. `reminderBeforeMs` 0 turns reminders off; a
 * reminder whose time has already passed when the booking is made is not set.
 */
export const planGuestMessages = (
  source: PlanSource,
  reminderBeforeMs: number,
): NotificationPlan => {
  const { event, eventId, revision } = source;
  const id = event.data.reservationId;
  const one = (kind: GuestMessageKind, reminder: ReminderChange): NotificationPlan => ({
    messages: [guestMessage(kind, id, eventId, revision)],
    reminder,
  });
  const remind = (startsAt: string, at: string): ReminderChange => {
    const dueAt = new Date(Date.parse(startsAt) - reminderBeforeMs);
    return reminderBeforeMs > 0 && dueAt.getTime() > Date.parse(at)
      ? { kind: 'set', reservationId: id, dueAt, startsAt }
      : { kind: 'clear', reservationId: id };
  };
  const clear: ReminderChange = { kind: 'clear', reservationId: id };
  switch (event.type) {
    case 'ReservationCommitted':
      // The start is not on this event; the role fills it in from the stream.
      return one('confirmation', { kind: 'none' });
    case 'ReservationModified':
      return one('modification', remind(event.data.startsAt, event.data.modifiedAt));
    case 'ReservationExtended':
      return one('extension', { kind: 'none' });
    case 'ReservationCancelled':
      return one('cancellation', clear);
    case 'ReservationExpired':
      return one('expiry', clear);
    case 'ReservationMarkedNoShow':
      return one('no-show', clear);
    case 'ReservationCheckedIn':
      return { messages: [], reminder: clear };
    case 'ReservationRequested':
    case 'VendorNotified':
    case 'VendorConfirmed':
    case 'VendorDeclined':
    case 'VendorConfirmationTimedOut':
    case 'AuthorizationRequested':
    case 'PaymentMethodProvided':
    case 'VendorAuthorized':
    case 'VendorAuthorizationFailed':
    case 'RequesterAuthorized':
    case 'RequesterAuthorizationFailed':
    case 'AvailabilityRevalidated':
    case 'AvailabilityRevalidationFailed':
    case 'CommitStarted':
    case 'CommitFailed':
    case 'ReservationCompleted':
      return NOTHING;
    default: {
      const _never: never = event;
      return _never;
    }
  }
};

/** A confirmation's reminder, once the role knows the booking's start. */
export const reminderAtCommit = (
  reservationId: string,
  startsAt: string,
  committedAt: string,
  reminderBeforeMs: number,
): ReminderChange => {
  const dueAt = new Date(Date.parse(startsAt) - reminderBeforeMs);
  return reminderBeforeMs > 0 && dueAt.getTime() > Date.parse(committedAt)
    ? { kind: 'set', reservationId, dueAt, startsAt }
    : { kind: 'none' };
};
