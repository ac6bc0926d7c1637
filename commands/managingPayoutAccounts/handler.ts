import { DomainError, NotFoundError, ValidationError } from '../../domain/shared/errors.ts';
import { retryDeadLetters, type RetryDeadLettersDeps } from '../payments/retryDeadLetters.ts';
import type { ConnectedAccountProvider, PayoutAccount, PayoutAccountStore } from './ports.ts';

export interface PayoutAccountDeps {
  readonly store: PayoutAccountStore;
  readonly provider: ConnectedAccountProvider;
  /** To request again the payouts that waited for the account. */
  readonly retry: RetryDeadLettersDeps;
}

export interface OnboardingUrls {
  readonly refreshUrl: string;
  readonly returnUrl: string;
}

export interface PayoutAccountView {
  readonly account: PayoutAccount;
  /** Reservations whose waiting payout was requested again by this call. */
  readonly releasedPayouts: readonly string[];
  /** Stripe's hosted onboarding (single use, minutes long); absent once active. */
  readonly onboarding?: { readonly url: string; readonly expiresAt: string };
}

const releaseWaiting = async (
  deps: PayoutAccountDeps,
  vendorId: string,
  actor: string,
): Promise<string[]> => {
  const released: string[] = [];
  for (const reservationId of await deps.store.takeWaiting(vendorId)) {
    try {
      await retryDeadLetters(deps.retry, reservationId, actor);
      released.push(reservationId);
    } catch (error) {
      // Already retried (NOTHING_TO_RETRY) or no saga: nothing waits any more.
      if (!(error instanceof DomainError) || error.retryable) {
        await deps.store.markWaiting(vendorId, reservationId);
        throw error;
      }
    }
  }
  return released;
};

/** Brings an onboarding account up to date with the provider; releases waiting payouts once active. */
const refresh = async (
  deps: PayoutAccountDeps,
  account: PayoutAccount,
  actor: string,
): Promise<{ account: PayoutAccount; releasedPayouts: string[] }> => {
  if (account.status !== 'onboarding' || account.accountId === null)
    return { account, releasedPayouts: [] };
  const seen = await deps.provider.retrieveAccount(account.accountId);
  if (!seen.payoutsEnabled) return { account, releasedPayouts: [] };
  await deps.store.setStatus(account.vendorId, 'active');
  const releasedPayouts = await releaseWaiting(deps, account.vendorId, actor);
  return { account: { ...account, status: 'active' }, releasedPayouts };
};

/**
 * `POST /vendors/{vendorId}/payout-account`: creates the vendor's connected
 * account once (the provider call is idempotent per vendor), then answers its
 * state; while it is onboarding, with a fresh Stripe onboarding link.
 */
export const registerPayoutAccount = async (
  deps: PayoutAccountDeps,
  vendorId: string,
  urls: OnboardingUrls | undefined,
  actor: string,
): Promise<PayoutAccountView & { readonly created: boolean }> => {
  let current = await deps.store.get(vendorId);
  const created = current?.accountId == null;
  if (current?.accountId == null) {
    const made = await deps.provider.createAccount({
      vendorId,
      idempotencyKey: `connect-account-${vendorId}`,
    });
    current = await deps.store.saveAccount(vendorId, deps.provider.provider, made.accountId);
  }
  const { account, releasedPayouts } = await refresh(deps, current, actor);
  if (account.status !== 'onboarding' || account.accountId === null)
    return { account, releasedPayouts, created };
  if (!urls) {
    throw new ValidationError(
      'This server pays vendors through Stripe Connect: send refreshUrl and returnUrl for the onboarding link.',
      { missing: ['refreshUrl', 'returnUrl'] },
    );
  }
  const link = await deps.provider.onboardingLink({ accountId: account.accountId, ...urls });
  return { account, releasedPayouts, created, ...(link ? { onboarding: link } : {}) };
};

/** `GET /vendors/{vendorId}/payout-account`, refreshed from the provider while onboarding. */
export const getPayoutAccount = async (
  deps: PayoutAccountDeps,
  vendorId: string,
  actor: string,
): Promise<PayoutAccountView> => {
  const stored = await deps.store.get(vendorId);
  if (!stored) {
    throw new NotFoundError(
      `Vendor ${vendorId} has no payout account; create one with POST /api/v1/vendors/${vendorId}/payout-account.`,
      { vendorId },
      'PAYOUT_ACCOUNT_NOT_FOUND',
    );
  }
  return refresh(deps, stored, actor);
};

/** `PUT /vendors/{vendorId}/deposit-payment-method`: the vendor's own card for deposit authorizations. */
export const setDepositPaymentMethod = (
  deps: PayoutAccountDeps,
  vendorId: string,
  method: { readonly paymentMethod: string; readonly customer: string | null },
): Promise<PayoutAccount> => deps.store.setDepositMethod(vendorId, deps.provider.provider, method);
