import type { Pool, PoolClient } from '../postgres/pool.ts';

/**
 * withTransaction, plus an 'error' listener for the whole checkout: a backend
 * killed mid-batch makes the client emit 'error' (even during ROLLBACK), and
 * unheard that would crash the process. The failed query rejects anyway.
 */
export const inProjectionTransaction = async <T>(
  pool: Pool,
  fn: (client: PoolClient) => Promise<T>,
): Promise<T> => {
  const client = await pool.connect();
  const ignore = (): void => undefined;
  client.on('error', ignore);
  let broken: Error | undefined;
  try {
    await client.query('BEGIN');
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch((rollbackError: unknown) => {
      broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
    });
    throw error;
  } finally {
    client.release(broken);
    client.off('error', ignore);
  }
};
