import type { ConnectedAccountProvider } from '../../../commands/managingPayoutAccounts/ports.ts';
import { idFromKey } from '../requestHash.ts';

/**
 * The simulator's Connect: a vendor's account is derived from the vendor id and
 * can be paid at once (no onboarding), so the embedded default pays each
 * vendor to an account of its own.
 */
export const getSimulatedConnectedAccounts = (): ConnectedAccountProvider => ({
  provider: 'simulated',
  createAccount: ({ vendorId }) =>
    Promise.resolve({ accountId: idFromKey('acct_sim', vendorId), payoutsEnabled: true }),
  retrieveAccount: (accountId) => Promise.resolve({ accountId, payoutsEnabled: true }),
  onboardingLink: () => Promise.resolve(undefined),
});
