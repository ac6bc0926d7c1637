import pg from 'pg';
import type { AppendResult, StreamAppend } from '../../../commands/shared/eventStore.ts';
import { UnavailableError, ValidationError } from '../../../domain/shared/errors.ts';
import type { Pool } from '../../postgres/pool.ts';
import { checkExpectedRevision, matchRetry } from '../appendRules.ts';
import {
  APPEND_EVENTS_BATCH,
  toBatchParams,
  type AppendOutcomeRow,
  type BatchOutcomeRow,
} from './appendSql.ts';
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

interface Job {
  readonly requests: readonly StreamAppend[];
  /** What is left to write (streams found to be retries drop out). */
  pending: readonly StreamAppend[];
  lookUpIds: boolean;
  /** Run in a batch of its own: its last batch failed as a whole. */
  alone: boolean;
  attempts: number;
  lastError: unknown;
  position: string | undefined;
  readonly retried: Map<string, StreamResult>;
  readonly ids: readonly string[];
  readonly resolve: (result: AppendResult) => void;
  readonly reject: (error: unknown) => void;
}

export interface GroupCommitOptions {
  /** Round trips one append may take (deadlocks, retries found in the database). Default 5. */
  readonly maxAttempts?: number;
  /** Most appends in one round trip. Default 64. */
  readonly maxBatchCalls?: number;
  /** Most events in one round trip (a single larger append still goes alone). Default 2 000. */
  readonly maxBatchEvents?: number;
  /** Round trips in flight at once; appends arriving meanwhile wait and go together. Default 4. */
  readonly maxInFlight?: number;
  /** Runs after every committed round trip that wrote (the store's NOTIFY). */
  readonly onWritten?: () => void;
}

export interface GroupCommit {
  /** Appends `requests` (validated) atomically, coalesced with concurrent calls. */
  append(requests: readonly StreamAppend[]): Promise<AppendResult>;
  /** Round trips and appends so far (their ratio is the mean batch size). */
  stats(): { readonly roundTrips: number; readonly appends: number };
}

const resultOf = (job: Job, written: Map<string, StreamResult>): AppendResult => {
  if (job.position === undefined) throw new Error('An append produced no position.');
  const streams = job.requests.map((request) => {
    const result = written.get(request.stream) ?? job.retried.get(request.stream);
    if (result === undefined) throw new Error(`No result for stream ${request.stream}.`);
    return result;
  });
  return { streams, position: job.position };
};

const exhausted = (job: Job, maxAttempts: number): UnavailableError =>
  new UnavailableError(
    `The append kept conflicting inside the database after ${maxAttempts} attempts; retry later.`,
    1,
    { cause: job.lastError instanceof Error ? job.lastError.message : String(job.lastError) },
  );

/**
 * Group commit: appends made while earlier round trips are in flight wait in a
 * queue and go to `append_events_batch` (migration 105) together, one
 * statement, one transaction, one WAL flush. Every call keeps its own outcome:
 * the function judges each call as `append_events` (003) would, in queue
 * order, so a conflict or an idempotent retry is settled per call (settleCheck)
 * without touching the others. Two calls sharing an event id never share a
 * batch. A batch that fails as a whole (a concurrent writer elsewhere storing
 * one of our ids, an invalid payload) is retried call by call, so an error
 * reaches only the call that caused it. pg errors are translated here.
 */
export const createGroupCommit = (pool: Pool, options: GroupCommitOptions = {}): GroupCommit => {
  const maxAttempts = options.maxAttempts ?? 5;
  const maxBatchCalls = options.maxBatchCalls ?? 64;
  const maxBatchEvents = options.maxBatchEvents ?? 2_000;
  const maxInFlight = options.maxInFlight ?? 4;
  const onWritten = options.onWritten ?? (() => undefined);
  const queue: Job[] = [];
  let inFlight = 0;
  let roundTrips = 0;
  let appends = 0;

  const takeBatch = (): Job[] => {
    const first = queue.shift();
    if (first === undefined) return [];
    const batch = [first];
    if (first.alone) return batch;
    const ids = new Set(first.ids);
    let events = first.ids.length;
    // First come, first in: the batch ends at the first call that cannot join it.
    while (batch.length < maxBatchCalls) {
      const job = queue[0];
      if (
        job === undefined ||
        job.alone ||
        events + job.ids.length > maxBatchEvents ||
        job.ids.some((id) => ids.has(id))
      )
        break;
      queue.shift();
      batch.push(job);
      for (const id of job.ids) ids.add(id);
      events += job.ids.length;
    }
    return batch;
  };

  // `retries`: calls to run again, in order, ahead of the queue once their round trip is settled.
  const again = (retries: Job[], job: Job, error?: unknown): void => {
    if (error !== undefined) job.lastError = error;
    if (job.attempts >= maxAttempts) job.reject(exhausted(job, maxAttempts));
    else retries.push(job);
  };

  const failedAlone = (retries: Job[], job: Job, error: unknown): void => {
    const { code, constraint } = sqlState(error);
    if (code === '40001' || code === '40P01') return again(retries, job, error);
    // A stored id we did not look up (or one committed concurrently): redo with the lookup.
    if (code === '23505' && constraint === 'events_event_id_unique') {
      job.lookUpIds = true;
      return again(retries, job, error);
    }
    // The stream lock makes this unreachable for our own writers; a retry reports the truth.
    if (code === '23505' && constraint === 'events_stream_revision_unique')
      return again(retries, job, error);
    if (code === '22P02' || code === '22P05' || code === '22021') {
      return job.reject(
        new ValidationError(
          `The event store refused the events as invalid: ${(error as Error).message}.`,
        ),
      );
    }
    job.reject(error);
  };

  const settle = (retries: Job[], job: Job, row: BatchOutcomeRow): boolean => {
    if (row.outcome === 'skipped') {
      job.attempts -= 1;
      retries.push(job);
      return false;
    }
    if (row.outcome === 'ok') {
      if (row.last_transaction_id === null || row.last_global_position === null)
        throw new Error('append_events wrote events but returned no position.');
      job.position = laterCheckpoint(
        job.position,
        toCheckpoint(row.last_transaction_id, row.last_global_position),
      );
      const written = new Map(
        job.pending.map((request, index) => [
          request.stream,
          { stream: request.stream, revision: Number(row.revisions[index]) },
        ]),
      );
      job.resolve(resultOf(job, written));
      return true;
    }
    const settled = settleCheck(job.pending, row, job.retried);
    if (settled.position !== undefined)
      job.position = laterCheckpoint(job.position, settled.position);
    if (settled.remaining.length === 0) {
      job.resolve(resultOf(job, new Map()));
      return false;
    }
    // Only streams that passed their check are left; ids are looked up again if needed.
    job.pending = settled.remaining;
    job.lookUpIds = false;
    again(retries, job);
    return false;
  };

  const run = async (batch: readonly Job[]): Promise<void> => {
    const retries: Job[] = [];
    try {
      await roundTrip(batch, retries);
    } finally {
      queue.unshift(...retries);
    }
  };

  const roundTrip = async (batch: readonly Job[], retries: Job[]): Promise<void> => {
    for (const job of batch) job.attempts += 1;
    roundTrips += 1;
    let rows: readonly BatchOutcomeRow[];
    try {
      ({ rows } = await pool.query<BatchOutcomeRow>({
        ...APPEND_EVENTS_BATCH,
        values: toBatchParams(
          batch.map((job) => ({ requests: job.pending, lookUpIds: job.lookUpIds })),
        ),
      }));
    } catch (error) {
      if (batch.length === 1) return failedAlone(retries, batch[0]!, error);
      // Nothing of the batch was written: retry each call alone, uncounted.
      for (const job of batch) {
        job.attempts -= 1;
        job.alone = true;
        retries.push(job);
      }
      return;
    }
    let wrote = false;
    for (const row of rows) {
      const job = batch[row.call_index - 1];
      if (job === undefined) throw new Error('append_events_batch returned an unknown call.');
      try {
        if (settle(retries, job, row)) wrote = true;
      } catch (error) {
        job.reject(error);
      }
    }
    if (wrote) onWritten();
  };

  const pump = (): void => {
    while (inFlight < maxInFlight && queue.length > 0) {
      const batch = takeBatch();
      inFlight += 1;
      run(batch)
        .catch((error: unknown) => {
          for (const job of batch) job.reject(error);
        })
        .finally(() => {
          inFlight -= 1;
          pump();
        });
    }
  };

  return {
    append(requests) {
      appends += 1;
      return new Promise<AppendResult>((resolve, reject) => {
        queue.push({
          requests,
          pending: requests,
          lookUpIds: false,
          alone: false,
          attempts: 0,
          lastError: undefined,
          position: undefined,
          retried: new Map(),
          ids: requests.flatMap((request) => request.events.map((event) => event.eventId)),
          resolve,
          reject,
        });
        pump();
      });
    },
    stats: () => ({ roundTrips, appends }),
  };
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
