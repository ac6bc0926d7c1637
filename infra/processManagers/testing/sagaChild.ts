/**
 * The payment saga as its own process, for the kill -9 tests
 * (paymentSagaCrash.int.spec.ts). Environment:
 * - SAGA_DATABASE_URL, SAGA_SCHEMA: the test's database and schema;
 * - SAGA_CLOCK_START: the instant the saga's clock starts at (it then runs in real time);
 * - SAGA_CRASH_AFTER: authorize | capture | transfer | refund, or a step name
 *   (e.g. settle-auth) — SIGKILL this process right after that gateway call
 *   returned, before its outcome is recorded.
 */
import type { PaymentOperation } from '../../../commands/payments/paymentGateway.ts';
import {
  createStaticPaymentAccounts,
  createSilentVendorNotifier,
} from '../../../commands/payments/paymentSaga/ports.ts';
import type { PaymentSagaDeps } from '../../../commands/payments/paymentSaga/sagaDeps.ts';
import { domainEventCodec } from '../../../commands/shared/eventCodec.ts';
import { testIds } from '../../../commands/shared/testing/fixedIds.ts';
import { DEFAULT_SAGA_OPTIONS } from '../../../domain/payment/sagaDecider.ts';
import { getPostgresCheckpointStore } from '../../eventStore/postgres/checkpointStore.ts';
import { getPostgresEventStore } from '../../eventStore/postgres/postgresEventStore.ts';
import { getSimulatedPaymentGateway } from '../../payments/simulated/simulatedPaymentGateway.ts';
import { createPool } from '../../postgres/pool.ts';
import { startPaymentSaga } from '../paymentSagaProcess.ts';
import { getPostgresSagaTimers } from '../postgresSagaTimers.ts';

const env = (name: string): string => {
  const value = process.env[name];
  if (value === undefined || value === '') throw new Error(`${name} must be set.`);
  return value;
};

const connectionString = env('SAGA_DATABASE_URL');
const schema = env('SAGA_SCHEMA');
const crashAfter = process.env['SAGA_CRASH_AFTER'];
const offset = Date.parse(env('SAGA_CLOCK_START')) - Date.now();
const pool = createPool({ connectionString, schema, max: 3, applicationName: 'saga-child' });
const store = getPostgresEventStore(pool, { schema, connectionString });
const deps: PaymentSagaDeps = {
  write: { store, codec: domainEventCodec, ids: testIds },
  gateway: getSimulatedPaymentGateway(pool),
  clock: { now: () => new Date(Date.now() + offset) },
  jitter: () => 0.5,
  accounts: createStaticPaymentAccounts(),
  notifier: createSilentVendorNotifier(),
  timers: getPostgresSagaTimers(pool),
  options: { ...DEFAULT_SAGA_OPTIONS, disputeWindowHours: 0 },
  afterGatewayCall: (operation: PaymentOperation, step: string) => {
    if (operation === crashAfter || step === crashAfter) process.kill(process.pid, 'SIGKILL');
  },
};
startPaymentSaga(deps, {
  store,
  checkpoints: getPostgresCheckpointStore(pool),
  timerPollMs: 50,
  onError: (error) => process.stderr.write(`saga error: ${String(error)}\n`),
});
process.stdout.write('saga started\n');
