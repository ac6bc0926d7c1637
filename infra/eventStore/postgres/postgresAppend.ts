import pg from 'pg';
import {
  categoryOf,
  type AppendResult,
  type RecordedEvent,
  type StreamAppend,
} from '../../../commands/shared/eventStore.ts';
import {
  ConcurrencyError,
  UnavailableError,
  ValidationError,
} from '../../../domain/shared/errors.ts';
import { withTransaction, type Pool, type PoolClient } from '../../postgres/pool.ts';
import { checkExpectedRevision, matchRetry } from '../appendRules.ts';
import { chainEvents, type ChainedEvent } from '../hashChain.ts';
import { INSERT_EVENTS, LOCK_STREAMS, type StreamRow } from './appendSql.ts';
import { EVENT_COLUMNS, toCheckpoint, toRecordedEvent, type EventRow } from './rows.ts';
import { comparePostgresCheckpoints } from './subscription.ts';

const laterCheckpoint = (a: string | undefined, b: string): string =>
  a === undefined || comparePostgresCheckpoints(b, a) > 0 ? b : a;

const findStored = async (client: PoolClient, requests: readonly StreamAppend[]) => {
  const ids = requests.flatMap((request) => request.events.map((event) => event.eventId));
  const { rows } = await client.query<EventRow>(
    `SELECT ${EVENT_COLUMNS} FROM events WHERE event_id = ANY($1::uuid[])`,
    [ids],
  );
  return new Map(rows.map((row) => [row.event_id, toRecordedEvent(row)]));
};

/**
 * One attempt in one transaction. Event ids are only looked up when a retry is
 * plausible (`lookUpIds`, or an expected-revision conflict that a retry of a
 * committed append would cause), keeping the common path at two statements.
 */
const appendOnce = async (
  client: PoolClient,
  requests: readonly StreamAppend[],
  lookUpIds: boolean,
): Promise<AppendResult> => {
  const names = requests.map((request) => request.stream).sort();
  const locked = await client.query<StreamRow>(LOCK_STREAMS, [names]);
  const heads = new Map(locked.rows.map((row) => [row.stream_name, row]));
  let stored = lookUpIds ? await findStored(client, requests) : undefined;

  const fresh: {
    readonly stream: string;
    readonly events: readonly ChainedEvent[];
    readonly lastHash: string;
  }[] = [];
  const results: { stream: string; revision: number }[] = [];
  let position: string | undefined;
  for (const request of requests) {
    const head = heads.get(request.stream);
    if (head === undefined)
      throw new Error(`The lock on stream ${request.stream} returned no row.`);
    const revision = Number(head.revision);
    const actual = head.deleted || revision < 0 ? undefined : revision;
    const original = (found: Map<string, RecordedEvent>) =>
      matchRetry(
        request.stream,
        request.events,
        request.events.map((event) => found.get(event.eventId)),
      );
    let retry = stored === undefined ? undefined : original(stored);
    if (retry === undefined) {
      try {
        checkExpectedRevision(request.stream, request.expectedRevision, actual);
      } catch (error) {
        if (!(error instanceof ConcurrencyError) || stored !== undefined) throw error;
        stored = await findStored(client, requests);
        retry = original(stored);
        if (retry === undefined) throw error;
      }
    }
    if (retry !== undefined) {
      for (const event of retry) position = laterCheckpoint(position, event.checkpoint);
      results.push({
        stream: request.stream,
        revision: retry[retry.length - 1]?.revision ?? revision,
      });
      continue;
    }
    const chained = chainEvents(
      request.stream,
      revision + 1,
      head.last_hash,
      head.now.toISOString(),
      request.events,
    );
    fresh.push({ stream: request.stream, ...chained });
    results.push({ stream: request.stream, revision: revision + request.events.length });
  }

  const rows = fresh.flatMap(({ stream, events }) => events.map((event) => ({ stream, event })));
  const now = locked.rows[0]?.now;
  if (rows.length > 0 && now !== undefined) {
    const inserted = await client.query<{ transaction_id: string; global_position: string }>(
      INSERT_EVENTS,
      [
        rows.map((row) => row.stream),
        rows.map((row) => categoryOf(row.stream)),
        rows.map((row) => row.event.revision),
        rows.map((row) => row.event.eventId),
        rows.map((row) => row.event.type),
        rows.map((row) => row.event.schemaVersion),
        rows.map((row) => JSON.stringify(row.event.data)),
        rows.map((row) => JSON.stringify(row.event.metadata)),
        now,
        fresh.map((group) => group.stream),
        fresh.map((group) => group.events[group.events.length - 1]?.revision ?? 0),
        fresh.map((group) => group.lastHash),
      ],
    );
    const last = inserted.rows[0];
    if (last === undefined)
      throw new Error('INSERT … RETURNING returned no row for a non-empty append.');
    position = laterCheckpoint(position, toCheckpoint(last.transaction_id, last.global_position));
  }
  if (position === undefined) throw new Error('An append produced no position.');
  return { streams: results, position };
};

const sqlState = (
  error: unknown,
): { code?: string | undefined; constraint?: string | undefined } =>
  error instanceof pg.DatabaseError ? error : {};

/**
 * Appends in one transaction, retried as a whole on deadlocks and serialization
 * failures, and translates pg errors at this boundary. `requests` are validated.
 */
export const appendPostgres = async (
  pool: Pool,
  requests: readonly StreamAppend[],
  maxAttempts = 5,
): Promise<AppendResult> => {
  let lookUpIds = false;
  let lastError: unknown;
  for (let attempt = 1; attempt <= maxAttempts; attempt += 1) {
    try {
      return await withTransaction(pool, (client) => appendOnce(client, requests, lookUpIds));
    } catch (error) {
      const { code, constraint } = sqlState(error);
      lastError = error;
      if (code === '40001' || code === '40P01') continue;
      // A stored id we did not look up (or one committed concurrently): redo with the lookup.
      if (code === '23505' && constraint === 'events_event_id_unique') {
        lookUpIds = true;
        continue;
      }
      // The stream lock makes this unreachable for our own writers; a retry reports the truth.
      if (code === '23505' && constraint === 'events_stream_revision_unique') continue;
      if (code === '22P02' || code === '22P05' || code === '22021') {
        throw new ValidationError(
          `The event store refused the events as invalid: ${(error as Error).message}.`,
        );
      }
      throw error;
    }
  }
  throw new UnavailableError(
    `The append kept conflicting inside the database after ${maxAttempts} attempts; retry later.`,
    1,
    { cause: lastError instanceof Error ? lastError.message : String(lastError) },
  );
};
