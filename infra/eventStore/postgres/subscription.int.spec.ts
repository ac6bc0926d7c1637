import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import fc from 'fast-check';
import { createPool } from '../../postgres/pool.ts';
import { createTestDatabase, type TestDatabase } from '../../postgres/testing.ts';
import {
  comparePostgresCheckpoints,
  headPostgresPosition,
  readAllPostgres,
  subscribePostgres,
  type PostgresSubscriptionDeps,
} from './subscription.ts';
import {
  appendRaw,
  collect,
  delay,
  trackQueries,
  waitForListener,
  waitUntil,
  waitUntilAsleep,
  writeEvents,
  type WrittenEvent,
} from './subscriptionTesting.ts';

// Every test writes to its own category and filters on it, so tests sharing the
// schema never see each other's events.
const uniqueCategory = (): string => `c${randomBytes(5).toString('hex')}`;
const ids = (events: readonly { readonly eventId: string }[]): string[] =>
  events.map((e) => e.eventId);

describe('Postgres subscriptions (subscribePostgres, readAllPostgres)', () => {
  let db: TestDatabase;
  const deps = (overrides: Partial<PostgresSubscriptionDeps> = {}): PostgresSubscriptionDeps => ({
    pool: db.pool,
    connectionString: db.connectionString,
    schema: db.schema,
    ...overrides,
  });

  before(async () => {
    db = await createTestDatabase({ max: 8 });
  });
  after(() => db.dispose());

  it('catches up, then delivers live events woken by NOTIFY (polling set to a minute)', async () => {
    const cat = uniqueCategory();
    const before = [
      ...(await writeEvents(db.pool, `${cat}-a`, ['A', 'B'])),
      ...(await writeEvents(db.pool, `${cat}-b`, ['C', 'D', 'E'])),
    ];
    const reads = trackQueries(db.pool);
    const seen = collect(
      subscribePostgres(deps({ pool: reads.pool, pollIntervalMs: 60_000, subscriptionName: cat }), {
        filter: { categories: [cat] },
      }),
    );
    try {
      await seen.waitFor(5);
      await waitUntilAsleep(db.pool, reads, cat);
      const live = await writeEvents(db.pool, `${cat}-a`, ['F', 'G', 'H']);
      await seen.waitFor(8, 5_000);
      expect(ids(seen.events)).to.deep.equal(ids([...before, ...live]));
    } finally {
      seen.subscription.unsubscribe();
    }
  });

  it('falls back to polling when no notification arrives', async () => {
    const cat = uniqueCategory();
    // A wrong schema only changes the channel listened on: reads still use the pool.
    const seen = collect(
      subscribePostgres(
        deps({ schema: 'no_such_schema', pollIntervalMs: 100, subscriptionName: cat }),
        { filter: { categories: [cat] } },
      ),
    );
    try {
      await waitForListener(db.pool, cat);
      const written = await writeEvents(db.pool, `${cat}-1`, ['A', 'B']);
      await seen.waitFor(2, 5_000);
      expect(ids(seen.events)).to.deep.equal(ids(written));
    } finally {
      seen.subscription.unsubscribe();
    }
  });

  it('filters by category and event type, in readAll and in subscriptions', async () => {
    const [catA, catB, catC] = [uniqueCategory(), uniqueCategory(), uniqueCategory()];
    const a = await writeEvents(db.pool, `${catA}-1`, ['Kept', 'Dropped', 'Kept']);
    const b = await writeEvents(db.pool, `${catB}-1`, ['Kept']);
    await writeEvents(db.pool, `${catC}-1`, ['Kept']);
    const filter = { categories: [catA, catB], eventTypes: ['Kept'] };
    const expected = ids([a[0]!, a[2]!, b[0]!]);

    expect(ids(await readAllPostgres(db.pool, { filter }))).to.deep.equal(expected);
    expect(await readAllPostgres(db.pool, { filter: { categories: [] } })).to.deep.equal([]);
    const seen = collect(subscribePostgres(deps(), { filter }));
    try {
      await seen.waitFor(3);
      // Delivery follows the log: once a later event arrives, nothing filtered out can still come.
      const [sentinel] = await writeEvents(db.pool, `${catB}-2`, ['Kept']);
      await seen.waitFor(4);
      expect(ids(seen.events)).to.deep.equal([...expected, sentinel!.eventId]);
    } finally {
      seen.subscription.unsubscribe();
    }
  });

  it('reads after a checkpoint (exclusive), honours maxCount, and reports the head', async () => {
    const cat = uniqueCategory();
    const written = await writeEvents(db.pool, `${cat}-1`, ['A', 'B', 'C', 'D', 'E', 'F']);
    const all = await readAllPostgres(db.pool, { filter: { categories: [cat] } });
    expect(ids(all)).to.deep.equal(ids(written));
    const third = all[2]!.checkpoint;

    const page = await readAllPostgres(db.pool, {
      from: third,
      maxCount: 2,
      filter: { categories: [cat] },
    });
    expect(ids(page)).to.deep.equal(ids(written.slice(3, 5)));
    expect(await headPostgresPosition(db.pool)).to.equal(
      (await readAllPostgres(db.pool)).at(-1)?.checkpoint,
    );

    const seen = collect(subscribePostgres(deps(), { from: third, filter: { categories: [cat] } }));
    try {
      await seen.waitFor(3);
      const sentinel = await writeEvents(db.pool, `${cat}-2`, ['Z']);
      await seen.waitFor(4);
      expect(ids(seen.events)).to.deep.equal(ids([...written.slice(3), ...sentinel]));
    } finally {
      seen.subscription.unsubscribe();
    }
  });

  it('delivers each stream in revision order under concurrent writers', async () => {
    const cat = uniqueCategory();
    const seen = collect(subscribePostgres(deps(), { filter: { categories: [cat] } }));
    try {
      const streams = [`${cat}-x`, `${cat}-y`];
      const writers = Array.from({ length: 4 }, async (_, w) => {
        for (let i = 0; i < 15; i += 1)
          await writeEvents(db.pool, streams[(w + i) % 2]!, ['E', 'E']);
      });
      await Promise.all(writers);
      await seen.waitFor(120);
      for (const stream of streams) {
        const revisions = seen.events.filter((e) => e.stream === stream).map((e) => e.revision);
        expect(revisions).to.deep.equal(Array.from({ length: 60 }, (_, i) => i));
      }
    } finally {
      seen.subscription.unsubscribe();
    }
  });

  it('holds back events behind a long-open transaction, then delivers it first, never skipping it', async () => {
    const cat = uniqueCategory();
    const seen = collect(
      subscribePostgres(deps({ pollIntervalMs: 100 }), { filter: { categories: [cat] } }),
    );
    const client = await db.pool.connect();
    try {
      await client.query('BEGIN');
      const early = await appendRaw(client, `${cat}-long`, ['Long']);
      const others: WrittenEvent[] = [];
      for (let i = 0; i < 3; i += 1)
        others.push(...(await writeEvents(db.pool, `${cat}-other${i}`, ['Other'])));
      // An observation window, not a wait: about eight polls must all come back empty.
      await delay(800);
      expect(
        seen.events,
        'events committed after the open transaction began must wait',
      ).to.have.length(0);
      expect(await readAllPostgres(db.pool, { filter: { categories: [cat] } })).to.have.length(0);

      await client.query('COMMIT');
      await seen.waitFor(4, 10_000);
      const sentinel = await writeEvents(db.pool, `${cat}-after`, ['After']);
      await seen.waitFor(5, 10_000);
      expect(ids(seen.events)).to.deep.equal(ids([...early, ...others, ...sentinel]));
    } finally {
      client.release();
      seen.subscription.unsubscribe();
    }
  });

  it('releases its timers and connections on unsubscribe and delivers nothing afterwards', async () => {
    const cat = uniqueCategory();
    const name = `cleanup-${cat}`;
    const activity = async (): Promise<number> => {
      const { rows } = await db.pool.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name IN ($1, $2)`,
        [`booking-ledger-subscription:${name}`, name],
      );
      return rows[0]?.n ?? 0;
    };
    const resources = () =>
      process.getActiveResourcesInfo().filter((r) => r === 'Timeout' || r === 'TCPSocketWrap')
        .length;
    // db.pool keeps one idle client (a socket and an idle timer) throughout.
    await db.pool.query('SELECT 1');
    const baseline = resources();
    const pool = createPool({
      connectionString: db.connectionString,
      schema: db.schema,
      max: 2,
      applicationName: name,
    });
    const seen = collect(
      subscribePostgres(
        { ...deps(), pool, subscriptionName: name },
        { filter: { categories: [cat] } },
      ),
    );
    await writeEvents(db.pool, `${cat}-1`, ['A']);
    await seen.waitFor(1);
    expect(await activity()).to.be.greaterThan(0);

    seen.subscription.unsubscribe();
    await pool.end();
    await writeEvents(db.pool, `${cat}-1`, ['B']);
    const deadline = Date.now() + 3_000;
    while ((resources() > baseline || (await activity()) > 0) && Date.now() < deadline)
      await delay(50);
    expect(await activity(), 'no backend left for the subscription').to.equal(0);
    expect(resources(), 'no timer or socket left behind').to.be.at.most(baseline);
    expect(seen.events).to.have.length(1);
  });

  it('rejects a malformed checkpoint through the observable', async () => {
    const seen = collect(subscribePostgres(deps(), { from: 'not-a-checkpoint' }));
    await waitUntil(() => seen.error() !== undefined, 'the subscription fails');
    expect(seen.error()?.message).to.match(/Invalid checkpoint "not-a-checkpoint"/);
  });

  it('orders checkpoints by transaction id, then global position, numerically', () => {
    const big = fc.bigInt({ min: 0n, max: 2n ** 63n });
    fc.assert(
      fc.property(big, big, big, big, (x1, p1, x2, p2) => {
        const result = comparePostgresCheckpoints(`${x1}:${p1}`, `${x2}:${p2}`);
        const expected = x1 !== x2 ? (x1 < x2 ? -1 : 1) : p1 === p2 ? 0 : p1 < p2 ? -1 : 1;
        expect(result).to.equal(expected);
        expect(comparePostgresCheckpoints(`${x2}:${p2}`, `${x1}:${p1}`)).to.equal(-expected || 0);
      }),
    );
    expect(comparePostgresCheckpoints('9:500', '10:1')).to.equal(-1);
  });
});
