import { z } from 'zod';
import { createSagaDecider } from '../../domain/payment/sagaDecider.ts';
import type { PaymentSagaOptions } from '../../domain/payment/sagaDecide.ts';
import { paymentStream } from '../../domain/shared/streams.ts';
import { defineRoute, type RouteModule } from '../shared/route.ts';
import { handleCommand, type WriteDeps } from '../shared/commandHandler.ts';
import type { Clock } from '../shared/ports.ts';

export interface RetryDeadLettersDeps {
  readonly write: WriteDeps;
  readonly clock: Clock;
  readonly options: PaymentSagaOptions;
}

export interface RetriedStep {
  readonly step: string;
  readonly attempt: number;
  readonly idempotencyKey: string;
}

/**
 * The operator's retry of a reservation's dead-lettered payment steps: the
 * saga decider requests each again at the next attempt (on its stream, so the
 * running saga executes them). 400 NOTHING_TO_RETRY when none is dead.
 */
export const retryDeadLetters = async (
  deps: RetryDeadLettersDeps,
  reservationId: string,
  actor: string,
): Promise<{ retried: RetriedStep[]; position: string | undefined }> => {
  const outcome = await handleCommand(
    deps.write,
    paymentStream(reservationId),
    createSagaDecider(deps.options),
    // No jitter: a retry asked for by a person runs now.
    { type: 'RetryDeadLetters', reservationId, now: deps.clock.now().toISOString(), jitter: 0.5 },
    { correlationId: reservationId, actor: { principal: actor, role: 'admin' } },
  );
  const retried = outcome.events.flatMap((e) =>
    e.type === 'PaymentStepRequested'
      ? [{ step: e.data.step, attempt: e.data.attempt, idempotencyKey: e.data.idempotencyKey }]
      : [],
  );
  return { retried, position: outcome.position };
};

const retriedSchema = z.object({
  reservationId: z.string(),
  retried: z.array(z.object({ step: z.string(), attempt: z.number(), idempotencyKey: z.string() })),
  position: z.string().optional(),
});

/** `POST /api/v1/admin/payments/{reservationId}/retry` (role admin). */
export const getRetryDeadLettersRoute = (deps: RetryDeadLettersDeps): RouteModule =>
  defineRoute({
    method: 'post',
    path: '/api/v1/admin/payments/{reservationId}/retry',
    summary: "Retry a reservation's dead-lettered payment steps",
    description:
      'Steps the saga gave up on (a refund, cancellation, release or payout that kept failing) are requested again at the next attempt; after "no answer" under the same idempotency key, after a refusal under a new one.',
    tags: ['payments', 'admin'],
    auth: ['admin'],
    idempotent: true,
    params: z.object({ reservationId: z.string().min(1).max(200) }),
    responses: {
      202: { description: 'Requested again; the saga runs them.', body: retriedSchema },
      400: { description: 'Nothing is dead-lettered (NOTHING_TO_RETRY).' },
      404: { description: 'No payment saga for this reservation.' },
    },
    handler: async ({ params, principal }) => {
      const result = await retryDeadLetters(deps, params.reservationId, principal.id);
      return {
        status: 202,
        body: { reservationId: params.reservationId, ...result },
      };
    },
  });
