import type {
  PayoutAccount,
  PayoutAccountStore,
} from '../../../commands/managingPayoutAccounts/ports.ts';
import type { Queryable } from '../../postgres/pool.ts';

interface Row {
  vendor_id: string;
  provider: PayoutAccount['provider'];
  account_id: string | null;
  status: PayoutAccount['status'];
  deposit_payment_method: string | null;
  deposit_customer: string | null;
  updated_at: Date;
}

const COLUMNS =
  'vendor_id, provider, account_id, status, deposit_payment_method, deposit_customer, updated_at';

const toAccount = (row: Row): PayoutAccount => ({
  vendorId: row.vendor_id,
  provider: row.provider,
  accountId: row.account_id,
  status: row.status,
  depositPaymentMethod: row.deposit_payment_method,
  depositCustomer: row.deposit_customer,
  updatedAt: row.updated_at.toISOString(),
});

const one = (rows: Row[]): PayoutAccount => {
  const row = rows[0];
  if (!row) throw new Error('vendor_payout_accounts: the upsert returned no row');
  return toAccount(row);
};

/** The vendor payout-account registry in `vendor_payout_accounts` (migration 055). */
export const getPostgresPayoutAccounts = (db: Queryable): PayoutAccountStore => ({
  get: async (vendorId) => {
    const { rows } = await db.query<Row>(
      `SELECT ${COLUMNS} FROM vendor_payout_accounts WHERE vendor_id = $1`,
      [vendorId],
    );
    return rows[0] && toAccount(rows[0]);
  },
  saveAccount: async (vendorId, provider, accountId) => {
    // First account wins; a concurrent creation got the same id from the provider's idempotency.
    const { rows } = await db.query<Row>(
      `INSERT INTO vendor_payout_accounts (vendor_id, provider, account_id, status)
       VALUES ($1, $2, $3, 'onboarding')
       ON CONFLICT (vendor_id) DO UPDATE
         SET account_id = COALESCE(vendor_payout_accounts.account_id, EXCLUDED.account_id),
             provider = EXCLUDED.provider,
             status = CASE WHEN vendor_payout_accounts.status = 'none' THEN 'onboarding'
                           ELSE vendor_payout_accounts.status END,
             updated_at = now()
       RETURNING ${COLUMNS}`,
      [vendorId, provider, accountId],
    );
    return one(rows);
  },
  setStatus: async (vendorId, status) => {
    await db.query(
      `UPDATE vendor_payout_accounts SET status = $2, updated_at = now()
        WHERE vendor_id = $1 AND account_id IS NOT NULL`,
      [vendorId, status],
    );
  },
  setDepositMethod: async (vendorId, provider, method) => {
    const { rows } = await db.query<Row>(
      `INSERT INTO vendor_payout_accounts (vendor_id, provider, status, deposit_payment_method, deposit_customer)
       VALUES ($1, $2, 'none', $3, $4)
       ON CONFLICT (vendor_id) DO UPDATE
         SET deposit_payment_method = EXCLUDED.deposit_payment_method,
             deposit_customer = EXCLUDED.deposit_customer,
             updated_at = now()
       RETURNING ${COLUMNS}`,
      [vendorId, provider, method.paymentMethod, method.customer],
    );
    return one(rows);
  },
  markWaiting: async (vendorId, reservationId) => {
    await db.query(
      `INSERT INTO vendor_payouts_waiting (vendor_id, reservation_id) VALUES ($1, $2)
       ON CONFLICT DO NOTHING`,
      [vendorId, reservationId],
    );
  },
  takeWaiting: async (vendorId) => {
    const { rows } = await db.query<{ reservation_id: string }>(
      `DELETE FROM vendor_payouts_waiting WHERE vendor_id = $1 RETURNING reservation_id`,
      [vendorId],
    );
    return rows.map((r) => r.reservation_id).sort();
  },
});
