import { expect } from 'chai';
import { ANY, NO_STREAM, type StreamAppend } from '../../../commands/shared/eventStore.ts';
import { ConcurrencyError } from '../../../domain/shared/errors.ts';
import { createTestDatabase, type TestDatabase } from '../../postgres/testing.ts';
import { events, readAllUntil, sleep, streamIn, uniqueCategory } from '../contract/support.ts';
import { getPostgresEventStore } from './postgresEventStore.ts';
import type { EventStore, RecordedEvent } from '../../../commands/shared/eventStore.ts';

const expectRevisionOrder = (delivered: readonly RecordedEvent[]): void => {
  const next = new Map<string, number>();
  for (const event of delivered) {
    expect(event.revision, `${event.stream} in delivery order`).to.equal(
      next.get(event.stream) ?? 0,
    );
    next.set(event.stream, event.revision + 1);
  }
};

describe('Postgres append and delivery order', function () {
  this.timeout(60_000);
  let db: TestDatabase;
  let store: EventStore;
  before(async () => {
    db = await createTestDatabase({ max: 8, prefix: 'es' });
    store = getPostgresEventStore(db.pool, {
      schema: db.schema,
      connectionString: db.connectionString,
    });
  });
  after(() => db.dispose());

  it('a multi-stream append holds all its streams before it takes an xid', async () => {
    // Subscribers deliver by (xid, position). A writer that took its xid on its first
    // stream and then waited for its second could land behind a later xid there.
    // A trigger stretches the moment between the two streams so a rival can slip in.
    const category = uniqueCategory();
    const [first, second] = [`${category}-a`, `${category}-b`];
    await store.append([
      { stream: first, expectedRevision: NO_STREAM, events: events(1) },
      { stream: second, expectedRevision: NO_STREAM, events: events(1) },
    ]);
    await db.pool.query(`
      CREATE FUNCTION slow_first_stream() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN PERFORM pg_sleep(0.3); RETURN NEW; END $$;
      CREATE TRIGGER slow_first_stream BEFORE UPDATE ON streams FOR EACH ROW
        WHEN (OLD.stream_name = '${first}') EXECUTE FUNCTION slow_first_stream();`);
    try {
      const both = store.append([
        { stream: first, expectedRevision: ANY, events: events(1) },
        { stream: second, expectedRevision: ANY, events: events(1) },
      ]);
      await sleep(100);
      await Promise.all([
        both,
        store.append([{ stream: second, expectedRevision: ANY, events: events(1) }]),
      ]);
    } finally {
      await db.pool.query(
        'DROP TRIGGER slow_first_stream ON streams; DROP FUNCTION slow_first_stream()',
      );
    }
    // readAll waits behind every older open transaction on the cluster (the fence).
    const delivered = await readAllUntil(store, { filter: { categories: [category] } }, 5);
    expect(delivered).to.have.length(5);
    expectRevisionOrder(delivered);
  });

  it('many writers racing on shared streams: one winner per revision, delivered in revision order', async () => {
    const category = uniqueCategory();
    const streams = Array.from({ length: 4 }, () => streamIn(category));
    // Each writer reads, then appends to two streams at the revisions it read, retrying on conflict.
    const writer = async (n: number) => {
      const chosen = [streams[n % 4] ?? '', streams[(n + 1 + (n % 3)) % 4] ?? ''];
      let wins = 0;
      for (let attempt = 0; attempt < 40 && wins < 3; attempt += 1) {
        const revisions = await Promise.all(chosen.map((stream) => store.streamRevision(stream)));
        const request = chosen.map((stream, i): StreamAppend => ({
          stream,
          expectedRevision: revisions[i] ?? NO_STREAM,
          events: events(1),
        }));
        const result = await store.append(request).catch((error: unknown) => {
          if (error instanceof ConcurrencyError) return undefined;
          throw error;
        });
        if (result) wins += 1;
      }
      return wins;
    };
    const wins = (await Promise.all(Array.from({ length: 12 }, (_, n) => writer(n)))).reduce(
      (a, b) => a + b,
      0,
    );
    const all = await readAllUntil(store, { filter: { categories: [category] } }, wins * 2);
    expect(all).to.have.length(wins * 2);
    expectRevisionOrder(all);
  });
});
