import type { RecordedEvent } from '../../commands/shared/eventStore.ts';
import type { Queryable } from '../postgres/pool.ts';

/**
 * A subscriber met an event it cannot handle (it does not decode, or handling
 * it throws for a reason waiting on the database will not fix). The runner
 * stops that subscriber alone, records the stall and retries with backoff.
 */
export class StalledOnEventError extends Error {
  constructor(
    readonly event: RecordedEvent,
    override readonly cause: unknown,
  ) {
    super(
      `Cannot handle ${event.type} ${event.eventId} at ${event.stream}@${event.revision} (position ${event.checkpoint}): ${messageOf(cause)}`,
    );
    this.name = 'StalledOnEventError';
  }
}

const messageOf = (error: unknown): string =>
  (error instanceof Error ? error.message : String(error)).slice(0, 1000);

export interface Stall {
  readonly subscriber: string;
  readonly stream: string;
  readonly revision: number;
  readonly position: string;
  readonly eventId: string;
  readonly eventType: string;
  readonly error: string;
  readonly attempts: number;
  readonly firstFailedAt: string;
  readonly lastFailedAt: string;
  readonly nextRetryAt: string;
}

interface StallRow {
  subscriber: string;
  stream: string;
  revision: string;
  log_position: string;
  event_id: string;
  event_type: string;
  error: string;
  attempts: number;
  first_failed_at: Date;
  last_failed_at: Date;
  next_retry_at: Date;
}

const toStall = (row: StallRow): Stall => ({
  subscriber: row.subscriber,
  stream: row.stream,
  revision: Number(row.revision),
  position: row.log_position,
  eventId: row.event_id,
  eventType: row.event_type,
  error: row.error,
  attempts: row.attempts,
  firstFailedAt: row.first_failed_at.toISOString(),
  lastFailedAt: row.last_failed_at.toISOString(),
  nextRetryAt: row.next_retry_at.toISOString(),
});

/** Where stalls are kept: in PostgreSQL, so every process (api, CLI) sees them. */
export const createStallStore = (db: Queryable) => ({
  record: async (
    subscriber: string,
    stalled: StalledOnEventError,
    attempts: number,
    retryInMs: number,
  ): Promise<void> => {
    const { event } = stalled;
    await db.query(
      `INSERT INTO subscriber_stalls AS s (subscriber, stream, revision, log_position, event_id, event_type,
         error, attempts, first_failed_at, last_failed_at, next_retry_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, now(), now(), now() + $9 * interval '1 millisecond')
       ON CONFLICT (subscriber) DO UPDATE SET stream = $2, revision = $3, log_position = $4,
         event_id = $5, event_type = $6, error = $7, attempts = $8,
         first_failed_at = CASE WHEN s.event_id = $5 THEN s.first_failed_at ELSE now() END,
         last_failed_at = now(), next_retry_at = now() + $9 * interval '1 millisecond'`,
      [
        subscriber,
        event.stream,
        event.revision,
        event.checkpoint,
        event.eventId,
        event.type,
        messageOf(stalled.cause),
        attempts,
        retryInMs,
      ],
    );
  },
  clear: async (subscriber: string): Promise<void> => {
    await db.query('DELETE FROM subscriber_stalls WHERE subscriber = $1', [subscriber]);
  },
  list: async (): Promise<Stall[]> => {
    const result = await db.query<StallRow>('SELECT * FROM subscriber_stalls ORDER BY subscriber');
    return result.rows.map(toStall);
  },
});

export type StallStore = ReturnType<typeof createStallStore>;

/** Backoff after a stall: 1 s doubling, capped (default 60 s); every retry re-reads the event with the code now running. */
export const stallBackoffMs = (attempt: number, baseMs = 1_000, maxMs = 60_000): number =>
  Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));

/** The one line naming a stall, for /ready, logs and the CLI. */
export const describeStall = (stall: Stall): string =>
  `stalled since ${stall.firstFailedAt} on ${stall.eventType} ${stall.eventId} at ${stall.stream}@${stall.revision} ` +
  `(position ${stall.position}), attempt ${stall.attempts}, next retry ${stall.nextRetryAt}: ${stall.error.slice(0, 300)}`;
