import { PUBLIC_EVENTS_VERSION } from '../../domain/integration/publicEventSchema.ts';
import { nextAttempt, type RetryPolicy } from '../../domain/integration/retryPolicy.ts';
import type { Tracer } from '@opentelemetry/api';
import { traceparentOf, withEventSpan } from '../observability/tracing.ts';
import type { Pool } from '../postgres/pool.ts';
import { inProjectionTransaction } from '../projections/transaction.ts';
import type { WebhookSender } from './sender.ts';
import { signatureHeader } from './signing.ts';
import type { WebhookMetrics } from './webhookMetrics.ts';

export interface DeliveryWorkerDeps {
  readonly pool: Pool;
  readonly send: WebhookSender;
  readonly clock: { now(): Date };
  /** Uniform in [0, 1): the backoff's jitter. */
  readonly random: () => number;
  readonly policy: RetryPolicy;
  /** Dead letters in a row (no success between) after which an endpoint is disabled. */
  readonly disableAfterDeadLetters: number;
  readonly metrics: WebhookMetrics;
  readonly logger?: { warn(details: object, message: string): void } | undefined;
  /** Deliveries sent at once (each to a different endpoint × reservation). Default 16. */
  readonly concurrency?: number;
  /** Each attempt is a span in the trace of the event it delivers, sent as `traceparent`. */
  readonly tracer?: Tracer | undefined;
}

interface DueRow {
  id: string;
  endpoint_id: string;
  event_id: string;
  event_type: string;
  body: string;
  round_failures: number;
  round_started_at: Date | null;
  committed_at: Date;
  traceparent: string | null;
  url: string;
  secret: string;
  previous_secret: string | null;
  previous_secret_expires_at: Date | null;
}

/**
 * Due deliveries, at most one per (endpoint, ordering key): the oldest pending
 * one, so a reservation's events reach an endpoint in log order, each only
 * after the one before was delivered or given up.
 */
const DUE_SQL = `
  SELECT d.id, d.endpoint_id, d.event_id, d.event_type, d.body, d.round_failures,
         d.round_started_at, d.committed_at, d.traceparent, e.url, e.secret, e.previous_secret,
         e.previous_secret_expires_at
  FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id
  WHERE d.status = 'pending' AND d.next_attempt_at <= $1 AND e.enabled
    AND NOT EXISTS (
      SELECT 1 FROM webhook_deliveries p
      WHERE p.endpoint_id = d.endpoint_id AND p.ordering_key = d.ordering_key
        AND p.status = 'pending' AND p.id < d.id)
  ORDER BY d.next_attempt_at, d.id
  LIMIT $2`;

export interface DeliveryWorker {
  /** Sends every due delivery once; returns how many were attempted. */
  runOnce(): Promise<number>;
  /** When the next pending delivery falls due (undefined: none pending). */
  nextDueAt(): Promise<Date | undefined>;
}

export const createDeliveryWorker = (deps: DeliveryWorkerDeps): DeliveryWorker => {
  const concurrency = deps.concurrency ?? 16;

  const record = async (
    row: DueRow,
    started: Date,
    outcome: Awaited<ReturnType<WebhookSender>>,
  ) => {
    const now = deps.clock.now();
    deps.metrics.attempt(outcome.ok ? 'success' : 'failure');
    await inProjectionTransaction(deps.pool, async (client) => {
      await client.query(
        `INSERT INTO webhook_attempts
           (delivery_id, attempted_at, duration_ms, status_code, error, response_excerpt)
         VALUES ($1, $2, $3, $4, $5, $6)`,
        [
          row.id,
          started,
          outcome.durationMs,
          outcome.statusCode,
          outcome.error?.slice(0, 500) ?? null,
          outcome.responseExcerpt,
        ],
      );
      if (outcome.ok) {
        await client.query(
          `UPDATE webhook_deliveries SET status = 'delivered', delivered_at = $2,
             attempts = attempts + 1, last_status_code = $3, last_error = NULL
           WHERE id = $1`,
          [row.id, now, outcome.statusCode],
        );
        await client.query(
          'UPDATE webhook_endpoints SET consecutive_dead_letters = 0 WHERE id = $1 AND consecutive_dead_letters > 0',
          [row.endpoint_id],
        );
        deps.metrics.delivered(Math.max(0, (now.getTime() - row.committed_at.getTime()) / 1000));
        return;
      }
      const roundStart = row.round_started_at ?? started;
      const next = nextAttempt(
        deps.policy,
        row.round_failures + 1,
        roundStart.getTime(),
        now.getTime(),
        deps.random(),
      );
      await client.query(
        `UPDATE webhook_deliveries SET status = $2, next_attempt_at = $3, attempts = attempts + 1,
           round_failures = round_failures + 1, round_started_at = $4,
           last_status_code = $5, last_error = $6
         WHERE id = $1`,
        [
          row.id,
          next.kind === 'retry' ? 'pending' : 'dead',
          next.kind === 'retry' ? new Date(next.atMs) : now,
          roundStart,
          outcome.statusCode,
          outcome.error?.slice(0, 500) ?? null,
        ],
      );
      if (next.kind === 'retry') return;
      deps.metrics.deadLetter();
      const { rows } = await client.query<{ dead: number }>(
        `UPDATE webhook_endpoints SET consecutive_dead_letters = consecutive_dead_letters + 1
         WHERE id = $1 RETURNING consecutive_dead_letters AS dead`,
        [row.endpoint_id],
      );
      const dead = rows[0]?.dead ?? 0;
      if (dead >= deps.disableAfterDeadLetters) {
        const { rowCount } = await client.query(
          `UPDATE webhook_endpoints SET enabled = false, disabled_at = $2, updated_at = $2,
             disabled_reason = $3
           WHERE id = $1 AND enabled`,
          [
            row.endpoint_id,
            now,
            `Disabled after ${dead} deliveries in a row were given up (last: ${outcome.error ?? 'no answer'}). Fix the receiver, then PATCH {"enabled": true} and redeliver the dead letters.`,
          ],
        );
        if (rowCount === 1) {
          deps.metrics.endpointDisabled();
          deps.logger?.warn(
            { endpointId: row.endpoint_id, deadLetters: dead },
            'webhook endpoint disabled: its deliveries keep failing',
          );
        }
      }
    });
  };

  const deliver = async (row: DueRow) => {
    const started = deps.clock.now();
    const secrets = [
      row.secret,
      ...(row.previous_secret &&
      row.previous_secret_expires_at &&
      row.previous_secret_expires_at.getTime() > started.getTime()
        ? [row.previous_secret]
        : []),
    ];
    const outcome = await withEventSpan(
      deps.tracer,
      `webhook deliver ${row.event_type}`,
      { metadata: { traceparent: row.traceparent }, type: row.event_type },
      async (span) => {
        span?.setAttribute('webhook.endpoint_id', row.endpoint_id);
        const traceparent = span === undefined ? undefined : traceparentOf();
        const sent = await deps.send({
          url: row.url,
          body: row.body,
          headers: {
            ...(traceparent === undefined ? {} : { traceparent }),
            'webhook-id': row.event_id,
            'webhook-signature': signatureHeader(
              secrets,
              Math.floor(started.getTime() / 1000),
              row.body,
            ),
            'x-webhook-version': PUBLIC_EVENTS_VERSION,
            'x-webhook-event': row.event_type,
          },
        });
        span?.setAttribute('http.response.status_code', sent.statusCode ?? 0);
        return sent;
      },
    );
    await record(row, started, outcome);
  };

  return {
    runOnce: async () => {
      const { rows } = await deps.pool.query<DueRow>(DUE_SQL, [deps.clock.now(), concurrency]);
      await Promise.all(rows.map(deliver));
      return rows.length;
    },
    nextDueAt: async () => {
      const { rows } = await deps.pool.query<{ at: Date | null }>(
        `SELECT min(d.next_attempt_at) AS at FROM webhook_deliveries d
         JOIN webhook_endpoints e ON e.id = d.endpoint_id
         WHERE d.status = 'pending' AND e.enabled`,
      );
      return rows[0]?.at ?? undefined;
    },
  };
};
