import {
  PaymentDeclinedError,
  PaymentInvalidRequestError,
  type AuthorizeRequest,
  type Authorization,
  type CancelledAuthorization,
  type Capture,
  type PaymentOperation,
  type Refund,
  type Transfer,
  type TransferRequest,
} from '../../../commands/payments/paymentGateway.ts';
import type { Money } from '../../../domain/shared/money.ts';
import type { Queryable } from '../../postgres/pool.ts';
import { idFromKey } from '../requestHash.ts';
import { AUTHENTICATION_TEST_CARDS, DECLINING_TEST_CARDS } from '../testCards.ts';

/**
 * The simulated provider's state: the effects behind each gateway call and the
 * money rules a real provider enforces. Every function runs inside the
 * transaction that records the idempotency key.
 */

export interface AuthorizationRow {
  readonly id: string;
  readonly reservationId: string;
  readonly attempt: number;
  readonly status: 'authorized' | 'captured' | 'cancelled' | 'requires_action' | 'failed';
  readonly amount: Money;
  readonly captured: number;
  readonly refunded: number;
}

interface RawAuthorization {
  id: string;
  reservation_id: string;
  attempt: number;
  status: AuthorizationRow['status'];
  currency: string;
  amount: string;
  amount_captured: string;
  amount_refunded: string;
}

/** Reads an authorization; `forUpdate` serialises concurrent calls on it. */
export const findAuthorization = async (
  db: Queryable,
  id: string,
  forUpdate = false,
): Promise<AuthorizationRow | undefined> => {
  const { rows } = await db.query<RawAuthorization>(
    `SELECT id, reservation_id, attempt, status, currency, amount, amount_captured, amount_refunded
       FROM payment_sim_authorizations WHERE id = $1${forUpdate ? ' FOR UPDATE' : ''}`,
    [id],
  );
  const row = rows[0];
  if (!row) return undefined;
  return {
    id: row.id,
    reservationId: row.reservation_id,
    attempt: row.attempt,
    status: row.status,
    amount: { amount: Number(row.amount), currency: row.currency },
    captured: Number(row.amount_captured),
    refunded: Number(row.amount_refunded),
  };
};

const invalid = (
  operation: PaymentOperation,
  reason: ConstructorParameters<typeof PaymentInvalidRequestError>[1],
  message: string,
  details: Record<string, unknown> = {},
): PaymentInvalidRequestError =>
  new PaymentInvalidRequestError(operation, reason, message, details);

const lockAuthorization = async (
  db: Queryable,
  operation: PaymentOperation,
  id: string,
): Promise<AuthorizationRow> => {
  const found = await findAuthorization(db, id, true);
  if (!found) {
    throw invalid(
      operation,
      'not_found',
      `No authorization ${id} exists; pass the authorizationId authorize returned.`,
      { authorizationId: id },
    );
  }
  return found;
};

const assertCurrency = (operation: PaymentOperation, requested: Money, held: Money): void => {
  if (requested.currency !== held.currency) {
    throw invalid(
      operation,
      'currency_mismatch',
      `${operation} must be in ${held.currency}, the authorization's currency (got ${requested.currency}).`,
    );
  }
};

export const insertAuthorization = async (
  db: Queryable,
  request: AuthorizeRequest,
  now: Date,
): Promise<Authorization> => {
  const declineCode = DECLINING_TEST_CARDS[request.paymentMethod];
  if (declineCode !== undefined) {
    throw new PaymentDeclinedError(
      'authorize',
      declineCode,
      `The simulated provider declined test card ${request.paymentMethod} (${declineCode}).`,
    );
  }
  const authenticate = AUTHENTICATION_TEST_CARDS.has(request.paymentMethod);
  if (authenticate && request.onSession !== true) {
    throw new PaymentDeclinedError(
      'authorize',
      'authentication_required',
      `The issuer of test card ${request.paymentMethod} requires 3-D Secure, which needs the payer on session.`,
    );
  }
  const id = idFromKey('pi_sim', request.idempotencyKey);
  const { metadata } = request;
  await db.query(
    `INSERT INTO payment_sim_authorizations
       (id, idempotency_key, reservation_id, booking_reference, partner_id, attempt,
        payment_method, customer_ref, currency, amount, status, authorized_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
    [
      id,
      request.idempotencyKey,
      metadata.reservationId,
      metadata.bookingReference,
      metadata.partnerId,
      metadata.attempt,
      request.paymentMethod,
      request.customerRef ?? null,
      request.amount.currency,
      request.amount.amount,
      authenticate ? 'requires_action' : 'authorized',
      authenticate ? null : now,
    ],
  );
  if (authenticate)
    return {
      authorizationId: id,
      status: 'requires_action',
      amount: request.amount,
      nextAction: { type: 'use_stripe_sdk', clientSecret: `${id}_secret_sim` },
    };
  return { authorizationId: id, status: 'authorized', amount: request.amount };
};

/**
 * The payer's browser finished 3-D Secure (what `stripe.handleNextAction` does at
 * Stripe): the authorization holds the money from `now`, or failed authentication.
 */
export const completeAuthentication = async (
  db: Queryable,
  authorizationId: string,
  outcome: 'succeeded' | 'failed',
  now: Date,
): Promise<void> => {
  const { rowCount } = await db.query(
    `UPDATE payment_sim_authorizations SET status = $2, authorized_at = $3
      WHERE id = $1 AND status = 'requires_action'`,
    [authorizationId, outcome === 'succeeded' ? 'authorized' : 'failed', now],
  );
  if (rowCount !== 1)
    throw invalid(
      'authorize',
      'unexpected_state',
      `Authorization ${authorizationId} does not wait for authentication.`,
    );
};

/**
 * Uncaptured authorizations lapse (Stripe: 7 days for cards, then the
 * PaymentIntent is canceled with `cancellation_reason: automatic`). Applied
 * lazily, before each call and read, against the gateway's clock.
 */
export const lapseAuthorizations = async (
  db: Queryable,
  now: Date,
  validityHours: number,
): Promise<void> => {
  await db.query(
    `UPDATE payment_sim_authorizations SET status = 'cancelled', lapsed = true
      WHERE status = 'authorized' AND authorized_at <= $1::timestamptz - make_interval(hours => $2)`,
    [now, validityHours],
  );
};

export const captureAuthorization = async (
  db: Queryable,
  idempotencyKey: string,
  authorizationId: string,
  requested: Money | undefined,
): Promise<Capture> => {
  const held = await lockAuthorization(db, 'capture', authorizationId);
  if (held.status !== 'authorized') {
    throw invalid(
      'capture',
      'unexpected_state',
      `Authorization ${authorizationId} is ${held.status}; only an open authorization can be captured, once.`,
      { status: held.status },
    );
  }
  const amount = requested ?? held.amount;
  assertCurrency('capture', amount, held.amount);
  if (amount.amount > held.amount.amount) {
    throw invalid(
      'capture',
      'amount_too_large',
      `Cannot capture ${amount.amount} ${amount.currency}: only ${held.amount.amount} was authorized.`,
      { authorized: held.amount.amount, requested: amount.amount },
    );
  }
  const id = idFromKey('ch_sim', idempotencyKey);
  await db.query(
    `INSERT INTO payment_sim_captures (id, idempotency_key, authorization_id, reservation_id, currency, amount)
     VALUES ($1, $2, $3, $4, $5, $6)`,
    [id, idempotencyKey, authorizationId, held.reservationId, amount.currency, amount.amount],
  );
  await db.query(
    `UPDATE payment_sim_authorizations SET status = 'captured', amount_captured = $2 WHERE id = $1`,
    [authorizationId, amount.amount],
  );
  return { captureId: id, authorizationId, status: 'captured', amount };
};

export const cancelAuthorization = async (
  db: Queryable,
  idempotencyKey: string,
  authorizationId: string,
): Promise<CancelledAuthorization> => {
  const held = await lockAuthorization(db, 'cancelAuthorization', authorizationId);
  if (held.status !== 'authorized' && held.status !== 'requires_action') {
    const hint = held.status === 'captured' ? 'refund it instead' : 'it is already released';
    throw invalid(
      'cancelAuthorization',
      'unexpected_state',
      `Authorization ${authorizationId} is ${held.status}; ${hint}.`,
      { status: held.status },
    );
  }
  await db.query(
    `UPDATE payment_sim_authorizations
        SET status = 'cancelled', cancel_idempotency_key = $2, cancel_seq = nextval('payment_sim_effect_seq')
      WHERE id = $1`,
    [authorizationId, idempotencyKey],
  );
  return { authorizationId, status: 'cancelled' };
};

export const refundCapture = async (
  db: Queryable,
  idempotencyKey: string,
  authorizationId: string,
  requested: Money | undefined,
): Promise<Refund> => {
  const held = await lockAuthorization(db, 'refund', authorizationId);
  if (held.status !== 'captured') {
    throw invalid(
      'refund',
      'unexpected_state',
      `Authorization ${authorizationId} is ${held.status}; only captured money can be refunded (cancel an open authorization).`,
      { status: held.status },
    );
  }
  const remaining = held.captured - held.refunded;
  if (remaining === 0) {
    throw invalid(
      'refund',
      'already_refunded',
      `Authorization ${authorizationId} is already fully refunded.`,
    );
  }
  const amount = requested ?? { amount: remaining, currency: held.amount.currency };
  assertCurrency('refund', amount, held.amount);
  if (amount.amount > remaining) {
    throw invalid(
      'refund',
      'amount_too_large',
      `Cannot refund ${amount.amount} ${amount.currency}: ${held.captured} was captured and ${held.refunded} already refunded.`,
      { captured: held.captured, refunded: held.refunded, requested: amount.amount },
    );
  }
  const id = idFromKey('re_sim', idempotencyKey);
  await db.query(
    `INSERT INTO payment_sim_refunds (id, idempotency_key, authorization_id, reservation_id, currency, amount)
     VALUES ($1, $2, $3, $4, $5, $6)`,
    [id, idempotencyKey, authorizationId, held.reservationId, amount.currency, amount.amount],
  );
  await db.query(
    'UPDATE payment_sim_authorizations SET amount_refunded = amount_refunded + $2 WHERE id = $1',
    [authorizationId, amount.amount],
  );
  return { refundId: id, authorizationId, status: 'succeeded', amount };
};

export const insertTransfer = async (
  db: Queryable,
  request: TransferRequest,
): Promise<Transfer> => {
  const id = idFromKey('tr_sim', request.idempotencyKey);
  await db.query(
    `INSERT INTO payment_sim_transfers
       (id, idempotency_key, reservation_id, transfer_group, destination_account, currency, amount)
     VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [
      id,
      request.idempotencyKey,
      request.metadata.reservationId,
      request.transferGroup,
      request.destinationAccount,
      request.amount.currency,
      request.amount.amount,
    ],
  );
  return {
    transferId: id,
    destinationAccount: request.destinationAccount,
    transferGroup: request.transferGroup,
    amount: request.amount,
  };
};
