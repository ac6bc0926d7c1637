import type {
  ReconciliationRun,
  ReconciliationStore,
  RecordedFinding,
} from '../../../commands/reconcilingPayments/ports.ts';
import { withTransaction, type Pool } from '../../postgres/pool.ts';

interface RunRow {
  id: string;
  trigger: ReconciliationRun['trigger'];
  started_at: Date;
  finished_at: Date | null;
  checked: number;
  repaired: number;
  findings: number;
}

const toRun = (row: RunRow): ReconciliationRun => ({
  runId: row.id,
  trigger: row.trigger,
  startedAt: row.started_at.toISOString(),
  finishedAt: row.finished_at?.toISOString() ?? null,
  checked: row.checked,
  repaired: row.repaired,
  findings: row.findings,
});

interface FindingRow {
  reservation_id: string;
  kind: string;
  repaired: boolean;
  detail: Record<string, unknown>;
  found_at: Date;
}

const toFinding = (f: FindingRow): RecordedFinding => ({
  reservationId: f.reservation_id,
  kind: f.kind,
  repaired: f.repaired,
  detail: f.detail,
  foundAt: f.found_at.toISOString(),
});

const RUN_COLUMNS = 'id, trigger, started_at, finished_at, checked, repaired, findings';

/** Reconciliation's tables (migration 056). */
export const getPostgresReconciliationStore = (pool: Pool): ReconciliationStore => ({
  cursor: async () => {
    const { rows } = await pool.query<{ checkpoint: string }>(
      'SELECT checkpoint FROM payment_reconciliation_cursor WHERE id = 1',
    );
    return rows[0]?.checkpoint;
  },
  watch: (targets, cursor) =>
    withTransaction(pool, async (client) => {
      await client.query(
        `INSERT INTO payment_reconciliation_watch (reservation_id, booking_reference)
         SELECT * FROM unnest($1::text[], $2::text[]) ON CONFLICT DO NOTHING`,
        [targets.map((t) => t.reservationId), targets.map((t) => t.bookingReference)],
      );
      await client.query(
        `INSERT INTO payment_reconciliation_cursor (id, checkpoint) VALUES (1, $1)
         ON CONFLICT (id) DO UPDATE SET checkpoint = EXCLUDED.checkpoint`,
        [cursor],
      );
    }),
  due: async (limit) => {
    const { rows } = await pool.query<{ reservation_id: string; booking_reference: string }>(
      `SELECT reservation_id, booking_reference FROM payment_reconciliation_watch
        WHERE NOT settled ORDER BY last_checked_at NULLS FIRST, reservation_id LIMIT $1`,
      [limit],
    );
    return rows.map((r) => ({
      reservationId: r.reservation_id,
      bookingReference: r.booking_reference,
    }));
  },
  named: async (ids) => {
    const { rows } = await pool.query<{ reservation_id: string; booking_reference: string }>(
      `SELECT reservation_id, booking_reference FROM payment_reconciliation_watch
        WHERE reservation_id = ANY($1::text[]) ORDER BY reservation_id`,
      [ids],
    );
    return rows.map((r) => ({
      reservationId: r.reservation_id,
      bookingReference: r.booking_reference,
    }));
  },
  beginRun: async (trigger, at) => {
    const { rows } = await pool.query<{ id: string }>(
      'INSERT INTO payment_reconciliation_runs (trigger, started_at) VALUES ($1, $2) RETURNING id',
      [trigger, at],
    );
    return String(rows[0]?.id);
  },
  recordCheck: (runId, reservationId, findings: readonly RecordedFinding[], settled, at) =>
    withTransaction(pool, async (client) => {
      for (const f of findings) {
        await client.query(
          `INSERT INTO payment_reconciliation_findings (run_id, reservation_id, kind, repaired, detail, found_at)
           VALUES ($1, $2, $3, $4, $5, $6)`,
          [runId, reservationId, f.kind, f.repaired, JSON.stringify(f.detail), f.foundAt],
        );
      }
      const open = findings.filter((f) => !f.repaired).length;
      await client.query(
        `UPDATE payment_reconciliation_watch
            SET settled = $2, last_checked_at = $3, open_findings = $4 WHERE reservation_id = $1`,
        [reservationId, settled, at, open],
      );
      await client.query(
        `UPDATE payment_reconciliation_runs
            SET checked = checked + 1, repaired = repaired + $2, findings = findings + $3 WHERE id = $1`,
        [runId, findings.length - open, open],
      );
    }),
  finishRun: async (runId, at) => {
    const { rows } = await pool.query<RunRow>(
      `UPDATE payment_reconciliation_runs SET finished_at = $2 WHERE id = $1 RETURNING ${RUN_COLUMNS}`,
      [runId, at],
    );
    const row = rows[0];
    if (!row) throw new Error(`reconciliation run ${runId} vanished`);
    return toRun(row);
  },
  latest: async (limit) => {
    const runs = await pool.query<RunRow>(
      `SELECT ${RUN_COLUMNS} FROM payment_reconciliation_runs ORDER BY id DESC LIMIT $1`,
      [limit],
    );
    const newest = runs.rows[0];
    const findings = await pool.query<FindingRow>(
      `SELECT reservation_id, kind, repaired, detail, found_at FROM payment_reconciliation_findings
        WHERE run_id = $1 ORDER BY id LIMIT 500`,
      [newest?.id ?? '0'],
    );
    const open = await pool.query<FindingRow>(
      `SELECT f.reservation_id, f.kind, f.repaired, f.detail, f.found_at
         FROM payment_reconciliation_watch w
         JOIN payment_reconciliation_findings f
           ON f.reservation_id = w.reservation_id AND f.found_at = w.last_checked_at AND NOT f.repaired
        WHERE w.open_findings > 0
        ORDER BY f.id LIMIT 500`,
    );
    return {
      runs: runs.rows.map(toRun),
      findings: findings.rows.map(toFinding),
      open: open.rows.map(toFinding),
    };
  },
});
