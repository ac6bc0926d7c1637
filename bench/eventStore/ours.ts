import { NO_STREAM } from '../../commands/shared/eventStore.ts';
import { ConcurrencyError } from '../../domain/shared/errors.ts';
import { getPostgresEventStore } from '../../infra/eventStore/postgres/postgresEventStore.ts';
import { migrate } from '../../infra/postgres/migrate.ts';
import { createPool } from '../../infra/postgres/pool.ts';
import type { BenchStore } from './benchStore.ts';

/**
 * Creates and migrates our store's schema; `withoutNotify` disables the
 * subscription wake-up trigger to measure what it costs the writers.
 */
export const prepareOurs = async (
  connectionString: string,
  schema: string,
  withoutNotify = false,
): Promise<void> => {
  const pool = createPool({ connectionString, schema, max: 1, applicationName: 'bench-ours' });
  try {
    await migrate(pool, schema);
    if (withoutNotify)
      await pool.query('ALTER TABLE events DISABLE TRIGGER events_appended_notify');
  } finally {
    await pool.end();
  }
};

/** Our PostgreSQL store behind the benchmark's interface, on a pool of `max` connections. */
export const openOurs = (connectionString: string, schema: string, max: number): BenchStore => {
  const pool = createPool({ connectionString, schema, max, applicationName: 'bench-ours' });
  const store = getPostgresEventStore(pool, { schema, connectionString });
  return {
    async append(stream, expectedRevision, events) {
      try {
        const result = await store.append([
          {
            stream,
            expectedRevision: expectedRevision < 0 ? NO_STREAM : expectedRevision,
            events: events.map((event) => ({ ...event, schemaVersion: 1 })),
          },
        ]);
        return result.streams[0]?.revision ?? expectedRevision;
      } catch (error) {
        if (error instanceof ConcurrencyError) return 'conflict';
        throw error;
      }
    },
    async readStream(stream, fromRevision) {
      const events = await store.readStream(stream, { fromRevision });
      return { count: events.length, lastRevision: events.at(-1)?.revision ?? fromRevision - 1 };
    },
    async readAllPage(cursor, pageSize) {
      const events = await store.readAll({
        ...(cursor === undefined ? {} : { from: cursor }),
        maxCount: pageSize,
      });
      return { count: events.length, cursor: events.at(-1)?.checkpoint };
    },
    close: () => pool.end(),
  };
};
