import { benchMarkers, writeDocSection, writeResultJson } from '../shared/benchDoc.ts';

export interface HttpRow {
  readonly name: string;
  readonly server: 'bare node:http' | 'fast path' | 'express';
  readonly source: 'fixed body' | 'redis' | 'postgres';
  readonly requestsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly non2xx: number;
  readonly errors: number;
}

export interface HttpReadReport {
  readonly startedAt: string;
  readonly machine: {
    readonly cpus: number;
    readonly platform: string;
    readonly memoryGb: number;
    readonly loadAverage: readonly number[];
  };
  readonly commit: string;
  readonly connections: number;
  readonly secondsPerRow: number;
  readonly searchResources: number;
  readonly rows: readonly HttpRow[];
}

const { start: START, end: END } = benchMarkers('httpRead');

const toMarkdown = (report: HttpReadReport): string =>
  [
    START,
    '## HTTP reads: availability and search (`bench/httpRead.ts`)',
    '',
    `Run ${report.startedAt} on ${report.machine.cpus} CPUs (${report.machine.platform}, ${report.machine.memoryGb} GB, load ${report.machine.loadAverage.join(' / ')}), commit ${report.commit}. ` +
      `autocannon in its own process, ${report.connections} connections, ${report.secondsPerRow} s per row, against one server process (the read app on Express, the one HTTP layer, its own PostgreSQL database and redis-server, the projection runner idle) and a bare \`node:http\` server answering a fixed JSON body in the same process. ` +
      `Availability: one vendor, 3 timed resources, 10 hours of 60-minute slots with confidence. Inventory and availability check: one nightly resource, 3 nights. Search: ${report.searchResources} nightly resources in one city, a 3-night stay, every available candidate's exact total (memoized \`quote()\`), sorted by price, 20 per page. No rate limiter.`,
    '',
    '| request | server | slot usage from | req/s | % of bare | p50 ms | p99 ms | non-2xx | errors |',
    '| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...report.rows.map((r) => {
      const bare = report.rows.find((b) => b.server === 'bare node:http')?.requestsPerSecond ?? 0;
      const share = bare > 0 ? `${((100 * r.requestsPerSecond) / bare).toFixed(1)}%` : '–';
      return `| ${r.name} | ${r.server} | ${r.source} | ${Math.round(r.requestsPerSecond)} | ${share} | ${r.p50Ms} | ${r.p99Ms} | ${r.non2xx} | ${r.errors} |`;
    }),
    '',
    END,
  ].join('\n');

/** Replaces only this part's marked section of docs/benchmarks.md; other parts own theirs. */
export const writeDoc = (path: string, report: HttpReadReport): Promise<void> =>
  writeDocSection(path, 'httpRead', toMarkdown(report));

export const writeJson = (dir: string, report: HttpReadReport): Promise<string> =>
  writeResultJson(dir, `httpRead-${report.startedAt.replace(/[:.]/g, '-')}`, report);
