import type { Quote } from '../pricing/quoteSchema.ts';
import type { CancellationPolicy } from '../pricing/rules.ts';
import type { Authorization, CancelledBy, Guest, ResourceSnapshot } from './eventParts.ts';
import type { SealedPersonalData } from '../guest/sealedPersonalData.ts';
import type { ReservationCommandType } from './transitions.ts';

/**
 * Commands to the Reservation decider. Every one carries `now` (ISO instant)
 * because the domain has no clock; command names are imperative, the events
 * they produce past tense.
 */
interface Base<T extends ReservationCommandType> {
  readonly type: T;
  readonly reservationId: string;
  readonly now: string;
}

export interface RequestReservation extends Base<'RequestReservation'> {
  readonly resource: ResourceSnapshot;
  readonly slots: readonly string[];
  readonly quantity: number;
  readonly startsAt: string;
  readonly endsAt: string;
  readonly guest: Guest;
  readonly requesterId: string;
  readonly partnerId: string;
  /** Priced by the caller with `quote()`; recorded as is and never re-priced. */
  readonly quote: Quote;
  /** The promo code the quote applied, if any; a modification re-prices with it. */
  readonly promoCode: string | null;
  /** The resource's cancellation policy at request time; it binds this booking's refunds for good. */
  readonly cancellationPolicy?: CancellationPolicy;
  /** Random bytes from the composition root; at least BOOKING_REFERENCE_ENTROPY_BYTES. */
  readonly referenceEntropy: Uint8Array;
  /** The guest's personal data, already sealed by the PII store; never clear text. */
  readonly personalData?: SealedPersonalData | null;
}

export type NotifyVendor = Base<'NotifyVendor'>;
export type ConfirmByVendor = Base<'ConfirmByVendor'>;
export interface DeclineByVendor extends Base<'DeclineByVendor'> {
  readonly reason: string;
}
/** Moves to the next authorization the policy needs: the vendor deposit first, then the requester. */
export type RequestAuthorization = Base<'RequestAuthorization'>;
/**
 * The requester hands over how they will pay: a provider token (a Stripe
 * `pm_…` id), never card data. The payment saga authorizes with it once the
 * reservation awaits the requester.
 */
export interface ProvidePaymentMethod extends Base<'ProvidePaymentMethod'> {
  readonly paymentMethod: string;
}
export interface RecordVendorAuthorization extends Base<'RecordVendorAuthorization'> {
  readonly authorization: Authorization;
}
export interface RecordVendorAuthorizationFailure extends Base<'RecordVendorAuthorizationFailure'> {
  readonly reason: string;
}
export interface RecordRequesterAuthorization extends Base<'RecordRequesterAuthorization'> {
  readonly authorization: Authorization;
}
export interface RecordRequesterAuthorizationFailure extends Base<'RecordRequesterAuthorizationFailure'> {
  readonly reason: string;
}
/** The result of re-checking the slots (done by the handler against the slot streams). */
export type Revalidate = Base<'Revalidate'> &
  ({ readonly outcome: 'passed' } | { readonly outcome: 'failed'; readonly reason: string });
export type BeginCommit = Base<'BeginCommit'>;
export interface RecordCommitSuccess extends Base<'RecordCommitSuccess'> {
  readonly captures: { readonly vendor: string | null; readonly requester: string };
}
export interface RecordCommitFailure extends Base<'RecordCommitFailure'> {
  readonly reason: string;
}
export type CheckIn = Base<'CheckIn'>;
export type Complete = Base<'Complete'>;
export type MarkNoShow = Base<'MarkNoShow'>;
export interface Cancel extends Base<'Cancel'> {
  readonly by: CancelledBy;
  readonly reason: string;
}
/** Sent by the scheduler at or after `expiresAt`; ignored (no events) when not yet due. */
export type Expire = Base<'Expire'>;
export interface Modify extends Base<'Modify'> {
  /** The version the caller read (seed 002 `expected_version`); a mismatch is a ConcurrencyError. */
  readonly expectedVersion: number;
  readonly slots: readonly string[];
  readonly quantity: number;
  readonly startsAt: string;
  readonly endsAt: string;
  readonly quote: Quote;
}
export interface Extend extends Base<'Extend'> {
  readonly addedSlots: readonly string[];
  readonly endsAt: string;
  /** Price of the added slots only. */
  readonly additionalQuote: Quote;
}

export type ReservationCommand =
  | RequestReservation
  | NotifyVendor
  | ConfirmByVendor
  | DeclineByVendor
  | RequestAuthorization
  | ProvidePaymentMethod
  | RecordVendorAuthorization
  | RecordVendorAuthorizationFailure
  | RecordRequesterAuthorization
  | RecordRequesterAuthorizationFailure
  | Revalidate
  | BeginCommit
  | RecordCommitSuccess
  | RecordCommitFailure
  | CheckIn
  | Complete
  | MarkNoShow
  | Cancel
  | Expire
  | Modify
  | Extend;
