import { randomUUID } from 'node:crypto';
import { availableParallelism, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { domainEventCodec } from '../commands/shared/eventCodec.ts';
import { getPostgresCheckpointStore } from '../infra/eventStore/postgres/checkpointStore.ts';
import { getPostgresEventStore } from '../infra/eventStore/postgres/postgresEventStore.ts';
import { createTestDatabase } from '../infra/postgres/testing.ts';
import { getPostgresWebhookEndpoints } from '../infra/webhooks/endpointStore.ts';
import { createWebhookSender } from '../infra/webhooks/sender.ts';
import { appendLifecycle } from '../infra/webhooks/testing/lifecycle.ts';
import { startReceiver } from '../infra/webhooks/testing/receiver.ts';
import { FAST_POLICY } from '../infra/webhooks/testing/webhookTestBed.ts';
import { createUrlGuard } from '../infra/webhooks/urlGuard.ts';
import { createWebhookMetrics } from '../infra/webhooks/webhookMetrics.ts';
import { startWebhooks } from '../infra/webhooks/webhookRole.ts';
import { writeDocSection, writeResultJson } from './shared/benchDoc.ts';

/**
 * `make bench`, webhooks: deliveries per second from the log to a local HTTP
 * receiver (signed, recorded), and latency from the source event's commit to
 * the receiver, p50/p99. BENCH_WEBHOOK_RESERVATIONS sets the load (each
 * reservation is a 13-event lifecycle = 19 public events).
 */
const RESERVATIONS = Number(process.env['BENCH_WEBHOOK_RESERVATIONS'] ?? 40);
const root = fileURLToPath(new URL('..', import.meta.url));

const percentile = (sorted: readonly number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

const db = await createTestDatabase({ max: 6, prefix: 'benchwh' });
const latencies: number[] = [];
const receiver = await startReceiver((request) => {
  latencies.push(
    Date.now() - Date.parse((JSON.parse(request.body) as { occurredAt: string }).occurredAt),
  );
  return 200;
});
try {
  const store = getPostgresEventStore(db.pool, {
    schema: db.schema,
    connectionString: db.connectionString,
  });
  await getPostgresWebhookEndpoints(db.pool).create({
    owner: { role: 'partner', id: 'p-bench' },
    url: receiver.url,
    events: ['*'],
    description: null,
    reservationId: null,
  });
  const guard = createUrlGuard({ allowedHosts: [receiver.hostPort] });
  const role = startWebhooks({
    pool: db.pool,
    store,
    codec: domainEventCodec,
    checkpoints: getPostgresCheckpointStore(db.pool),
    send: createWebhookSender(guard),
    metrics: createWebhookMetrics(),
    policy: FAST_POLICY,
    pollMs: 50,
  });
  const started = Date.now();
  await Promise.all(
    Array.from({ length: RESERVATIONS }, () =>
      appendLifecycle(store, {
        reservationId: `r-${randomUUID().slice(0, 8)}`,
        partnerId: 'p-bench',
        vendorId: 'v',
      }),
    ),
  );
  const expected = RESERVATIONS * 19;
  await receiver.waitFor((accepted) => accepted.length >= expected, 600_000);
  const seconds = (Date.now() - started) / 1000;
  role.stop();
  const sorted = [...latencies].sort((a, b) => a - b);
  const report = {
    at: new Date().toISOString(),
    machine: { cpus: availableParallelism(), loadavg: loadavg().map((l) => Number(l.toFixed(2))) },
    reservations: RESERVATIONS,
    deliveries: expected,
    seconds: Number(seconds.toFixed(2)),
    deliveriesPerSecond: Math.round(expected / seconds),
    latencyMs: {
      p50: percentile(sorted, 50),
      p99: percentile(sorted, 99),
      max: sorted[sorted.length - 1] ?? 0,
    },
  };
  await writeResultJson(`${root}bench/results`, 'webhooks', report);
  await writeDocSection(
    `${root}docs/benchmarks.md`,
    'webhooks',
    `<!-- bench:webhooks:start -->
## Webhooks: log → signed delivery to a local receiver

${report.at}, ${report.machine.cpus} cores, load average ${report.machine.loadavg.join(' / ')} (a shared machine).
${RESERVATIONS} reservations appended concurrently, 19 public events each, one partner endpoint on \`*\`
(a real HTTP receiver on 127.0.0.1); the webhooks role fans out and delivers (signing, the attempt log, order per reservation).

| deliveries | seconds | deliveries/s | commit → receiver p50 | p99 | max |
| --- | --- | --- | --- | --- | --- |
| ${expected} | ${report.seconds} | ${report.deliveriesPerSecond} | ${report.latencyMs.p50} ms | ${report.latencyMs.p99} ms | ${report.latencyMs.max} ms |

Latency includes the appends racing the fan-out (the log is written while it is delivered). \`npx tsx bench/webhooks.ts\`; \`BENCH_WEBHOOK_RESERVATIONS\` sets the load.
<!-- bench:webhooks:end -->`,
  );
  process.stdout.write(`${JSON.stringify(report)}\n`);
} finally {
  await receiver.close();
  await db.dispose();
}
