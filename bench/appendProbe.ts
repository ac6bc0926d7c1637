import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { NO_STREAM } from '../commands/shared/eventStore.ts';
import { getPostgresEventStore } from '../infra/eventStore/postgres/postgresEventStore.ts';
import { migrate } from '../infra/postgres/migrate.ts';
import { createPool, quoteIdentifier } from '../infra/postgres/pool.ts';
import { makeEvent } from './eventStore/benchStore.ts';

/**
 * A quick probe of append throughput (the full comparison with Emmett is
 * bench/eventStore.ts): W writers, each appending to streams of its own for a
 * few seconds, then pgbench doing one INSERT per transaction (and one INSERT
 * plus a NOTIFY, what our trigger adds) against a table in the probe's schema.
 *
 *   npx tsx bench/appendProbe.ts [--writers 1,8,32] [--events 1] [--seconds 5]
 *                                [--pgbench-seconds 10] [--no-pgbench]
 *
 * At most 33 connections (32 writers + 1); a fresh schema, dropped at the end.
 */

const { values } = parseArgs({
  options: {
    writers: { type: 'string', default: '1,8,32' },
    events: { type: 'string', default: '1' },
    seconds: { type: 'string', default: '5' },
    'pgbench-seconds': { type: 'string', default: '10' },
    'no-pgbench': { type: 'boolean', default: false },
  },
});
const url = process.env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const writerCounts = values.writers.split(',').map(Number);
const eventsPerAppend = Number(values.events);
const seconds = Number(values.seconds);
if (writerCounts.some((n) => !(n >= 1 && n <= 32))) {
  throw new Error(`--writers must list numbers from 1 to 32 (got ${values.writers}).`);
}

const schema = `probe_${randomBytes(4).toString('hex')}`;
const admin = createPool({ connectionString: url, schema, max: 1, applicationName: 'probe' });

const percentile = (sorted: readonly number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? NaN;

const probe = async (writers: number): Promise<void> => {
  const pool = createPool({
    connectionString: url,
    schema,
    max: writers,
    applicationName: 'probe',
  });
  const store = getPostgresEventStore(pool, { schema, connectionString: url });
  const latencies: number[] = [];
  let appended = 0;
  // Warm the pool so connection set-up is not measured.
  await Promise.all(Array.from({ length: writers }, () => pool.query('SELECT 1')));
  const started = performance.now();
  const end = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: writers }, async (_, writer) => {
      let stream = 0;
      let revision = -1;
      while (performance.now() < end) {
        if (revision >= 99) {
          stream += 1;
          revision = -1;
        }
        const events = Array.from({ length: eventsPerAppend }, (_, i) => ({
          ...makeEvent(appended + i),
          schemaVersion: 1,
        }));
        const t0 = performance.now();
        const result = await store.append([
          {
            stream: `probe-w${writers}.${writer}.${stream}`,
            expectedRevision: revision < 0 ? NO_STREAM : revision,
            events,
          },
        ]);
        latencies.push(performance.now() - t0);
        revision = result.streams[0]?.revision ?? revision;
        appended += 1;
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  await pool.end();
  latencies.sort((a, b) => a - b);
  console.log(
    `append ${eventsPerAppend} event(s), ${String(writers).padStart(2)} writers: ` +
      `${Math.round(appended / elapsed)} appends/s, ${Math.round((appended * eventsPerAppend) / elapsed)} events/s, ` +
      `p50 ${percentile(latencies, 0.5).toFixed(2)} ms, p99 ${percentile(latencies, 0.99).toFixed(2)} ms`,
  );
};

const run = promisify(execFile);

const pgbench = async (label: string, sql: string, clients: number): Promise<void> => {
  const dir = await mkdtemp(join(tmpdir(), 'probe-pgbench-'));
  const script = join(dir, 'tx.sql');
  try {
    await writeFile(script, sql);
    const parsed = new URL(url);
    const { stdout } = await run('pgbench', [
      ...['-n', '-f', script, '-c', String(clients), '-j', '2'],
      ...['-T', values['pgbench-seconds'], '-h', parsed.hostname, '-p', parsed.port || '5432'],
      ...['-U', decodeURIComponent(parsed.username) || 'postgres', parsed.pathname.slice(1)],
    ]);
    const tps = /tps = ([\d.]+) \(without initial connection time\)/.exec(stdout)?.[1];
    const latency = /latency average = ([\d.]+) ms/.exec(stdout)?.[1];
    console.log(`pgbench ${label}, ${clients} clients: ${tps} tx/s, latency avg ${latency} ms`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
};

try {
  await migrate(admin, schema);
  for (const writers of writerCounts) await probe(writers);
  if (!values['no-pgbench']) {
    const table = `${quoteIdentifier(schema)}.pgbench_insert`;
    await admin.query(
      `CREATE TABLE ${table} (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, payload jsonb NOT NULL)`,
    );
    const insert = `INSERT INTO ${table} (payload) VALUES ('{"reservationId":"1b4e28ba-2fa1-11d2-883f-0016d3cca427","resourceId":"res-7f3c3a4e","slotKey":"2026-12-24T09:00","quantity":2,"priceMinor":12500,"currency":"EUR"}');\n`;
    await pgbench('one INSERT per tx', insert, 32);
    await pgbench(
      'INSERT + NOTIFY per tx',
      `BEGIN;\n${insert}SELECT pg_notify('probe_${schema}', '');\nCOMMIT;\n`,
      32,
    );
  }
} finally {
  await admin.query(`DROP SCHEMA IF EXISTS ${quoteIdentifier(schema)} CASCADE`);
  await admin.end();
}
