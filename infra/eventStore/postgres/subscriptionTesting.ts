import { randomUUID } from 'node:crypto';
import type { Observable, Subscription } from 'rxjs';
import { categoryOf, type RecordedEvent } from '../../../commands/shared/eventStore.ts';
import { withTransaction, type Pool, type Queryable } from '../../postgres/pool.ts';

/** What a test wrote and expects a subscriber to see. */
export interface WrittenEvent {
  readonly eventId: string;
  readonly stream: string;
  readonly revision: number;
}

/**
 * Appends to one stream with raw SQL inside the caller's transaction, so tests
 * can hold transactions open, delay their COMMIT or roll them back. It orders
 * writers the way per-stream delivery order needs: an advisory lock on the
 * stream is taken before the transaction has an xid, so a later writer of the
 * stream always gets a later xid. It then takes the stream row lock like the
 * store's append does, so both kinds of writer can share streams.
 */
export const appendRaw = async (
  client: Queryable,
  stream: string,
  types: readonly string[],
): Promise<WrittenEvent[]> => {
  await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [stream]);
  const { rows } = await client.query<{ revision: string }>(
    `INSERT INTO streams AS s (stream_name, revision) VALUES ($1, -1)
     ON CONFLICT (stream_name) DO UPDATE SET revision = s.revision
     RETURNING revision`,
    [stream],
  );
  const first = Number(rows[0]?.revision ?? -1) + 1;
  const written = types.map((_, index) => ({
    eventId: randomUUID(),
    stream,
    revision: first + index,
  }));
  await client.query(
    `INSERT INTO events (stream_name, category, stream_revision, event_id, event_type,
                         schema_version, data, metadata)
     SELECT $1, $2, r, id, t, 1, jsonb_build_object('n', r),
            jsonb_build_object('recordedAt', now(), 'hash', '', 'previousHash', '')
     FROM unnest($3::bigint[], $4::uuid[], $5::text[]) AS e(r, id, t)`,
    [
      stream,
      categoryOf(stream),
      written.map((event) => event.revision),
      written.map((event) => event.eventId),
      types,
    ],
  );
  await client.query('UPDATE streams SET revision = $2 WHERE stream_name = $1', [
    stream,
    first + types.length - 1,
  ]);
  return written;
};

/** `appendRaw` in a transaction of its own. */
export const writeEvents = (pool: Pool, stream: string, types: readonly string[]) =>
  withTransaction(pool, (client) => appendRaw(client, stream, types));

export interface Collector {
  readonly events: RecordedEvent[];
  readonly subscription: Subscription;
  readonly error: () => Error | undefined;
  /** Resolves once `count` events arrived; rejects after `timeoutMs` or on an error. */
  waitFor(count: number, timeoutMs?: number): Promise<void>;
}

export const collect = (source: Observable<RecordedEvent>): Collector => {
  const events: RecordedEvent[] = [];
  let failure: Error | undefined;
  const subscription = source.subscribe({
    next: (event) => events.push(event),
    error: (error: unknown) => {
      failure = error instanceof Error ? error : new Error(String(error));
    },
  });
  return {
    events,
    subscription,
    error: () => failure,
    waitFor: async (count, timeoutMs = 15_000) => {
      const deadline = Date.now() + timeoutMs;
      while (events.length < count) {
        if (failure !== undefined) throw failure;
        if (Date.now() > deadline) {
          throw new Error(`Expected ${count} events within ${timeoutMs} ms, got ${events.length}.`);
        }
        await delay(20);
      }
    },
  };
};

export const delay = (ms: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `check` every 20 ms until it holds; rejects naming `what` after `timeoutMs`. */
export const waitUntil = async (
  check: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 10_000,
): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Not reached within ${timeoutMs} ms: ${what}.`);
    await delay(20);
  }
};

/**
 * Waits until the LISTEN connection of subscription `name` (its
 * application_name in pg_stat_activity) has run its LISTEN and sits idle.
 */
export const waitForListener = (pool: Pool, name: string): Promise<void> =>
  waitUntil(async () => {
    const { rows } = await pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_stat_activity
        WHERE application_name = $1 AND state = 'idle' AND query ILIKE 'LISTEN %'`,
      [`booking-ledger-subscription:${name}`.slice(0, 63)],
    );
    return (rows[0]?.n ?? 0) > 0;
  }, `the LISTEN connection of subscription ${name}`);

export interface TrackedPool {
  /** The pool to hand to a subscription; every `query` through it is counted. */
  readonly pool: Pool;
  /** Queries that have settled. */
  settled(): number;
  /** Queries still running. */
  inFlight(): number;
}

/** Wraps a pool so a test can see when a subscription's reads ran and whether one is running. */
export const trackQueries = (pool: Pool): TrackedPool => {
  let settled = 0;
  let running = 0;
  const query = (...args: unknown[]): unknown => {
    running += 1;
    const done = (): void => {
      running -= 1;
      settled += 1;
    };
    const result = (pool.query as (...a: unknown[]) => Promise<unknown>)(...args);
    return result.then(
      (value) => {
        done();
        return value;
      },
      (error: unknown) => {
        done();
        throw error;
      },
    );
  };
  const tracked = new Proxy(pool, {
    get: (target, property) => {
      if (property === 'query') return query;
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value.bind(target) as unknown) : value;
    },
  });
  return { pool: tracked, settled: () => settled, inFlight: () => running };
};

/**
 * Waits until subscription `name`, reading through `reads`, sleeps: its LISTEN
 * connection is up and both the catch-up step and the step that connection's
 * wake-up starts (two queries each) have settled. From then on only a NOTIFY
 * (or the poll interval) makes it read again.
 */
export const waitUntilAsleep = async (
  pool: Pool,
  reads: TrackedPool,
  name: string,
): Promise<void> => {
  await waitForListener(pool, name);
  await waitUntil(
    () => reads.settled() >= 4 && reads.inFlight() === 0,
    `subscription ${name} read after its LISTEN wake-up`,
  );
};
