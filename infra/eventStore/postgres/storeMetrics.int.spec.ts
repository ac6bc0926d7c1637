import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import { Registry } from 'prom-client';
import { createTestDatabase, type TestDatabase } from '../../postgres/testing.ts';
import {
  OLDEST_OPEN_TRANSACTION_AGE,
  registerStoreMetrics,
  SUBSCRIPTION_LAG,
  SUBSCRIPTION_LAST_POSITION,
} from './storeMetrics.ts';
import { subscribePostgres } from './subscription.ts';
import {
  appendRaw,
  collect,
  delay,
  trackQueries,
  waitUntil,
  waitUntilAsleep,
  writeEvents,
} from './subscriptionTesting.ts';

const gaugeValues = async (registry: Registry, name: string) => {
  const metric = registry.getSingleMetric(name);
  if (!metric) return [];
  return (await metric.get()).values;
};

describe('Event store metrics', () => {
  let db: TestDatabase;
  before(async () => {
    db = await createTestDatabase({ max: 4 });
  });
  after(() => db.dispose());

  it('reports the age of the oldest transaction holding an xid, read on scrape', async () => {
    const registry = new Registry();
    const stop = registerStoreMetrics(registry, db.pool);
    registerStoreMetrics(registry, db.pool); // a second registration reuses the gauge
    const client = await db.pool.connect();
    try {
      await client.query('BEGIN');
      const began = Date.now();
      await appendRaw(client, `open${randomBytes(4).toString('hex')}-1`, ['Held']);
      let age = 0;
      await waitUntil(async () => {
        age = (await gaugeValues(registry, OLDEST_OPEN_TRANSACTION_AGE))[0]?.value ?? 0;
        return age >= 1;
      }, 'the oldest open transaction is reported at least a second old');
      expect(age).to.be.at.most((Date.now() - began) / 1000 + 0.5);
    } finally {
      await client.query('ROLLBACK');
      client.release();
      stop();
    }
    expect(await registry.metrics()).to.include(OLDEST_OPEN_TRANSACTION_AGE);
  });

  it('reports a subscription’s lag and last delivered position, and forgets it on unsubscribe', async () => {
    const registry = new Registry();
    const cat = `m${randomBytes(4).toString('hex')}`;
    const subscription = `metrics-${cat}`;
    const first = await writeEvents(db.pool, `${cat}-1`, ['A', 'B']);
    const reads = trackQueries(db.pool);
    // No NOTIFY reaches a wrong channel and polling waits a minute: the
    // subscription stays put after catching up, so lag can be observed.
    const seen = collect(
      subscribePostgres(
        {
          pool: reads.pool,
          connectionString: db.connectionString,
          schema: 'elsewhere',
          registry,
          subscriptionName: subscription,
          pollIntervalMs: 60_000,
        },
        { filter: { categories: [cat] } },
      ),
    );
    try {
      await seen.waitFor(2);
      // The reader sleeps a minute from here, so what follows is only counted as lag.
      await waitUntilAsleep(db.pool, reads, subscription);
      await writeEvents(db.pool, `${cat}-1`, ['C', 'D', 'E']);
      await writeEvents(db.pool, `other${cat}-1`, ['NotCounted']);
      // Lag counts events below the visibility fence: a transaction open elsewhere on the
      // cluster holds the new ones back for a moment, so wait (bounded) for them to count.
      let lag = await gaugeValues(registry, SUBSCRIPTION_LAG);
      for (const deadline = Date.now() + 10_000; lag[0]?.value !== 3 && Date.now() < deadline;) {
        await delay(50);
        lag = await gaugeValues(registry, SUBSCRIPTION_LAG);
      }
      expect(lag).to.deep.equal([{ value: 3, labels: { subscription } }]);
      const position = await gaugeValues(registry, SUBSCRIPTION_LAST_POSITION);
      expect(position).to.deep.equal([
        { value: Number(seen.events[1]!.globalPosition), labels: { subscription } },
      ]);
      expect(seen.events.map((e) => e.eventId)).to.deep.equal(first.map((e) => e.eventId));
    } finally {
      seen.subscription.unsubscribe();
    }
    expect(await gaugeValues(registry, SUBSCRIPTION_LAG)).to.deep.equal([]);
  });
});
