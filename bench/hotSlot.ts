import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { placeHold } from '../commands/placingHold/handler.ts';
import { domainEventCodec } from '../commands/shared/eventCodec.ts';
import type { EventStore } from '../commands/shared/eventStore.ts';
import { createResourceCache } from '../commands/shared/resourceCache.ts';
import { createStreamLanes } from '../commands/shared/streamLanes.ts';
import { cryptoIds } from '../infra/composition/systemPorts.ts';
import { registerResource } from '../commands/shared/testing/reservationFixtures.ts';
import type { WriteSide } from '../commands/shared/writeSide.ts';
import { sampleNightly } from '../domain/resource/testing/sampleResources.ts';
import { ConcurrencyError } from '../domain/shared/errors.ts';
import { getPostgresEventStore } from '../infra/eventStore/postgres/postgresEventStore.ts';
import { createTestDatabase } from '../infra/postgres/testing.ts';
import { writeDocSection, writeResultJson } from './shared/benchDoc.ts';

/**
 * A hot slot: `BENCH_HOT_WRITERS` (default 16) writers in one process place
 * one-unit holds on the same night of the same resource for
 * `BENCH_HOT_SECONDS` (default 5) per mode, through the real hold handler and
 * PostgreSQL store. Modes: `race` (every writer reads, decides and appends;
 * a conflict re-reads and retries) and `lanes` (per-stream lanes: writers of
 * one stream take turns). Reports successful holds/s and store conflicts
 * (retries) per success.
 */
const writers = Number(process.env['BENCH_HOT_WRITERS'] ?? 16);
const seconds = Number(process.env['BENCH_HOT_SECONDS'] ?? 5);
const root = fileURLToPath(new URL('..', import.meta.url)).replace(/\/$/, '');

interface ModeResult {
  readonly mode: 'race' | 'lanes';
  readonly holdsPerSecond: number;
  readonly retriesPerSuccess: number;
  readonly failed: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

const counting = (store: EventStore, conflicts: { n: number }): EventStore => ({
  ...store,
  append: async (requests) => {
    try {
      return await store.append(requests);
    } catch (error) {
      if (error instanceof ConcurrencyError) conflicts.n += 1;
      throw error;
    }
  },
});

const percentile = (sorted: readonly number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

const db = await createTestDatabase({ max: 20, prefix: 'benchhot' });
const results: ModeResult[] = [];
const loadAtStart = loadavg()[0] ?? 0;
try {
  const store = getPostgresEventStore(db.pool, {
    schema: db.schema,
    connectionString: db.connectionString,
  });
  for (const mode of ['race', 'lanes'] as const) {
    const conflicts = { n: 0 };
    const writeSide: WriteSide = {
      store: counting(store, conflicts),
      codec: domainEventCodec,
      ids: cryptoIds,
      clock: { now: () => new Date('2026-12-01T09:00:00.000Z') },
      resourceCache: createResourceCache(),
      ...(mode === 'lanes' ? { lanes: createStreamLanes() } : {}),
    };
    const resourceId = await registerResource(writeSide, sampleNightly({ capacity: 1_000_000 }));
    const caller = {
      principal: { id: 'bench-admin', role: 'admin' as const },
      requestId: 'bench',
      idempotencyKey: undefined,
    };
    const hold = () =>
      placeHold(
        writeSide,
        {
          resourceId,
          period: { kind: 'nights', checkIn: '2026-12-24', checkOut: '2026-12-25' },
          quantity: 1,
          guest: { guestId: 'bench-guest' },
        },
        caller,
      );
    await hold();
    conflicts.n = 0;
    const latencies: number[] = [];
    let failed = 0;
    const began = performance.now();
    const until = began + seconds * 1000;
    await Promise.all(
      Array.from({ length: writers }, async () => {
        while (performance.now() < until) {
          const start = performance.now();
          try {
            await hold();
            latencies.push(performance.now() - start);
          } catch {
            failed += 1;
          }
        }
      }),
    );
    const elapsed = (performance.now() - began) / 1000;
    latencies.sort((a, b) => a - b);
    const result: ModeResult = {
      mode,
      holdsPerSecond: latencies.length / elapsed,
      retriesPerSuccess: conflicts.n / Math.max(1, latencies.length),
      failed,
      p50Ms: percentile(latencies, 50),
      p99Ms: percentile(latencies, 99),
    };
    results.push(result);
    console.log(
      `${mode.padEnd(5)} ${result.holdsPerSecond.toFixed(0)} holds/s, ${result.retriesPerSuccess.toFixed(2)} retries per success, ${failed} failed, p50 ${result.p50Ms.toFixed(1)} ms p99 ${result.p99Ms.toFixed(1)} ms`,
    );
  }
} finally {
  await db.dispose();
}
const loadAtEnd = loadavg()[0] ?? 0;
const at = new Date().toISOString();
const path = await writeResultJson(
  `${root}/bench/results`,
  `hotSlot-${at.replaceAll(/[:.]/g, '-')}`,
  {
    at,
    writers,
    seconds,
    load: [loadAtStart, loadAtEnd],
    results,
  },
);
const rows = results
  .map(
    (r) =>
      `| ${r.mode} | ${r.holdsPerSecond.toFixed(0)} | ${r.retriesPerSuccess.toFixed(2)} | ${r.failed} | ${r.p50Ms.toFixed(1)} / ${r.p99Ms.toFixed(1)} |`,
  )
  .join('\n');
await writeDocSection(
  `${root}/docs/benchmarks.md`,
  'hotSlot',
  `<!-- bench:hotSlot:start -->

## A hot slot (\`npx tsx bench/hotSlot.ts\`)

Run ${at}: ${writers} writers in one process hold one unit each of the same night of one resource, ${seconds} s per mode, through the hold handler and the PostgreSQL store (group commit on). Load average ${loadAtStart.toFixed(1)} at the start, ${loadAtEnd.toFixed(1)} at the end, on 2 CPUs shared with other work. \`race\`: every writer reads, decides and appends, and re-reads after a conflict; \`lanes\`: the process's writers of one stream take turns (\`commands/shared/streamLanes.ts\`). Retries = store conflicts per successful hold.

| mode | holds/s | retries per success | failed | p50 / p99 ms |
| ---- | ------: | ------------------: | -----: | -----------: |
${rows}

<!-- bench:hotSlot:end -->`,
);
console.log(`wrote ${path} and docs/benchmarks.md`);
