/**
 * The webhooks role as its own process, for the kill -9 test
 * (webhookCrash.int.spec.ts). Environment: WEBHOOK_DATABASE_URL,
 * WEBHOOK_SCHEMA, WEBHOOK_ALLOWED_HOSTS (comma-separated host:port).
 */
import { domainEventCodec } from '../../../commands/shared/eventCodec.ts';
import { getPostgresCheckpointStore } from '../../eventStore/postgres/checkpointStore.ts';
import { getPostgresEventStore } from '../../eventStore/postgres/postgresEventStore.ts';
import { createPool } from '../../postgres/pool.ts';
import { createWebhookSender } from '../sender.ts';
import { createUrlGuard } from '../urlGuard.ts';
import { createWebhookMetrics } from '../webhookMetrics.ts';
import { startWebhooks } from '../webhookRole.ts';
import { FAST_POLICY } from './webhookTestBed.ts';

const env = (name: string): string => {
  const value = process.env[name];
  if (value === undefined || value === '') throw new Error(`${name} must be set.`);
  return value;
};

const connectionString = env('WEBHOOK_DATABASE_URL');
const schema = env('WEBHOOK_SCHEMA');
const pool = createPool({ connectionString, schema, max: 3, applicationName: 'webhook-child' });
const store = getPostgresEventStore(pool, { schema, connectionString });
const guard = createUrlGuard({ allowedHosts: env('WEBHOOK_ALLOWED_HOSTS').split(',') });
startWebhooks({
  pool,
  store,
  codec: domainEventCodec,
  checkpoints: getPostgresCheckpointStore(pool),
  send: createWebhookSender(guard, { timeoutMs: 5_000 }),
  metrics: createWebhookMetrics(),
  policy: FAST_POLICY,
  pollMs: 50,
  leaseConnectionString: connectionString,
  leaseScope: schema,
  logger: {
    warn: (details, message) => process.stderr.write(`${message} ${JSON.stringify(details)}\n`),
  },
});
process.stdout.write('webhooks started\n');
