import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { availableParallelism, loadavg, platform, release, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { EventFilter, EventToAppend, StreamAppend } from '../commands/shared/eventStore.ts';
import { categoryOf } from '../commands/shared/eventStore.ts';
import { getPostgresCheckpointStore } from '../infra/eventStore/postgres/checkpointStore.ts';
import { getPostgresEventStore } from '../infra/eventStore/postgres/postgresEventStore.ts';
import { readAllPostgres } from '../infra/eventStore/postgres/subscription.ts';
import { migrate } from '../infra/postgres/migrate.ts';
import { createPool, quoteIdentifier, type Pool } from '../infra/postgres/pool.ts';
import { rebuildProjection, type RebuildResult } from '../infra/projections/rebuild.ts';
import { POSTGRES_PROJECTIONS } from '../projections/catalog.ts';
import { tableNamesFor, type PostgresProjection } from '../projections/shared/projection.ts';
import { generateLog } from './projectionRebuild/generate.ts';
import { writeReport, type ProjectionRow } from './projectionRebuild/report.ts';

/**
 * `make bench`, part 3: projection rebuild speed in events/s over a realistic
 * log of ≥ 200,000 events, beside the raw readAll throughput of the same log
 * in the same run. Set BENCH_DATABASE_URL to aim it elsewhere; BENCH_EVENTS to
 * change the size.
 */
const DATABASE_URL = process.env['BENCH_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const EVENTS = Number(process.env['BENCH_EVENTS'] ?? 210_000);
const BATCH = 2_000; // rebuildProjection's default, so raw reads page the same way
const APPEND_BATCH = 5_000;
const root = fileURLToPath(new URL('..', import.meta.url));
const seconds = (since: bigint) => Number(process.hrtime.bigint() - since) / 1e9;

/** Merges consecutive writes into appends of ~5000 events, one entry per stream (order kept per stream). */
const toBatches = (writes: readonly StreamAppend[][]): StreamAppend[][] => {
  const batches: StreamAppend[][] = [];
  let current = new Map<string, EventToAppend[]>();
  let size = 0;
  const flush = () => {
    batches.push(
      [...current].map(([stream, events]) => ({ stream, expectedRevision: 'any', events })),
    );
    current = new Map();
    size = 0;
  };
  for (const write of writes) {
    for (const { stream, events } of write) {
      current.set(stream, [...(current.get(stream) ?? []), ...events]);
      size += events.length;
    }
    if (size >= APPEND_BATCH) flush();
  }
  if (size > 0) flush();
  return batches;
};

/** Reads the log in pages the way a rebuild does, without projecting; events and events/s. */
const rawRead = async (pool: Pool, filter?: EventFilter) => {
  const started = process.hrtime.bigint();
  let from: string | undefined;
  let events = 0;
  for (;;) {
    const page = await readAllPostgres(pool, {
      maxCount: BATCH,
      ...(filter === undefined ? {} : { filter }),
      ...(from === undefined ? {} : { from }),
    });
    if (page.length === 0) break;
    events += page.length;
    from = page[page.length - 1]?.checkpoint;
  }
  return { events, perSecond: events / seconds(started) };
};

/** Retries while another process rebuilds a projection of the same name on this database (the lock is per database). */
const rebuild = async (pool: Pool, projection: PostgresProjection): Promise<RebuildResult> => {
  for (let attempt = 1; ; attempt++) {
    try {
      return await rebuildProjection(pool, getPostgresCheckpointStore(pool), projection, {
        batchSize: BATCH,
      });
    } catch (error) {
      if (attempt >= 30 || !(error instanceof Error) || !/already running/.test(error.message))
        throw error;
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
  }
};

const main = async () => {
  const startedAt = new Date().toISOString();
  const started = process.hrtime.bigint();
  const loadAtStart = loadavg()[0] ?? 0;
  const schema = `bench_rebuild_${randomBytes(5).toString('hex')}`;
  const pool = createPool({
    connectionString: DATABASE_URL,
    schema,
    max: 5,
    applicationName: 'bench-rebuild',
  });
  try {
    await migrate(pool, schema);
    const generating = process.hrtime.bigint();
    const writes = generateLog(EVENTS);
    const generateSeconds = seconds(generating);
    const batches = toBatches(writes);
    const byCategory: Record<string, number> = {};
    const byType: Record<string, number> = {};
    const streams = new Set<string>();
    for (const append of batches.flat()) {
      streams.add(append.stream);
      const category = categoryOf(append.stream);
      byCategory[category] = (byCategory[category] ?? 0) + append.events.length;
      for (const e of append.events) byType[e.type] = (byType[e.type] ?? 0) + 1;
    }
    const total = Object.values(byCategory).reduce((a, b) => a + b, 0);
    console.log(
      `generated ${total} events in ${streams.size} streams (${generateSeconds.toFixed(1)} s)`,
    );
    const store = getPostgresEventStore(pool, { schema, connectionString: DATABASE_URL });
    const appending = process.hrtime.bigint();
    for (const batch of batches) await store.append(batch);
    const appendSeconds = seconds(appending);
    console.log(`appended in ${appendSeconds.toFixed(1)} s`);
    // Reads stop at the cluster-wide visibility fence: wait until another session's open transaction lets all of ours through.
    let whole = await rawRead(pool);
    for (let i = 0; whole.events < total && i < 60; i++) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      whole = await rawRead(pool);
    }
    if (whole.events !== total)
      throw new Error(`Only ${whole.events} of ${total} events became readable.`);
    const rows: ProjectionRow[] = [];
    for (const projection of POSTGRES_PROJECTIONS) {
      const before = await rawRead(pool, projection.filter);
      const result = await rebuild(pool, projection);
      const after = await rawRead(pool, projection.filter);
      if (result.events !== before.events)
        throw new Error(
          `${projection.name} rebuilt ${result.events} events but the log has ${before.events}.`,
        );
      const perSecond = result.events / result.seconds;
      let built = 0;
      for (const table of Object.values(tableNamesFor(projection.tables, result.version))) {
        const counted = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`);
        built += counted.rows[0]?.n ?? 0;
      }
      rows.push({
        projection: projection.name,
        categories: projection.filter.categories ?? [],
        events: result.events,
        rebuildSeconds: result.seconds,
        rebuildEventsPerSecond: perSecond,
        rows: built,
        rawReadEventsPerSecond: [before.perSecond, after.perSecond],
        ratio: perSecond / ((before.perSecond + after.perSecond) / 2),
      });
      console.log(
        `${projection.name}: ${result.events} events, ${Math.round(perSecond)} events/s rebuild, raw ${Math.round(before.perSecond)}/${Math.round(after.perSecond)}`,
      );
    }
    const { rows: version } = await pool.query<{ server_version: string }>('SHOW server_version');
    const json = await writeReport(root, {
      startedAt,
      durationSeconds: seconds(started),
      machine: {
        cpus: availableParallelism(),
        memoryGiB: Math.round(totalmem() / 2 ** 30),
        platform: `${platform()} ${release()}`,
        node: process.version,
        postgres: version[0]?.server_version ?? 'unknown',
        loadAverage: [loadAtStart, loadavg()[0] ?? 0],
      },
      commit: execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root })
        .toString()
        .trim(),
      log: {
        events: total,
        streams: streams.size,
        byCategory,
        byType,
        generateSeconds,
        appendSeconds,
        appendEventsPerSecond: total / appendSeconds,
      },
      batchSize: BATCH,
      rawReadAllEventsPerSecond: whole.perSecond,
      rows,
    });
    console.log(`wrote ${json} and docs/benchmarks.md`);
  } finally {
    await pool
      .query(`DROP SCHEMA IF EXISTS ${quoteIdentifier(schema)} CASCADE`)
      .catch(() => undefined);
    await pool.end();
  }
};

await main();
