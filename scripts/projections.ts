import { POSTGRES_PROJECTIONS, findPostgresProjection } from '../projections/catalog.ts';
import { loadConfig } from '../infra/config/config.ts';
import { openDatabase } from '../infra/database.ts';
import { getPostgresCheckpointStore } from '../infra/eventStore/postgres/checkpointStore.ts';
import { createLogger } from '../infra/observability/logger.ts';
import { checksumProjection } from '../infra/projections/checksum.ts';
import { createProjectionMonitor } from '../infra/projections/projectionMonitor.ts';
import { rebuildProjection } from '../infra/projections/rebuild.ts';
import { createStallStore, describeStall } from '../infra/subscribers/stalls.ts';
import { ensureLiveVersion, readVersion } from '../infra/projections/versions.ts';
import { runCli } from './runCli.ts';

const USAGE = `Usage: booking-ledger projections status
       booking-ledger projections rebuild <${POSTGRES_PROJECTIONS.map((p) => p.name).join('|')}>
Reads DATABASE_URL and DATABASE_SCHEMA like the server.`;

await runCli(async () => {
  const [command, name] = process.argv.slice(2);
  if (command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (command !== 'status' && command !== 'rebuild') {
    process.stderr.write(`${USAGE}\n`);
    process.exit(2);
  }
  const config = loadConfig(process.env);
  const logger = createLogger(config.LOG_LEVEL);
  const database = await openDatabase(config, logger);
  const checkpoints = getPostgresCheckpointStore(database.pool);
  try {
    if (command === 'status') {
      const stalls = createStallStore(database.pool);
      const monitor = createProjectionMonitor({
        db: database.pool,
        checkpoints,
        stalls,
        projections: POSTGRES_PROJECTIONS.map((p) => ({
          name: p.name,
          filter: p.filter,
          store: 'postgres' as const,
        })),
      });
      for (const status of await monitor.status()) {
        const version = await readVersion(database.pool, status.name);
        process.stdout.write(
          `${status.name.padEnd(14)} live v${status.liveVersion ?? '-'}` +
            `${version?.buildingVersion ? ` (building v${version.buildingVersion})` : ''}` +
            `  checkpoint ${status.checkpoint ?? 'none'}` +
            `  lag ${status.lag.events} events / ${status.lag.seconds.toFixed(1)} s` +
            `${status.stall ? `\n  STALLED ${describeStall(status.stall)}` : ''}\n`,
        );
      }
      const names = new Set(POSTGRES_PROJECTIONS.map((p) => p.name));
      for (const stall of await stalls.list()) {
        if (!names.has(stall.subscriber))
          process.stdout.write(`${stall.subscriber.padEnd(14)} STALLED ${describeStall(stall)}\n`);
      }
      return;
    }
    const projection = name === undefined ? undefined : findPostgresProjection(name);
    if (!projection) {
      process.stderr.write(`Unknown projection "${name ?? ''}".\n${USAGE}\n`);
      process.exit(2);
    }
    await ensureLiveVersion(database.pool, projection);
    let applied = 0;
    let reported = Date.now();
    const result = await rebuildProjection(database.pool, checkpoints, projection, {
      onProgress: (events) => {
        applied += events;
        if (Date.now() - reported > 1000) {
          reported = Date.now();
          process.stdout.write(`  ${applied} events…\n`);
        }
      },
    });
    const previous = await checksumProjection(database.pool, projection, result.previousVersion);
    const rebuilt = await checksumProjection(database.pool, projection, result.version);
    process.stdout.write(
      `${projection.name}: rebuilt v${result.version} from ${result.events} events in ${result.seconds.toFixed(1)} s ` +
        `(${Math.round(result.events / Math.max(result.seconds, 0.001))} events/s); now live.\n` +
        `checksum v${result.previousVersion} ${previous.checksum}\nchecksum v${result.version} ${rebuilt.checksum}` +
        `${previous.checksum === rebuilt.checksum ? '  (equal)' : '  (DIFFERENT: the previous version had drifted from the log)'}\n`,
    );
  } finally {
    await database.close();
  }
});
