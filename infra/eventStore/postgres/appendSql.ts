/** The SQL of `append` (postgresAppend.ts), kept apart so the logic reads on one screen. */

// Subscribers deliver in (transaction_id, global_position) order, so a writer
// must hold every one of its streams before it gets an xid: a transaction that
// took its xid on one stream's row and then queued for another's could land its
// events behind a later xid and be delivered out of revision order. Advisory
// locks take no xid, and the one-time filter takes all of them (sorted, so
// crosswise multi-stream appends cannot deadlock) before the first row is
// touched. The row lock of the upsert then reads a head no writer is moving;
// a new stream gets a placeholder at revision -1 that a rollback removes.
// The key is the bare stream name, shared with subscriptionTesting.ts's raw
// writer; the same name in two schemas of one database merely serialises.
export const LOCK_STREAMS = `
  INSERT INTO streams AS s (stream_name, revision)
  SELECT name, -1 FROM unnest($1::text[]) AS name
  WHERE (SELECT count(pg_advisory_xact_lock(hashtextextended(n, 0)))
         FROM unnest($1::text[]) AS n) > 0
  ON CONFLICT (stream_name) DO UPDATE SET revision = s.revision
  RETURNING stream_name, revision::text AS revision, deleted, last_hash, now() AS now`;

// One statement writes every event and moves every stream head; the NOTIFY
// trigger (migration 002) fires once for it.
export const INSERT_EVENTS = `
  WITH inserted AS (
    INSERT INTO events (stream_name, category, stream_revision, event_id, event_type,
                        schema_version, data, metadata, recorded_at)
    SELECT e.stream_name, e.category, e.stream_revision, e.event_id, e.event_type,
           e.schema_version, e.data, e.metadata, $9
    FROM unnest($1::text[], $2::text[], $3::bigint[], $4::uuid[], $5::text[], $6::int[],
                $7::jsonb[], $8::jsonb[])
      WITH ORDINALITY AS e(stream_name, category, stream_revision, event_id, event_type,
                           schema_version, data, metadata, ord)
    ORDER BY e.ord
    RETURNING transaction_id, global_position
  ), heads AS (
    UPDATE streams s SET revision = h.revision, last_hash = h.last_hash, deleted = false
    FROM unnest($10::text[], $11::bigint[], $12::text[]) AS h(stream_name, revision, last_hash)
    WHERE s.stream_name = h.stream_name
  )
  SELECT transaction_id::text AS transaction_id, global_position::text AS global_position
  FROM inserted ORDER BY global_position DESC LIMIT 1`;

export interface StreamRow {
  readonly stream_name: string;
  readonly revision: string;
  readonly deleted: boolean;
  readonly last_hash: string;
  readonly now: Date;
}

/** The same per-stream lock for writers of stream heads outside `append` (deleteStream). */
export const LOCK_ONE_STREAM = `SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`;
