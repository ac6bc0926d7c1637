import { benchMarkers, writeDocSection, writeResultJson } from '../shared/benchDoc.ts';

export interface HttpWriteRow {
  readonly name: string;
  readonly server: 'write app (express)' | 'bare node:http';
  readonly connections: number;
  /** Requests per second: holds and confirms together for the write app. */
  readonly requestsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly non2xx: number;
  readonly errors: number;
  /** Write app: its req/s divided by the bare server's at the same connections. */
  readonly ratioToBare?: number;
}

export interface HttpWriteReport {
  readonly startedAt: string;
  readonly machine: {
    readonly cpus: number;
    readonly platform: string;
    readonly memoryGb: number;
    readonly loadAverage: readonly number[];
  };
  readonly commit: string;
  readonly secondsPerRow: number;
  readonly resources: number;
  readonly rows: readonly HttpWriteRow[];
}

const { start: START, end: END } = benchMarkers('httpWrite');

const toMarkdown = (report: HttpWriteReport): string =>
  [
    START,
    '## HTTP writes: holds and confirms (`bench/httpWrite.ts`)',
    '',
    `Run ${report.startedAt} on ${report.machine.cpus} CPUs (${report.machine.platform}, ${report.machine.memoryGb} GB, load ${report.machine.loadAverage.join(' / ')}), commit ${report.commit}. ` +
      `autocannon in its own process, ${report.secondsPerRow} s per row after a 1 s warm-up, against one server process: the write app (Express, every write route, the PostgreSQL event store on a fresh schema of the machine's PostgreSQL, idempotency keys in PostgreSQL, no Redis, no rate limiter, logs at warn) and a bare \`node:http\` server answering a fixed JSON body. ` +
      `Each connection alternates \`POST /api/v1/reservations\` (a one-night hold, spread over ${report.resources} nightly resources × 300 dates so holds rarely meet) and \`POST /api/v1/reservations/{id}/confirm\` with a fresh Idempotency-Key; req/s counts both. Ratio = write req/s ÷ bare req/s at the same connections.`,
    '',
    '| request | server | connections | req/s | p50 ms | p99 ms | non-2xx | errors | ratio to bare |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...report.rows.map(
      (r) =>
        `| ${r.name} | ${r.server} | ${r.connections} | ${Math.round(r.requestsPerSecond)} | ${r.p50Ms} | ${r.p99Ms} | ${r.non2xx} | ${r.errors} | ${r.ratioToBare === undefined ? '' : r.ratioToBare.toFixed(3)} |`,
    ),
    '',
    END,
  ].join('\n');

/** Replaces only this part's marked section of docs/benchmarks.md; other parts own theirs. */
export const writeDoc = (path: string, report: HttpWriteReport): Promise<void> =>
  writeDocSection(path, 'httpWrite', toMarkdown(report));

export const writeJson = (dir: string, report: HttpWriteReport): Promise<string> =>
  writeResultJson(dir, `httpWrite-${report.startedAt.slice(0, 10)}`, report);
