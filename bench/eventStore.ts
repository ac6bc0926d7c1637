import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { availableParallelism, loadavg, platform, release, totalmem } from 'node:os';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { readFile } from 'node:fs/promises';
import pg from 'pg';
import { rowName, type RowResult, type RowSpec, type StoreName } from './eventStore/harness.ts';
import { runPgbench } from './eventStore/pgbench.ts';
import {
  writeDoc,
  writeJson,
  type ComparedRow,
  type EventStoreReport,
} from './eventStore/report.ts';
import type { WorkerReply, WorkerRequest } from './eventStore/worker.ts';

/**
 * `make bench`, part 1: our PostgreSQL event store against Emmett's on the same
 * database in the same run, plus pgbench as the ceiling for one INSERT per
 * transaction. Exits non-zero on errors only, never on a missed target.
 * Env: DATABASE_URL (default TEST_DATABASE_URL or the local `test` database),
 * BENCH_ROW_SECONDS (default 5), BENCH_PGBENCH_SECONDS (default 10).
 */

const connectionString =
  process.env['DATABASE_URL'] ??
  process.env['TEST_DATABASE_URL'] ??
  'postgres://postgres@127.0.0.1:5432/test';
const rowSeconds = Number(process.env['BENCH_ROW_SECONDS'] ?? 5);
const pgbenchSeconds = Number(process.env['BENCH_PGBENCH_SECONDS'] ?? 10);
const warmupSeconds = 1;
const seedStreams = 200;
const streamLength = 100;
const root = fileURLToPath(new URL('..', import.meta.url));

const ROWS: readonly RowSpec[] = [
  { kind: 'readStream', readers: 8, streams: seedStreams, streamLength },
  { kind: 'readAll', readers: 1, pageSize: 1000 },
  ...[1, 10].flatMap((eventsPerCall) =>
    [1, 8, 32].map((writers): RowSpec => ({ kind: 'append', writers, eventsPerCall })),
  ),
];

interface Worker {
  readonly child: ChildProcess;
  ask(request: WorkerRequest): Promise<RowResult | undefined>;
}

const startWorker = (store: StoreName, schema: string): Worker => {
  const child = fork(
    fileURLToPath(new URL('./eventStore/worker.ts', import.meta.url)),
    [store, connectionString, schema],
    {
      execArgv: ['--import', 'tsx'],
      serialization: 'advanced',
      cwd: root,
    },
  );
  return {
    child,
    ask: (request) =>
      new Promise((resolve, reject) => {
        const onExit = (code: number | null) =>
          reject(new Error(`The ${store} worker exited with code ${code}.`));
        child.once('exit', onExit);
        child.once('message', (reply: WorkerReply) => {
          child.off('exit', onExit);
          if (reply.ok) resolve(reply.result);
          else reject(new Error(`The ${store} worker failed: ${reply.error}`));
        });
        child.send(request);
      }),
  };
};

// Read from disk: some packages do not export their package.json.
const packageVersion = async (name: string): Promise<string> =>
  (
    JSON.parse(await readFile(`${root}/node_modules/${name}/package.json`, 'utf8')) as {
      version: string;
    }
  ).version;

const main = async (): Promise<void> => {
  const startedAt = new Date().toISOString();
  const began = performance.now();
  const loadAtStart = loadavg()[0] ?? 0;
  const id = randomBytes(4).toString('hex');
  const schemas = {
    ours: `bench_ours_${id}`,
    emmett: `bench_emmett_${id}`,
    pgbench: `bench_pgbench_${id}`,
  };
  const admin = new pg.Client({ connectionString, application_name: 'bench-admin' });
  await admin.connect();
  const workers = {
    ours: startWorker('ours', schemas.ours),
    emmett: startWorker('emmett', schemas.emmett),
  };
  try {
    const { rows: version } = await admin.query<{ server_version: string }>('SHOW server_version');
    for (const store of ['ours', 'emmett'] as const) {
      console.log(
        `preparing ${store}: schema ${schemas[store]}, ${seedStreams} streams of ${streamLength} events`,
      );
      await workers[store].ask({ kind: 'prepare', seedStreams, streamLength });
    }
    const compared: ComparedRow[] = [];
    for (const [index, row] of ROWS.entries()) {
      const order: StoreName[] = index % 2 === 0 ? ['ours', 'emmett'] : ['emmett', 'ours'];
      const results: Partial<Record<StoreName, RowResult>> = {};
      for (const store of order) {
        const request = {
          kind: 'row',
          index,
          row,
          warmupMs: warmupSeconds * 1000,
          durationMs: rowSeconds * 1000,
        } as const;
        const result = await workers[store].ask(request);
        if (result) results[store] = result;
      }
      const { ours, emmett } = results;
      if (!ours || !emmett) throw new Error(`Row "${rowName(row)}" returned no result.`);
      const ratio = ours.eventsPerSecond / emmett.eventsPerSecond;
      compared.push({ row: rowName(row), ours, emmett, ratio });
      console.log(
        `${rowName(row).padEnd(46)} ours ${Math.round(ours.eventsPerSecond).toString().padStart(7)} ev/s ` +
          `p50 ${ours.p50Ms.toFixed(2)} p99 ${ours.p99Ms.toFixed(2)} | emmett ${Math.round(emmett.eventsPerSecond).toString().padStart(7)} ev/s ` +
          `p50 ${emmett.p50Ms.toFixed(2)} p99 ${emmett.p99Ms.toFixed(2)} | ratio ${ratio.toFixed(2)}`,
      );
    }

    await admin.query(`CREATE SCHEMA "${schemas.pgbench}"`);
    const table = `"${schemas.pgbench}".inserts`;
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
        pgClient: await packageVersion('pg'),
        emmett: await packageVersion('@event-driven-io/emmett-postgresql'),
        loadAverage: [loadAtStart, loadavg()[0] ?? 0],
      },
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
    };
    console.log(`ours/pgbench (1-event appends, 32 writers): ${(pgbenchRatio * 100).toFixed(0)}%`);
    console.log(
      `ours >= emmett on every row: ${below.length === 0 ? 'met' : `not met (${below.join('; ')})`}`,
    );
    const json = await writeJson(`${root}/bench/results`, report);
    await writeDoc(`${root}/docs/benchmarks.md`, report);
    console.log(`wrote ${json} and docs/benchmarks.md`);
  } finally {
    for (const worker of Object.values(workers)) worker.child.kill();
    for (const schema of Object.values(schemas))
      await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await admin.end();
  }
};

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
