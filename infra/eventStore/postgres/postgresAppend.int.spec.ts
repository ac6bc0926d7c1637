import { expect } from 'chai';
import fc from 'fast-check';
import { ANY, NO_STREAM, type StreamAppend } from '../../../commands/shared/eventStore.ts';
import { ConcurrencyError } from '../../../domain/shared/errors.ts';
import { createTestDatabase, type TestDatabase } from '../../postgres/testing.ts';
import { events, readAllUntil, streamIn, uniqueCategory } from '../contract/support.ts';
import { verifyChain } from '../hashChain.ts';
import { getPostgresEventStore } from './postgresEventStore.ts';
import { subscribePostgres } from './subscription.ts';
import {
  collect,
  trackQueries,
  waitUntil,
  waitUntilAsleep,
  writeEvents,
} from './subscriptionTesting.ts';
import { eventsChannel } from './subscriptionListener.ts';
import { APPEND_EVENTS, toAppendParams } from './appendSql.ts';
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
      BEGIN
        PERFORM set_config('application_name', 'slow-${category}', true);
        PERFORM pg_sleep(0.3);
        RETURN NEW;
      END $$;
      CREATE TRIGGER slow_first_stream BEFORE UPDATE ON streams FOR EACH ROW
        WHEN (OLD.stream_name = '${first}') EXECUTE FUNCTION slow_first_stream();`);
    try {
      const both = store.append([
        { stream: first, expectedRevision: ANY, events: events(1) },
        { stream: second, expectedRevision: ANY, events: events(1) },
      ]);
      await waitUntil(async () => {
        const { rows } = await db.pool.query(
          'SELECT 1 FROM pg_stat_activity WHERE application_name = $1',
          [`slow-${category}`],
        );
        return rows.length > 0;
      }, 'the two-stream append is inside its first stream');
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

  it('hashes in SQL exactly what verifyChain recomputes, for any JSON data and metadata', async () => {
    // jsonb rejects \u0000 in strings (a ValidationError, tested in the contract).
    const json = fc.jsonValue().filter((value) => !JSON.stringify(value).includes('\\u0000'));
    const metadata = fc.dictionary(
      fc.oneof(fc.string(), fc.constantFrom('recordedAt', 'hash', '10', '2', 'a', 'zz')),
      json,
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ data: json, metadata }), { minLength: 1, maxLength: 3 }),
        fc.string({ minLength: 1 }),
        async (batch, type) => {
          const stream = streamIn(uniqueCategory());
          for (const [index, { data, metadata: meta }] of batch.entries()) {
            const event = { ...events(1)[0]!, type, data, metadata: meta };
            await store.append([
              { stream, expectedRevision: index - 1 < 0 ? NO_STREAM : index - 1, events: [event] },
            ]);
          }
          const stored = await store.readStream(stream);
          expect(verifyChain(stored)).to.deep.equal({ ok: true, checked: batch.length });
        },
      ),
      { numRuns: 40 },
    );
  });

  it('records recordedAt as the transaction time of the append, to the millisecond', async () => {
    const stream = streamIn(uniqueCategory());
    await store.append([{ stream, expectedRevision: NO_STREAM, events: events(2) }]);
    const { rows } = await db.pool.query<{ recorded: string; stamped: string }>(
      `SELECT metadata->>'recordedAt' AS recorded,
              to_char(date_trunc('milliseconds', recorded_at) AT TIME ZONE 'UTC',
                      'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS stamped
       FROM events WHERE stream_name = $1`,
      [stream],
    );
    expect(rows).to.have.length(2);
    for (const row of rows) expect(row.recorded).to.equal(row.stamped);
  });

  it('wakes a subscriber by NOTIFY after an append commits (polling set to a minute)', async () => {
    const category = uniqueCategory();
    const stream = streamIn(category);
    await store.append([{ stream, expectedRevision: NO_STREAM, events: events(1) }]);
    const reads = trackQueries(db.pool);
    const seen = collect(
      subscribePostgres(
        {
          pool: reads.pool,
          connectionString: db.connectionString,
          schema: db.schema,
          subscriptionName: category,
          pollIntervalMs: 60_000,
        },
        { filter: { categories: [category] } },
      ),
    );
    try {
      await seen.waitFor(1);
      await waitUntilAsleep(db.pool, reads, category);
      await store.append([{ stream, expectedRevision: 0, events: events(2) }]);
      await seen.waitFor(3, 5_000);
      expect(seen.events.map((event) => event.revision)).to.deep.equal([0, 1, 2]);
    } finally {
      seen.subscription.unsubscribe();
    }
  });

  it('append_events sends no NOTIFY itself (commits would serialise on it); raw inserts still do', async () => {
    const listener = await db.pool.connect();
    const heard: string[] = [];
    const onNotification = (message: { channel: string }) => heard.push(message.channel);
    listener.on('notification', onNotification);
    try {
      await listener.query(`LISTEN "${eventsChannel(db.schema)}"`);
      const request: StreamAppend = {
        stream: streamIn(uniqueCategory()),
        expectedRevision: NO_STREAM,
        events: events(1),
      };
      const { rows } = await db.pool.query<{ outcome: string }>({
        ...APPEND_EVENTS,
        values: toAppendParams([request], false),
      });
      expect(rows[0]?.outcome).to.equal('ok');
      // Notifications reach a listener in commit order: once the raw insert's has
      // arrived, one from the earlier append_events would have arrived before it.
      await writeEvents(db.pool, streamIn(uniqueCategory()), ['Raw']);
      await waitUntil(() => heard.length > 0, 'the raw insert notifies');
      expect(heard).to.deep.equal([eventsChannel(db.schema)]);
    } finally {
      listener.off('notification', onNotification);
      await listener.query('UNLISTEN *');
      listener.release();
    }
  });
});
