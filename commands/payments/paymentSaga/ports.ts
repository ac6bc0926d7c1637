import type { PaymentStep } from '../../../domain/payment/steps.ts';

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
  /** The vendor's payment method for the deposit authorization (seed 004 step 4). */
  vendorDepositPaymentMethod(vendorId: string): Promise<string>;
  /** The vendor's connected account that payouts are transferred to (Stripe `acct_…`). */
  vendorConnectedAccount(vendorId: string): Promise<string>;
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

/** Fixed accounts: the simulated gateway's demo default (any non-empty token works there). */
export const createStaticPaymentAccounts = (
  options: {
    readonly vendorDepositPaymentMethod?: string;
    readonly connectedAccountPrefix?: string;
  } = {},
): PaymentAccounts => ({
  vendorDepositPaymentMethod: () =>
    Promise.resolve(options.vendorDepositPaymentMethod ?? 'pm_card_visa'),
  vendorConnectedAccount: (vendorId) =>
    Promise.resolve(`${options.connectedAccountPrefix ?? 'acct_'}${vendorId}`),
});

/** A notifier that only records that it was asked; the notifications engine is not built yet. */
export const createSilentVendorNotifier = (): VendorNotifier => ({
  notifyVendor: () => Promise.resolve(),
});
