import type { PaymentStep } from '../../../domain/payment/steps.ts';
import { DomainError } from '../../../domain/shared/errors.ts';

/**
 * What the payment saga needs from the outside world besides the log and the
 * gateway. Declared here, beside the saga; infra/ and the composition root
 * provide them.
 */

/**
 * Where the vendor's money comes from and goes to. The requester's payment
 * method is not here: the requester provides it on the reservation
 * (PaymentMethodProvided) and the saga authorizes with that.
 */
export interface PaymentAccounts {
  /**
   * The vendor's own payment method for the deposit authorization (seed 004 step 4).
   * @throws VendorAccountMissingError when the vendor has none.
   */
  vendorDepositPaymentMethod(vendorId: string): Promise<VendorDepositMethod>;
  /**
   * The vendor's connected account that payouts are transferred to (Stripe `acct_…`).
   * @throws VendorAccountMissingError when the vendor has no active account; the
   * refusal is remembered for `reservationId` so the payout is retried once it is.
   */
  vendorConnectedAccount(vendorId: string, reservationId: string): Promise<string>;
}

export interface VendorDepositMethod {
  readonly paymentMethod: string;
  /** Stripe customer the method is saved on (a saved `pm_…` is reusable only through it). */
  readonly customerRef?: string;
}

/** The vendor has not set up what a payment step needs: final for this attempt, shown as its reason. */
export class VendorAccountMissingError extends DomainError {
  constructor(
    readonly vendorId: string,
    readonly missing: 'payout-account' | 'deposit-payment-method',
    message: string,
  ) {
    super(
      missing === 'payout-account' ? 'PAYOUT_ACCOUNT_MISSING' : 'DEPOSIT_PAYMENT_METHOD_MISSING',
      message,
      { vendorId, missing },
    );
  }
}

/** Tells a vendor about a request awaiting its confirmation (email, SMS, webhook). */
export interface VendorNotifier {
  /**
   * Sends the notification; `idempotencyKey` is the saga's key for this attempt.
   * Throw to fail the attempt (it is retried with backoff, matrix row 2-3).
   */
  notifyVendor(request: {
    readonly reservationId: string;
    readonly vendorId: string;
    readonly idempotencyKey: string;
  }): Promise<void>;
}

/** A step the saga must run later (retry backoff, payout after the dispute window). */
export interface DueStep {
  readonly reservationId: string;
  readonly step: PaymentStep;
  readonly attempt: number;
  /** The trace of the work that parked the step (W3C traceparent), continued when it runs. */
  readonly traceparent?: string | undefined;
}

/**
 * Durable timers: a step requested with `notBefore` in the future is parked
 * here so it still runs after a restart.
 */
export interface SagaTimers {
  /** Idempotent: scheduling the same step and attempt twice keeps one timer. */
  schedule(due: DueStep, notBefore: Date): Promise<void>;
  /** Steps whose time has come, oldest first. */
  due(now: Date, limit: number): Promise<readonly DueStep[]>;
  /** Removes the timer once its step ran (or is no longer pending). */
  done(due: DueStep): Promise<void>;
}

/** Fixed accounts for saga test harnesses (any non-empty token works on the simulator); production uses the registry. */
export const createStaticPaymentAccounts = (
  options: {
    readonly vendorDepositPaymentMethod?: string;
    readonly connectedAccountPrefix?: string;
  } = {},
): PaymentAccounts => ({
  vendorDepositPaymentMethod: () =>
    Promise.resolve({ paymentMethod: options.vendorDepositPaymentMethod ?? 'pm_card_visa' }),
  vendorConnectedAccount: (vendorId) =>
    Promise.resolve(`${options.connectedAccountPrefix ?? 'acct_'}${vendorId}`),
});

/** A notifier that only records that it was asked; the notifications engine is not built yet. */
export const createSilentVendorNotifier = (): VendorNotifier => ({
  notifyVendor: () => Promise.resolve(),
});
