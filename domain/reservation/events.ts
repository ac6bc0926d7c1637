import { z } from 'zod';
import type { DomainEvent, EventDefinition } from '../shared/eventDefinition.ts';
import { defineEvent } from '../shared/eventDefinition.ts';
import { moneySchema, quoteSchema } from '../pricing/quoteSchema.ts';
import { cancellationPolicySchema } from '../pricing/rules.ts';
import { sealedPersonalDataSchema } from '../guest/sealedPersonalData.ts';
import {
  authorizationSchema,
  cancelledBySchema,
  guestSchema,
  instant,
  reservationStatusSchema,
  resourceSnapshotSchema,
  slotKeysSchema,
} from './eventParts.ts';

/**
 * The `reservation-{id}` stream's events. Each carries everything a replay
 * needs (the quote as it was, the deadlines as computed), so folding never
 * re-prices or re-reads a clock.
 */
const id = { reservationId: z.string().min(1) };

export const ReservationRequested = defineEvent(
  'ReservationRequested',
  // v2: guest.taxStatus and promoCode, so re-pricing on modify/extend prices the same guest.
  // v3: the cancellation policy in force at booking time, so later edits of the resource's policy bind no one who booked before.
  // v4: the guest's personal data, sealed with the guest's data key (docs/personal-data.md); never in clear.
  4,
  z.object({
    ...id,
    bookingReference: z.string(),
    resource: resourceSnapshotSchema,
    slots: slotKeysSchema,
    quantity: z.number().int().positive(),
    startsAt: instant,
    endsAt: instant,
    guest: guestSchema,
    requesterId: z.string().min(1),
    partnerId: z.string().min(1),
    quote: quoteSchema,
    promoCode: z.string().nullable(),
    /** The policy the guest booked under; null for reservations recorded before v3 (they follow the resource's policy). */
    cancellationPolicy: cancellationPolicySchema.nullable(),
    requestedAt: instant,
    expiresAt: instant,
    /** Ciphertext of the guest's name, contact details and requests; null when none was recorded (and before v4). */
    personalData: sealedPersonalDataSchema.nullable(),
  }),
);
export const VendorNotified = defineEvent(
  'VendorNotified',
  1,
  z.object({ ...id, notifiedAt: instant }),
);
export const VendorConfirmed = defineEvent(
  'VendorConfirmed',
  1,
  z.object({ ...id, confirmedAt: instant, expiresAt: instant }),
);
export const VendorDeclined = defineEvent(
  'VendorDeclined',
  1,
  z.object({ ...id, declinedAt: instant, reason: z.string() }),
);
export const VendorConfirmationTimedOut = defineEvent(
  'VendorConfirmationTimedOut',
  1,
  z.object({ ...id, timedOutAt: instant, deadline: instant }),
);
export const AuthorizationRequested = defineEvent(
  'AuthorizationRequested',
  1,
  z.object({
    ...id,
    party: z.enum(['vendor', 'requester']),
    amount: moneySchema,
    requestedAt: instant,
  }),
);
/** The requester's payment method: a provider token, never card data; the reservation's status does not move. */
export const PaymentMethodProvided = defineEvent(
  'PaymentMethodProvided',
  1,
  z.object({ ...id, paymentMethod: z.string().min(1), providedAt: instant }),
);
export const VendorAuthorized = defineEvent(
  'VendorAuthorized',
  1,
  z.object({ ...id, authorization: authorizationSchema, authorizedAt: instant }),
);
export const VendorAuthorizationFailed = defineEvent(
  'VendorAuthorizationFailed',
  1,
  z.object({ ...id, reason: z.string(), failedAt: instant }),
);
export const RequesterAuthorized = defineEvent(
  'RequesterAuthorized',
  1,
  z.object({
    ...id,
    authorization: authorizationSchema,
    authorizedAt: instant,
    expiresAt: instant,
  }),
);
export const RequesterAuthorizationFailed = defineEvent(
  'RequesterAuthorizationFailed',
  1,
  z.object({ ...id, reason: z.string(), failedAt: instant }),
);
export const AvailabilityRevalidated = defineEvent(
  'AvailabilityRevalidated',
  1,
  z.object({ ...id, revalidatedAt: instant, status: reservationStatusSchema }),
);
export const AvailabilityRevalidationFailed = defineEvent(
  'AvailabilityRevalidationFailed',
  1,
  z.object({
    ...id,
    revalidatedAt: instant,
    reason: z.string(),
    previousStatus: reservationStatusSchema,
  }),
);
export const CommitStarted = defineEvent(
  'CommitStarted',
  1,
  z.object({ ...id, startedAt: instant }),
);
export const ReservationCommitted = defineEvent(
  'ReservationCommitted',
  1,
  z.object({
    ...id,
    bookingReference: z.string(),
    committedAt: instant,
    /** Provider ids of the captures; the vendor's is null when there was no deposit. */
    captures: z.object({ vendor: z.string().nullable(), requester: z.string() }),
  }),
);
export const CommitFailed = defineEvent(
  'CommitFailed',
  1,
  z.object({ ...id, failedAt: instant, reason: z.string() }),
);
export const ReservationCheckedIn = defineEvent(
  'ReservationCheckedIn',
  1,
  z.object({ ...id, checkedInAt: instant }),
);
export const ReservationCompleted = defineEvent(
  'ReservationCompleted',
  1,
  z.object({ ...id, completedAt: instant }),
);
export const ReservationMarkedNoShow = defineEvent(
  'ReservationMarkedNoShow',
  1,
  z.object({ ...id, markedAt: instant }),
);
export const ReservationCancelled = defineEvent(
  'ReservationCancelled',
  1,
  z.object({
    ...id,
    cancelledBy: cancelledBySchema,
    reason: z.string().min(1),
    cancelledAt: instant,
    previousStatus: reservationStatusSchema,
    /** Slots whose holds or bookings the handler must release. */
    slotsToRelease: slotKeysSchema,
  }),
);
export const ReservationExpired = defineEvent(
  'ReservationExpired',
  1,
  z.object({
    ...id,
    expiredAt: instant,
    deadline: instant,
    previousStatus: reservationStatusSchema,
  }),
);
export const ReservationModified = defineEvent(
  'ReservationModified',
  1,
  z.object({
    ...id,
    modifiedAt: instant,
    slots: slotKeysSchema,
    quantity: z.number().int().positive(),
    startsAt: instant,
    endsAt: instant,
    /** Claim these first, then release `slotsToRelease` (DESIGN.md: claim new, then release old). */
    slotsToClaim: z.array(z.string()),
    slotsToRelease: z.array(z.string()),
    quote: quoteSchema,
    /** New total − previous total: positive is owed by the guest, negative is due back; the payment is kept. */
    priceDifference: moneySchema,
  }),
);
export const ReservationExtended = defineEvent(
  'ReservationExtended',
  1,
  z.object({
    ...id,
    extendedAt: instant,
    addedSlots: slotKeysSchema,
    endsAt: instant,
    additionalQuote: quoteSchema,
  }),
);

export const RESERVATION_EVENTS = [
  ReservationRequested,
  VendorNotified,
  VendorConfirmed,
  VendorDeclined,
  VendorConfirmationTimedOut,
  AuthorizationRequested,
  PaymentMethodProvided,
  VendorAuthorized,
  VendorAuthorizationFailed,
  RequesterAuthorized,
  RequesterAuthorizationFailed,
  AvailabilityRevalidated,
  AvailabilityRevalidationFailed,
  CommitStarted,
  ReservationCommitted,
  CommitFailed,
  ReservationCheckedIn,
  ReservationCompleted,
  ReservationMarkedNoShow,
  ReservationCancelled,
  ReservationExpired,
  ReservationModified,
  ReservationExtended,
] as const;

type EventOf<D> = D extends EventDefinition<infer T, infer S> ? DomainEvent<T, z.infer<S>> : never;

export type ReservationEvent = EventOf<(typeof RESERVATION_EVENTS)[number]>;
export type ReservationEventType = ReservationEvent['type'];
export type ReservationEventData<T extends ReservationEventType> = Extract<
  ReservationEvent,
  { type: T }
>['data'];
