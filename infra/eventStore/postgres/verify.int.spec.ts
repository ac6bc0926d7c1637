import { expect } from 'chai';
import { NO_STREAM, type EventStore } from '../../../commands/shared/eventStore.ts';
import { createTestDatabase, type TestDatabase } from '../../postgres/testing.ts';
import { computeEventHash } from '../hashChain.ts';
import { events, streamIn, uniqueCategory } from '../contract/support.ts';
import { getPostgresEventStore } from './postgresEventStore.ts';
import { verifyLog, verifyStream } from './verify.ts';

describe('Postgres hash chain verification', function () {
  this.timeout(30_000);
  let db: TestDatabase;
  let store: EventStore;
  let streams: string[];

  // A fresh schema per test: each test tampers with the log on purpose.
  beforeEach(async () => {
    db = await createTestDatabase({ max: 4, prefix: 'es' });
    store = getPostgresEventStore(db.pool, {
      schema: db.schema,
      connectionString: db.connectionString,
    });
    const category = uniqueCategory();
    streams = [`${category}-a`, `${category}-b`, streamIn(uniqueCategory())];
    for (const stream of streams) {
      await store.append([{ stream, expectedRevision: NO_STREAM, events: events(2) }]);
      await store.append([{ stream, expectedRevision: 1, events: events(2) }]);
    }
  });
  afterEach(() => db.dispose());

  const target = () => streams[1] ?? '';
  const eventIdAt = async (revision: number) =>
    (await store.readStream(target(), { fromRevision: revision, maxCount: 1 }))[0]?.eventId;
  const sql = (text: string, params: unknown[] = []) => db.pool.query(text, params);

  it('passes an untouched log, also when walked in small batches', async () => {
    expect(await verifyStream(db.pool, target())).to.deep.equal({ ok: true, checked: 4 });
    expect(await verifyLog(db.pool)).to.deep.equal({ ok: true, checked: 12 });
    expect(await verifyLog(db.pool, { batchSize: 3 })).to.deep.equal({ ok: true, checked: 12 });
  });

  it('still verifies streams that were soft-deleted or truncated (it reads what is stored)', async () => {
    await store.deleteStream(target());
    await store.setStreamMetadata(streams[0] ?? '', { truncateBefore: 3 });
    await store.append([{ stream: target(), expectedRevision: NO_STREAM, events: events(1) }]);
    expect(await verifyLog(db.pool, { batchSize: 2 })).to.deep.equal({ ok: true, checked: 13 });
  });

  it('names the event whose data was changed with an SQL UPDATE', async () => {
    await sql(
      `UPDATE events SET data = '{"n": 99}' WHERE stream_name = $1 AND stream_revision = 2`,
      [target()],
    );
    const expected = { ok: false, stream: target(), revision: 2, eventId: await eventIdAt(2) };
    expect(await verifyStream(db.pool, target())).to.deep.include(expected);
    expect(await verifyLog(db.pool, { batchSize: 2 })).to.deep.include(expected);
  });

  it('names the event whose metadata was changed', async () => {
    await sql(
      `UPDATE events SET metadata = jsonb_set(metadata, '{recordedAt}', '"2020-01-01T00:00:00.000Z"')
       WHERE stream_name = $1 AND stream_revision = 0`,
      [target()],
    );
    expect(await verifyLog(db.pool)).to.deep.include({ ok: false, stream: target(), revision: 0 });
  });

  it('finds the break after an event was rewritten with a recomputed hash', async () => {
    const [event] = await store.readStream(target(), { fromRevision: 1, maxCount: 1 });
    if (event === undefined) throw new Error('The fixture has no revision 1.');
    const forged = { ...event, data: { n: 42 } };
    const hash = computeEventHash(event.metadata.previousHash, forged);
    await sql(
      `UPDATE events SET data = '{"n": 42}', metadata = jsonb_set(metadata, '{hash}', to_jsonb($2::text))
       WHERE stream_name = $1 AND stream_revision = 1`,
      [target(), hash],
    );
    const result = await verifyStream(db.pool, target());
    expect(result).to.deep.include({ ok: false, revision: 2, eventId: await eventIdAt(2) });
    expect(result)
      .to.have.property('reason')
      .that.matches(/previousHash/);
  });

  it('finds events deleted from the middle or the end of a stream', async () => {
    await sql('DELETE FROM events WHERE stream_name = $1 AND stream_revision = 1', [target()]);
    expect(await verifyStream(db.pool, target())).to.deep.include({ ok: false, revision: 2 });

    await sql('DELETE FROM events WHERE stream_name = $1 AND stream_revision >= 1', [target()]);
    const tail = await verifyStream(db.pool, target());
    expect(tail).to.deep.include({ ok: false, stream: target(), revision: 1 });
    expect(tail)
      .to.have.property('reason')
      .that.matches(/removed/);
  });
});
