import { execFileSync, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { availableParallelism, loadavg, platform, totalmem } from 'node:os';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { writeDoc, writeJson, type HttpWriteRow } from './httpWrite/report.ts';

/**
 * `make bench`, HTTP writes: holds + confirms per second and p50/p99 over
 * HTTP at 16 and 64 connections, beside a bare node:http server answering a
 * fixed JSON body measured the same way in the same run. The servers run in
 * a second process (bench/httpWrite/server.ts). Env: BENCH_WRITE_SECONDS
 * (default 10), BENCH_WRITE_RESOURCES (default 200), TEST_DATABASE_URL.
 */
const seconds = Number(process.env['BENCH_WRITE_SECONDS'] ?? 10);
const root = fileURLToPath(new URL('..', import.meta.url)).replace(/\/$/, '');
const DAYS = 300;

interface Urls {
  readonly url: string;
  readonly bareUrl: string;
  readonly partner: string;
  readonly resources: number;
}

const child = spawn('npx', ['tsx', `${root}/bench/httpWrite/server.ts`], {
  stdio: ['pipe', 'pipe', 'inherit'],
});
const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
const first = await lines.next();
if (first.done) throw new Error('The bench server exited early; see its output above.');
const urls = JSON.parse(first.value) as Urls;

const today = Date.UTC(
  new Date().getUTCFullYear(),
  new Date().getUTCMonth(),
  new Date().getUTCDate(),
);
const dateIn = (days: number) => new Date(today + days * 86_400_000).toISOString().slice(0, 10);
let counter = 0;
/** A one-night hold on the next (resource, night): spread so holds rarely share a slot stream. */
const nextHold = () => {
  const n = counter++;
  const offset = 2 + (Math.floor(n / urls.resources) % DAYS);
  return JSON.stringify({
    resourceId: `bench-w-${n % urls.resources}`,
    checkIn: dateIn(offset),
    checkOut: dateIn(offset + 1),
    guest: { name: 'Bench Guest' },
    requesterId: `req-${n % 1000}`,
  });
};

type Context = { reservationId?: string };
const writeRun = (connections: number, duration: number) =>
  autocannon({
    url: urls.url,
    connections,
    duration,
    headers: { authorization: `Bearer ${urls.partner}`, 'content-type': 'application/json' },
    requests: [
      {
        method: 'POST',
        path: '/api/v1/reservations',
        setupRequest: (request) => ({ ...request, body: nextHold() }),
        onResponse: (status, body, context: Context) => {
          context.reservationId =
            status === 201 ? (JSON.parse(body) as { reservationId: string }).reservationId : 'none';
        },
      },
      {
        method: 'POST',
        setupRequest: (request, context: Context) => ({
          ...request,
          path: `/api/v1/reservations/${context.reservationId ?? 'none'}/confirm`,
          headers: { ...request.headers, 'idempotency-key': randomUUID() },
          body: JSON.stringify({ paymentMethod: 'pm_card_visa' }),
        }),
      },
    ],
  });
const bareRun = (connections: number, duration: number) =>
  autocannon({ url: `${urls.bareUrl}/`, connections, duration });

const toRow = (
  name: string,
  server: HttpWriteRow['server'],
  connections: number,
  result: autocannon.Result,
): HttpWriteRow => ({
  name,
  server,
  connections,
  requestsPerSecond: result.requests.average,
  p50Ms: result.latency.p50,
  p99Ms: result.latency.p99,
  non2xx: result.non2xx,
  errors: result.errors,
});

const startedAt = new Date().toISOString();
const loadBefore = loadavg()[0] ?? 0;
const rows: HttpWriteRow[] = [];
for (const connections of [16, 64]) {
  await bareRun(connections, 1);
  const bare = toRow(
    'fixed JSON',
    'bare node:http',
    connections,
    await bareRun(connections, seconds),
  );
  console.log(JSON.stringify(bare));
  await writeRun(connections, 1);
  const write = toRow(
    'hold + confirm',
    'write app (express)',
    connections,
    await writeRun(connections, seconds),
  );
  const ratioToBare = write.requestsPerSecond / bare.requestsPerSecond;
  console.log(JSON.stringify({ ...write, ratioToBare }));
  console.log(
    `${connections} connections: ${Math.round(write.requestsPerSecond)} holds+confirms/s (p50 ${write.p50Ms} ms, p99 ${write.p99Ms} ms) vs bare ${Math.round(bare.requestsPerSecond)} req/s → ratio ${ratioToBare.toFixed(3)}`,
  );
  rows.push(bare, { ...write, ratioToBare });
}
child.stdin.write('exit\n');

const report = {
  startedAt,
  machine: {
    cpus: availableParallelism(),
    platform: platform(),
    memoryGb: Math.round(totalmem() / 2 ** 30),
    loadAverage: [Math.round(loadBefore * 100) / 100, Math.round((loadavg()[0] ?? 0) * 100) / 100],
  },
  commit: execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root }).toString().trim(),
  secondsPerRow: seconds,
  resources: urls.resources,
  rows,
};
console.log(`wrote ${await writeJson(`${root}/bench/results`, report)}`);
await writeDoc(`${root}/docs/benchmarks.md`, report);
