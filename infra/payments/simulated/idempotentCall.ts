import {
  PaymentDeclinedError,
  PaymentIdempotencyMismatchError,
  PaymentInvalidRequestError,
  PaymentProviderUnavailableError,
  type InvalidRequestReason,
  type PaymentOperation,
} from '../../../commands/payments/paymentGateway.ts';
import { withTransaction, type Pool, type PoolClient } from '../../postgres/pool.ts';
import { requestHash } from '../requestHash.ts';
import type { CallContext, PaymentScript, SimulatedFailure } from './paymentScript.ts';

/** One gateway call as the simulator runs it. */
export interface SimulatedCall<T> {
  readonly context: CallContext;
  /** Everything that makes two calls "the same" (the key itself excluded). */
  readonly params: unknown;
  /** The work; runs once per key, inside the transaction that records the key. */
  readonly effect: (client: PoolClient) => Promise<T>;
}

/** A final failure as stored for replay. */
type StoredError =
  | { readonly error: 'declined'; readonly declineCode: string; readonly message: string }
  | {
      readonly error: 'invalid';
      readonly reason: InvalidRequestReason;
      readonly message: string;
      readonly details: Record<string, unknown>;
    };

type Outcome =
  | { readonly outcome: 'succeeded'; readonly response: unknown }
  | { readonly outcome: 'failed'; readonly response: StoredError }
  | { readonly outcome: 'mismatch' };

const MAX_KEY_LENGTH = 255;

const unavailable = (
  operation: PaymentOperation,
  failure: SimulatedFailure,
): PaymentProviderUnavailableError =>
  failure.kind === '5xx'
    ? new PaymentProviderUnavailableError(
        operation,
        'server_error',
        `The simulated provider answered ${failure.status ?? 500} to ${operation}; retry with the same idempotency key.`,
        { status: failure.status ?? 500, simulated: true },
      )
    : new PaymentProviderUnavailableError(
        operation,
        'timeout',
        `The simulated provider did not answer ${operation} in time; the effect may have happened, so retry with the same idempotency key.`,
        { simulated: true },
      );

const refusal = (operation: PaymentOperation, failure: SimulatedFailure): StoredError => {
  const declineCode =
    failure.kind === 'decline' || failure.kind === 'captureFailure'
      ? (failure.declineCode ?? (failure.kind === 'decline' ? 'card_declined' : 'capture_failed'))
      : 'card_declined';
  return {
    error: 'declined',
    declineCode,
    message: `The simulated provider refused ${operation} (${declineCode}); use another payment method or compensate.`,
  };
};

const toError = (operation: PaymentOperation, stored: StoredError): Error =>
  stored.error === 'declined'
    ? new PaymentDeclinedError(operation, stored.declineCode, stored.message)
    : new PaymentInvalidRequestError(operation, stored.reason, stored.message, stored.details);

/**
 * Runs a call with Stripe's idempotency semantics. Under a transaction-scoped
 * advisory lock on the key, a recorded outcome is replayed (or the parameters
 * are found to differ); otherwise the effect runs and its outcome — success or
 * final refusal — is recorded in the same transaction. Transient failures
 * (5xx, timeouts) record nothing, except a timeout after the effect, which is
 * exactly the case the saga must survive.
 */
export const runIdempotent = async <T>(
  pool: Pool,
  script: PaymentScript,
  call: SimulatedCall<T>,
): Promise<T> => {
  const { operation, idempotencyKey } = call.context;
  if (idempotencyKey.length === 0 || idempotencyKey.length > MAX_KEY_LENGTH) {
    throw new PaymentInvalidRequestError(
      operation,
      'invalid_parameter',
      `idempotencyKey must be 1 to ${MAX_KEY_LENGTH} characters (got ${idempotencyKey.length}).`,
    );
  }
  const early = script.take(call.context, 'request');
  if (early) throw unavailable(operation, early);

  const hash = requestHash({ operation, params: call.params });
  const result = await withTransaction(pool, async (client): Promise<Outcome> => {
    await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [idempotencyKey]);
    const { rows } = await client.query<{
      request_hash: string;
      outcome: 'succeeded' | 'failed';
      response: unknown;
    }>(
      'SELECT request_hash, outcome, response FROM payment_sim_idempotency WHERE idempotency_key = $1',
      [idempotencyKey],
    );
    const recorded = rows[0];
    if (recorded) {
      if (recorded.request_hash !== hash) return { outcome: 'mismatch' };
      return recorded.outcome === 'succeeded'
        ? { outcome: 'succeeded', response: recorded.response }
        : { outcome: 'failed', response: recorded.response as StoredError };
    }
    const outcome = await attempt(client, script, call);
    await client.query(
      `INSERT INTO payment_sim_idempotency (idempotency_key, operation, request_hash, outcome, response)
       VALUES ($1, $2, $3, $4, $5)`,
      [idempotencyKey, operation, hash, outcome.outcome, JSON.stringify(outcome.response)],
    );
    return outcome;
  });

  if (result.outcome === 'mismatch') {
    throw new PaymentIdempotencyMismatchError(operation, idempotencyKey);
  }
  const late = script.take(call.context, 'response');
  if (late) throw unavailable(operation, late);
  if (result.outcome === 'failed') throw toError(operation, result.response);
  return result.response as T;
};

const attempt = async <T>(
  client: PoolClient,
  script: PaymentScript,
  call: SimulatedCall<T>,
): Promise<Exclude<Outcome, { outcome: 'mismatch' }>> => {
  const failure = script.take(call.context, 'effect');
  if (failure) return { outcome: 'failed', response: refusal(call.context.operation, failure) };
  // A refused effect must leave nothing behind, yet its refusal is recorded in
  // this same transaction; the savepoint separates the two.
  await client.query('SAVEPOINT simulated_effect');
  try {
    const response = await call.effect(client);
    await client.query('RELEASE SAVEPOINT simulated_effect');
    return { outcome: 'succeeded', response };
  } catch (error) {
    if (error instanceof PaymentDeclinedError) {
      await client.query('ROLLBACK TO SAVEPOINT simulated_effect');
      return {
        outcome: 'failed',
        response: { error: 'declined', declineCode: error.declineCode, message: error.message },
      };
    }
    if (!(error instanceof PaymentInvalidRequestError)) throw error;
    await client.query('ROLLBACK TO SAVEPOINT simulated_effect');
    return {
      outcome: 'failed',
      response: {
        error: 'invalid',
        reason: error.reason,
        message: error.message,
        details: { ...error.details },
      },
    };
  }
};
