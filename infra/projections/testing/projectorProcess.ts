import { SAMPLED_PROJECTIONS } from './sampleLog.ts';
import { createPool } from '../../postgres/pool.ts';
import { createProjectionRunner } from '../projectionRunner.ts';

/**
 * The projector role alone, as a child process for the SIGKILL test:
 * PROJECTOR_DATABASE_URL and PROJECTOR_SCHEMA name the database; small batches
 * (PROJECTOR_BATCH_SIZE) make a kill land mid-stream.
 */
const connectionString = process.env['PROJECTOR_DATABASE_URL'] ?? '';
const schema = process.env['PROJECTOR_SCHEMA'] ?? 'public';
const pool = createPool({ connectionString, schema, max: 3, applicationName: 'test-projector' });
const runner = createProjectionRunner({
  pool,
  connectionString,
  schema,
  postgres: SAMPLED_PROJECTIONS,
  batchSize: Number(process.env['PROJECTOR_BATCH_SIZE'] ?? 20),
  leaseRetryMs: 100,
  pollIntervalMs: 50,
});
runner.start();
process.stdout.write('projector started\n');
process.on('SIGTERM', () => {
  void runner
    .stop()
    .then(() => pool.end())
    .then(() => process.exit(0));
});
