import { randomUUID } from 'node:crypto';
import type { VerifyJob } from '../../queries/auditing/ports.ts';
import { verifyLog, verifyStream } from '../eventStore/postgres/verify.ts';
import type { Pool } from '../postgres/pool.ts';

/** A running job that has not reported for this long is shown as abandoned (its process stopped). */
const ABANDONED_AFTER_S = 120;

interface JobRow {
  readonly id: string;
  readonly stream: string | null;
  readonly status: VerifyJob['status'];
  readonly checked: string;
  readonly result: unknown;
  readonly started_at: Date;
  readonly finished_at: Date | null;
  readonly stale: boolean;
}

const SELECT = `SELECT id, stream, status, checked::text AS checked, result, started_at, finished_at,
  (status = 'running' AND updated_at < now() - interval '${ABANDONED_AFTER_S} seconds') AS stale
  FROM audit_jobs`;

const toJob = (row: JobRow): VerifyJob => ({
  jobId: row.id,
  stream: row.stream,
  status: row.stale ? 'abandoned' : row.status,
  checked: Number(row.checked),
  result: row.result,
  startedAt: row.started_at.toISOString(),
  finishedAt: row.finished_at?.toISOString() ?? null,
});

/**
 * Verification jobs kept in `audit_jobs` (migration 081): run in the process
 * that accepted them, pollable from any instance. One runs at a time per
 * install — asking again while one runs returns that one — so callers cannot
 * multiply the cost of walking the log.
 */
export const createVerifyJobs = (pool: Pool) => {
  const run = async (id: string, stream: string | undefined) => {
    const onProgress = async (checked: number) => {
      await pool.query('UPDATE audit_jobs SET checked = $2, updated_at = now() WHERE id = $1', [
        id,
        checked,
      ]);
    };
    try {
      const result = stream
        ? await verifyStream(pool, stream, { onProgress })
        : await verifyLog(pool, { onProgress });
      await pool.query(
        `UPDATE audit_jobs SET status = $2, result = $3, updated_at = now(), finished_at = now(),
           checked = CASE WHEN $2 = 'succeeded' THEN ($3::jsonb->>'checked')::bigint ELSE checked END
         WHERE id = $1`,
        [id, result.ok ? 'succeeded' : 'failed', JSON.stringify(result)],
      );
    } catch (error) {
      await pool
        .query(
          `UPDATE audit_jobs SET status = 'error', result = $2, updated_at = now(), finished_at = now()
           WHERE id = $1`,
          [id, JSON.stringify({ message: error instanceof Error ? error.message : String(error) })],
        )
        .catch(() => undefined);
    }
  };
  const get = async (id: string): Promise<VerifyJob | undefined> => {
    const { rows } = await pool.query<JobRow>(`${SELECT} WHERE id = $1`, [id]);
    return rows[0] && toJob(rows[0]);
  };
  return {
    start: async (stream: string | undefined, startedBy: string): Promise<VerifyJob> => {
      const id = randomUUID();
      const { rows } = await pool.query<{ id: string; created: boolean }>(
        `WITH running AS (
           SELECT id FROM audit_jobs
           WHERE status = 'running' AND updated_at >= now() - interval '${ABANDONED_AFTER_S} seconds'
           ORDER BY started_at LIMIT 1),
         created AS (
           INSERT INTO audit_jobs (id, stream, status, started_by)
           SELECT $1, $2, 'running', $3 WHERE NOT EXISTS (SELECT 1 FROM running)
           RETURNING id)
         SELECT id, true AS created FROM created UNION ALL SELECT id, false FROM running`,
        [id, stream ?? null, startedBy],
      );
      const row = rows[0];
      if (row === undefined) throw new Error('The verification job could not be recorded.');
      if (row.created) void run(row.id, stream);
      const job = await get(row.id);
      if (job === undefined) throw new Error(`Verification job ${row.id} vanished.`);
      return job;
    },
    get,
  };
};
