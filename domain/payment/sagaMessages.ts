import type { Money } from '../shared/money.ts';
import type { ReservationCommand } from '../reservation/commands.ts';
import type { ReservationEvent } from '../reservation/events.ts';
import type { PaymentStep } from './steps.ts';

/** What the saga reacts to. `now` and `jitter` ([0, 1)) come from the composition root; the domain has neither a clock nor randomness. */
export type PaymentSagaInput =
  | {
      readonly type: 'ReservationEventObserved';
      readonly event: ReservationEvent;
      readonly now: string;
      readonly jitter: number;
    }
  | {
      readonly type: 'StepCompleted';
      readonly reservationId: string;
      readonly step: PaymentStep;
      readonly attempt: number;
      readonly outcome:
        | { readonly kind: 'succeeded'; readonly providerId: string }
        | { readonly kind: 'failed'; readonly reason: string; readonly retryable: boolean };
      readonly now: string;
      readonly jitter: number;
    }
  /**
   * The refund a cancellation or no-show handler computed with `refundFor`/`noShowFee`
   * (zero when the policy keeps everything). What is kept is settled too: the
   * vendor's share of it is paid out after the dispute window.
   */
  | {
      readonly type: 'RefundRequested';
      readonly reservationId: string;
      readonly amount: Money;
      /** What had been paid when the refund was computed (the policy's basis); omitted is what the saga has now. */
      readonly paidBasis?: Money;
      /** How the booking ended; omitted is a guest's cancellation. */
      readonly ended?: 'cancelled' | 'cancelled-by-vendor' | 'no-show';
      readonly now: string;
      readonly jitter: number;
    }
  /**
   * The gateway answered an authorization with `requires_action` (3-D Secure):
   * the step waits for the requester, looked at again every poll interval.
   */
  | {
      readonly type: 'ActionRequired';
      readonly reservationId: string;
      readonly step: PaymentStep;
      readonly attempt: number;
      readonly authorizationId: string;
      readonly nextAction: {
        readonly type: string;
        readonly clientSecret: string;
        readonly redirectUrl?: string | undefined;
      };
      readonly now: string;
      readonly jitter: number;
    }
  /** The provider reports a dispute of one of the guest's charges (Stripe `charge.dispute.*`). */
  | {
      readonly type: 'DisputeUpdated';
      readonly reservationId: string;
      readonly disputeId: string;
      readonly authorizationId: string;
      readonly amount: Money;
      readonly status: 'open' | 'won' | 'lost';
      readonly reason: string;
      readonly now: string;
      readonly jitter: number;
    }
  /** An operator retries every dead-lettered step with the next attempt number (a fresh idempotency key). */
  | {
      readonly type: 'RetryDeadLetters';
      readonly reservationId: string;
      readonly now: string;
      readonly jitter: number;
    };

interface Outbound {
  readonly reservationId: string;
  readonly idempotencyKey: string;
  /** Execute no earlier than this instant (retry backoff, dispute window). */
  readonly notBefore: string;
}

export type Party = 'vendor' | 'requester';

/** Commands for the PaymentGateway port and the other adapters the saga drives. */
export type GatewayCommand =
  | (Outbound & { readonly type: 'NotifyVendorOfRequest'; readonly vendorId: string })
  | (Outbound & { readonly type: 'AuthorizeVendorDeposit'; readonly amount: Money })
  | (Outbound & {
      readonly type: 'AuthorizeRequester';
      readonly amount: Money;
      /** The token the requester provided on the reservation (never card data). */
      readonly paymentMethod: string;
    })
  | (Outbound & { readonly type: 'RevalidateAvailability'; readonly slots: readonly string[] })
  | (Outbound & {
      readonly type: 'Capture';
      readonly party: Party;
      readonly authorizationId: string;
      readonly amount: Money;
    })
  | (Outbound & {
      readonly type: 'CancelAuthorization';
      readonly party: Party;
      readonly authorizationId: string;
    })
  | (Outbound & {
      readonly type: 'Refund';
      readonly party: Party;
      readonly captureId: string;
      readonly amount: Money;
      /** The authorization (PaymentIntent) to refund against; omitted means the party's first authorization. */
      readonly authorizationId?: string;
    })
  | (Outbound & { readonly type: 'ReleaseHolds'; readonly slots: readonly string[] })
  | (Outbound & {
      readonly type: 'Transfer';
      readonly vendorId: string;
      readonly amount: Money;
      readonly transferGroup: string;
    });

/** Everything the saga asks others to do: gateway work, or the next command for the reservation stream. */
export type SagaCommand =
  | {
      readonly kind: 'gateway';
      readonly step: PaymentStep;
      readonly attempt: number;
      readonly command: GatewayCommand;
    }
  | { readonly kind: 'reservation'; readonly command: ReservationCommand };
