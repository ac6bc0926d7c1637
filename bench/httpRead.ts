import { execFileSync, spawn } from 'node:child_process';
import { availableParallelism, loadavg, platform, release, totalmem } from 'node:os';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { writeDoc, writeJson, type HttpReadReport, type HttpRow } from './httpRead/report.ts';

/**
 * `make bench`, part 3: availability and search requests per second and
 * p50/p99 at 64 connections through the one HTTP layer (Express),
 * with slot usage from Redis and then (Redis stopped) from PostgreSQL,
 * beside a bare node:http server in the same run. Env: BENCH_HTTP_SECONDS
 * (default 10), BENCH_SEARCH_RESOURCES (default 100), TEST_DATABASE_URL.
 */
const seconds = Number(process.env['BENCH_HTTP_SECONDS'] ?? 10);
const connections = 64;
const root = fileURLToPath(new URL('..', import.meta.url)).replace(/\/$/, '');

interface Urls {
  expressUrl: string;
  bareUrl: string;
  partner: string;
  availability: string;
  search: string;
  /** Nightly GET /inventory/query. */
  inventory: string;
  /** Nightly POST /bookings/availability/check. */
  check: { path: string; body: string };
  resources: number;
}

const child = spawn('npx', ['tsx', `${root}/bench/httpRead/server.ts`], {
  stdio: ['pipe', 'pipe', 'inherit'],
});
const lines: AsyncIterator<string, undefined> = createInterface({ input: child.stdout })[
  Symbol.asyncIterator
]();
const nextLine = async (): Promise<string> => {
  const { value, done } = await lines.next();
  if (done) throw new Error('The bench server exited early; see its output above.');
  return value;
};

const measure = async (
  name: string,
  server: HttpRow['server'],
  source: HttpRow['source'],
  url: string,
  key?: string,
  body?: string,
): Promise<HttpRow> => {
  const run = (duration: number) =>
    autocannon({
      url,
      connections,
      duration,
      ...(body === undefined ? {} : { method: 'POST' as const, body }),
      headers: {
        ...(key ? { authorization: `Bearer ${key}` } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
    });
  await run(1); // warm-up: JIT, pools, caches
  const result = await run(seconds);
  const row: HttpRow = {
    name,
    server,
    source,
    requestsPerSecond: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
  };
  console.log(JSON.stringify(row));
  return row;
};

const urls = JSON.parse(await nextLine()) as Urls;
const startedAt = new Date().toISOString();
const loadBefore = loadavg()[0] ?? 0;
const rows: HttpRow[] = [
  await measure('fixed JSON', 'bare node:http', 'fixed body', `${urls.bareUrl}/`),
];
for (const source of ['redis', 'postgres'] as const) {
  if (source === 'postgres') {
    child.stdin.write('redis-stop\n');
    if ((await nextLine()) !== 'redis-down')
      throw new Error('The bench server did not stop Redis.');
  }
  for (const [name, path] of [
    ['availability', urls.availability],
    ['search', urls.search],
  ] as const) {
    rows.push(await measure(name, 'express', source, `${urls.expressUrl}${path}`, urls.partner));
  }
  rows.push(
    await measure(
      'inventory',
      'express',
      source,
      `${urls.expressUrl}${urls.inventory}`,
      urls.partner,
    ),
  );
  rows.push(
    await measure(
      'availability check',
      'express',
      source,
      `${urls.expressUrl}${urls.check.path}`,
      urls.partner,
      urls.check.body,
    ),
  );
}
child.stdin.write('exit\n');

const report: HttpReadReport = {
  startedAt,
  machine: {
    cpus: availableParallelism(),
    platform: `${platform()} ${release()}`,
    memoryGb: Math.round(totalmem() / 2 ** 30),
    loadAverage: [loadBefore, loadavg()[0] ?? 0].map((l) => Math.round(l * 100) / 100),
  },
  commit: execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root }).toString().trim(),
  connections,
  secondsPerRow: seconds,
  searchResources: urls.resources,
  rows,
};
console.log(`wrote ${await writeJson(`${root}/bench/results`, report)}`);
await writeDoc(`${root}/docs/benchmarks.md`, report);
await new Promise((resolve) => child.once('exit', resolve));
