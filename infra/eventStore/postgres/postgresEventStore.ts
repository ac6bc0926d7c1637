import type { Registry } from 'prom-client';
import {
  ANY,
  type AppendResult,
  type EventStore,
  type ExpectedRevision,
  type RecordedEvent,
  type StreamAppend,
  type StreamWithRevision,
  type StreamMetadata,
} from '../../../commands/shared/eventStore.ts';
import { ConcurrencyError } from '../../../domain/shared/errors.ts';
import { withTransaction, type Pool } from '../../postgres/pool.ts';
import {
  assertExpectedRevision,
  assertStreamMetadata,
  assertValidAppend,
  checkExpectedRevision,
} from '../appendRules.ts';
import { getAppendMetrics } from './appendMetrics.ts';
import { LOCK_ONE_STREAM } from './appendSql.ts';
import { createAppendNotifier, createGroupCommit } from './postgresAppend.ts';
import { EVENT_COLUMNS, toRecordedEvent, type EventRow } from './rows.ts';
import {
  comparePostgresCheckpoints,
  headPostgresPosition,
  readAllPostgres,
  subscribePostgres,
} from './subscription.ts';

export interface PostgresEventStoreOptions {
  /** Schema holding the event tables (the pool's search_path must point at it). */
  readonly schema: string;
  /** For the subscriptions' dedicated LISTEN connection. */
  readonly connectionString: string;
  /**
   * Default true: a multi-stream append is one transaction. False appends each
   * stream in its own transaction (in the order given) and says so through
   * `capabilities`, so callers exercise the ordered-claim path.
   */
  readonly atomicMultiStreamAppend?: boolean;
  /** When given, append latency, conflicts and subscription metrics are recorded here. */
  readonly registry?: Registry;
  /** Whole-transaction attempts on deadlock or serialization failure. Default 5. */
  readonly maxAppendAttempts?: number;
  /**
   * Group commit: append round trips in flight at once; appends made meanwhile
   * wait and go together in one transaction. Default 4; 1 is the classic group commit.
   */
  readonly maxAppendsInFlight?: number;
}

// Soft delete, truncateBefore and maxAge hide events from readStream only; the
// log keeps them (readAll, subscriptions and the hash chain see everything).
const readStreamSql = (backwards: boolean, hasFrom: boolean) => `
  WITH head AS (
    SELECT coalesce(truncate_before, 0) AS first_readable, max_age_seconds
    FROM streams WHERE stream_name = $1 AND NOT deleted
  )
  SELECT ${EVENT_COLUMNS} FROM events, head
  WHERE stream_name = $1
    AND stream_revision >= head.first_readable
    AND (head.max_age_seconds IS NULL
         OR recorded_at >= now() - make_interval(secs => head.max_age_seconds))
    ${hasFrom ? `AND stream_revision ${backwards ? '<=' : '>='} $3` : ''}
  ORDER BY stream_revision ${backwards ? 'DESC' : 'ASC'}
  LIMIT $2`;

// readStreamWithRevision of many streams in one statement: per stream asked for,
// one row per readable event or one row of NULL event columns.
const readStreamsSql = `
  WITH wanted AS (
    SELECT w.name, w.ord, s.revision AS head_revision, s.deleted AS head_deleted,
           coalesce(s.truncate_before, 0) AS first_readable, s.max_age_seconds
    FROM unnest($1::text[]) WITH ORDINALITY AS w(name, ord)
    LEFT JOIN streams s ON s.stream_name = w.name
  )
  SELECT wanted.name AS wanted_stream,
         CASE WHEN NOT wanted.head_deleted AND wanted.head_revision >= 0
              THEN wanted.head_revision::text END AS current_revision,
         readable.*
  FROM wanted
  LEFT JOIN LATERAL (
    SELECT ${EVENT_COLUMNS} FROM events
    WHERE stream_name = wanted.name
      AND NOT wanted.head_deleted
      AND stream_revision >= wanted.first_readable
      AND (wanted.max_age_seconds IS NULL
           OR recorded_at >= now() - make_interval(secs => wanted.max_age_seconds))
  ) AS readable ON true
  ORDER BY wanted.ord, readable.stream_revision ASC`;

type EventRowWithRevision =
  | (EventRow & { readonly current_revision: string | null })
  | { readonly current_revision: string | null; readonly event_id: null };

const readStreamsOnce = async (
  pool: Pool,
  streams: readonly string[],
): Promise<Map<string, StreamWithRevision>> => {
  const { rows } = await pool.query<EventRowWithRevision & { readonly wanted_stream: string }>(
    readStreamsSql,
    [[...new Set(streams)]],
  );
  const read = new Map<string, { events: RecordedEvent[]; revision: number | undefined }>();
  for (const row of rows) {
    let entry = read.get(row.wanted_stream);
    if (entry === undefined) {
      const revision = row.current_revision;
      entry = { events: [], revision: revision === null ? undefined : Number(revision) };
      read.set(row.wanted_stream, entry);
    }
    if (row.event_id !== null) entry.events.push(toRecordedEvent(row));
  }
  return read;
};

/**
 * Coalesces the single-stream loads a command starts together (its resource,
 * its slots, its calendar: `Promise.all` over `loadStream`) into one
 * `readStreams` statement, sent once the current synchronous run has queued them.
 */
const createReadBatcher = (pool: Pool) => {
  let waiting: {
    stream: string;
    resolve: (read: StreamWithRevision) => void;
    reject: (error: unknown) => void;
  }[] = [];
  const flush = (): void => {
    const batch = waiting;
    waiting = [];
    readStreamsOnce(
      pool,
      batch.map((entry) => entry.stream),
    ).then(
      (read) => {
        for (const entry of batch) {
          const found = read.get(entry.stream);
          if (found === undefined) entry.reject(new Error(`readStreams left out ${entry.stream}.`));
          else entry.resolve(found);
        }
      },
      (error: unknown) => {
        for (const entry of batch) entry.reject(error);
      },
    );
  };
  return {
    read: (stream: string): Promise<StreamWithRevision> =>
      new Promise((resolve, reject) => {
        if (waiting.length === 0) queueMicrotask(flush);
        waiting.push({ stream, resolve, reject });
      }),
  };
};

const laterOf = (a: string | undefined, b: string): string =>
  a === undefined || comparePostgresCheckpoints(b, a) > 0 ? b : a;

export const getPostgresEventStore = (
  pool: Pool,
  options: PostgresEventStoreOptions,
): EventStore => {
  const atomic = options.atomicMultiStreamAppend ?? true;
  const metrics = getAppendMetrics(options.registry);
  const maxAttempts = options.maxAppendAttempts ?? 5;
  const notifier = createAppendNotifier(pool, options.schema);
  const readBatcher = createReadBatcher(pool);
  const groupCommit = createGroupCommit(pool, {
    maxAttempts,
    ...(options.maxAppendsInFlight === undefined
      ? {}
      : { maxInFlight: options.maxAppendsInFlight }),
    onWritten: () => notifier.notify(),
  });
  const appendAtomically = (requests: readonly StreamAppend[]) => groupCommit.append(requests);

  const appendEach = async (requests: readonly StreamAppend[]): Promise<AppendResult> => {
    const streams: AppendResult['streams'][number][] = [];
    let position: string | undefined;
    for (const request of requests) {
      const result = await appendAtomically([request]);
      streams.push(...result.streams);
      position = laterOf(position, result.position);
    }
    if (position === undefined) throw new Error('An append produced no position.');
    return { streams, position };
  };

  return {
    capabilities: { atomicMultiStreamAppend: atomic },

    async append(requests) {
      const done = metrics.start();
      try {
        const valid = assertValidAppend(requests);
        const result = atomic ? await appendAtomically(valid) : await appendEach(valid);
        done('ok');
        return result;
      } catch (error) {
        done(error instanceof ConcurrencyError ? 'conflict' : 'error');
        throw error;
      }
    },

    async readStream(stream, readOptions = {}) {
      const backwards = readOptions.direction === 'backwards';
      const params: unknown[] = [stream, readOptions.maxCount ?? null];
      if (readOptions.fromRevision !== undefined) params.push(readOptions.fromRevision);
      const { rows } = await pool.query<EventRow>(
        readStreamSql(backwards, readOptions.fromRevision !== undefined),
        params,
      );
      return rows.map(toRecordedEvent);
    },

    readStreamWithRevision: (stream) => readBatcher.read(stream),

    readStreams: (streams) => readStreamsOnce(pool, streams),

    async streamRevision(stream) {
      const { rows } = await pool.query<{ revision: string }>(
        'SELECT revision::text AS revision FROM streams WHERE stream_name = $1 AND NOT deleted AND revision >= 0',
        [stream],
      );
      return rows[0] === undefined ? undefined : Number(rows[0].revision);
    },

    readAll: (readOptions) => readAllPostgres(pool, readOptions),

    subscribe: (subscribeOptions) =>
      subscribePostgres(
        {
          pool,
          connectionString: options.connectionString,
          schema: options.schema,
          ...(options.registry === undefined ? {} : { registry: options.registry }),
        },
        subscribeOptions,
      ),

    async deleteStream(stream, expectedRevision: ExpectedRevision = ANY) {
      assertExpectedRevision(stream, expectedRevision);
      await withTransaction(pool, async (client) => {
        await client.query(LOCK_ONE_STREAM, [stream]);
        const { rows } = await client.query<{ revision: string; deleted: boolean }>(
          'SELECT revision::text AS revision, deleted FROM streams WHERE stream_name = $1 FOR UPDATE',
          [stream],
        );
        const row = rows[0];
        const revision = row === undefined ? -1 : Number(row.revision);
        const actual = row === undefined || row.deleted || revision < 0 ? undefined : revision;
        checkExpectedRevision(stream, expectedRevision, actual);
        if (actual === undefined) return;
        // ESDB semantics: the stream reads empty, and a later append continues the numbering.
        await client.query(
          'UPDATE streams SET deleted = true, truncate_before = revision + 1 WHERE stream_name = $1',
          [stream],
        );
      });
    },

    async setStreamMetadata(stream, metadata: StreamMetadata) {
      assertStreamMetadata(stream, metadata);
      // A soft delete's truncation point survives a metadata update (it would otherwise undelete).
      await pool.query(
        `INSERT INTO streams AS s (stream_name, revision, truncate_before, max_age_seconds)
         VALUES ($1, -1, $2, $3)
         ON CONFLICT (stream_name) DO UPDATE SET
           truncate_before = CASE WHEN s.deleted THEN greatest(EXCLUDED.truncate_before, s.revision + 1)
                                  ELSE EXCLUDED.truncate_before END,
           max_age_seconds = EXCLUDED.max_age_seconds`,
        [stream, metadata.truncateBefore ?? null, metadata.maxAgeSeconds ?? null],
      );
    },

    async getStreamMetadata(stream) {
      const { rows } = await pool.query<{
        truncate_before: string | null;
        max_age_seconds: number | null;
      }>(
        'SELECT truncate_before::text AS truncate_before, max_age_seconds FROM streams WHERE stream_name = $1',
        [stream],
      );
      const row = rows[0];
      return {
        ...(row?.truncate_before == null ? {} : { truncateBefore: Number(row.truncate_before) }),
        ...(row?.max_age_seconds == null ? {} : { maxAgeSeconds: row.max_age_seconds }),
      };
    },

    comparePositions: comparePostgresCheckpoints,

    headPosition: () => headPostgresPosition(pool),
  };
};
