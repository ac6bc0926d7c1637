import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { migrate } from '../../postgres/migrate.ts';
import { createPool, quoteIdentifier, type Pool } from '../../postgres/pool.ts';
import { TEST_DATABASE_URL } from '../../postgres/testing.ts';

/**
 * A whole database of the test's own (not just a schema): projection leases
 * are advisory locks, which are per database, so a runner here never waits
 * behind another test process's runner on the shared test database.
 */
export const createOwnDatabase = async (
  max = 5,
): Promise<{ pool: Pool; connectionString: string; schema: string; dispose(): Promise<void> }> => {
  const name = `rs_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${quoteIdentifier(name)}`);
  await admin.end();
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `/${name}`;
  const connectionString = url.toString();
  const pool = createPool({
    connectionString,
    schema: 'public',
    max,
    applicationName: `test-${name}`,
  });
  await migrate(pool, 'public');
  return {
    pool,
    connectionString,
    schema: 'public',
    dispose: async () => {
      await pool.end();
      const cleanup = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await cleanup.connect();
      await cleanup.query(`DROP DATABASE IF EXISTS ${quoteIdentifier(name)} WITH (FORCE)`);
      await cleanup.end();
    },
  };
};
