import type Stripe from 'stripe';
import type {
  ConnectedAccount,
  ConnectedAccountProvider,
} from '../../../commands/managingPayoutAccounts/ports.ts';
import { toPaymentError } from './stripeErrors.ts';

const toAccount = (account: Stripe.Account): ConnectedAccount => ({
  accountId: account.id,
  payoutsEnabled: account.payouts_enabled === true,
});

/**
 * Stripe Connect for vendors: an Express account per vendor (created once, under
 * the idempotency key `connect-account-{vendorId}`, with the transfers
 * capability), Stripe-hosted onboarding through an account link, and
 * `payouts_enabled` as the sign that it can be paid.
 */
export const getStripeConnectedAccounts = (stripe: Stripe): ConnectedAccountProvider => {
  const call = async <T>(key: string, send: () => Promise<T>): Promise<T> => {
    try {
      return await send();
    } catch (error) {
      throw toPaymentError('transfer', key, error);
    }
  };
  return {
    provider: 'stripe',
    createAccount: async ({ vendorId, idempotencyKey }) =>
      toAccount(
        await call(idempotencyKey, () =>
          stripe.accounts.create(
            {
              type: 'express',
              capabilities: { transfers: { requested: true } },
              metadata: { vendor_id: vendorId },
            },
            { idempotencyKey, maxNetworkRetries: 0 },
          ),
        ),
      ),
    retrieveAccount: async (accountId) =>
      toAccount(await call('', () => stripe.accounts.retrieve(accountId))),
    onboardingLink: async ({ accountId, refreshUrl, returnUrl }) => {
      const link = await call('', () =>
        stripe.accountLinks.create({
          account: accountId,
          type: 'account_onboarding',
          refresh_url: refreshUrl,
          return_url: returnUrl,
        }),
      );
      return { url: link.url, expiresAt: new Date(link.expires_at * 1000).toISOString() };
    },
  };
};
