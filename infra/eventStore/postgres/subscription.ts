import type { Registry } from 'prom-client';
import { Observable } from 'rxjs';
import type { RecordedEvent, SubscribeOptions } from '../../../commands/shared/eventStore.ts';
import type { Pool } from '../../postgres/pool.ts';
import { countBehind, hasUnreadEvents, readAllPostgres } from './readAllQueries.ts';
import { parseCheckpoint } from './rows.ts';
import { trackSubscription } from './storeMetrics.ts';
import { createEventsListener } from './subscriptionListener.ts';
import { backoffDelay, isTransientConnectionError } from './subscriptionRetry.ts';

export {
  comparePostgresCheckpoints,
  headPostgresPosition,
  readAllPostgres,
} from './readAllQueries.ts';

export interface PostgresSubscriptionDeps {
  /** Reads go through this pool; the subscription never ends it. */
  readonly pool: Pool;
  /** For the dedicated LISTEN connection (a pooled one cannot hold a LISTEN). */
  readonly connectionString: string;
  /** Schema of the events table; names the NOTIFY channel `events_<schema>`. */
  readonly schema: string;
  /** When given, lag and last delivered position are reported, labelled with the name. */
  readonly registry?: Registry;
  /** Metrics label and LISTEN connection's application_name suffix. Default `default`. */
  readonly subscriptionName?: string;
  /** Poll when no notification arrives, in ms. Default 500. */
  readonly pollIntervalMs?: number;
  /** Events per read during catch-up. Default 500. */
  readonly batchSize?: number;
  /** Backoff after connection loss starts at 100 ms, doubles, and stops growing here (ms). Default 5000. */
  readonly maxBackoffMs?: number;
}

/**
 * Catch-up from `options.from` (exclusive), then live, in delivery order:
 * never skips, never repeats, per stream in revision order (given appends that
 * serialise per stream before taking an xid). Survives connection loss by
 * resuming from the last delivered checkpoint with exponential backoff; errors
 * that waiting will not fix end it. Unsubscribing releases every timer and
 * connection it holds.
 */
export const subscribePostgres = (
  deps: PostgresSubscriptionDeps,
  options: SubscribeOptions = {},
): Observable<RecordedEvent> =>
  new Observable<RecordedEvent>((subscriber) => {
    if (options.from !== undefined) parseCheckpoint(options.from);
    const name = deps.subscriptionName ?? 'default';
    const batchSize = deps.batchSize ?? 500;
    const maxBackoffMs = deps.maxBackoffMs ?? 5_000;
    const pollIntervalMs = deps.pollIntervalMs ?? 500;
    let last = options.from;
    const wakeup = createWakeup();
    const listener = createEventsListener({
      connectionString: deps.connectionString,
      schema: deps.schema,
      applicationName: `booking-ledger-subscription:${name}`.slice(0, 63),
      onWake: wakeup.wake,
      baseBackoffMs: 100,
      maxBackoffMs,
    });
    const untrack = deps.registry
      ? trackSubscription(deps.registry, name, {
          lastDeliveredGlobalPosition: () =>
            last === undefined ? undefined : parseCheckpoint(last).globalPosition,
          lag: () => countBehind(deps.pool, last, options.filter),
        })
      : () => undefined;

    // One read step: the next batch and, when caught up, whether committed
    // events still wait (an open transaction holds the fence): look again soon.
    const step = async (): Promise<{ batch: RecordedEvent[]; unread: boolean }> => {
      const batch = await readAllPostgres(deps.pool, {
        maxCount: batchSize,
        ...(last === undefined ? {} : { from: last }),
        ...(options.filter === undefined ? {} : { filter: options.filter }),
      });
      const caughtUp = batch.length < batchSize;
      const from = batch[batch.length - 1]?.checkpoint ?? last;
      return {
        batch,
        unread: caughtUp && (await hasUnreadEvents(deps.pool, from, options.filter)),
      };
    };

    const run = async (): Promise<void> => {
      let failures = 0;
      let retryDelay = 0;
      while (!subscriber.closed) {
        wakeup.reset();
        let result: Awaited<ReturnType<typeof step>>;
        try {
          result = await step();
          failures = 0;
        } catch (error) {
          if (subscriber.closed) return;
          if (!isTransientConnectionError(error)) throw error;
          failures += 1;
          await wakeup.sleep(backoffDelay(failures, 100, maxBackoffMs));
          continue;
        }
        for (const event of result.batch) {
          if (subscriber.closed) return;
          subscriber.next(event);
          last = event.checkpoint;
        }
        if (result.batch.length === batchSize) continue;
        retryDelay = result.unread ? Math.min(pollIntervalMs, Math.max(10, retryDelay * 2)) : 0;
        await wakeup.sleep(result.unread ? retryDelay : pollIntervalMs);
      }
    };
    run().catch((error: unknown) => subscriber.error(error));

    return () => {
      wakeup.close();
      untrack();
      void listener.close();
    };
  });

/** A sleep that a notification (or closing) cuts short; a wake during a read is remembered. */
const createWakeup = () => {
  let pending = false;
  let closed = false;
  let release: (() => void) | undefined;
  return {
    reset: (): void => {
      pending = false;
    },
    wake: (): void => {
      pending = true;
      release?.();
    },
    close: (): void => {
      closed = true;
      release?.();
    },
    sleep: (ms: number): Promise<void> =>
      new Promise<void>((resolve) => {
        if (pending || closed) return resolve();
        const finish = (): void => {
          clearTimeout(timer);
          release = undefined;
          resolve();
        };
        const timer = setTimeout(finish, ms);
        release = finish;
      }),
  };
};
