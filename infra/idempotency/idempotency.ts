import { setTimeout as sleep } from 'node:timers/promises';
import { ConflictError, IdempotencyKeyReusedError } from '../../domain/shared/errors.ts';
import type { HttpResponse } from '../http/errorResponse.ts';
import type { Idempotency, IdempotencyOutcome, IdempotentRequest } from '../http/ports.ts';
import type { Pool } from '../postgres/pool.ts';
import type { RedisResponseCache } from './redisResponseCache.ts';

export interface IdempotencyOptions {
  readonly pool: Pool;
  /** Optional fast path for completed responses; everything works without it. */
  readonly cache?: RedisResponseCache | undefined;
  /** How long a key is remembered, in seconds (default 86 400 = 24 h). */
  readonly ttlSeconds?: number;
  /** How long an in-progress claim is honoured before another request may take it over, in seconds (default 60). */
  readonly leaseSeconds?: number;
  /** How long a concurrent duplicate waits for the first request to finish, in ms (default 3000). */
  readonly waitMs?: number;
  /** Poll interval while waiting, in ms (default 50). */
  readonly pollMs?: number;
}

interface KeyRow {
  request_hash: string;
  state: 'in_progress' | 'completed';
  response_status: number | null;
  response_headers: Record<string, string> | null;
  response_body: unknown;
}

const toResponse = (row: KeyRow): HttpResponse => ({
  status: row.response_status ?? 500,
  ...(row.response_headers ? { headers: row.response_headers } : {}),
  ...(row.response_body === null ? {} : { body: row.response_body }),
});

const reused = (key: string) =>
  new IdempotencyKeyReusedError(
    `Idempotency-Key "${key}" was already used with a different request; use a new key for a new request.`,
    { idempotencyKey: key },
  );

/**
 * Idempotency keys in Postgres. A key is claimed with INSERT … ON CONFLICT DO
 * NOTHING, so of concurrent requests with one key exactly one executes; the
 * others wait for its response and replay it, or get a retryable 409.
 */
export const createIdempotency = (
  options: IdempotencyOptions,
): Idempotency & { purgeExpired(): Promise<number> } => {
  const { pool, cache } = options;
  const ttlSeconds = options.ttlSeconds ?? 86_400;
  const leaseSeconds = options.leaseSeconds ?? 60;
  const waitMs = options.waitMs ?? 3000;
  const pollMs = options.pollMs ?? 50;

  const claim = async ({ scope, key, requestHash }: IdempotentRequest): Promise<boolean> => {
    const inserted = await pool.query(
      `INSERT INTO idempotency_keys (scope, idempotency_key, request_hash, state, locked_until, expires_at)
       VALUES ($1, $2, $3, 'in_progress', now() + make_interval(secs => $4), now() + make_interval(secs => $5))
       ON CONFLICT DO NOTHING`,
      [scope, key, requestHash, leaseSeconds, ttlSeconds],
    );
    if (inserted.rowCount === 1) return true;
    // An expired key is free again; an abandoned claim (its owner died) is free for the same request.
    const taken = await pool.query(
      `UPDATE idempotency_keys
          SET request_hash = $3, state = 'in_progress', created_at = now(),
              locked_until = now() + make_interval(secs => $4), expires_at = now() + make_interval(secs => $5),
              response_status = NULL, response_headers = NULL, response_body = NULL
        WHERE scope = $1 AND idempotency_key = $2
          AND (expires_at < now() OR (state = 'in_progress' AND locked_until < now() AND request_hash = $3))`,
      [scope, key, requestHash, leaseSeconds, ttlSeconds],
    );
    return taken.rowCount === 1;
  };

  const executeAsOwner = async (request: IdempotentRequest): Promise<IdempotencyOutcome> => {
    let response: HttpResponse;
    try {
      response = await request.run();
    } catch (error) {
      await pool.query(
        `DELETE FROM idempotency_keys WHERE scope = $1 AND idempotency_key = $2 AND state = 'in_progress'`,
        [request.scope, request.key],
      );
      throw error;
    }
    await pool.query(
      `UPDATE idempotency_keys
          SET state = 'completed', response_status = $3, response_headers = $4, response_body = $5
        WHERE scope = $1 AND idempotency_key = $2`,
      [
        request.scope,
        request.key,
        response.status,
        JSON.stringify(response.headers ?? {}),
        response.body === undefined ? null : JSON.stringify(response.body),
      ],
    );
    await cache?.set(
      request.scope,
      request.key,
      { requestHash: request.requestHash, response },
      ttlSeconds,
    );
    return { response, replayed: false };
  };

  const execute = async (request: IdempotentRequest): Promise<IdempotencyOutcome> => {
    const cached = await cache?.get(request.scope, request.key);
    if (cached) {
      if (cached.requestHash !== request.requestHash) throw reused(request.key);
      return { response: cached.response, replayed: true };
    }
    const deadline = Date.now() + waitMs;
    for (;;) {
      if (await claim(request)) return executeAsOwner(request);
      const { rows } = await pool.query<KeyRow>(
        `SELECT request_hash, state, response_status, response_headers, response_body
           FROM idempotency_keys WHERE scope = $1 AND idempotency_key = $2`,
        [request.scope, request.key],
      );
      const row = rows[0];
      // Gone: the first request failed with a 5xx and released the key; claim again.
      if (!row) continue;
      if (row.request_hash !== request.requestHash) throw reused(request.key);
      if (row.state === 'completed') return { response: toResponse(row), replayed: true };
      if (Date.now() >= deadline) {
        throw new ConflictError(
          'IDEMPOTENCY_IN_PROGRESS',
          `A request with Idempotency-Key "${request.key}" is still being processed; retry in a moment to get its response.`,
          { idempotencyKey: request.key },
          true,
        );
      }
      await sleep(pollMs);
    }
  };

  return {
    execute,
    /** Deletes keys older than their TTL; returns how many. Safe to run from several instances. */
    purgeExpired: async () => {
      const { rowCount } = await pool.query(
        'DELETE FROM idempotency_keys WHERE expires_at < now()',
      );
      return rowCount ?? 0;
    },
  };
};
