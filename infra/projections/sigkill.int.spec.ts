import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { getPostgresCheckpointStore } from '../eventStore/postgres/checkpointStore.ts';
import { getPostgresEventStore } from '../eventStore/postgres/postgresEventStore.ts';
import { createTestDatabase, type TestDatabase } from '../postgres/testing.ts';
import { checksumProjection } from './checksum.ts';
import { createProjectionMonitor } from './projectionMonitor.ts';
import { rebuildProjection } from './rebuild.ts';
import {
  countEvents,
  readAllVisible,
  sampleLog,
  SAMPLED_PROJECTIONS,
} from './testing/sampleLog.ts';

const SCRIPT = fileURLToPath(new URL('./testing/projectorProcess.ts', import.meta.url));

describe('projector killed with SIGKILL mid-stream', function () {
  this.timeout(180_000);
  let db: TestDatabase;
  let child: ChildProcess | undefined;

  const startProjector = () =>
    new Promise<ChildProcess>((resolve, reject) => {
      const started = spawn(process.execPath, ['--import', 'tsx', SCRIPT], {
        env: {
          ...process.env,
          PROJECTOR_DATABASE_URL: db.connectionString,
          PROJECTOR_SCHEMA: db.schema,
          PROJECTOR_BATCH_SIZE: '20',
        },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      started.once('error', reject);
      started.stdout?.once('data', () => resolve(started));
    });
  const stopProjector = async (signal: NodeJS.Signals) => {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null) return;
    await new Promise((resolve) => {
      running.once('exit', resolve);
      running.kill(signal);
    });
  };

  before(async () => {
    db = await createTestDatabase({ max: 5 });
  });
  after(async () => {
    await stopProjector('SIGKILL');
    await db.dispose();
  });

  it('restarts where it stopped and ends identical to a rebuild (checksums)', async () => {
    const store = getPostgresEventStore(db.pool, {
      schema: db.schema,
      connectionString: db.connectionString,
    });
    const log = sampleLog({ prefix: 'k', resources: 12, nightsPerResource: 20, reservations: 300 });
    const total = countEvents(log);
    expect(total).to.be.greaterThan(3000);
    for (let i = 0; i < log.length; i += 50) await store.append(log.slice(i, i + 50));
    const events = await readAllVisible(db.pool, total);
    const head = events.at(-1)?.checkpoint ?? '';

    const checkpoints = getPostgresCheckpointStore(db.pool);
    const monitor = createProjectionMonitor({
      db: db.pool,
      checkpoints,
      projections: SAMPLED_PROJECTIONS.map((p) => ({
        name: p.name,
        filter: p.filter,
        store: 'postgres' as const,
      })),
    });
    child = await startProjector();
    // kill once the projector is part-way: some batches committed, many to go
    const deadline = Date.now() + 60_000;
    for (;;) {
      const { checkpoint } = await monitor.checkpointOf('bookings');
      if (checkpoint !== undefined) break;
      if (Date.now() > deadline) throw new Error('the projector made no progress');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await stopProjector('SIGKILL');
    const statuses = await monitor.status();
    const behind = statuses.filter((s) => s.lag.events > 0);
    expect(behind.length, 'killed mid-stream').to.be.greaterThan(0);

    child = await startProjector();
    for (const projection of SAMPLED_PROJECTIONS) {
      const wait = await monitor.waitForPosition(projection.name, head, 90_000);
      expect(wait.reached, projection.name).to.equal(true);
    }
    await stopProjector('SIGTERM');

    for (const projection of SAMPLED_PROJECTIONS) {
      await rebuildProjection(db.pool, checkpoints, projection);
      const live = await checksumProjection(db.pool, projection, 1);
      const rebuilt = await checksumProjection(db.pool, projection, 2);
      expect(rebuilt.checksum, projection.name).to.equal(live.checksum);
      expect(
        Object.values(live.tables).every((t) => t.rows > 0),
        projection.name,
      ).to.equal(true);
    }
  });
});
