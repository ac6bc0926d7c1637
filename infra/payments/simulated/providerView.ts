import {
  PaymentInvalidRequestError,
  type PaymentListQuery,
  type ProviderPayment,
  type ProviderPayments,
} from '../../../commands/payments/paymentGateway.ts';
import type { Queryable } from '../../postgres/pool.ts';

/** The simulated provider's own books, read the way reconciliation reads Stripe's. */

interface PaymentRow {
  id: string;
  reservation_id: string;
  status: ProviderPayment['status'];
  currency: string;
  amount: string;
  amount_captured: string;
  amount_refunded: string;
  refunds: { id: string; amount: string }[] | null;
  capture_id: string | null;
}

const SELECT_PAYMENTS = `
  SELECT a.id, a.reservation_id, a.status, a.currency, a.amount, a.amount_captured, a.amount_refunded,
         (SELECT json_agg(json_build_object('id', r.id, 'amount', r.amount) ORDER BY r.seq)
            FROM payment_sim_refunds r WHERE r.authorization_id = a.id) AS refunds,
         (SELECT c.id FROM payment_sim_captures c WHERE c.authorization_id = a.id) AS capture_id
    FROM payment_sim_authorizations a`;

const toPayment = (row: PaymentRow): ProviderPayment => {
  const money = (amount: string | number) => ({ amount: Number(amount), currency: row.currency });
  return {
    authorizationId: row.id,
    status: row.status,
    amount: money(row.amount),
    captured: money(row.amount_captured),
    captureId: row.capture_id,
    refunded: money(row.amount_refunded),
    refunds: (row.refunds ?? []).map((r) => ({ refundId: r.id, amount: money(r.amount) })),
    reservationId: row.reservation_id,
  };
};

export const retrieveSimulatedPayment = async (
  db: Queryable,
  authorizationId: string,
): Promise<ProviderPayment> => {
  const { rows } = await db.query<PaymentRow>(`${SELECT_PAYMENTS} WHERE a.id = $1`, [
    authorizationId,
  ]);
  const row = rows[0];
  if (!row) {
    throw new PaymentInvalidRequestError(
      'retrieve',
      'not_found',
      `No authorization ${authorizationId} exists at the simulated provider.`,
      { authorizationId },
    );
  }
  return toPayment(row);
};

export const listSimulatedPayments = async (
  db: Queryable,
  query: PaymentListQuery,
): Promise<ProviderPayments> => {
  const payments = await db.query<PaymentRow>(
    `${SELECT_PAYMENTS} WHERE a.reservation_id = $1 ORDER BY a.seq`,
    [query.reservationId],
  );
  const transfers = await db.query<{
    id: string;
    destination_account: string;
    transfer_group: string;
    currency: string;
    amount: string;
  }>(
    `SELECT id, destination_account, transfer_group, currency, amount
       FROM payment_sim_transfers WHERE transfer_group = $1 ORDER BY seq`,
    [query.transferGroup],
  );
  return {
    payments: payments.rows.map(toPayment),
    transfers: transfers.rows.map((row) => ({
      transferId: row.id,
      destinationAccount: row.destination_account,
      transferGroup: row.transfer_group,
      amount: { amount: Number(row.amount), currency: row.currency },
      reversed: { amount: 0, currency: row.currency },
    })),
  };
};
