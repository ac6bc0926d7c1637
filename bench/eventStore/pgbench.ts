import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface PgbenchResult {
  readonly clients: number;
  readonly threads: number;
  readonly seconds: number;
  readonly tps: number;
  readonly latencyAverageMs: number;
}

/**
 * What PostgreSQL itself does for one small INSERT per transaction on this
 * machine: pgbench with a custom script against `table` (created by the caller).
 */
export const runPgbench = async (
  connectionString: string,
  table: string,
  clients: number,
  seconds: number,
): Promise<PgbenchResult> => {
  const dir = await mkdtemp(join(tmpdir(), 'pgbench-'));
  const script = join(dir, 'insert.sql');
  const threads = Math.min(clients, 2);
  try {
    // A payload of the size of our events' data, so the row is comparable.
    await writeFile(
      script,
      `INSERT INTO ${table} (payload) VALUES ('{"reservationId":"1b4e28ba-2fa1-11d2-883f-0016d3cca427","resourceId":"res-7f3c3a4e","slotKey":"2026-12-24T09:00","quantity":2,"priceMinor":12500,"currency":"EUR"}');\n`,
    );
    const url = new URL(connectionString);
    const { stdout } = await run(
      'pgbench',
      [
        '-n',
        '-f',
        script,
        '-c',
        String(clients),
        '-j',
        String(threads),
        '-T',
        String(seconds),
        '-h',
        url.hostname,
        '-p',
        url.port || '5432',
        '-U',
        decodeURIComponent(url.username) || 'postgres',
        url.pathname.slice(1) || 'postgres',
      ],
      { env: { ...process.env, PGPASSWORD: decodeURIComponent(url.password) } },
    );
    const tps = /tps = ([\d.]+) \(without initial connection time\)/.exec(stdout)?.[1];
    const latency = /latency average = ([\d.]+) ms/.exec(stdout)?.[1];
    if (!tps) throw new Error(`Could not read the TPS from pgbench's output:\n${stdout}`);
    return { clients, threads, seconds, tps: Number(tps), latencyAverageMs: Number(latency) };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
};
