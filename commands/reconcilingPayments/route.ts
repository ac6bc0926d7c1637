import { z } from 'zod';
import { idSchema } from '../shared/httpSchemas.ts';
import { defineRoute, type RouteModule } from '../shared/route.ts';
import type { ReconciliationStore, ReconciliationTrigger } from './ports.ts';
import type { ReconciliationOutcome } from './reconcile.ts';

export interface ReconciliationRouteDeps {
  readonly run: (
    trigger: ReconciliationTrigger,
    reservationIds?: readonly string[],
  ) => Promise<ReconciliationOutcome>;
  readonly store: Pick<ReconciliationStore, 'latest'>;
}

const body = z.strictObject({
  /** Compare these bookings now (they must have a payment saga); default: the due ones. */
  reservationIds: z.array(idSchema).min(1).max(100).optional(),
});

/** Reconciliation's admin routes: run now, and read what runs found. */
export const getReconciliationRoutes = (deps: ReconciliationRouteDeps): RouteModule[] => [
  defineRoute({
    method: 'post',
    path: '/api/v1/admin/payments/reconcile',
    summary: 'Compare the ledger and saga with the payment provider now',
    description:
      'One reconciliation run under its lease: what the provider did and the log missed is appended through the saga (repaired); every other difference is recorded and answered. 409 RECONCILIATION_RUNNING while a run is in progress.',
    tags: ['payments', 'admin'],
    auth: ['admin'],
    body: body.optional(),
    responses: {
      200: { description: 'The run and what it recorded' },
      409: { description: 'A run is in progress (RECONCILIATION_RUNNING, retryable)' },
    },
    handler: async ({ body: b }) => {
      const { run, findings } = await deps.run('admin', b?.reservationIds);
      return { status: 200, body: { run, findings } };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/admin/payments/reconciliation',
    summary: 'Reconciliation runs and the differences still open',
    tags: ['payments', 'admin'],
    auth: ['admin'],
    responses: {
      200: { description: 'The last 10 runs, the newest run’s findings, and open differences' },
    },
    handler: async () => {
      const { runs, findings, open } = await deps.store.latest(10);
      return {
        status: 200,
        body: { runs, latestFindings: findings, open },
        headers: { 'Cache-Control': 'no-store' },
      };
    },
  }),
];
