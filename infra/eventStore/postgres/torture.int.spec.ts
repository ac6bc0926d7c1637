import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import type { RecordedEvent } from '../../../commands/shared/eventStore.ts';
import { createPool, type Pool } from '../../postgres/pool.ts';
import { createTestDatabase, type TestDatabase } from '../../postgres/testing.ts';
import { getPostgresEventStore } from './postgresEventStore.ts';
import { comparePostgresCheckpoints, readAllPostgres, subscribePostgres } from './subscription.ts';
import { appendRaw, collect, delay, type WrittenEvent } from './subscriptionTesting.ts';

const TARGET_EVENTS = 3_000;
const RAW_WRITERS = 8;
const STORE_WRITERS = 2;
const SHARED_STREAMS = ['shared-0', 'shared-1', 'shared-2', 'shared-3'];

const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)]!;
const types = (): string[] =>
  Array.from({ length: 1 + Math.floor(Math.random() * 4) }, () => 'Tortured');

/** What every subscriber must have delivered: exactly the committed events, each stream in revision order. */
const expectExactlyCommitted = (
  delivered: readonly RecordedEvent[],
  committed: readonly WrittenEvent[],
  rolledBack: ReadonlySet<string>,
): void => {
  const ids = delivered.map((event) => event.eventId);
  expect(new Set(ids).size, 'no duplicates').to.equal(ids.length);
  expect(
    ids.filter((id) => rolledBack.has(id)),
    'no rolled-back event',
  ).to.deep.equal([]);
  expect([...ids].sort(), 'every committed event').to.deep.equal(
    committed.map((e) => e.eventId).sort(),
  );
  const next = new Map<string, number>();
  for (const event of delivered) {
    expect(event.revision, `revision order in ${event.stream}`).to.equal(
      next.get(event.stream) ?? 0,
    );
    next.set(event.stream, event.revision + 1);
  }
  for (let i = 1; i < delivered.length; i += 1) {
    expect(
      comparePostgresCheckpoints(delivered[i - 1]!.checkpoint, delivered[i]!.checkpoint),
    ).to.equal(-1);
  }
};

describe('Postgres subscriptions under torture (concurrent writers, slow commits, rollbacks)', function () {
  this.timeout(90_000);
  let db: TestDatabase;
  let readers: Pool;

  before(async () => {
    db = await createTestDatabase({ max: RAW_WRITERS + STORE_WRITERS });
    readers = createPool({
      connectionString: db.connectionString,
      schema: db.schema,
      max: 4,
      applicationName: `torture-readers-${db.schema}`,
    });
  });
  after(async () => {
    await readers.end();
    await db.dispose();
  });

  it(`delivers ${TARGET_EVENTS}+ committed events exactly once to a subscriber started before and one started during the writes`, async () => {
    const store = getPostgresEventStore(db.pool, {
      schema: db.schema,
      connectionString: db.connectionString,
    });
    const deps = { pool: readers, connectionString: db.connectionString, schema: db.schema };
    const committed: WrittenEvent[] = [];
    const rolledBack = new Set<string>();
    let rollbacks = 0;
    let slowCommits = 0;

    // Raw writers hold their transaction open for a random time (timers or
    // pg_sleep, sometimes long enough to hold the fence over many commits) and
    // roll back one in ten.
    const rawWriter = async (w: number): Promise<void> => {
      while (committed.length < TARGET_EVENTS) {
        const stream = Math.random() < 0.5 ? pick(SHARED_STREAMS) : `private-raw${w}`;
        const client = await db.pool.connect();
        try {
          await client.query('BEGIN');
          const written = await appendRaw(client, stream, types());
          const roll = Math.random();
          if (roll < 0.05) {
            slowCommits += 1;
            await client.query('SELECT pg_sleep($1)', [0.05 + Math.random() * 0.25]);
          } else if (roll < 0.35) await delay(Math.random() * 20);
          if (Math.random() < 0.1) {
            rollbacks += 1;
            await client.query('ROLLBACK');
            for (const event of written) rolledBack.add(event.eventId);
          } else {
            await client.query('COMMIT');
            committed.push(...written);
          }
        } finally {
          client.release();
        }
      }
    };
    // Store writers use the real append on the same shared streams.
    const storeWriter = async (w: number): Promise<void> => {
      while (committed.length < TARGET_EVENTS) {
        const stream = Math.random() < 0.5 ? pick(SHARED_STREAMS) : `private-store${w}`;
        const events = types().map((type) => ({
          eventId: randomUUID(),
          type,
          schemaVersion: 1,
          data: {},
        }));
        const result = await store.append([{ stream, expectedRevision: 'any', events }]);
        const last = result.streams[0]!.revision;
        committed.push(
          ...events.map((e, i) => ({
            eventId: e.eventId,
            stream,
            revision: last - events.length + 1 + i,
          })),
        );
      }
    };

    const early = collect(subscribePostgres({ ...deps, subscriptionName: 'torture-early' }));
    const writing = Promise.all([
      ...Array.from({ length: RAW_WRITERS }, (_, w) => rawWriter(w)),
      ...Array.from({ length: STORE_WRITERS }, (_, w) => storeWriter(w)),
    ]);
    while (committed.length < TARGET_EVENTS / 2) await delay(20);
    const late = collect(
      subscribePostgres({ ...deps, subscriptionName: 'torture-late', batchSize: 100 }),
    );
    try {
      await writing;
      await Promise.all([
        early.waitFor(committed.length, 30_000),
        late.waitFor(committed.length, 30_000),
      ]);
      await delay(500); // anything extra (a duplicate, a rolled-back event) would arrive now

      expect(rollbacks, 'the run rolled back transactions').to.be.greaterThan(10);
      expect(slowCommits, 'the run held transactions open').to.be.greaterThan(10);
      expectExactlyCommitted(early.events, committed, rolledBack);
      expectExactlyCommitted(late.events, committed, rolledBack);
      const log = await readAllPostgres(readers);
      expect(late.events.map((e) => e.eventId)).to.deep.equal(log.map((e) => e.eventId));
      expect(early.events.map((e) => e.eventId)).to.deep.equal(log.map((e) => e.eventId));
    } finally {
      early.subscription.unsubscribe();
      late.subscription.unsubscribe();
    }
  });
});
