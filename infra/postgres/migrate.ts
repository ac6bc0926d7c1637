import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { quoteIdentifier, withTransaction, type Pool } from './pool.ts';

const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations/', import.meta.url));
// Any fixed 64-bit key works; it serialises concurrent migrators across processes.
const MIGRATION_LOCK_KEY = 7_302_114_551;

export interface Migration {
  readonly version: string;
  readonly sql: string;
}

/** Versioned SQL files `NNN_name.sql`, applied in lexical order. */
export const loadMigrations = async (dir = MIGRATIONS_DIR): Promise<Migration[]> => {
  const files = (await readdir(dir)).filter((file) => /^\d{3}_[a-z0-9_]+\.sql$/.test(file)).sort();
  return Promise.all(
    files.map(async (file) => ({
      version: file.replace(/\.sql$/, ''),
      sql: await readFile(`${dir}${file}`, 'utf8'),
    })),
  );
};

/**
 * Creates the schema if needed and applies every migration not yet recorded in
 * `schema_migrations`, each in its own transaction, under an advisory lock so
 * several processes starting together migrate once. Returns the versions applied.
 */
export const migrate = async (pool: Pool, schema = 'public'): Promise<string[]> => {
  const migrations = await loadMigrations();
  return withTransaction(pool, async (client) => {
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdentifier(schema)}`);
    await client.query(`SET LOCAL search_path = ${quoteIdentifier(schema)}, public`);
    await client.query(
      `CREATE TABLE IF NOT EXISTS schema_migrations (
         version text PRIMARY KEY,
         applied_at timestamptz NOT NULL DEFAULT now()
       )`,
    );
    const { rows } = await client.query<{ version: string }>(
      'SELECT version FROM schema_migrations',
    );
    const applied = new Set(rows.map((row) => row.version));
    const done: string[] = [];
    for (const migration of migrations) {
      if (applied.has(migration.version)) continue;
      await client.query(migration.sql);
      await client.query('INSERT INTO schema_migrations (version) VALUES ($1)', [
        migration.version,
      ]);
      done.push(migration.version);
    }
    return done;
  });
};
