/**
 * What grows with the log at start-up (issue 15): the hold-expiry scheduler's
 * catch-up. On a schema holding a large log (made by bench/startup.ts with
 * --keep), times one catch-up of the in-memory deadlines (what every boot did
 * before) against the checkpointed table: its first catch-up (once, after the
 * upgrade) and a restart's (a new instance from the stored checkpoint), with
 * this process's resident memory after each.
 *
 *   npx tsx bench/holdDeadlinesCatchUp.ts --schema <schema>
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createInMemoryHoldDeadlines } from '../commands/expiringHolds/deadlineIndex.ts';
import { getPostgresCheckpointStore } from '../infra/eventStore/postgres/checkpointStore.ts';
import { getPostgresEventStore } from '../infra/eventStore/postgres/postgresEventStore.ts';
import { createPool } from '../infra/postgres/pool.ts';
import { TEST_DATABASE_URL } from '../infra/postgres/testing.ts';
import {
  getPostgresHoldDeadlines,
  HOLD_DEADLINES_CHECKPOINT,
} from '../infra/processManagers/postgresHoldDeadlines.ts';

const ROOT = path.resolve(new URL('..', import.meta.url).pathname);
const { values } = parseArgs({ options: { schema: { type: 'string' } } });
const schema = values.schema;
if (schema === undefined) throw new Error('--schema is required.');
const pool = createPool({ connectionString: TEST_DATABASE_URL, schema, max: 4 });
const store = getPostgresEventStore(pool, { schema, connectionString: TEST_DATABASE_URL });
const checkpoints = getPostgresCheckpointStore(pool);
const { rows } = await pool.query<{ n: string }>('SELECT count(*) AS n FROM events');
const events = Number(rows[0]?.n ?? 0);
await pool.query('DELETE FROM subscription_checkpoints WHERE name = $1', [
  HOLD_DEADLINES_CHECKPOINT,
]);
await pool.query('TRUNCATE hold_deadlines');

const rssMiB = () => Math.round((process.memoryUsage().rss / 2 ** 20) * 10) / 10;
const timed = async (label: string, work: () => Promise<void>) => {
  const started = performance.now();
  await work();
  const result = { label, ms: Math.round(performance.now() - started), rssMiB: rssMiB() };
  process.stdout.write(`${JSON.stringify(result)}\n`);
  return result;
};
const runs = [
  await timed('in memory (before: every boot)', () => createInMemoryHoldDeadlines(store).catchUp()),
  await timed('table, first catch-up (once, after the upgrade)', () =>
    getPostgresHoldDeadlines({ pool, store, checkpoints }).catchUp(),
  ),
  await timed('table, after a restart (a new instance)', () =>
    getPostgresHoldDeadlines({ pool, store, checkpoints }).catchUp(),
  ),
];
await pool.end();
const at = new Date().toISOString();
mkdirSync(path.join(ROOT, 'bench/results'), { recursive: true });
const file = path.join(ROOT, `bench/results/holdDeadlinesCatchUp-${at.replace(/[:.]/g, '-')}.json`);
writeFileSync(file, `${JSON.stringify({ at, events, runs }, null, 2)}\n`);
process.stdout.write(`${events} events; written to ${path.relative(ROOT, file)}\n`);
