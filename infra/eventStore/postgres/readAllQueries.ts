import type {
  Checkpoint,
  EventFilter,
  ReadAllOptions,
  RecordedEvent,
} from '../../../commands/shared/eventStore.ts';
import type { Queryable } from '../../postgres/pool.ts';
import {
  EVENT_COLUMNS,
  parseCheckpoint,
  toCheckpoint,
  toRecordedEvent,
  type EventRow,
} from './rows.ts';

// The gap-free visibility fence (DESIGN.md): every xid below the snapshot's xmin
// has committed or aborted, so no row can appear behind a reader later. Rows of
// still-open transactions wait, however long; nothing is skipped on a timeout.
// It sits in the same statement as the read, so both use one snapshot.
const FENCE = 'transaction_id < pg_snapshot_xmin(pg_current_snapshot())';
const LAG_CAP = 100_000;

const whereAfter = (
  from: Checkpoint | undefined,
  filter: EventFilter | undefined,
  params: unknown[],
  fence = FENCE,
): string => {
  const clauses = [fence];
  if (from !== undefined) {
    const { transactionId, globalPosition } = parseCheckpoint(from);
    params.push(transactionId.toString(), globalPosition.toString());
    clauses.push(
      `(transaction_id, global_position) > ($${params.length - 1}::xid8, $${params.length}::bigint)`,
    );
  }
  // An empty list matches nothing, like any other list of allowed values.
  if (filter?.categories !== undefined) {
    params.push(filter.categories);
    clauses.push(`category = ANY($${params.length}::text[])`);
  }
  if (filter?.eventTypes !== undefined) {
    params.push(filter.eventTypes);
    clauses.push(`event_type = ANY($${params.length}::text[])`);
  }
  return clauses.join(' AND ');
};

/**
 * Events after `options.from` (exclusive) in delivery order
 * `(transaction_id, global_position)`, only below the visibility fence.
 * Like ESDB's $all, it returns events of soft-deleted and truncated streams too:
 * stream metadata governs `readStream`, the log itself stays complete.
 */
export const readAllPostgres = async (
  db: Queryable,
  options: ReadAllOptions = {},
): Promise<RecordedEvent[]> => {
  if (
    options.maxCount !== undefined &&
    !(Number.isInteger(options.maxCount) && options.maxCount >= 0)
  ) {
    throw new RangeError(`maxCount must be a non-negative integer (got ${options.maxCount}).`);
  }
  if (options.maxCount === 0) return [];
  const params: unknown[] = [];
  const where = whereAfter(options.from, options.filter, params);
  let sql = `SELECT ${EVENT_COLUMNS} FROM events WHERE ${where} ORDER BY transaction_id, global_position`;
  if (options.maxCount !== undefined) {
    params.push(options.maxCount);
    sql += ` LIMIT $${params.length}`;
  }
  const { rows } = await db.query<EventRow>(sql, params);
  return rows.map(toRecordedEvent);
};

/** Total order of Postgres checkpoints: by transaction id, then global position. */
export const comparePostgresCheckpoints = (a: Checkpoint, b: Checkpoint): number => {
  const left = parseCheckpoint(a);
  const right = parseCheckpoint(b);
  if (left.transactionId !== right.transactionId)
    return left.transactionId < right.transactionId ? -1 : 1;
  if (left.globalPosition !== right.globalPosition)
    return left.globalPosition < right.globalPosition ? -1 : 1;
  return 0;
};

/** Checkpoint of the last event below the fence: what a caught-up subscriber has reached. */
export const headPostgresPosition = async (db: Queryable): Promise<Checkpoint | undefined> => {
  const { rows } = await db.query<{ transaction_id: string; global_position: string }>(
    `SELECT transaction_id::text AS transaction_id, global_position FROM events WHERE ${FENCE}
     ORDER BY transaction_id DESC, global_position DESC LIMIT 1`,
  );
  const row = rows[0];
  return row ? toCheckpoint(row.transaction_id, row.global_position) : undefined;
};

export const countBehind = async (
  db: Queryable,
  from: Checkpoint | undefined,
  filter: EventFilter | undefined,
): Promise<number> => {
  const params: unknown[] = [];
  const where = whereAfter(from, filter, params);
  const { rows } = await db.query<{ behind: number }>(
    `SELECT count(*)::int AS behind FROM (SELECT 1 FROM events WHERE ${where} LIMIT ${LAG_CAP}) behind`,
    params,
  );
  return rows[0]?.behind ?? 0;
};

/**
 * Whether committed events after `from` exist that a read has not returned:
 * usually because an older transaction is still open and holds the fence, or
 * because the fence moved since that read. The subscriber then looks again soon
 * instead of sleeping a whole poll interval, since whatever holds the fence may
 * end without a NOTIFY (it need not write events).
 */
export const hasUnreadEvents = async (
  db: Queryable,
  from: Checkpoint | undefined,
  filter: EventFilter | undefined,
): Promise<boolean> => {
  const params: unknown[] = [];
  const where = whereAfter(from, filter, params, 'true');
  const { rows } = await db.query<{ unread: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM events WHERE ${where}) AS unread`,
    params,
  );
  return rows[0]?.unread ?? false;
};
