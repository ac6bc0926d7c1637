import { randomBytes } from 'node:crypto';
import { migrate } from './migrate.ts';
import { createPool, quoteIdentifier, type Pool } from './pool.ts';

/** The database integration tests use (the machine's PostgreSQL; see README). */
export const TEST_DATABASE_URL =
  process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface TestDatabase {
  readonly pool: Pool;
  readonly schema: string;
  readonly connectionString: string;
  /** Drops the schema and closes the pool. */
  dispose(): Promise<void>;
}

/**
 * A fresh, migrated schema for one test file, so tests never truncate each
 * other's tables and can run side by side.
 */
export const createTestDatabase = async (
  options: { readonly max?: number; readonly prefix?: string } = {},
): Promise<TestDatabase> => {
  const schema = `${options.prefix ?? 't'}_${randomBytes(6).toString('hex')}`;
  const pool = createPool({
    connectionString: TEST_DATABASE_URL,
    schema,
    max: options.max ?? 10,
    applicationName: `test-${schema}`,
  });
  await migrate(pool, schema);
  return {
    pool,
    schema,
    connectionString: TEST_DATABASE_URL,
    dispose: async () => {
      await pool.query(`DROP SCHEMA IF EXISTS ${quoteIdentifier(schema)} CASCADE`);
      await pool.query(`DROP SCHEMA IF EXISTS ${quoteIdentifier(`${schema}_analytics`)} CASCADE`);
      await pool.end();
    },
  };
};
