import { EventStoreDBClient } from '@eventstore/db-client';
import type { Registry } from 'prom-client';
import type { EventStore } from '../../commands/shared/eventStore.ts';
import { ConfigError, type Config } from '../config/config.ts';
import type { Database } from '../database.ts';
import { getEventStoreDbEventStore } from '../eventStore/eventStoreDb/eventStoreDbEventStore.ts';
import { getPostgresEventStore } from '../eventStore/postgres/postgresEventStore.ts';
import { storeProjectionLog, type ProjectionLog } from '../projections/projectionLog.ts';

/** The log the process writes and reads, chosen by EVENTSTORE_URL. */
export interface SelectedEventStore {
  readonly kind: 'postgres' | 'eventstoredb';
  readonly store: EventStore;
  /**
   * Where projections and read-your-writes waits read the log; undefined → the
   * PostgreSQL events table (the default store's own fast path).
   */
  readonly projectionLog: ProjectionLog | undefined;
  /** Fails with a ConfigError naming EVENTSTORE_URL when the store does not answer. */
  verifyReachable(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/** The URL without its password, for messages. */
const redact = (url: string): string => url.replace(/\/\/([^:/@]+):[^@/]*@/, '//$1:***@');

const withTimeout = <T>(promise: Promise<T>, ms: number): Promise<T> => {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
};

/**
 * PostgreSQL by default; EventStoreDB when EVENTSTORE_URL is set. Read models,
 * idempotency records, checkpoints, sagas' timers and credentials stay in
 * PostgreSQL either way. EventStoreDB has no multi-stream transaction: its
 * store reports `atomicMultiStreamAppend: false`, so holds take the
 * ordered-claim path (claim slots in sorted order, release on failure).
 * Connecting makes no call yet; `verifyReachable` does.
 */
export const selectEventStore = (
  config: Pick<Config, 'EVENTSTORE_URL'>,
  database: Pick<Database, 'pool' | 'schema' | 'connectionString'>,
  registry: Registry | undefined,
): SelectedEventStore => {
  const url = config.EVENTSTORE_URL;
  if (url === undefined) {
    return {
      kind: 'postgres',
      store: getPostgresEventStore(database.pool, {
        schema: database.schema,
        connectionString: database.connectionString,
        ...(registry ? { registry } : {}),
      }),
      projectionLog: undefined,
      verifyReachable: () => Promise.resolve(),
      close: () => Promise.resolve(),
    };
  }
  let client: EventStoreDBClient;
  try {
    client = EventStoreDBClient.connectionString(url);
  } catch (error) {
    throw new ConfigError([
      `EVENTSTORE_URL: ${redact(url)} is not a valid EventStoreDB connection string (${error instanceof Error ? error.message : String(error)}).`,
    ]);
  }
  const store = getEventStoreDbEventStore(client);
  return {
    kind: 'eventstoredb',
    store,
    projectionLog: storeProjectionLog(store),
    verifyReachable: async (timeoutMs = 5000) => {
      try {
        await withTimeout(store.headPosition(), timeoutMs);
      } catch (error) {
        await client.dispose().catch(() => undefined);
        throw new ConfigError([
          `EVENTSTORE_URL: no EventStoreDB answered at ${redact(url)} (${error instanceof Error ? error.message : String(error)}). Start the server, correct the URL (e.g. esdb://localhost:2113?tls=false), or unset EVENTSTORE_URL to keep the log in PostgreSQL.`,
        ]);
      }
    },
    close: () => client.dispose(),
  };
};
