import {
  PaymentInvalidRequestError,
  type PaymentGateway,
  type PaymentOperation,
} from '../../../commands/payments/paymentGateway.ts';
import type { Money } from '../../../domain/shared/money.ts';
import type { Pool } from '../../postgres/pool.ts';
import { runIdempotent } from './idempotentCall.ts';
import { createPaymentScript, type CallContext, type PaymentScript } from './paymentScript.ts';
import {
  cancelAuthorization,
  captureAuthorization,
  completeAuthentication,
  findAuthorization,
  lapseAuthorizations,
  insertAuthorization,
  insertTransfer,
  refundCapture,
} from './providerState.ts';
import { listSimulatedPayments, retrieveSimulatedPayment } from './providerView.ts';

/** One effect the simulated provider applied, as `listOperations` reports it. */
export interface SimulatedOperation {
  /** Order of application across all operations. */
  readonly seq: number;
  readonly operation: PaymentOperation;
  /** Id of what was created: authorization, capture, refund or transfer (the authorization for a cancel). */
  readonly id: string;
  readonly idempotencyKey: string;
  /** The authorization it acted on; absent for transfers. */
  readonly authorizationId?: string;
  /** Money moved or held; the released amount for a cancel. */
  readonly amount: Money;
}

/** The simulated gateway: the port plus what tests and the demo need to look inside. */
export interface SimulatedPaymentGateway extends PaymentGateway {
  /** The failure plan; tests add and clear rules between calls. */
  readonly script: PaymentScript;
  /** Every effect applied for a reservation, in order: shows each charge happened once. */
  listOperations(reservationId: string): Promise<SimulatedOperation[]>;
  /**
   * The payer's browser answers the 3-D Secure challenge of an authorization that
   * answered `requires_action` (Stripe.js `handleNextAction` in real life).
   */
  authenticate(authorizationId: string, outcome: 'succeeded' | 'failed'): Promise<void>;
}

export interface SimulatedPaymentGatewayOptions {
  /** Scripted failures; default none. */
  readonly script?: PaymentScript;
  /** The provider's clock, for the lapse of uncaptured authorizations; default the system clock. */
  readonly clock?: { now(): Date };
  /** How long an uncaptured authorization holds money, hours (Stripe cards: 168, 7 days). */
  readonly authorizationValidityHours?: number;
}

/** Stripe: an uncaptured card PaymentIntent is canceled after 7 days. */
export const AUTHORIZATION_VALIDITY_HOURS = 168;

const assertPositive = (operation: PaymentOperation, value: Money | undefined): void => {
  if (value === undefined) return;
  if (
    !Number.isSafeInteger(value.amount) ||
    value.amount <= 0 ||
    !/^[A-Z]{3}$/.test(value.currency)
  ) {
    throw new PaymentInvalidRequestError(
      operation,
      'invalid_amount',
      `${operation} needs a positive integer amount of minor units and an ISO 4217 currency (got ${value.amount} ${value.currency}).`,
    );
  }
};

const attemptFromKey = (idempotencyKey: string): number | undefined => {
  const match = /-(\d+)$/.exec(idempotencyKey);
  return match?.[1] === undefined ? undefined : Number(match[1]);
};

const optional = <K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } =>
  (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };

/**
 * The embedded default gateway (DESIGN.md "Payments"): deterministic ids derived
 * from the idempotency key, state in PostgreSQL, Stripe's idempotency and money
 * rules, and scripted failures.
 */
export const getSimulatedPaymentGateway = (
  pool: Pool,
  options: SimulatedPaymentGatewayOptions = {},
): SimulatedPaymentGateway => {
  const script = options.script ?? createPaymentScript();
  const now = () => options.clock?.now() ?? new Date();
  const lapse = () =>
    lapseAuthorizations(
      pool,
      now(),
      options.authorizationValidityHours ?? AUTHORIZATION_VALIDITY_HOURS,
    );

  /** Context of a call on an existing authorization, for matching script rules. */
  const onAuthorization = async (
    operation: PaymentOperation,
    idempotencyKey: string,
    authorizationId: string,
    amount: Money | undefined,
  ): Promise<CallContext> => {
    const held = await findAuthorization(pool, authorizationId);
    return {
      operation,
      idempotencyKey,
      ...optional('reservationId', held?.reservationId),
      ...optional('attempt', attemptFromKey(idempotencyKey) ?? held?.attempt),
      ...optional('amount', amount?.amount ?? held?.amount.amount),
    };
  };

  return {
    script,

    authorize: async (request) => {
      assertPositive('authorize', request.amount);
      const { idempotencyKey, ...params } = request;
      return runIdempotent(pool, script, {
        context: {
          operation: 'authorize',
          idempotencyKey,
          reservationId: request.metadata.reservationId,
          attempt: request.metadata.attempt,
          amount: request.amount.amount,
        },
        params: { captureMethod: 'manual', ...params },
        effect: (client) => insertAuthorization(client, request, now()),
      });
    },

    capture: async (request) => {
      assertPositive('capture', request.amount);
      const { idempotencyKey, authorizationId, amount } = request;
      await lapse();
      return runIdempotent(pool, script, {
        context: await onAuthorization('capture', idempotencyKey, authorizationId, amount),
        params: { authorizationId, amount },
        effect: (client) => captureAuthorization(client, idempotencyKey, authorizationId, amount),
      });
    },

    cancelAuthorization: async ({ idempotencyKey, authorizationId }) => {
      await lapse();
      return runIdempotent(pool, script, {
        context: await onAuthorization(
          'cancelAuthorization',
          idempotencyKey,
          authorizationId,
          undefined,
        ),
        params: { authorizationId },
        effect: (client) => cancelAuthorization(client, idempotencyKey, authorizationId),
      });
    },

    refund: async (request) => {
      assertPositive('refund', request.amount);
      const { idempotencyKey, authorizationId, amount } = request;
      return runIdempotent(pool, script, {
        context: await onAuthorization('refund', idempotencyKey, authorizationId, amount),
        params: { authorizationId, amount },
        effect: (client) => refundCapture(client, idempotencyKey, authorizationId, amount),
      });
    },

    transfer: async (request) => {
      assertPositive('transfer', request.amount);
      if (request.destinationAccount.trim() === '') {
        throw new PaymentInvalidRequestError(
          'transfer',
          'invalid_parameter',
          "destinationAccount must name the vendor's connected account (got an empty string).",
        );
      }
      const { idempotencyKey, ...params } = request;
      return runIdempotent(pool, script, {
        context: {
          operation: 'transfer',
          idempotencyKey,
          reservationId: request.metadata.reservationId,
          attempt: request.metadata.attempt,
          amount: request.amount.amount,
        },
        params,
        effect: (client) => insertTransfer(client, request),
      });
    },

    retrievePayment: async (authorizationId) => {
      await lapse();
      return retrieveSimulatedPayment(pool, authorizationId);
    },

    listPayments: async (query) => {
      await lapse();
      return listSimulatedPayments(pool, query);
    },

    authenticate: (authorizationId, outcome) =>
      completeAuthentication(pool, authorizationId, outcome, now()),

    listOperations: async (reservationId) => {
      const { rows } = await pool.query<{
        seq: string;
        operation: PaymentOperation;
        id: string;
        idempotency_key: string;
        authorization_id: string | null;
        currency: string;
        amount: string;
      }>(
        `SELECT seq, 'authorize' AS operation, id, idempotency_key, id AS authorization_id, currency, amount
           FROM payment_sim_authorizations WHERE reservation_id = $1
         UNION ALL
         SELECT cancel_seq, 'cancelAuthorization', id, cancel_idempotency_key, id, currency, amount
           FROM payment_sim_authorizations WHERE reservation_id = $1 AND cancel_seq IS NOT NULL
         UNION ALL
         SELECT seq, 'capture', id, idempotency_key, authorization_id, currency, amount
           FROM payment_sim_captures WHERE reservation_id = $1
         UNION ALL
         SELECT seq, 'refund', id, idempotency_key, authorization_id, currency, amount
           FROM payment_sim_refunds WHERE reservation_id = $1
         UNION ALL
         SELECT seq, 'transfer', id, idempotency_key, NULL, currency, amount
           FROM payment_sim_transfers WHERE reservation_id = $1
         ORDER BY 1`,
        [reservationId],
      );
      return rows.map((row) => ({
        seq: Number(row.seq),
        operation: row.operation,
        id: row.id,
        idempotencyKey: row.idempotency_key,
        ...optional('authorizationId', row.authorization_id ?? undefined),
        amount: { amount: Number(row.amount), currency: row.currency },
      }));
    },
  };
};
