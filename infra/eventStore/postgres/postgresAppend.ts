import pg from 'pg';
import type { AppendResult, StreamAppend } from '../../../commands/shared/eventStore.ts';
import { UnavailableError, ValidationError } from '../../../domain/shared/errors.ts';
import type { Pool } from '../../postgres/pool.ts';
import { checkExpectedRevision, matchRetry } from '../appendRules.ts';
import { APPEND_EVENTS, toAppendParams, type AppendOutcomeRow } from './appendSql.ts';
import { toCheckpoint, toRecordedEvent, type EventRow } from './rows.ts';
import { comparePostgresCheckpoints } from './subscription.ts';
import { eventsChannel } from './subscriptionListener.ts';

const laterCheckpoint = (a: string | undefined, b: string): string =>
  a === undefined || comparePostgresCheckpoints(b, a) > 0 ? b : a;

const sqlState = (
  error: unknown,
): { code?: string | undefined; constraint?: string | undefined } =>
  error instanceof pg.DatabaseError ? error : {};

type StreamResult = AppendResult['streams'][number];

/**
 * Settles a 'check' outcome (nothing was written): streams whose events are all
 * stored are idempotent retries and keep their original positions; any other
 * stream must pass its expected-revision check (ConcurrencyError with the
 * actual revision) and is returned to be written by the next call.
 */
const settleCheck = (
  pending: readonly StreamAppend[],
  row: AppendOutcomeRow,
  retried: Map<string, StreamResult>,
): { remaining: StreamAppend[]; position: string | undefined } => {
  const stored = new Map(
    (row.stored ?? []).map((event) => {
      const recorded = toRecordedEvent(event as EventRow);
      return [recorded.eventId, recorded];
    }),
  );
  const remaining: StreamAppend[] = [];
  let position: string | undefined;
  pending.forEach((request, index) => {
    const retry = matchRetry(
      request.stream,
      request.events,
      request.events.map((event) => stored.get(event.eventId)),
    );
    const actual = row.revisions[index];
    if (retry === undefined) {
      checkExpectedRevision(
        request.stream,
        request.expectedRevision,
        actual == null ? undefined : Number(actual),
      );
      remaining.push(request);
      return;
    }
    for (const event of retry) position = laterCheckpoint(position, event.checkpoint);
    const revision = retry[retry.length - 1]?.revision ?? Number(actual ?? -1);
    retried.set(request.stream, { stream: request.stream, revision });
  });
  return { remaining, position };
};

/**
 * Appends `requests` (validated) atomically in one round trip on the common
 * path: a single autocommit call of `append_events` (migration 003). Conflicts
 * come back as an outcome, not an error, so a ConcurrencyError costs no extra
 * round trip either. A call is repeated only when the database says so: a
 * stored event id we did not look up (then looked up), streams found to be
 * retries (the rest is written by the next call), deadlocks and serialization
 * failures. pg errors are translated at this boundary. `onWritten` runs after
 * every committed write (the store's NOTIFY, see `createAppendNotifier`).
 */
export const appendPostgres = async (
  pool: Pool,
  requests: readonly StreamAppend[],
  maxAttempts = 5,
  onWritten: () => void = () => undefined,
): Promise<AppendResult> => {
  let pending: readonly StreamAppend[] = requests;
  let lookUpIds = false;
  let position: string | undefined;
  const retried = new Map<string, StreamResult>();
  let lastError: unknown;
  const resultOf = (written: Map<string, StreamResult>): AppendResult => {
    if (position === undefined) throw new Error('An append produced no position.');
    const streams = requests.map((request) => {
      const result = written.get(request.stream) ?? retried.get(request.stream);
      if (result === undefined) throw new Error(`No result for stream ${request.stream}.`);
      return result;
    });
    return { streams, position };
  };
  for (let attempt = 1; attempt <= maxAttempts; attempt += 1) {
    let row: AppendOutcomeRow | undefined;
    try {
      const { rows } = await pool.query<AppendOutcomeRow>({
        ...APPEND_EVENTS,
        values: toAppendParams(pending, lookUpIds),
      });
      row = rows[0];
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
    if (row === undefined) throw new Error('append_events returned no row.');
    if (row.outcome === 'ok') {
      if (row.last_transaction_id === null || row.last_global_position === null)
        throw new Error('append_events wrote events but returned no position.');
      position = laterCheckpoint(
        position,
        toCheckpoint(row.last_transaction_id, row.last_global_position),
      );
      onWritten();
      const written = new Map(
        pending.map((request, index) => [
          request.stream,
          { stream: request.stream, revision: Number(row.revisions[index]) },
        ]),
      );
      return resultOf(written);
    }
    const settled = settleCheck(pending, row, retried);
    if (settled.position !== undefined) position = laterCheckpoint(position, settled.position);
    if (settled.remaining.length === 0) return resultOf(new Map());
    // Only streams that passed their check are left; ids are looked up again if needed.
    pending = settled.remaining;
    lookUpIds = false;
  }
  throw new UnavailableError(
    `The append kept conflicting inside the database after ${maxAttempts} attempts; retry later.`,
    1,
    { cause: lastError instanceof Error ? lastError.message : String(lastError) },
  );
};

/**
 * Wakes subscribers after appends commit (the append itself sends no NOTIFY,
 * see migration 003): at most one NOTIFY in flight per store, and one more
 * after it when appends committed meanwhile, so every append is followed by a
 * NOTIFY sent after its COMMIT. A lost NOTIFY (connection error, crash) costs
 * latency only: subscribers poll as a fallback.
 */
export const createAppendNotifier = (pool: Pool, schema: string): { notify(): void } => {
  const channel = eventsChannel(schema);
  let running = false;
  let again = false;
  const run = async (): Promise<void> => {
    running = true;
    try {
      do {
        again = false;
        await pool.query('SELECT pg_notify($1, $2)', [channel, '']).catch(() => undefined);
      } while (again);
    } finally {
      running = false;
    }
  };
  return {
    notify() {
      if (running) again = true;
      else void run();
    },
  };
};
