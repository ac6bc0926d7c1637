import { VendorAccountMissingError, type PaymentAccounts } from '../payments/paymentSaga/ports.ts';
import type { PayoutAccountStore } from './ports.ts';

/** Called each time the saga is refused for want of a vendor's account (a metric, a log line). */
export type OnVendorAccountMissing = (
  missing: VendorAccountMissingError['missing'],
  vendorId: string,
) => void;

/**
 * The saga's PaymentAccounts read from the vendor payout-account registry: a
 * vendor's deposit is authorized on the vendor's own payment method and payouts
 * go to the vendor's own connected account, or the step is refused with a
 * reason the reservation's payment state shows.
 */
export const createRegisteredPaymentAccounts = (
  store: PayoutAccountStore,
  onMissing: OnVendorAccountMissing = () => undefined,
): PaymentAccounts => ({
  vendorDepositPaymentMethod: async (vendorId) => {
    const account = await store.get(vendorId);
    if (!account?.depositPaymentMethod) {
      onMissing('deposit-payment-method', vendorId);
      throw new VendorAccountMissingError(
        vendorId,
        'deposit-payment-method',
        `Vendor ${vendorId} has no deposit payment method, so its deposit cannot be authorized; the vendor sets one with PUT /api/v1/vendors/${vendorId}/deposit-payment-method.`,
      );
    }
    return {
      paymentMethod: account.depositPaymentMethod,
      ...(account.depositCustomer === null ? {} : { customerRef: account.depositCustomer }),
    };
  },
  vendorConnectedAccount: async (vendorId, reservationId) => {
    const account = await store.get(vendorId);
    if (account?.status === 'active' && account.accountId !== null) return account.accountId;
    await store.markWaiting(vendorId, reservationId);
    onMissing('payout-account', vendorId);
    const state =
      account?.status === 'onboarding'
        ? `its payout account ${account.accountId ?? ''} is still onboarding`
        : 'it has no payout account';
    throw new VendorAccountMissingError(
      vendorId,
      'payout-account',
      `Vendor ${vendorId} cannot be paid: ${state}. The payout waits and is requested again when the account becomes active (POST /api/v1/vendors/${vendorId}/payout-account).`,
    );
  },
});
