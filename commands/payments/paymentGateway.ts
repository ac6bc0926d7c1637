import {
  DomainError,
  IdempotencyKeyReusedError,
  IllegalStateError,
  UnavailableError,
  type ErrorDetails,
} from '../../domain/shared/errors.ts';
import type { Money } from '../../domain/shared/money.ts';

/**
 * The PaymentGateway port (DESIGN.md "Payments"), declared beside the payment
 * saga that calls it. infra/payments implements it twice: the simulated gateway
 * (default, state in PostgreSQL) and Stripe.
 *
 * Every call carries an idempotency key, deterministic per step and attempt
 * (`{step}-{reservationId}-{attempt}`, seed 004). The gateway promises Stripe's
 * semantics: the same key with the same parameters returns the first call's
 * result without a second effect; the same key with different parameters throws
 * {@link PaymentIdempotencyMismatchError}. Gateways never retry on their own —
 * the saga owns retries — so after {@link PaymentProviderUnavailableError} the
 * caller retries with the SAME key: the effect may already have happened.
 *
 * All amounts are {@link Money}: integer minor units (cents) plus ISO 4217 code.
 */
export interface PaymentGateway {
  /**
   * Authorizes (holds) `amount` on the payment method for later capture. When the
   * issuer asks for Strong Customer Authentication (3-D Secure) and the request is
   * `onSession`, answers `requires_action` with what the requester's browser needs
   * to authenticate; the authorization becomes capturable once they did
   * (`retrievePayment` reports `authorized`; Stripe also sends
   * `payment_intent.amount_capturable_updated`).
   * @throws PaymentDeclinedError when the issuer refuses, or asks for authentication
   *   off session (`authentication_required`); final for this payment method.
   */
  authorize(request: AuthorizeRequest): Promise<Authorization>;
  /**
   * Captures an authorization, fully (no `amount`) or partially. An authorization
   * is captured at most once; a partial capture releases the rest (as Stripe does).
   * @throws PaymentInvalidRequestError when more than authorized, or after cancel.
   */
  capture(request: CaptureRequest): Promise<Capture>;
  /**
   * Releases an authorization that was not captured.
   * @throws PaymentInvalidRequestError once captured (refund instead) or already cancelled.
   */
  cancelAuthorization(request: CancelAuthorizationRequest): Promise<CancelledAuthorization>;
  /**
   * Refunds captured money, all that is left (no `amount`) or part of it.
   * @throws PaymentInvalidRequestError when more than captured minus already refunded.
   */
  refund(request: RefundRequest): Promise<Refund>;
  /** Pays `amount` out of the platform balance to a vendor's connected account. */
  transfer(request: TransferRequest): Promise<Transfer>;
  /**
   * The provider's own record of one authorization (Stripe: the PaymentIntent and
   * its refunds), read-after-write consistent. Reconciliation compares it with the log.
   * @throws PaymentInvalidRequestError (`not_found`) for an unknown id.
   */
  retrievePayment(authorizationId: string): Promise<ProviderPayment>;
  /**
   * Everything the provider holds for a booking, found by metadata: the
   * authorizations whose metadata names `reservationId` and the transfers in
   * `transferGroup`. Stripe's search is eventually consistent (seconds, rarely
   * longer), so a payment made a moment ago may be missing; `retrievePayment` is not.
   */
  listPayments(query: PaymentListQuery): Promise<ProviderPayments>;
}

/** What {@link PaymentGateway.listPayments} looks for. */
export interface PaymentListQuery {
  readonly reservationId: string;
  /** The booking reference the transfers were grouped under. */
  readonly transferGroup: string;
}

/** An authorization as the provider sees it now. */
export interface ProviderPayment {
  readonly authorizationId: string;
  /** `authorized`: held, capturable; `captured`: money taken (refunds may follow). */
  readonly status: 'authorized' | 'captured' | 'cancelled' | 'requires_action' | 'failed';
  /** The amount authorized. */
  readonly amount: Money;
  /** Captured so far (0 before capture). */
  readonly captured: Money;
  /** The charge the capture made (Stripe `latest_charge`); null before capture. */
  readonly captureId: string | null;
  /** Refunded so far, the sum of `refunds`. */
  readonly refunded: Money;
  readonly refunds: readonly { readonly refundId: string; readonly amount: Money }[];
  /** `metadata.reservationId` as sent at authorization, when the provider kept it. */
  readonly reservationId?: string;
}

/** A transfer as the provider sees it now. */
export interface ProviderTransfer {
  readonly transferId: string;
  readonly destinationAccount: string;
  readonly transferGroup: string;
  readonly amount: Money;
  /** Reversed so far (clawed back from the connected account). */
  readonly reversed: Money;
}

export interface ProviderPayments {
  readonly payments: readonly ProviderPayment[];
  readonly transfers: readonly ProviderTransfer[];
}

/** Correlation carried to the provider (Stripe metadata `reservation_id`, `booking_id`, …). */
export interface PaymentMetadata {
  readonly reservationId: string;
  /** Human-facing booking reference; Stripe metadata `booking_id`. */
  readonly bookingReference: string;
  readonly partnerId: string;
  /** 1-based attempt number of the saga step, the last part of the idempotency key. */
  readonly attempt: number;
}

/** Fields every call carries. */
export interface IdempotentRequest {
  /** Up to 255 characters; one key per logical operation attempt, reused on retry. */
  readonly idempotencyKey: string;
}

export interface AuthorizeRequest extends IdempotentRequest {
  /** Positive, in minor units. */
  readonly amount: Money;
  /** Provider payment method token (Stripe `pm_…`; the simulator accepts any non-empty string). */
  readonly paymentMethod: string;
  /** Provider customer reference (Stripe `cus_…`), when the method is saved on a customer. */
  readonly customerRef?: string;
  readonly metadata: PaymentMetadata;
  /** Only manual capture is supported: money is held now and captured at commit. Default `manual`. */
  readonly captureMethod?: 'manual';
  /**
   * The payer is present and can authenticate (3-D Secure): an authentication
   * request answers `requires_action` instead of a decline. Default false (a
   * vendor deposit, a difference collected later): authentication is a decline.
   */
  readonly onSession?: boolean;
}

/** What the payer's browser must do before the authorization holds money (Stripe `next_action`). */
export interface NextAction {
  /** Stripe's `next_action.type`, e.g. `use_stripe_sdk` or `redirect_to_url`. */
  readonly type: string;
  /** The PaymentIntent's client secret: the front end passes it to `stripe.handleNextAction`. */
  readonly clientSecret: string;
  /** Where to send the payer for `redirect_to_url`; absent otherwise. */
  readonly redirectUrl?: string | undefined;
}

export type Authorization =
  | {
      /** Provider id of the authorization (Stripe PaymentIntent `pi_…`). */
      readonly authorizationId: string;
      readonly status: 'authorized';
      /** The amount held. */
      readonly amount: Money;
    }
  | {
      readonly authorizationId: string;
      /** Nothing is held yet: the payer must authenticate first (3-D Secure). */
      readonly status: 'requires_action';
      readonly amount: Money;
      readonly nextAction: NextAction;
    };

export interface CaptureRequest extends IdempotentRequest {
  readonly authorizationId: string;
  /** Partial capture in minor units; omitted captures the whole authorized amount. */
  readonly amount?: Money;
}

export interface Capture {
  /** Provider id of the captured charge (Stripe `ch_…`). */
  readonly captureId: string;
  readonly authorizationId: string;
  readonly status: 'captured';
  /** The amount actually captured. */
  readonly amount: Money;
}

export interface CancelAuthorizationRequest extends IdempotentRequest {
  readonly authorizationId: string;
}

export interface CancelledAuthorization {
  readonly authorizationId: string;
  readonly status: 'cancelled';
}

export interface RefundRequest extends IdempotentRequest {
  /**
   * The captured authorization to refund. Refunds address the authorization, not
   * the charge, because Stripe refunds by `payment_intent` and captures once.
   */
  readonly authorizationId: string;
  /** Partial refund in minor units; omitted refunds everything not yet refunded. */
  readonly amount?: Money;
}

export interface Refund {
  /** Provider id of the refund (Stripe `re_…`). */
  readonly refundId: string;
  readonly authorizationId: string;
  /** `pending` refunds still settle; they never fail back into captured money silently. */
  readonly status: 'succeeded' | 'pending';
  readonly amount: Money;
}

export interface TransferRequest extends IdempotentRequest {
  /** Positive, in minor units. */
  readonly amount: Money;
  /** The vendor's connected account (Stripe `acct_…`). */
  readonly destinationAccount: string;
  /** Groups the booking's money movements: the booking reference. */
  readonly transferGroup: string;
  readonly metadata: PaymentMetadata;
}

export interface Transfer {
  /** Provider id of the transfer (Stripe `tr_…`). */
  readonly transferId: string;
  readonly destinationAccount: string;
  readonly transferGroup: string;
  readonly amount: Money;
}

/** The operations, as named in errors, scripts and logs. */
export type PaymentOperation =
  'authorize' | 'capture' | 'cancelAuthorization' | 'refund' | 'transfer' | 'retrieve';

/**
 * The issuer or provider refused the payment (a card decline, a failed capture).
 * Final: retrying the same request will not succeed; compensate instead.
 */
export class PaymentDeclinedError extends DomainError {
  constructor(
    readonly operation: PaymentOperation,
    /** Provider decline code, e.g. `card_declined`, `insufficient_funds`. */
    readonly declineCode: string,
    message: string,
    details: ErrorDetails = {},
  ) {
    super('PAYMENT_DECLINED', message, { ...details, operation, declineCode });
  }
}

/** Why the provider could not be reached or did not answer. */
export type UnavailableReason =
  'timeout' | 'network' | 'server_error' | 'rate_limited' | 'authentication';

/**
 * The provider did not give an answer (timeout, network, 5xx, rate limit).
 * Retryable — and the effect MAY have happened, so retry with the same key.
 */
export class PaymentProviderUnavailableError extends UnavailableError {
  constructor(
    readonly operation: PaymentOperation,
    readonly reason: UnavailableReason,
    message: string,
    details: ErrorDetails = {},
  ) {
    super(message, 1, { ...details, operation, reason });
  }
}

/** The idempotency key was used before with different parameters (or another operation). */
export class PaymentIdempotencyMismatchError extends IdempotencyKeyReusedError {
  constructor(
    readonly operation: PaymentOperation,
    readonly idempotencyKey: string,
    message = `Idempotency key "${idempotencyKey}" was first used with different parameters; use a new key (next attempt number) for a different ${operation}.`,
  ) {
    super(message, { operation, idempotencyKey });
  }
}

/** Why the provider refused a well-formed call. */
export type InvalidRequestReason =
  | 'amount_too_large'
  | 'invalid_amount'
  | 'currency_mismatch'
  | 'unexpected_state'
  | 'already_refunded'
  | 'not_found'
  | 'invalid_parameter';

/**
 * The call breaks a money or state rule: capturing more than authorized, capturing
 * after cancel, cancelling after capture, refunding more than was captured.
 * Final: the request is wrong for the current state, retrying will not help.
 */
export class PaymentInvalidRequestError extends IllegalStateError {
  constructor(
    readonly operation: PaymentOperation,
    readonly reason: InvalidRequestReason,
    message: string,
    details: ErrorDetails = {},
  ) {
    super(message, { ...details, operation, reason }, 'PAYMENT_INVALID_REQUEST');
  }
}

/** Every error a PaymentGateway call may throw. */
export type PaymentGatewayError =
  | PaymentDeclinedError
  | PaymentProviderUnavailableError
  | PaymentIdempotencyMismatchError
  | PaymentInvalidRequestError;
