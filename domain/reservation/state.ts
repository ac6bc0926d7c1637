import type { Money } from '../shared/money.ts';
import type { Quote } from '../pricing/quoteSchema.ts';
import type { CancellationPolicy } from '../pricing/rules.ts';
import type { Authorization, CancelledBy, Guest, ResourceSnapshot } from './eventParts.ts';
import type { ReservationStatus } from './status.ts';

/** One line of the state history (seed 004 `StateTransitionLog`, seed 002 `BookingStatusHistory`). */
export interface HistoryEntry {
  readonly event: string;
  readonly from: ReservationStatus | null;
  readonly to: ReservationStatus;
  readonly at: string;
  readonly by?: CancelledBy;
  readonly reason?: string;
}

export interface ReservationDetails {
  readonly reservationId: string;
  readonly bookingReference: string;
  readonly resource: ResourceSnapshot;
  readonly slots: readonly string[];
  readonly quantity: number;
  readonly startsAt: string;
  readonly endsAt: string;
  readonly guest: Guest;
  readonly requesterId: string;
  readonly partnerId: string;
  readonly quote: Quote;
  /** The promo code the booking was priced with; re-pricing keeps it. */
  readonly promoCode: string | null;
  /** The cancellation policy in force at booking time; null for bookings recorded before it was kept (the resource's applies). */
  readonly cancellationPolicy: CancellationPolicy | null;
  /** Quotes of extensions, in order; the amount owed is `quote.total` plus theirs. */
  readonly extensionQuotes: readonly Quote[];
  readonly requestedAt: string;
  /** The running deadline while a TTL applies; null once committed (bookings do not expire). */
  readonly expiresAt: string | null;
  readonly vendorConfirmedAt: string | null;
  readonly authorizations: {
    readonly vendor: Authorization | null;
    readonly requester: Authorization | null;
  };
  /**
   * The requester's payment method token (ProvidePaymentMethod), kept so a
   * repeat is recognised as one; read models show only whether there is one.
   */
  readonly paymentMethod: string | null;
  /** Instant of the latest passed revalidation, and the status it was taken in. */
  readonly revalidation: { readonly at: string; readonly status: ReservationStatus } | null;
  readonly captures: { readonly vendor: string | null; readonly requester: string } | null;
  readonly failureReason: string | null;
  readonly cancellation: {
    readonly by: CancelledBy;
    readonly reason: string;
    readonly at: string;
  } | null;
  /** Number of events in the stream: what `Modify.expectedVersion` is compared with. */
  readonly version: number;
  readonly history: readonly HistoryEntry[];
}

export type Reservation = ReservationDetails & { readonly status: ReservationStatus };

/** A stream with no events yet, or the lifecycle's current state. */
export type ReservationState = { readonly status: 'NONE' } | Reservation;

export const initialReservationState = (): ReservationState => ({ status: 'NONE' });

export const amountOwed = (reservation: Reservation): Money =>
  reservation.extensionQuotes.reduce<Money>(
    (total, quote) => ({ amount: total.amount + quote.total.amount, currency: total.currency }),
    reservation.quote.total,
  );
