/**
 * Ports of the vendor payout-account registry, declared beside its use cases;
 * infra/payments implements them (PostgreSQL; Stripe Connect or simulated).
 */

export type PayoutProvider = 'stripe' | 'simulated';

/** `none`: no connected account yet; `onboarding`: created, payouts not yet enabled; `active`: payable. */
export type PayoutAccountStatus = 'none' | 'onboarding' | 'active';

export interface PayoutAccount {
  readonly vendorId: string;
  readonly provider: PayoutProvider;
  readonly accountId: string | null;
  readonly status: PayoutAccountStatus;
  readonly depositPaymentMethod: string | null;
  readonly depositCustomer: string | null;
  readonly updatedAt: string;
}

/** Where the registry keeps its rows. */
export interface PayoutAccountStore {
  get(vendorId: string): Promise<PayoutAccount | undefined>;
  /** Records the connected account unless one is already recorded; answers the row as stored. */
  saveAccount(
    vendorId: string,
    provider: PayoutProvider,
    accountId: string,
  ): Promise<PayoutAccount>;
  setStatus(vendorId: string, status: 'onboarding' | 'active'): Promise<void>;
  setDepositMethod(
    vendorId: string,
    provider: PayoutProvider,
    method: { readonly paymentMethod: string; readonly customer: string | null },
  ): Promise<PayoutAccount>;
  /** Remembers a payout refused for want of an active account. */
  markWaiting(vendorId: string, reservationId: string): Promise<void>;
  /** Takes (and forgets) the reservations whose payout waited for this vendor. */
  takeWaiting(vendorId: string): Promise<readonly string[]>;
}

/** A connected account as the provider reports it. */
export interface ConnectedAccount {
  readonly accountId: string;
  /** Whether transfers and payouts to it are enabled (Stripe `payouts_enabled`). */
  readonly payoutsEnabled: boolean;
}

/**
 * The payment provider's side of vendor accounts: Stripe Connect (Express
 * accounts, hosted onboarding through an account link) or the simulator.
 */
export interface ConnectedAccountProvider {
  readonly provider: PayoutProvider;
  /** Creates the vendor's connected account; idempotent per `idempotencyKey`. */
  createAccount(request: {
    readonly vendorId: string;
    readonly idempotencyKey: string;
  }): Promise<ConnectedAccount>;
  retrieveAccount(accountId: string): Promise<ConnectedAccount>;
  /**
   * A single-use onboarding URL (Stripe account link, minutes long); never stored.
   * Undefined when the provider needs no onboarding.
   */
  onboardingLink(request: {
    readonly accountId: string;
    readonly refreshUrl: string;
    readonly returnUrl: string;
  }): Promise<{ readonly url: string; readonly expiresAt: string } | undefined>;
}
