import { expect } from 'chai';
import type { RecordedEvent } from '../../commands/shared/eventStore.ts';
import type { PostgresProjection } from '../../projections/shared/projection.ts';
import { getPostgresCheckpointStore } from '../eventStore/postgres/checkpointStore.ts';
import { getPostgresEventStore } from '../eventStore/postgres/postgresEventStore.ts';
import { withTransaction } from '../postgres/pool.ts';
import { createTestDatabase, type TestDatabase } from '../postgres/testing.ts';
import { checksumProjection } from './checksum.ts';
import { createProjectionRunner } from './projectionRunner.ts';
import { rebuildProjection } from './rebuild.ts';
import {
  countEvents,
  readAllVisible,
  sampleLog,
  SAMPLED_PROJECTIONS,
} from './testing/sampleLog.ts';
import { createVersionTables, readVersion, toSql } from './versions.ts';

const applyEach = async (
  db: TestDatabase,
  projection: PostgresProjection,
  version: number,
  events: readonly RecordedEvent[],
  times: number,
) => {
  const tables = await createVersionTables(db.pool, projection, version);
  await withTransaction(db.pool, async (client) => {
    for (const event of events) {
      for (let i = 0; i < times; i++) await projection.apply(toSql(client), tables, [event]);
    }
  });
};

describe('projections (Postgres read models)', function () {
  this.timeout(60_000);
  let db: TestDatabase;
  let events: RecordedEvent[];

  before(async () => {
    db = await createTestDatabase({ max: 5 });
    const store = getPostgresEventStore(db.pool, {
      schema: db.schema,
      connectionString: db.connectionString,
    });
    const log = sampleLog({ resources: 3, nightsPerResource: 6, reservations: 40 });
    for (const append of log) await store.append([append]);
    events = await readAllVisible(db.pool, countEvents(log));
    expect(events).to.have.length(countEvents(log));
  });
  after(() => db.dispose());

  for (const projection of SAMPLED_PROJECTIONS) {
    describe(projection.name, () => {
      it('every event applied twice changes nothing (redelivery)', async () => {
        const relevant = events.filter((e) =>
          (projection.filter.categories ?? []).some((c) => e.stream.startsWith(`${c}-`)),
        );
        expect(relevant.length).to.be.greaterThan(5);
        await applyEach(db, projection, 11, relevant, 1);
        await applyEach(db, projection, 12, relevant, 2);
        const once = await checksumProjection(db.pool, projection, 11);
        const twice = await checksumProjection(db.pool, projection, 12);
        expect(Object.values(once.tables).every((t) => t.rows > 0)).to.equal(true);
        expect(twice).to.deep.equal({ ...once, version: 12 });
      });
    });
  }

  it('a projection rebuilt from scratch equals the live one (checksum), and the swap moves readers and the runner', async () => {
    const runner = createProjectionRunner({
      pool: db.pool,
      connectionString: db.connectionString,
      schema: db.schema,
      postgres: SAMPLED_PROJECTIONS,
      leaseRetryMs: 100,
      pollIntervalMs: 50,
    });
    runner.start();
    try {
      const head = events.at(-1)?.checkpoint ?? '';
      for (const projection of SAMPLED_PROJECTIONS) {
        const wait = await runner.waitForPosition(projection.name, head, 20_000);
        expect(wait.reached, projection.name).to.equal(true);
      }
      const checkpoints = getPostgresCheckpointStore(db.pool);
      for (const projection of SAMPLED_PROJECTIONS) {
        const result = await rebuildProjection(db.pool, checkpoints, projection, { batchSize: 50 });
        expect(result).to.include({ previousVersion: 1, version: 2 });
        expect((await readVersion(db.pool, projection.name))?.liveVersion).to.equal(2);
        const live = await checksumProjection(db.pool, projection, 1);
        const rebuilt = await checksumProjection(db.pool, projection, 2);
        expect(rebuilt.checksum, projection.name).to.equal(live.checksum);
      }
      // The runner follows the swap: a new event lands in v2, not v1.
      const store = getPostgresEventStore(db.pool, {
        schema: db.schema,
        connectionString: db.connectionString,
      });
      const { position } = await store.append(
        sampleLog({ prefix: 'late', resources: 1, nightsPerResource: 1, reservations: 0 }),
      );
      const wait = await runner.waitForPosition('availability', position, 10_000);
      expect(wait.reached).to.equal(true);
      const v2 = await db.pool.query(
        "SELECT 1 FROM availability_slots_v2 WHERE resource_id = 'late-room-0'",
      );
      const v1 = await db.pool.query(
        "SELECT 1 FROM availability_slots_v1 WHERE resource_id = 'late-room-0'",
      );
      expect([v2.rowCount, v1.rowCount]).to.deep.equal([1, 0]);
    } finally {
      await runner.stop();
    }
  });
});
