/**
 * Start-up time and resident memory of `serve` on a large log (issue 15):
 * generates an N-event log (default 1,000,000) straight into a fresh schema
 * with one INSERT … SELECT per event kind, then boots the server twice per
 * variant (roles api + scheduler, so the hold-expiry scheduler's catch-up is
 * what grows with the log; projections are left out, so /ready would wait for
 * them: the server counts as up when /health answers) and records the time to
 * /health, the time until the scheduler has caught up with the log (its first
 * pass logged, or for older code its CPU going idle), and the VmRSS then. Variants: this checkout under tsx; the compiled build
 * (`dist/`, when built); and `--before DIR`, an older checkout (git archive).
 *
 *   npx tsx bench/startup.ts [--events 1000000] [--before /tmp/old] [--keep]  (--keep leaves the schema for bench/holdDeadlinesCatchUp.ts)
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createTestDatabase } from '../infra/postgres/testing.ts';
import { TEST_DATABASE_URL } from '../infra/postgres/testing.ts';

const ROOT = path.resolve(new URL('..', import.meta.url).pathname);
const PORT = 42311;
const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '1000000' },
    before: { type: 'string' },
    keep: { type: 'boolean', default: false },
  },
});
const events = Number(values.events);
if (!Number.isSafeInteger(events) || events < 4 || events > 10_000_000)
  throw new Error('--events must be an integer from 4 to 10,000,000.');

const db = await createTestDatabase({ max: 2, prefix: 'benchstartup' });
const reservations = Math.floor(events / 4);
const generated = Date.now();
// Per reservation: ReservationRequested + ReservationCancelled on its stream, SlotHeld +
// HoldReleased on a slot stream — 4 events, nothing left due (as on a long-lived install).
const insert = (stream: string, category: string, rev: number, type: string, data: string) =>
  db.pool.query(
    `INSERT INTO events (stream_name, category, stream_revision, event_id, event_type,
                         schema_version, data, metadata)
     SELECT ${stream}, '${category}', ${rev}, gen_random_uuid(), '${type}', 1, ${data},
            jsonb_build_object('recordedAt', now(), 'hash', '', 'previousHash', '')
     FROM generate_series(1, $1) AS i`,
    [reservations],
  );
const rid = `'bench-' || i`;
const expires = `to_char(now() - interval '1 day' + i * interval '1 second', 'YYYY-MM-DD"T"HH24:MI:SS".000Z"')`;
await insert(
  `'reservation-' || ${rid}`,
  'reservation',
  0,
  'ReservationRequested',
  `jsonb_build_object('reservationId', ${rid}, 'expiresAt', ${expires})`,
);
await insert(
  `'slot-bench.' || i`,
  'slot',
  0,
  'SlotHeld',
  `jsonb_build_object('reservationId', ${rid}, 'quantity', 1, 'expiresAt', ${expires})`,
);
await insert(
  `'slot-bench.' || i`,
  'slot',
  1,
  'HoldReleased',
  `jsonb_build_object('reservationId', ${rid}, 'quantity', 1)`,
);
await insert(
  `'reservation-' || ${rid}`,
  'reservation',
  1,
  'ReservationCancelled',
  `jsonb_build_object('reservationId', ${rid})`,
);
await db.pool.query('ANALYZE events');
const generationMs = Date.now() - generated;
process.stdout.write(`generated ${reservations * 4} events in ${generationMs} ms\n`);

interface Boot {
  readonly variant: string;
  readonly boot: number;
  /** Until /health answers. */
  readonly upMs: number;
  /** Until the process's CPU went idle: every start-up work, the scheduler's catch-up included, done. */
  readonly idleMs: number | null;
  /** Until the scheduler logged its first pass done (code that logs it). */
  readonly expiryCaughtUpMs: number | null;
  readonly rssMiB: number;
}

const rssMiB = (pid: number): number => {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return Math.round((kb / 1024) * 10) / 10;
};

const bootOnce = async (variant: string, cwd: string, command: string[], boot: number) => {
  const started = Date.now();
  const child = spawn(command[0] ?? process.execPath, command.slice(1), {
    cwd,
    env: {
      ...process.env,
      DATABASE_URL: TEST_DATABASE_URL,
      DATABASE_SCHEMA: db.schema,
      ROLES: 'api,scheduler',
      PORT: String(PORT),
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let caughtUp: number | null = null;
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    if (caughtUp === null && chunk.includes('hold expiry caught up'))
      caughtUp = Date.now() - started;
  });
  let readyMs = -1;
  const deadline = started + 600_000;
  while (Date.now() < deadline) {
    if (readyMs < 0) {
      const ok = await fetch(`http://127.0.0.1:${PORT}/health`)
        .then((r) => r.status === 200)
        .catch(() => false);
      if (ok) readyMs = Date.now() - started;
    }
    if (readyMs >= 0) break;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  // Caught up, for any code: the process's CPU goes (nearly) idle — two 1 s windows in a row
  // with at most 2 ticks (20 ms) of user + system time; the time is the first window's start.
  const cpuTicks = () => {
    const stat = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(' ');
    return Number(stat[13]) + Number(stat[14]);
  };
  let idleSince: number | null = null;
  let idleWindows = 0;
  let last = cpuTicks();
  while (idleWindows < 2 && Date.now() < deadline) {
    const windowStart = Date.now() - started;
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const now = cpuTicks();
    if (now - last <= 2) {
      idleWindows += 1;
      idleSince ??= windowStart;
    } else {
      idleWindows = 0;
      idleSince = null;
    }
    last = now;
  }
  const rss = rssMiB(child.pid ?? 0);
  child.kill('SIGINT');
  await new Promise((resolve) => child.once('exit', resolve));
  const result: Boot = {
    variant,
    boot,
    upMs: readyMs,
    idleMs: idleSince,
    expiryCaughtUpMs: caughtUp,
    rssMiB: rss,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
  return result;
};

const variants: { name: string; cwd: string; command: string[] }[] = [];
if (values.before)
  variants.push({
    name: 'before (tsx)',
    cwd: values.before,
    command: [process.execPath, '--import', 'tsx', 'scripts/serve.ts'],
  });
variants.push({
  name: 'this checkout (tsx)',
  cwd: ROOT,
  command: [process.execPath, '--import', 'tsx', 'scripts/serve.ts'],
});
if (existsSync(path.join(ROOT, 'dist/scripts/serve.js')))
  variants.push({
    name: 'this checkout (compiled)',
    cwd: ROOT,
    command: [process.execPath, 'dist/scripts/serve.js'],
  });

const boots: Boot[] = [];
for (const variant of variants) {
  // The first boot of a variant after another may find the deadlines table already caught up.
  await db.pool
    .query("DELETE FROM subscription_checkpoints WHERE name = 'process:hold-deadlines'")
    .catch(() => undefined);
  await db.pool.query('TRUNCATE hold_deadlines').catch(() => undefined);
  for (const boot of [1, 2])
    boots.push(await bootOnce(variant.name, variant.cwd, variant.command, boot));
}
if (!values.keep) await db.dispose();
else await db.pool.end();

const at = new Date().toISOString();
mkdirSync(path.join(ROOT, 'bench/results'), { recursive: true });
const file = path.join(ROOT, `bench/results/startup-${at.replace(/[:.]/g, '-')}.json`);
writeFileSync(
  file,
  `${JSON.stringify({ at, events: reservations * 4, generationMs, boots }, null, 2)}\n`,
);
process.stdout.write(
  [
    '',
    '| variant | boot | /health answers, ms | CPU idle (caught up), ms | scheduler first pass logged, ms | VmRSS MiB |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    ...boots.map(
      (b) =>
        `| ${b.variant} | ${b.boot} | ${b.upMs} | ${b.idleMs ?? '—'} | ${b.expiryCaughtUpMs ?? '—'} | ${b.rssMiB} |`,
    ),
    '',
    `written to ${path.relative(ROOT, file)}`,
    '',
  ].join('\n'),
);
