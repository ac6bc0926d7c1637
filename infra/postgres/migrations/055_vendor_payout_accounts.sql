-- The vendor payout-account registry (commands/managingPayoutAccounts,
-- docs/payments.md "Vendor accounts"): where a vendor's payouts go (a Stripe
-- Connect account, or a simulated one) and the vendor's own payment method
-- for deposit authorizations. A vendor without a row, or whose account is
-- still onboarding, is refused payouts.
CREATE TABLE vendor_payout_accounts (
  vendor_id                 text PRIMARY KEY,
  provider                  text NOT NULL CHECK (provider IN ('stripe', 'simulated')),
  account_id                text UNIQUE,
  status                    text NOT NULL CHECK (status IN ('none', 'onboarding', 'active')),
  deposit_payment_method    text,
  deposit_customer          text,
  created_at                timestamptz NOT NULL DEFAULT now(),
  updated_at                timestamptz NOT NULL DEFAULT now(),
  CHECK ((status = 'none') = (account_id IS NULL))
);

-- Payouts the saga refused for want of an active account: when the vendor's
-- account becomes active they are requested again (dead letter retry).
CREATE TABLE vendor_payouts_waiting (
  vendor_id       text NOT NULL,
  reservation_id  text NOT NULL,
  since           timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (vendor_id, reservation_id)
);
