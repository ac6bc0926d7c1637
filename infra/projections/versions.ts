import type { Checkpoint } from '../../commands/shared/eventStore.ts';
import {
  tableNamesFor,
  type PostgresProjection,
  type Sql,
  type TableNames,
} from '../../projections/shared/projection.ts';
import { publishViews } from './publishViews.ts';
import { inProjectionTransaction } from './transaction.ts';
import type { Pool, Queryable } from '../postgres/pool.ts';

/** Checkpoints are per version: a rebuild fills v2 from the start while v1 keeps its own. */
export const checkpointName = (name: string, version: number): string =>
  `projection:${name}:v${version}`;

/** A projection's SQL port on a pg pool or transaction client. */
export const toSql = (db: Queryable): Sql => ({
  query: async <R>(text: string, params: readonly unknown[] = []) => {
    const result = await db.query(text, [...params]);
    return { rows: result.rows as R[] };
  },
});

/** The projection's live tables were swapped for a rebuilt version; the runner restarts on it. */
export class ProjectionVersionSwappedError extends Error {
  constructor(
    readonly projection: string,
    readonly running: number,
    readonly live: number,
  ) {
    super(
      `Projection ${projection} runs version ${running} but version ${live} is live now; restarting on it.`,
    );
    this.name = 'ProjectionVersionSwappedError';
  }
}

export interface ProjectionVersionRow {
  readonly name: string;
  readonly liveVersion: number;
  readonly buildingVersion: number | null;
}

export const readVersion = async (
  db: Queryable,
  name: string,
  lock: '' | 'FOR SHARE' | 'FOR UPDATE' = '',
): Promise<ProjectionVersionRow | undefined> => {
  const { rows } = await db.query<{ live_version: number; building_version: number | null }>(
    `SELECT live_version, building_version FROM projection_versions WHERE name = $1 ${lock}`,
    [name],
  );
  const row = rows[0];
  return row && { name, liveVersion: row.live_version, buildingVersion: row.building_version };
};

/** Creates one version's tables; serialised per projection so racing starters do not collide on DDL. */
export const createVersionTables = async (
  pool: Pool,
  projection: PostgresProjection,
  version: number,
): Promise<TableNames> => {
  const names = tableNamesFor(projection.tables, version);
  await inProjectionTransaction(pool, async (client) => {
    await client.query(
      "SELECT pg_advisory_xact_lock(20, hashtext(current_schema() || ':' || $1))",
      [projection.name],
    );
    for (const ddl of projection.createTables(names)) await client.query(ddl);
  });
  return names;
};

/** Registers the projection at version 1 the first time, makes sure the live tables exist, returns the live version. */
export const ensureLiveVersion = async (
  pool: Pool,
  projection: PostgresProjection,
): Promise<number> => {
  await pool.query(
    'INSERT INTO projection_versions (name, live_version) VALUES ($1, 1) ON CONFLICT (name) DO NOTHING',
    [projection.name],
  );
  const row = await readVersion(pool, projection.name);
  if (!row) throw new Error(`Projection ${projection.name} vanished from projection_versions.`);
  const names = await createVersionTables(pool, projection, row.liveVersion);
  if (projection.views !== undefined) {
    await inProjectionTransaction(pool, async (client) => {
      await client.query(
        "SELECT pg_advisory_xact_lock(20, hashtext(current_schema() || ':' || $1))",
        [projection.name],
      );
      const live = await readVersion(client, projection.name);
      if (live?.liveVersion === row.liveVersion) await publishViews(client, projection, names);
    });
  }
  return row.liveVersion;
};

/** The live tables of a projection, for readers; undefined before its runner first started. */
export const resolveLiveTables = async (
  db: Queryable,
  projection: Pick<PostgresProjection, 'name' | 'tables'>,
): Promise<TableNames | undefined> => {
  const row = await readVersion(db, projection.name);
  return row && tableNamesFor(projection.tables, row.liveVersion);
};

export const laterCheckpoint = (
  compare: (a: Checkpoint, b: Checkpoint) => number,
  a: Checkpoint | undefined,
  b: Checkpoint,
): Checkpoint => (a === undefined || compare(b, a) > 0 ? b : a);
