import { dumbo } from '@event-driven-io/dumbo';
import { isExpectedVersionConflictError } from '@event-driven-io/emmett';
import { getPostgreSQLEventStore, readMessagesBatch } from '@event-driven-io/emmett-postgresql';
import pg from 'pg';
import type { BenchStore } from './benchStore.ts';

// Emmett creates its tables unqualified, in the connection's search_path; a
// dedicated schema keeps it beside ours in the same database without mixing.
const inSchema = (connectionString: string, schema: string): string => {
  const url = new URL(connectionString);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return url.toString();
};

const open = (connectionString: string, schema: string, max: number) => {
  const url = inSchema(connectionString, schema);
  const pgPool = new pg.Pool({ connectionString: url, max, application_name: 'bench-emmett' });
  pgPool.on('error', () => undefined);
  const pool = dumbo({ connectionString: url, pool: pgPool });
  const store = getPostgreSQLEventStore(url, {
    connectionOptions: { dumbo: pool },
    schema: { autoMigration: 'None' },
  });
  return { pgPool, pool, store };
};

/** Creates the schema and lets Emmett run its own migrations in it. */
export const prepareEmmett = async (connectionString: string, schema: string): Promise<void> => {
  const admin = new pg.Client({ connectionString });
  await admin.connect();
  try {
    await admin.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
  } finally {
    await admin.end();
  }
  const { pgPool, store } = open(connectionString, schema, 1);
  try {
    await store.schema.migrate();
  } finally {
    await pgPool.end();
  }
};

/** Emmett's PostgreSQL event store behind the benchmark's interface. Versions are 1-based there. */
export const openEmmett = (connectionString: string, schema: string, max: number): BenchStore => {
  const { pgPool, pool, store } = open(connectionString, schema, max);
  return {
    async append(stream, expectedRevision, events) {
      try {
        const result = await store.appendToStream(
          stream,
          events.map((event) => ({
            type: event.type,
            data: event.data,
            metadata: { ...event.metadata, messageId: event.eventId },
          })),
          { expectedStreamVersion: BigInt(expectedRevision + 1) },
        );
        return Number(result.nextExpectedStreamVersion) - 1;
      } catch (error) {
        if (isExpectedVersionConflictError(error)) return 'conflict';
        throw error;
      }
    },
    async readStream(stream, fromRevision) {
      const result = await store.readStream(stream, { from: BigInt(fromRevision + 1) });
      return {
        count: result.events.length,
        lastRevision:
          result.events.length > 0 ? Number(result.currentStreamVersion) - 1 : fromRevision - 1,
      };
    },
    async readAllPage(cursor, pageSize) {
      const batch = await readMessagesBatch(
        pool.execute,
        cursor === undefined
          ? { from: 0n, batchSize: pageSize }
          : { after: BigInt(cursor), batchSize: pageSize },
      );
      const count = batch.messages.length;
      return { count, cursor: count > 0 ? String(batch.currentGlobalPosition) : undefined };
    },
    close: () => pgPool.end(),
  };
};
