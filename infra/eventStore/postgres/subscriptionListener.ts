import pg from 'pg';
import { quoteIdentifier } from '../../postgres/pool.ts';
import { backoffDelay } from './subscriptionRetry.ts';

/** The NOTIFY channel of the events table in `schema` (see migration 002). */
export const eventsChannel = (schema: string): string => `events_${schema}`.slice(0, 63);

export interface EventsListenerOptions {
  readonly connectionString: string;
  readonly schema: string;
  /** Shows in pg_stat_activity, so operators (and tests) can find this connection. */
  readonly applicationName: string;
  /** Called on every notification and after every (re)connect, when wake-ups may have been missed. */
  readonly onWake: () => void;
  readonly baseBackoffMs: number;
  readonly maxBackoffMs: number;
}

export interface EventsListener {
  /** Stops listening and reconnecting; resolves when the connection is closed. */
  close(): Promise<void>;
}

/**
 * A dedicated connection LISTENing on the events channel (a pooled connection
 * cannot hold a LISTEN). Wake-ups only speed things up: the subscription polls
 * anyway, so while this connection is down nothing is lost, it is just slower.
 * It reconnects with exponential backoff until closed.
 */
export const createEventsListener = (options: EventsListenerOptions): EventsListener => {
  let closed = false;
  let client: pg.Client | undefined;
  let retryTimer: NodeJS.Timeout | undefined;
  let attempt = 0;

  const scheduleReconnect = (): void => {
    if (closed || retryTimer !== undefined) return;
    attempt += 1;
    retryTimer = setTimeout(
      () => {
        retryTimer = undefined;
        void connect();
      },
      backoffDelay(attempt, options.baseBackoffMs, options.maxBackoffMs),
    );
  };

  const connect = async (): Promise<void> => {
    const current = new pg.Client({
      connectionString: options.connectionString,
      application_name: options.applicationName,
    });
    client = current;
    let lost = false;
    const onLost = (): void => {
      if (lost) return;
      lost = true;
      if (client === current) client = undefined;
      current.removeAllListeners('notification');
      // The socket may already be gone; ending twice is harmless.
      current.end().catch(() => undefined);
      scheduleReconnect();
    };
    current.on('error', onLost);
    current.on('end', onLost);
    current.on('notification', () => options.onWake());
    try {
      await current.connect();
      await current.query(`LISTEN ${quoteIdentifier(eventsChannel(options.schema))}`);
    } catch {
      onLost();
      return;
    }
    if (closed) {
      await current.end().catch(() => undefined);
      return;
    }
    attempt = 0;
    options.onWake();
  };

  void connect();

  return {
    close: async () => {
      closed = true;
      if (retryTimer !== undefined) clearTimeout(retryTimer);
      retryTimer = undefined;
      const current = client;
      client = undefined;
      if (current) {
        current.removeAllListeners('notification');
        await current.end().catch(() => undefined);
      }
    },
  };
};
