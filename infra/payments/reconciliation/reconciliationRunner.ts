import { Counter, Gauge, type Registry } from 'prom-client';
import type { ReconciliationTrigger } from '../../../commands/reconcilingPayments/ports.ts';
import {
  runReconciliation,
  type ReconciliationDeps,
  type ReconciliationOutcome,
} from '../../../commands/reconcilingPayments/reconcile.ts';
import { ConflictError } from '../../../domain/shared/errors.ts';
import type { Logger } from '../../observability/logger.ts';
import type { Pool } from '../../postgres/pool.ts';

export interface ReconciliationRunner {
  /**
   * One run under the lease (a PostgreSQL advisory lock held for the run):
   * @throws ConflictError RECONCILIATION_RUNNING (retryable) while another run holds it.
   */
  runOnce(
    trigger: ReconciliationTrigger,
    reservationIds?: readonly string[],
  ): Promise<ReconciliationOutcome>;
  /** Runs every `intervalMs` until stopped; a run that finds the lease taken is skipped. */
  startSchedule(intervalMs: number): { stop(): void };
}

const metricsOf = (registry: Registry | undefined) => {
  if (!registry) return undefined;
  const existing = (name: string) => registry.getSingleMetric(name);
  const findings =
    (existing('payment_reconciliation_findings_total') as
      Counter<'kind' | 'repaired'> | undefined) ??
    new Counter({
      name: 'payment_reconciliation_findings_total',
      help: 'Differences between the ledger/saga and the payment provider, by kind and whether reconciliation repaired them',
      labelNames: ['kind', 'repaired'],
      registers: [registry],
    });
  const open =
    (existing('payment_reconciliation_open_findings') as Gauge | undefined) ??
    new Gauge({
      name: 'payment_reconciliation_open_findings',
      help: 'Differences with the payment provider that reconciliation could not repair, as of the last run',
      registers: [registry],
    });
  return { findings, open };
};

/** The reconciliation job: leased runs, on a schedule and on demand, with metrics and log lines. */
export const createReconciliationRunner = (options: {
  readonly pool: Pool;
  /** Scope of the lease name (the schema): advisory locks span the whole database. */
  readonly scope: string;
  readonly deps: ReconciliationDeps;
  readonly logger: Logger;
  readonly registry?: Registry | undefined;
}): ReconciliationRunner => {
  const lease = `${options.scope}:payment-reconciliation`;
  const metrics = metricsOf(options.registry);
  const deps: ReconciliationDeps = {
    ...options.deps,
    report: (reservationId, finding) => {
      metrics?.findings.inc({ kind: finding.kind, repaired: String(finding.repaired) });
      const log = finding.repaired ? options.logger.info : options.logger.warn;
      log(
        { reservationId, kind: finding.kind, repaired: finding.repaired, detail: finding.detail },
        finding.repaired
          ? 'payment reconciliation repaired the log from the provider'
          : 'payment reconciliation found a difference with the provider',
      );
      options.deps.report?.(reservationId, finding);
    },
  };
  const runOnce: ReconciliationRunner['runOnce'] = async (trigger, reservationIds) => {
    const client = await options.pool.connect();
    try {
      const { rows } = await client.query<{ held: boolean }>(
        'SELECT pg_try_advisory_lock(22, hashtext($1)) AS held',
        [lease],
      );
      if (rows[0]?.held !== true) {
        throw new ConflictError(
          'RECONCILIATION_RUNNING',
          'A payment reconciliation run is in progress; its findings appear at GET /api/v1/admin/payments/reconciliation. Retry shortly.',
          {},
          true,
        );
      }
      try {
        const outcome = await runReconciliation(deps, trigger, reservationIds);
        const { rows: open } = await client.query<{ open: string }>(
          'SELECT coalesce(sum(open_findings), 0) AS open FROM payment_reconciliation_watch',
        );
        metrics?.open.set(Number(open[0]?.open ?? 0));
        return outcome;
      } finally {
        await client.query('SELECT pg_advisory_unlock(22, hashtext($1))', [lease]);
      }
    } finally {
      client.release();
    }
  };
  return {
    runOnce,
    startSchedule: (intervalMs) => {
      let running = false;
      const timer = setInterval(() => {
        if (running) return;
        running = true;
        runOnce('schedule')
          .catch((error: unknown) => {
            if (error instanceof ConflictError) return;
            options.logger.error({ err: error }, 'payment reconciliation run failed');
          })
          .finally(() => {
            running = false;
          });
      }, intervalMs);
      timer.unref();
      return { stop: () => clearInterval(timer) };
    },
  };
};
