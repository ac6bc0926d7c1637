import {
  byDeadline,
  DEADLINE_FILTER,
  deadlineChangeOf,
  type DueItem,
  type HoldDeadlines,
} from '../../commands/expiringHolds/deadlineIndex.ts';
import type { EventStore } from '../../commands/shared/eventStore.ts';
import { ConcurrencyError } from '../../domain/shared/errors.ts';
import type { PostgresCheckpointStore } from '../eventStore/postgres/checkpointStore.ts';
import type { Pool, PoolClient } from '../postgres/pool.ts';
import { inProjectionTransaction } from '../projections/transaction.ts';

export const HOLD_DEADLINES_CHECKPOINT = 'process:hold-deadlines';

export interface PostgresHoldDeadlinesDeps {
  readonly pool: Pool;
  /** Where the log is read (gap-free `readAll` from the checkpoint). */
  readonly store: Pick<EventStore, 'readAll'>;
  readonly checkpoints: PostgresCheckpointStore;
  /** Events per page, each page one transaction with its checkpoint (default 2000). */
  readonly pageSize?: number;
}

type Row = readonly [kind: 'slot' | 'reservation', key: string, holder: string];

/** Applies one page's net changes: the last change per row wins (the page is in log order). */
const writePage = async (
  client: PoolClient,
  changes: ReadonlyMap<string, { row: Row; deadline: number | null }>,
): Promise<void> => {
  const gone: Row[] = [];
  const set: { row: Row; deadline: number }[] = [];
  for (const { row, deadline } of changes.values()) {
    if (deadline === null) gone.push(row);
    else set.push({ row, deadline });
  }
  if (gone.length > 0) {
    await client.query(
      `DELETE FROM hold_deadlines d
       USING unnest($1::text[], $2::text[], $3::text[]) AS g(kind, key, holder)
       WHERE d.kind = g.kind AND d.key = g.key AND d.holder = g.holder`,
      [gone.map((r) => r[0]), gone.map((r) => r[1]), gone.map((r) => r[2])],
    );
  }
  if (set.length > 0) {
    await client.query(
      `INSERT INTO hold_deadlines (kind, key, holder, deadline)
       SELECT kind, key, holder, to_timestamp(ms / 1000.0)
       FROM unnest($1::text[], $2::text[], $3::text[], $4::float8[]) AS s(kind, key, holder, ms)
       ON CONFLICT (kind, key, holder) DO UPDATE SET deadline = EXCLUDED.deadline`,
      [
        set.map((s) => s.row[0]),
        set.map((s) => s.row[1]),
        set.map((s) => s.row[2]),
        set.map((s) => s.deadline),
      ],
    );
  }
};

/**
 * The scheduler's deadlines as a checkpointed projection in `hold_deadlines`
 * (migration 101): each catch-up folds the log's pages after the checkpoint,
 * each page and its checkpoint in one transaction, so a restart resumes where
 * it stopped instead of re-reading the log. Several instances may catch up at
 * once: the checkpoint is compare-and-set, and the loser re-reads from the
 * winner's checkpoint. A settle drops only rows that were due at its `now`,
 * so a deadline another instance just caught up (always in the future) is
 * never lost to a decision taken on an older reload.
 */
export const getPostgresHoldDeadlines = (deps: PostgresHoldDeadlinesDeps): HoldDeadlines => {
  const pageSize = deps.pageSize ?? 2000;
  const { pool, checkpoints } = deps;

  const catchUpPage = async (): Promise<number> => {
    const from = await checkpoints.load(HOLD_DEADLINES_CHECKPOINT);
    const page = await deps.store.readAll({
      ...(from === undefined ? {} : { from }),
      maxCount: pageSize,
      filter: DEADLINE_FILTER,
    });
    const last = page.at(-1);
    if (last === undefined) return 0;
    const changes = new Map<string, { row: Row; deadline: number | null }>();
    for (const event of page) {
      const change = deadlineChangeOf(event);
      if (change === undefined) continue;
      const row: Row =
        change.kind === 'slot'
          ? ['slot', change.stream, change.reservationId]
          : ['reservation', change.reservationId, ''];
      changes.set(JSON.stringify(row), { row, deadline: change.deadline });
    }
    try {
      await inProjectionTransaction(pool, async (client) => {
        // Compare-and-set first: another instance that moved the checkpoint wins, this page rolls back.
        await checkpoints.store(HOLD_DEADLINES_CHECKPOINT, from, last.checkpoint, client);
        await writePage(client, changes);
      });
    } catch (error) {
      if (error instanceof ConcurrencyError) return pageSize;
      throw error;
    }
    return page.length;
  };

  return {
    catchUp: async () => {
      while ((await catchUpPage()) >= pageSize);
    },
    due: async (now, limit) => {
      const { rows } = await pool.query<{ kind: 'slot' | 'reservation'; key: string; at: Date }>(
        `SELECT kind, key, min(deadline) AS at FROM hold_deadlines
         WHERE deadline <= $1
         GROUP BY kind, key
         ORDER BY min(deadline), kind DESC
         LIMIT $2`,
        [now, limit],
      );
      return rows
        .map((row): DueItem =>
          row.kind === 'slot'
            ? { kind: 'slot', stream: row.key, deadline: row.at.getTime() }
            : { kind: 'reservation', reservationId: row.key, deadline: row.at.getTime() },
        )
        .sort(byDeadline);
    },
    settleSlot: async (stream, pending, now) => {
      const holders = [...pending.keys()];
      await pool.query(
        `WITH dropped AS (
           DELETE FROM hold_deadlines
           WHERE kind = 'slot' AND key = $1 AND deadline <= $2 AND NOT (holder = ANY($3::text[])))
         INSERT INTO hold_deadlines (kind, key, holder, deadline)
         SELECT 'slot', $1, holder, to_timestamp(ms / 1000.0)
         FROM unnest($3::text[], $4::float8[]) AS p(holder, ms)
         ON CONFLICT (kind, key, holder) DO UPDATE SET deadline = EXCLUDED.deadline`,
        [stream, now, holders, holders.map((holder) => pending.get(holder) ?? 0)],
      );
    },
    settleReservation: async (reservationId, deadline, now) => {
      await (deadline === null
        ? pool.query(
            `DELETE FROM hold_deadlines
             WHERE kind = 'reservation' AND key = $1 AND holder = '' AND deadline <= $2`,
            [reservationId, now],
          )
        : pool.query(
            `INSERT INTO hold_deadlines (kind, key, holder, deadline)
             VALUES ('reservation', $1, '', to_timestamp($2 / 1000.0))
             ON CONFLICT (kind, key, holder) DO UPDATE SET deadline = EXCLUDED.deadline`,
            [reservationId, deadline],
          ));
    },
  };
};
