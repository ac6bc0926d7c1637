import { performance } from 'node:perf_hooks';

/** `oursWithoutNotify`: a diagnostic run of our store with its per-append NOTIFY trigger disabled. */
export type StoreName = 'ours' | 'emmett' | 'oursWithoutNotify';

export type RowSpec =
  | { readonly kind: 'append'; readonly writers: number; readonly eventsPerCall: number }
  | {
      readonly kind: 'readStream';
      readonly readers: number;
      readonly streams: number;
      readonly streamLength: number;
    }
  | { readonly kind: 'readAll'; readonly readers: number; readonly pageSize: number };

export const rowName = (row: RowSpec): string => {
  switch (row.kind) {
    case 'append':
      return `append ${row.eventsPerCall} event${row.eventsPerCall === 1 ? '' : 's'}/call, ${row.writers} writer${row.writers === 1 ? '' : 's'}`;
    case 'readStream':
      return `readStream (${row.streamLength}-event streams), ${row.readers} readers`;
    case 'readAll':
      return `readAll (pages of ${row.pageSize}), ${row.readers} reader${row.readers === 1 ? '' : 's'}`;
    default: {
      const _never: never = row;
      return _never;
    }
  }
};

export interface RowResult {
  readonly row: string;
  readonly store: StoreName;
  readonly events: number;
  readonly calls: number;
  readonly conflicts: number;
  readonly seconds: number;
  readonly eventsPerSecond: number;
  /** Latency of one store call (an append or a read), in milliseconds. */
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** CPU time of the benchmark's Node process per call (user + system), in milliseconds. */
  readonly clientCpuMsPerCall: number;
}

/** What one call did: events written or read, and whether it lost an expected-revision race. */
export interface CallOutcome {
  readonly events: number;
  readonly conflict?: boolean;
}

const percentile = (sorted: Float64Array, p: number): number =>
  sorted.length === 0
    ? Number.NaN
    : (sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? Number.NaN);

export interface TimedRunOptions {
  readonly concurrency: number;
  readonly warmupMs: number;
  readonly durationMs: number;
}

/**
 * Runs `concurrency` loops of `makeLoop(i)()` calls for warm-up plus duration;
 * only calls that start after the warm-up are measured.
 */
export const runTimed = async (
  row: string,
  store: StoreName,
  { concurrency, warmupMs, durationMs }: TimedRunOptions,
  makeLoop: (index: number) => () => Promise<CallOutcome>,
): Promise<RowResult> => {
  const latencies: number[] = [];
  let events = 0;
  let conflicts = 0;
  const start = performance.now();
  const measureFrom = start + warmupMs;
  const end = measureFrom + durationMs;
  let lastDone = measureFrom;
  let cpuAtStart: NodeJS.CpuUsage | undefined;
  setTimeout(() => (cpuAtStart = process.cpuUsage()), warmupMs);
  await Promise.all(
    Array.from({ length: concurrency }, async (_, index) => {
      const call = makeLoop(index);
      while (performance.now() < end) {
        const began = performance.now();
        const outcome = await call();
        const done = performance.now();
        if (began < measureFrom) continue;
        latencies.push(done - began);
        events += outcome.events;
        if (outcome.conflict) conflicts += 1;
        lastDone = Math.max(lastDone, done);
      }
    }),
  );
  const cpu = process.cpuUsage(cpuAtStart);
  const sorted = Float64Array.from(latencies).sort();
  const seconds = (lastDone - measureFrom) / 1000;
  return {
    row,
    store,
    events,
    calls: latencies.length,
    conflicts,
    seconds,
    eventsPerSecond: seconds > 0 ? events / seconds : 0,
    p50Ms: percentile(sorted, 0.5),
    p99Ms: percentile(sorted, 0.99),
    clientCpuMsPerCall: (cpu.user + cpu.system) / 1000 / Math.max(1, latencies.length),
  };
};
