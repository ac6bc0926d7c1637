import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { expect } from 'chai';
import { domainEventCodec } from '../../commands/shared/eventCodec.ts';
import type { EventStore } from '../../commands/shared/eventStore.ts';
import { getPostgresCheckpointStore } from '../eventStore/postgres/checkpointStore.ts';
import { getPostgresEventStore } from '../eventStore/postgres/postgresEventStore.ts';
import { createTestDatabase, type TestDatabase } from '../postgres/testing.ts';
import { createWebhookMetrics } from '../webhooks/webhookMetrics.ts';
import { appendLifecycle } from '../webhooks/testing/lifecycle.ts';
import { defaultStreamName, startNatsRelay, type RunningRelay } from './natsRelay.ts';
import {
  deleteStreamQuietly,
  hasNatsServerBinary,
  readStreamMessages,
  startOwnNatsServer,
  stopNatsServer,
  TEST_NATS_URL,
} from './testing/natsTesting.ts';

/** Public events of one COMPLETED lifecycle. */
const PER_LIFECYCLE = 19;

const waitUntil = async (what: string, check: () => Promise<boolean>, timeoutMs = 30_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
};

const lifecycle = (store: EventStore) =>
  appendLifecycle(store, {
    reservationId: `r-${randomUUID().slice(0, 8)}`,
    partnerId: 'p-1',
    vendorId: 'v-1',
  });

const expectExactlyOnceInOrder = (
  messages: Awaited<ReturnType<typeof readStreamMessages>>,
  install: string,
) => {
  const ids = messages.map((m) => m.event.id);
  expect(new Set(ids).size, 'no duplicates in the stream').to.equal(ids.length);
  const byReservation = new Map<string, number[]>();
  for (const m of messages) {
    expect(m.msgId).to.equal(m.event.id);
    expect(m.subject).to.equal(`booking-ledger.${install}.${m.event.type}`);
    expect(m.ce).to.include({
      'ce-specversion': '1.0',
      'ce-id': m.event.id,
      'ce-type': m.event.type,
      'ce-subject': m.event.reservationId,
      'ce-source': `/booking-ledger/${install}`,
    });
    byReservation.set(m.event.reservationId, [
      ...(byReservation.get(m.event.reservationId) ?? []),
      m.event.reservationVersion,
    ]);
  }
  for (const [id, versions] of byReservation) {
    expect(versions, id).to.deep.equal([...versions].sort((a, b) => a - b));
    expect(versions, id).to.have.length(PER_LIFECYCLE);
  }
  return byReservation.size;
};

describe('the NATS JetStream relay of public events', function () {
  this.timeout(90_000);
  let db: TestDatabase;
  let store: EventStore;
  let relay: RunningRelay | undefined;
  const start = (servers: string, install: string) =>
    startNatsRelay({
      servers,
      install,
      stream: defaultStreamName(install),
      store,
      codec: domainEventCodec,
      checkpoints: getPostgresCheckpointStore(db.pool),
      metrics: createWebhookMetrics(),
      publishTimeoutMs: 1_000,
    });

  beforeEach(async () => {
    db = await createTestDatabase({ max: 4, prefix: 'nats' });
    store = getPostgresEventStore(db.pool, {
      schema: db.schema,
      connectionString: db.connectionString,
    });
  });
  afterEach(async () => {
    relay?.stop();
    relay = undefined;
    await db.dispose();
  });

  it('against the machine’s JetStream: every event exactly once, in log order, across a relay restart', async () => {
    const install = `t${randomBytes(5).toString('hex')}`;
    const stream = defaultStreamName(install);
    const nc: NatsConnection = await connect({ servers: TEST_NATS_URL });
    try {
      await lifecycle(store);
      await lifecycle(store);
      relay = start(TEST_NATS_URL, install);
      await waitUntil('the first two lifecycles', async () => {
        try {
          return (await readStreamMessages(nc, stream)).length >= 2 * PER_LIFECYCLE;
        } catch {
          return false;
        }
      });
      relay.stop();
      // A crash before any checkpoint was stored: the restarted relay publishes everything again.
      await db.pool.query("DELETE FROM subscription_checkpoints WHERE name = 'process:nats-relay'");
      relay = start(TEST_NATS_URL, install);
      await lifecycle(store);
      await waitUntil('the third lifecycle', async () =>
        (await readStreamMessages(nc, stream)).some(
          (m, _i, all) => all.length >= 3 * PER_LIFECYCLE && m.event.type === 'booking.completed',
        ),
      );
      await waitUntil('the checkpoint to reach the head', async () => {
        const head = await store.headPosition();
        const current = await db.pool.query<{ checkpoint: string }>(
          "SELECT checkpoint FROM subscription_checkpoints WHERE name = 'process:nats-relay'",
        );
        return head !== undefined && current.rows[0]?.checkpoint === head;
      });
      const messages = await readStreamMessages(nc, stream);
      expect(messages).to.have.length(3 * PER_LIFECYCLE);
      expect(expectExactlyOnceInOrder(messages, install)).to.equal(3);
    } finally {
      await nc.close();
      await deleteStreamQuietly(TEST_NATS_URL, stream);
    }
  });

  (hasNatsServerBinary() ? it : it.skip)(
    'waits while JetStream is down and catches up when it returns, losing nothing',
    async () => {
      const port = 3179;
      const url = `nats://127.0.0.1:${port}`;
      const dir = mkdtempSync(join(tmpdir(), 'nats-relay-'));
      const install = `t${randomBytes(5).toString('hex')}`;
      const stream = defaultStreamName(install);
      let server = await startOwnNatsServer(port, dir);
      try {
        relay = start(url, install);
        await lifecycle(store);
        const count = async () => {
          const nc = await connect({ servers: url });
          try {
            return (await readStreamMessages(nc, stream)).length;
          } catch {
            return -1;
          } finally {
            await nc.close();
          }
        };
        await waitUntil('the first lifecycle', async () => (await count()) >= PER_LIFECYCLE);
        await stopNatsServer(server);
        await lifecycle(store);
        await lifecycle(store);
        server = await startOwnNatsServer(port, dir);
        await waitUntil('the catch-up', async () => (await count()) >= 3 * PER_LIFECYCLE);
        const nc = await connect({ servers: url });
        try {
          const messages = await readStreamMessages(nc, stream);
          expect(messages).to.have.length(3 * PER_LIFECYCLE);
          expect(expectExactlyOnceInOrder(messages, install)).to.equal(3);
        } finally {
          await nc.close();
        }
      } finally {
        relay?.stop();
        relay = undefined;
        await stopNatsServer(server);
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});
