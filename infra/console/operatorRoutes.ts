import { z } from 'zod';
import { loadStream } from '../../commands/shared/commandHandler.ts';
import { defineRoute, type RouteModule } from '../../commands/shared/route.ts';
import type { WriteSide } from '../../commands/shared/writeSide.ts';
import { sagaDecider } from '../../domain/payment/sagaDecider.ts';
import type { Queryable } from '../postgres/pool.ts';
import type { ProjectionRunner } from '../projections/projectionRunner.ts';
import type { StallStore } from '../subscribers/stalls.ts';

/** Most dead-lettered sagas one answer lists (newest first): the cost never follows the caller. */
export const DEAD_LETTER_PAGE = 50;

export interface OperatorRouteDeps {
  readonly db: Queryable;
  readonly projections: Pick<ProjectionRunner, 'status'>;
  readonly stalls: StallStore;
  readonly writeSide: Pick<WriteSide, 'store' | 'codec'>;
}

/** `projection:availability:v2` and `process:payment-saga` are stalled as `availability`, `payment-saga`. */
const subscriberOf = (checkpoint: string): string =>
  checkpoint.replace(/^(projection|process):/, '').replace(/:v\d+$/, '');

const stall = z.object({
  subscriber: z.string(),
  stream: z.string(),
  revision: z.number(),
  position: z.string(),
  eventId: z.string(),
  eventType: z.string(),
  error: z.string(),
  attempts: z.number(),
  firstFailedAt: z.string(),
  lastFailedAt: z.string(),
  nextRetryAt: z.string(),
});

const statusBody = z.object({
  projections: z.array(
    z.object({
      name: z.string(),
      store: z.enum(['postgres', 'redis']),
      liveVersion: z.number().nullable(),
      checkpoint: z.string().nullable(),
      lag: z.object({ events: z.number(), seconds: z.number() }),
      stall: stall.nullable(),
    }),
  ),
  subscribers: z.array(
    z.object({
      name: z.string(),
      checkpoint: z.string(),
      updatedAt: z.string(),
      stall: stall.nullable(),
    }),
  ),
  stalls: z.array(stall),
});

const deadLetterBody = z.object({
  deadLetters: z.array(
    z.object({
      reservationId: z.string(),
      stream: z.string(),
      deadLetteredAt: z.string(),
      steps: z.array(
        z.object({
          step: z.string(),
          attempt: z.number(),
          reason: z.string(),
          retryable: z.boolean(),
          amount: z.object({ amount: z.number(), currency: z.string() }).nullable(),
        }),
      ),
    }),
  ),
  limit: z.number(),
});

/**
 * What the operator console reads: every read model's frontier and lag, every
 * subscriber's checkpoint (the payment saga, webhooks) and the events they are
 * stalled on, and the payment sagas with dead-lettered steps (admin only).
 */
export const getOperatorRoutes = (deps: OperatorRouteDeps): RouteModule[] => [
  defineRoute({
    method: 'get',
    path: '/api/v1/admin/projections',
    summary: 'Read models and subscribers: frontier, lag, stalls (poison events)',
    description:
      'The `projections status` CLI over HTTP: each read model with its live version, checkpoint and lag (events waiting, age of the oldest); each subscriber checkpoint; and every subscriber stopped on an event it cannot handle.',
    tags: ['admin'],
    auth: ['admin'],
    responses: { 200: { description: 'Projection and subscriber status.', body: statusBody } },
    handler: async () => {
      const [projections, stalls, checkpoints] = await Promise.all([
        deps.projections.status(),
        deps.stalls.list(),
        deps.db.query<{ name: string; checkpoint: string; updated_at: Date }>(
          'SELECT name, checkpoint, updated_at FROM subscription_checkpoints ORDER BY name LIMIT 200',
        ),
      ]);
      const stallOf = (name: string) => stalls.find((s) => s.subscriber === name) ?? null;
      return {
        status: 200,
        headers: { 'Cache-Control': 'no-store' },
        body: {
          projections: projections.map((p) => ({
            name: p.name,
            store: p.store,
            liveVersion: p.liveVersion ?? null,
            checkpoint: p.checkpoint ?? null,
            lag: p.lag,
            stall: p.stall ?? null,
          })),
          subscribers: checkpoints.rows.map((row) => ({
            name: row.name,
            checkpoint: row.checkpoint,
            updatedAt: row.updated_at.toISOString(),
            stall: stallOf(subscriberOf(row.name)),
          })),
          stalls,
        },
      };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/admin/payments/dead-letters',
    summary: 'Payment sagas with dead-lettered steps, newest first',
    description: `At most ${DEAD_LETTER_PAGE} sagas whose latest dead letter is newest; each with the steps still dead-lettered (a retried step leaves the list). Retry with POST /api/v1/admin/payments/{reservationId}/retry.`,
    tags: ['payments', 'admin'],
    auth: ['admin'],
    responses: { 200: { description: 'Dead-lettered payment steps.', body: deadLetterBody } },
    handler: async () => {
      const found = await deps.db.query<{ stream_name: string; at: Date }>(
        `SELECT stream_name, max(recorded_at) AS at FROM events
          WHERE event_type = 'PaymentDeadLettered'
          GROUP BY stream_name ORDER BY at DESC LIMIT ${DEAD_LETTER_PAGE}`,
      );
      const deadLetters = [];
      for (const row of found.rows) {
        const { state } = await loadStream(deps.writeSide, row.stream_name, sagaDecider);
        if (state.status === 'NONE') continue;
        const steps = Object.entries(state.steps).flatMap(([step, s]) =>
          s?.status === 'deadLettered'
            ? [
                {
                  step,
                  attempt: s.attempt,
                  reason: s.reason,
                  retryable: s.retryable,
                  amount: s.amount,
                },
              ]
            : [],
        );
        if (steps.length === 0) continue;
        deadLetters.push({
          reservationId: state.reservationId,
          stream: row.stream_name,
          deadLetteredAt: row.at.toISOString(),
          steps,
        });
      }
      return {
        status: 200,
        headers: { 'Cache-Control': 'no-store' },
        body: { deadLetters, limit: DEAD_LETTER_PAGE },
      };
    },
  }),
];
