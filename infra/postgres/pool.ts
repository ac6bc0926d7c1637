import pg from 'pg';

export type Pool = pg.Pool;
export type PoolClient = pg.PoolClient;
/** Anything that can run a query: the pool or a client inside a transaction. */
export type Queryable = Pick<pg.Pool | pg.PoolClient, 'query'>;

// int8 and numeric arrive as strings by default; global positions and xid8 stay
// strings and are parsed where they are used (they can exceed 2^53 in theory).

export interface PoolOptions {
  readonly connectionString: string;
  /** search_path for every connection; tables are created there by the migrations. */
  readonly schema?: string;
  /** Maximum connections (default 10). */
  readonly max?: number;
  readonly applicationName?: string;
}

export const quoteIdentifier = (identifier: string): string =>
  `"${identifier.replaceAll('"', '""')}"`;

export const createPool = (options: PoolOptions): Pool => {
  const schema = options.schema ?? 'public';
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.max ?? 10,
    application_name: options.applicationName ?? 'booking-ledger',
    options: `-c search_path=${quoteIdentifier(schema)},public`,
  });
  // An idle client that loses its server must not crash the process; the next
  // checkout gets a fresh connection.
  pool.on('error', () => undefined);
  return pool;
};

/**
 * Runs `fn` inside one transaction on one client: BEGIN, COMMIT on success,
 * ROLLBACK on any error (rethrown), and the client always released.
 */
export const withTransaction = async <T>(
  pool: Pool,
  fn: (client: PoolClient) => Promise<T>,
): Promise<T> => {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query('BEGIN');
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    try {
      await client.query('ROLLBACK');
    } catch (rollbackError) {
      broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
    }
    throw error;
  } finally {
    client.release(broken);
  }
};
