import { expect } from 'chai';
import { Registry } from 'prom-client';
import type { RecordedEvent } from '../../commands/shared/eventStore.ts';
import { availabilityProjection } from '../../projections/availability/project.ts';
import type { PostgresProjection } from '../../projections/shared/projection.ts';
import { getPostgresCheckpointStore } from '../eventStore/postgres/checkpointStore.ts';
import { getPostgresEventStore } from '../eventStore/postgres/postgresEventStore.ts';
import { createTestDatabase, type TestDatabase } from '../postgres/testing.ts';
import { applyBatch } from './applyBatch.ts';
import { checksumProjection } from './checksum.ts';
import { createProjectionRunner, type ProjectionRunner } from './projectionRunner.ts';
import { readAllVisible, sampleLog } from './testing/sampleLog.ts';
import { checkpointName, createVersionTables } from './versions.ts';

const until = async (condition: () => boolean | Promise<boolean>, timeoutMs = 15_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
};

describe('projection runner', function () {
  this.timeout(60_000);
  let db: TestDatabase;
  let slotEvents: RecordedEvent[];
  const runners: ProjectionRunner[] = [];
  const append = async (prefix: string, nights = 4) => {
    const store = getPostgresEventStore(db.pool, {
      schema: db.schema,
      connectionString: db.connectionString,
    });
    const log = sampleLog({ prefix, resources: 2, nightsPerResource: nights, reservations: 0 });
    return (await store.append(log)).position;
  };
  const runner = (projection: PostgresProjection, onLease?: (pid: number) => void) => {
    const created = createProjectionRunner({
      pool: db.pool,
      connectionString: db.connectionString,
      schema: db.schema,
      postgres: [projection],
      leaseRetryMs: 100,
      pollIntervalMs: 50,
      batchSize: 20,
      registry: new Registry(),
      stallAfterMs: 300,
      ...(onLease ? { onLeaseAcquired: (_name: string, pid: number) => onLease(pid) } : {}),
    });
    runners.push(created);
    return created;
  };

  before(async () => {
    db = await createTestDatabase({ max: 5 });
    await append('a');
    slotEvents = await readAllVisible(db.pool, 8 * 7, { categories: ['slot'] });
  });
  afterEach(async () => {
    for (const r of runners.splice(0)) await r.stop();
  });
  after(() => db.dispose());

  it('stores the checkpoint in the batch transaction: a connection killed mid-batch leaves no partial rows', async () => {
    const checkpoints = getPostgresCheckpointStore(db.pool);
    const killing: PostgresProjection = {
      ...availabilityProjection,
      name: 'killed',
      apply: async (sql, names, events) => {
        await availabilityProjection.apply(sql, names, events);
        // rows written, checkpoint stored, then the backend dies before COMMIT
        await sql.query('SELECT pg_terminate_backend(pg_backend_pid())');
      },
    };
    const tables = await createVersionTables(db.pool, killing, 1);
    const first = slotEvents.slice(0, 10);
    const target = { projection: availabilityProjection, version: 1, tables, requireLive: false };
    // the real projection under the killing one's checkpoint name, so both share rows and checkpoint
    const cp = await applyBatch(
      db.pool,
      checkpoints,
      { ...target, projection: { ...availabilityProjection, name: 'killed' } },
      undefined,
      first,
    );
    const before = await checksumProjection(db.pool, killing, 1);
    let failed = false;
    try {
      await applyBatch(
        db.pool,
        checkpoints,
        { ...target, projection: killing },
        cp,
        slotEvents.slice(10, 30),
      );
    } catch {
      failed = true;
    }
    expect(failed).to.equal(true);
    expect(await checkpoints.load(checkpointName('killed', 1))).to.equal(cp);
    expect(await checksumProjection(db.pool, killing, 1)).to.deep.equal(before);
    // and the rows are exactly the first batch's: the same batch applied into a fresh version
    const scratch = await createVersionTables(db.pool, killing, 2);
    await applyBatch(
      db.pool,
      checkpoints,
      {
        ...target,
        version: 2,
        tables: scratch,
        projection: { ...availabilityProjection, name: 'killed' },
      },
      undefined,
      first,
    );
    expect((await checksumProjection(db.pool, killing, 2)).checksum).to.equal(before.checksum);
  });

  it('one active instance: a second runner takes over when the holder’s lease connection is killed', async () => {
    const projection = { ...availabilityProjection, name: 'leased' };
    let firstPid = 0;
    const a = runner(projection, (pid) => (firstPid = pid));
    a.start();
    await until(() => a.leasesHeld().includes('leased'));
    const b = runner(projection);
    b.start();
    const head = slotEvents.at(-1)?.checkpoint ?? '';
    expect((await a.waitForPosition('leased', head, 10_000)).reached).to.equal(true);
    // b has asked for the lease and been refused: its own lease connection ran the try and sits idle.
    await until(async () => {
      const { rows } = await db.pool.query(
        `SELECT 1 FROM pg_stat_activity
          WHERE application_name = $1 AND pid <> $2 AND state = 'idle'
            AND query LIKE 'SELECT pg_try_advisory_lock%'`,
        [`booking-ledger-lease:${db.schema}:projection:leased`.slice(0, 63), firstPid],
      );
      return rows.length > 0;
    });
    expect(b.leasesHeld()).to.deep.equal([]);

    await db.pool.query('SELECT pg_terminate_backend($1)', [firstPid]);
    await until(() => b.leasesHeld().includes('leased'));
    await until(() => !a.leasesHeld().includes('leased'));
    const position = await append('b');
    expect((await b.waitForPosition('leased', position, 10_000)).reached).to.equal(true);
    expect(a.leasesHeld()).to.deep.equal([]);
    const rows = await db.pool.query(
      "SELECT 1 FROM availability_slots_v1 WHERE resource_id LIKE 'b-%'",
    );
    expect(rows.rowCount).to.equal(8);
  });

  it('a projection stalled on an event is named with it in readiness (degraded, not unready) and in metrics, alone', async () => {
    const stuck: PostgresProjection = {
      ...availabilityProjection,
      name: 'stuck',
      apply: () => Promise.reject(new Error('poison event')),
    };
    const registry = new Registry();
    const r = createProjectionRunner({
      pool: db.pool,
      connectionString: db.connectionString,
      schema: db.schema,
      postgres: [stuck, { ...availabilityProjection, name: 'healthy' }],
      leaseRetryMs: 100,
      pollIntervalMs: 50,
      registry,
      stallAfterMs: 300,
      monitorIntervalMs: 100,
      stallBaseBackoffMs: 50,
      stallMaxBackoffMs: 200,
    });
    runners.push(r);
    r.start();
    await until(
      async () => (await r.projectionReadiness()).degraded?.includes('stuck') ?? false,
      5_000,
    );
    const readiness = await r.projectionReadiness();
    expect(readiness.ready).to.equal(true);
    const first = slotEvents[0];
    expect(readiness.checks['projection:stuck']?.message)
      .to.include(`${first?.type} ${first?.eventId}`)
      .and.include('poison event');
    const healthyHead = slotEvents.at(-1)?.checkpoint ?? '';
    expect((await r.waitForPosition('healthy', healthyHead, 10_000)).reached).to.equal(true);
    const metrics = await registry.metrics();
    expect(metrics).to.match(/subscriber_stalled\{subscriber="stuck"\} 1/);
    expect(metrics).to.match(/subscriber_stall_attempts\{subscriber="stuck"\} [1-9]/);
    expect(metrics).to.match(/projection_lag_events\{projection="stuck"\} [1-9]/);
    expect(metrics).to.match(/projection_lag_seconds\{projection="stuck"\} /);
    await db.pool.query("DELETE FROM subscriber_stalls WHERE subscriber = 'stuck'");
  });

  it('waitForPosition times out with reached: false when the projection is behind', async () => {
    const r = runner({ ...availabilityProjection, name: 'idle' });
    const position = slotEvents.at(-1)?.checkpoint ?? '';
    const started = Date.now();
    const result = await r.waitForPosition('idle', position, 300);
    expect(result).to.deep.equal({ reached: false, position: undefined });
    expect(Date.now() - started).to.be.within(250, 1500);
  });
});
