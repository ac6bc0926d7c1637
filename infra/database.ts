import type { Config } from './config/config.ts';
import type { Logger } from './observability/logger.ts';
import { startEmbeddedPostgres } from './postgres/embedded.ts';
import { migrate } from './postgres/migrate.ts';
import { createPool, type Pool } from './postgres/pool.ts';

export interface Database {
  readonly pool: Pool;
  readonly connectionString: string;
  readonly schema: string;
  readonly embedded: boolean;
  close(): Promise<void>;
}

/**
 * Connects to DATABASE_URL, or starts the embedded PostgreSQL when it is unset,
 * then applies pending migrations.
 */
export const openDatabase = async (config: Config, logger: Logger): Promise<Database> => {
  const embedded = config.DATABASE_URL
    ? undefined
    : await startEmbeddedPostgres({
        dir: config.EMBEDDED_PG_DIR,
        port: config.EMBEDDED_PG_PORT,
        logger,
      });
  const connectionString = config.DATABASE_URL ?? embedded?.connectionString ?? '';
  const pool = createPool({
    connectionString,
    schema: config.DATABASE_SCHEMA,
    max: config.DATABASE_POOL_SIZE,
  });
  try {
    const applied = await migrate(pool, config.DATABASE_SCHEMA);
    if (applied.length > 0) logger.info({ applied }, 'migrations applied');
  } catch (error) {
    await pool.end();
    await embedded?.stop();
    throw error;
  }
  return {
    pool,
    connectionString,
    schema: config.DATABASE_SCHEMA,
    embedded: embedded !== undefined,
    close: async () => {
      await pool.end();
      await embedded?.stop();
    },
  };
};
