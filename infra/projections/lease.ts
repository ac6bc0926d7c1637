import pg from 'pg';
import { distinctUntilChanged, Observable } from 'rxjs';

export interface LeaseOptions {
  readonly connectionString: string;
  /** The lease's name; one holder per name across every process on the database. */
  readonly name: string;
  /** How often a waiting instance tries to take the lease, ms. Default 1000. */
  readonly retryMs?: number;
  /** How often the holder checks its connection is alive, ms. Default 1000. */
  readonly heartbeatMs?: number;
  /** Called with the lease connection's backend pid once held (tests kill it). */
  readonly onAcquired?: (backendPid: number) => void;
}

const sleep = (ms: number, signal: { closed: boolean }) =>
  new Promise<void>((resolve) => {
    if (signal.closed) return resolve();
    setTimeout(resolve, ms);
  });

/**
 * A session advisory lock held on a dedicated connection: PostgreSQL releases
 * it the moment that connection dies (process killed, network gone, backend
 * terminated), so another instance takes over on its next try. Emits `true`
 * while held and `false` when lost or not (yet) held; unsubscribing releases it.
 */
export const createAdvisoryLease = (options: LeaseOptions): Observable<boolean> =>
  new Observable<boolean>((subscriber) => {
    const retryMs = options.retryMs ?? 1000;
    const heartbeatMs = options.heartbeatMs ?? 1000;
    let client: pg.Client | undefined;

    const run = async (): Promise<void> => {
      while (!subscriber.closed) {
        const current = new pg.Client({
          connectionString: options.connectionString,
          application_name: `booking-ledger-lease:${options.name}`.slice(0, 63),
        });
        client = current;
        // A dying connection must not crash the process; the heartbeat notices.
        current.on('error', () => undefined);
        try {
          await current.connect();
          let held = false;
          while (!subscriber.closed) {
            if (!held) {
              const { rows } = await current.query<{ held: boolean; pid: number }>(
                'SELECT pg_try_advisory_lock(21, hashtext($1)) AS held, pg_backend_pid() AS pid',
                [options.name],
              );
              held = rows[0]?.held === true;
              if (held) options.onAcquired?.(rows[0]?.pid ?? 0);
              subscriber.next(held);
            } else {
              await current.query('SELECT 1');
            }
            await sleep(held ? heartbeatMs : retryMs, subscriber);
          }
        } catch {
          subscriber.next(false);
          await sleep(retryMs, subscriber);
        } finally {
          await current.end().catch(() => undefined);
        }
      }
    };
    void run();
    return () => {
      // Ending the connection releases the lock at once.
      void client?.end().catch(() => undefined);
    };
  }).pipe(distinctUntilChanged());
