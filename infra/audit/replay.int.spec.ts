import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { analyticsProjection } from '../../projections/analytics/project.ts';
import { bookingsProjection } from '../../projections/bookings/project.ts';
import { getPostgresEventStore } from '../eventStore/postgres/postgresEventStore.ts';
import { createTestDatabase, type TestDatabase } from '../postgres/testing.ts';
import { createProjectionRunner } from '../projections/projectionRunner.ts';
import { readAllVisible, sampleLog, countEvents } from '../projections/testing/sampleLog.ts';
import { replayProjection } from './replay.ts';

const run = promisify(execFile);
const CLI = new URL('../../bin/booking-ledger', import.meta.url).pathname;

/** `audit replay <projection>`: a scratch rebuild diffed row by row with the live tables. */
describe('audit replay (scratch rebuild, row-by-row diff)', function () {
  this.timeout(60_000);
  let db: TestDatabase;
  const projections = [analyticsProjection, bookingsProjection];

  before(async () => {
    db = await createTestDatabase({ max: 5, prefix: 'replay' });
    const store = getPostgresEventStore(db.pool, {
      schema: db.schema,
      connectionString: db.connectionString,
    });
    const log = sampleLog({ prefix: 'rp', resources: 2, nightsPerResource: 3, reservations: 12 });
    await store.append(log);
    const events = await readAllVisible(db.pool, countEvents(log));
    const runner = createProjectionRunner({
      pool: db.pool,
      connectionString: db.connectionString,
      schema: db.schema,
      postgres: projections,
      pollIntervalMs: 50,
    });
    runner.start();
    try {
      for (const projection of projections) {
        const wait = await runner.waitForPosition(
          projection.name,
          events.at(-1)?.checkpoint ?? '',
          20_000,
        );
        expect(wait.reached, projection.name).to.equal(true);
      }
    } finally {
      await runner.stop();
    }
  });
  after(async () => db.dispose());

  const cli = async (...args: string[]) => {
    const env = {
      ...process.env,
      DATABASE_URL: db.connectionString,
      DATABASE_SCHEMA: db.schema,
      LOG_LEVEL: 'silent',
    };
    return run(CLI, args, { env }).then(
      ({ stdout }) => ({ code: 0, stdout }),
      (error: { code: number; stdout: string }) => ({ code: error.code, stdout: error.stdout }),
    );
  };

  it('a replay of a faithful projection is equal, table by table, and leaves no scratch schema', async () => {
    const { code, stdout } = await cli('audit', 'replay', 'analytics');
    expect(code).to.equal(0);
    const result = JSON.parse(stdout) as {
      equal: boolean;
      events: number;
      tables: Record<string, { liveRows: number; replayRows: number }>;
    };
    expect(result.equal).to.equal(true);
    expect(result.events).to.be.greaterThan(0);
    expect(result.tables['analytics_bookings']?.liveRows).to.equal(12);
    expect(result.tables['analytics_bookings']?.replayRows).to.equal(12);
    const { rows } = await db.pool.query('SELECT nspname FROM pg_namespace WHERE nspname LIKE $1', [
      `${db.schema}_replay_%`,
    ]);
    expect(rows).to.deep.equal([]);
  });

  it('a live row that drifted from the log is found and shown', async () => {
    await db.pool.query(
      "UPDATE bookings_v1 SET status = 'TAMPERED' WHERE id = (SELECT min(id) FROM bookings_v1)",
    );
    await db.pool.query(
      'DELETE FROM analytics_lines_v1 WHERE ctid = (SELECT min(ctid) FROM analytics_lines_v1)',
    );
    const bookings = await replayProjection(db.pool, db.schema, bookingsProjection);
    expect(bookings.equal).to.equal(false);
    const diff = bookings.tables['bookings'];
    expect(diff).to.include({ onlyLive: 1, onlyReplay: 1 });
    expect(diff?.samples.onlyLive[0]).to.include('TAMPERED');
    const { code, stdout } = await cli('audit', 'replay', 'analytics');
    expect(code).to.equal(1);
    const analytics = JSON.parse(stdout) as {
      tables: Record<string, { onlyLive: number; onlyReplay: number }>;
    };
    expect(analytics.tables['analytics_lines']).to.include({ onlyLive: 0, onlyReplay: 1 });
    expect((await cli('audit', 'replay', 'nope')).code).to.equal(2);
  });
});
