import { randomBytes } from 'node:crypto';
import { availableParallelism, loadavg, platform, release, totalmem } from 'node:os';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { rowName, type RowResult, type RowSpec, type StoreName } from './eventStore/harness.ts';
import { runPgbench } from './eventStore/pgbench.ts';
import {
  writeDoc,
  writeJson,
  type ComparedRow,
  type EventStoreReport,
} from './eventStore/report.ts';
import { codeVersion, packageVersion, startWorker, type Worker } from './eventStore/workers.ts';

/**
 * `make bench`, part 1: our PostgreSQL event store against Emmett's on the same
 * database in the same run, plus pgbench as the ceiling for one INSERT per
 * transaction. Exits non-zero on errors only, never on a missed target.
 * Env: DATABASE_URL (default TEST_DATABASE_URL or the local `test` database),
 * BENCH_ROW_SECONDS (default 5), BENCH_PGBENCH_SECONDS (default 10),
 * BENCH_DIAGNOSE=1 to also run the append rows on our store without its NOTIFY trigger.
 */

const connectionString =
  process.env['DATABASE_URL'] ??
  process.env['TEST_DATABASE_URL'] ??
  'postgres://postgres@127.0.0.1:5432/test';
const rowSeconds = Number(process.env['BENCH_ROW_SECONDS'] ?? 5);
const pgbenchSeconds = Number(process.env['BENCH_PGBENCH_SECONDS'] ?? 10);
const diagnose = process.env['BENCH_DIAGNOSE'] === '1';
const warmupSeconds = 1;
const seedStreams = 200;
const streamLength = 100;
const root = fileURLToPath(new URL('..', import.meta.url)).replace(/\/$/, '');

const ROWS: readonly RowSpec[] = [
  { kind: 'readStream', readers: 8, streams: seedStreams, streamLength },
  { kind: 'readAll', readers: 1, pageSize: 1000 },
  ...[1, 10].flatMap((eventsPerCall) =>
    [1, 8, 32].map((writers): RowSpec => ({ kind: 'append', writers, eventsPerCall })),
  ),
];

const line = (result: RowResult): string =>
  `${result.store} ${Math.round(result.eventsPerSecond).toString().padStart(6)} ev/s ` +
  `p50 ${result.p50Ms.toFixed(2)} p99 ${result.p99Ms.toFixed(2)}`;

const main = async (): Promise<void> => {
  const startedAt = new Date().toISOString();
  const began = performance.now();
  const loadAtStart = loadavg()[0] ?? 0;
  const code = await codeVersion(root);
  const id = randomBytes(4).toString('hex');
  const stores: StoreName[] = [
    'ours',
    'emmett',
    ...(diagnose ? ['oursWithoutNotify' as const] : []),
  ];
  const schemas = new Map(stores.map((store) => [store, `bench_${store.toLowerCase()}_${id}`]));
  const pgbenchSchema = `bench_pgbench_${id}`;
  const admin = new pg.Client({ connectionString, application_name: 'bench-admin' });
  await admin.connect();
  const workers = new Map<StoreName, Worker>();
  try {
    const { rows: version } = await admin.query<{ server_version: string }>('SHOW server_version');
    for (const store of stores) {
      const schema = schemas.get(store) ?? store;
      console.log(
        `preparing ${store}: schema ${schema}, ${seedStreams} streams of ${streamLength} events`,
      );
      const worker = startWorker(store, connectionString, schema, root);
      workers.set(store, worker);
      await worker.ask({ kind: 'prepare', seedStreams, streamLength });
    }
    const ask = async (store: StoreName, index: number, row: RowSpec): Promise<RowResult> => {
      const request = {
        kind: 'row',
        index,
        row,
        warmupMs: warmupSeconds * 1000,
        durationMs: rowSeconds * 1000,
      } as const;
      const result = await workers.get(store)?.ask(request);
      if (!result) throw new Error(`Row "${rowName(row)}" returned no result for ${store}.`);
      return result;
    };
    const compared: ComparedRow[] = [];
    const diagnostics: RowResult[] = [];
    for (const [index, row] of ROWS.entries()) {
      // Alternate who goes first, so a drift in the machine's load hits both alike.
      const first = index % 2 === 0 ? 'ours' : 'emmett';
      const a = await ask(first, index, row);
      const b = await ask(first === 'ours' ? 'emmett' : 'ours', index, row);
      const [ours, emmett] = first === 'ours' ? [a, b] : [b, a];
      const ratio = ours.eventsPerSecond / emmett.eventsPerSecond;
      compared.push({ row: rowName(row), ours, emmett, ratio });
      console.log(
        `${rowName(row).padEnd(46)} ${line(ours)} | ${line(emmett)} | ratio ${ratio.toFixed(2)}`,
      );
      if (diagnose && row.kind === 'append') {
        diagnostics.push(await ask('oursWithoutNotify', index, row));
        console.log(`${''.padEnd(46)} ${line(diagnostics[diagnostics.length - 1] ?? ours)}`);
      }
    }

    await admin.query(`CREATE SCHEMA "${pgbenchSchema}"`);
    const table = `"${pgbenchSchema}".inserts`;
    await admin.query(
      `CREATE TABLE ${table} (id bigserial PRIMARY KEY, payload text NOT NULL, created_at timestamptz NOT NULL DEFAULT now())`,
    );
    const clients32 = await runPgbench(connectionString, table, 32, pgbenchSeconds);
    const clients1 = await runPgbench(connectionString, table, 1, pgbenchSeconds);
    console.log(
      `pgbench: ${Math.round(clients32.tps)} TPS at 32 clients, ${Math.round(clients1.tps)} TPS at 1 client`,
    );

    const single32 = compared.find(
      (row) => row.row === rowName({ kind: 'append', writers: 32, eventsPerCall: 1 }),
    );
    if (!single32) throw new Error('The 1-event, 32-writer append row is missing.');
    const pgbenchRatio = single32.ours.eventsPerSecond / clients32.tps;
    const below = compared.filter((row) => row.ratio < 1).map((row) => row.row);
    const report: EventStoreReport = {
      startedAt,
      durationSeconds: (performance.now() - began) / 1000,
      machine: {
        cpus: availableParallelism(),
        memoryGiB: Math.round(totalmem() / 2 ** 30),
        platform: `${platform()} ${release()}`,
        node: process.version,
        postgres: version[0]?.server_version ?? 'unknown',
        pgClient: await packageVersion(root, 'pg'),
        emmett: await packageVersion(root, '@event-driven-io/emmett-postgresql'),
        loadAverage: [loadAtStart, loadavg()[0] ?? 0],
      },
      code,
      settings: {
        rowSeconds,
        warmupSeconds,
        readDataset: `${seedStreams} streams of ${streamLength} events per store, seeded before the reads`,
      },
      rows: compared,
      pgbench: { clients32, clients1 },
      targets: {
        oursAtLeastEmmett: { met: below.length === 0, rowsBelow: below },
        singleAppendsVsPgbench: {
          met: pgbenchRatio >= 0.5,
          ratio: pgbenchRatio,
          oursEventsPerSecond: single32.ours.eventsPerSecond,
        },
      },
      ...(diagnose ? { diagnostics } : {}),
    };
    console.log(`ours/pgbench (1-event appends, 32 writers): ${(pgbenchRatio * 100).toFixed(0)}%`);
    console.log(
      `ours >= emmett on every row: ${below.length === 0 ? 'met' : `not met (${below.join('; ')})`}`,
    );
    const json = await writeJson(`${root}/bench/results`, report);
    await writeDoc(`${root}/docs/benchmarks.md`, report);
    console.log(`wrote ${json} and docs/benchmarks.md`);
  } finally {
    for (const worker of workers.values()) worker.child.kill();
    for (const schema of [...schemas.values(), pgbenchSchema]) {
      await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    }
    await admin.end();
  }
};

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
