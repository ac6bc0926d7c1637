import type { Checkpoint, EventFilter } from '../../commands/shared/eventStore.ts';
import { countBehind } from '../eventStore/postgres/readAllQueries.ts';
import { parseCheckpoint } from '../eventStore/postgres/rows.ts';
import { comparePostgresCheckpoints } from '../eventStore/postgres/subscription.ts';
import type { Queryable } from '../postgres/pool.ts';

const filterClauses = (filter: EventFilter, params: unknown[]): string => {
  const clauses: string[] = [];
  if (filter.categories !== undefined) {
    params.push(filter.categories);
    clauses.push(`category = ANY($${params.length}::text[])`);
  }
  if (filter.eventTypes !== undefined) {
    params.push(filter.eventTypes);
    clauses.push(`event_type = ANY($${params.length}::text[])`);
  }
  return clauses.length === 0 ? 'true' : clauses.join(' AND ');
};

const afterClause = (from: Checkpoint | undefined, params: unknown[]): string => {
  if (from === undefined) return 'true';
  const { transactionId, globalPosition } = parseCheckpoint(from);
  params.push(transactionId.toString(), globalPosition.toString());
  return `(transaction_id, global_position) > ($${params.length - 1}::xid8, $${params.length}::bigint)`;
};

/**
 * Whether a projection at `checkpoint` has seen everything up to `target`.
 * A filtered projection's checkpoint only moves on events it reads, so it
 * has also reached `target` when the target is below the visibility fence
 * (nothing older can still appear) and no event it reads lies in between.
 */
export const hasReached = async (
  db: Queryable,
  filter: EventFilter,
  checkpoint: Checkpoint | undefined,
  target: Checkpoint,
): Promise<boolean> => {
  if (checkpoint !== undefined && comparePostgresCheckpoints(checkpoint, target) >= 0) return true;
  const goal = parseCheckpoint(target);
  const params: unknown[] = [goal.transactionId.toString(), goal.globalPosition.toString()];
  const where = [
    afterClause(checkpoint, params),
    '(transaction_id, global_position) <= ($1::xid8, $2::bigint)',
    filterClauses(filter, params),
  ].join(' AND ');
  const { rows } = await db.query<{ reached: boolean }>(
    `SELECT $1::xid8 < pg_snapshot_xmin(pg_current_snapshot())
            AND NOT EXISTS (SELECT 1 FROM events WHERE ${where}) AS reached`,
    params,
  );
  return rows[0]?.reached === true;
};

export interface Lag {
  /** Events the projection reads that wait after its checkpoint (capped at 100 000). */
  readonly events: number;
  /** Age of the oldest waiting event, seconds; 0 when none waits. */
  readonly seconds: number;
}

export const measureLag = async (
  db: Queryable,
  filter: EventFilter,
  checkpoint: Checkpoint | undefined,
): Promise<Lag> => {
  const events = await countBehind(db, checkpoint, filter);
  if (events === 0) return { events, seconds: 0 };
  const params: unknown[] = [];
  const where = `${afterClause(checkpoint, params)} AND ${filterClauses(filter, params)}`;
  const { rows } = await db.query<{ seconds: number | null }>(
    `SELECT extract(epoch FROM clock_timestamp() - min(recorded_at))::float8 AS seconds
     FROM (SELECT recorded_at FROM events
           WHERE ${where} AND transaction_id < pg_snapshot_xmin(pg_current_snapshot())
           ORDER BY transaction_id, global_position LIMIT 1) oldest`,
    params,
  );
  return { events, seconds: Math.max(0, rows[0]?.seconds ?? 0) };
};
