/**
 * One reconciliation run as its own process, for the kill -9 test
 * (reconciliation.int.spec.ts). Environment: RECONCILE_DATABASE_URL,
 * RECONCILE_SCHEMA; RECONCILE_CRASH_AFTER_REPAIR=1 SIGKILLs this process right
 * after a repair was appended, before the run records it.
 */
import pino from 'pino';
import { domainEventCodec } from '../../shared/eventCodec.ts';
import { testIds } from '../../shared/testing/fixedIds.ts';
import { DEFAULT_SAGA_OPTIONS } from '../../../domain/payment/sagaDecider.ts';
import { getPostgresEventStore } from '../../../infra/eventStore/postgres/postgresEventStore.ts';
import { getPostgresReconciliationStore } from '../../../infra/payments/reconciliation/postgresReconciliationStore.ts';
import { createReconciliationRunner } from '../../../infra/payments/reconciliation/reconciliationRunner.ts';
import { getSimulatedPaymentGateway } from '../../../infra/payments/simulated/simulatedPaymentGateway.ts';
import { createPool } from '../../../infra/postgres/pool.ts';

const env = (name: string): string => {
  const value = process.env[name];
  if (value === undefined || value === '') throw new Error(`${name} must be set.`);
  return value;
};
const connectionString = env('RECONCILE_DATABASE_URL');
const schema = env('RECONCILE_SCHEMA');
const crash = process.env['RECONCILE_CRASH_AFTER_REPAIR'] === '1';
const pool = createPool({ connectionString, schema, max: 3, applicationName: 'reconcile-child' });
const store = getPostgresEventStore(pool, { schema, connectionString });
const runner = createReconciliationRunner({
  pool,
  scope: schema,
  logger: pino({ level: 'silent' }),
  deps: {
    write: { store, codec: domainEventCodec, ids: testIds },
    gateway: getSimulatedPaymentGateway(pool),
    clock: { now: () => new Date() },
    options: DEFAULT_SAGA_OPTIONS,
    store: getPostgresReconciliationStore(pool),
    afterRepair: () => {
      if (crash) process.kill(process.pid, 'SIGKILL');
    },
  },
});
const { run } = await runner.runOnce('cli');
process.stdout.write(`${JSON.stringify(run)}\n`);
await pool.end();
