import { randomBytes } from 'node:crypto';
import { tableNamesFor, type PostgresProjection } from '../../projections/shared/projection.ts';
import { getPostgresCheckpointStore } from '../eventStore/postgres/checkpointStore.ts';
import {
  comparePostgresCheckpoints,
  readAllPostgres,
} from '../eventStore/postgres/readAllQueries.ts';
import { quoteIdentifier, type Pool, type Queryable } from '../postgres/pool.ts';
import { checkpointName, readVersion, toSql } from '../projections/versions.ts';

export interface TableDiff {
  readonly liveRows: number;
  readonly replayRows: number;
  /** Rows in the live table and not in the replay (and the other way), counted with duplicates. */
  readonly onlyLive: number;
  readonly onlyReplay: number;
  /** Up to five differing rows of each side, as PostgreSQL prints them. */
  readonly samples: {
    readonly onlyLive: readonly string[];
    readonly onlyReplay: readonly string[];
  };
}

export interface ReplayResult {
  readonly projection: string;
  readonly liveVersion: number;
  /** The live checkpoint the replay stopped at (the live tables' state in the same snapshot). */
  readonly checkpoint: string | null;
  readonly events: number;
  readonly tables: Readonly<Record<string, TableDiff>>;
  readonly equal: boolean;
}

const count = async (db: Queryable, sql: string): Promise<number> => {
  const { rows } = await db.query<{ n: string }>(`SELECT count(*)::text AS n FROM ${sql}`);
  return Number(rows[0]?.n ?? 0);
};

/**
 * `audit replay <projection>` (DESIGN.md "Audit"): rebuilds the projection
 * from the log into a scratch schema and diffs it row by row against the live
 * version. One REPEATABLE READ transaction reads the live checkpoint, replays
 * the log up to it and compares, so a projector running meanwhile cannot make
 * a difference appear. The scratch schema is dropped afterwards.
 */
export const replayProjection = async (
  pool: Pool,
  schema: string,
  projection: PostgresProjection,
  options: { readonly batchSize?: number } = {},
): Promise<ReplayResult> => {
  const scratch = `${schema}_replay_${randomBytes(4).toString('hex')}`;
  const client = await pool.connect();
  try {
    await client.query(`CREATE SCHEMA ${quoteIdentifier(scratch)}`);
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
    const version = await readVersion(client, projection.name);
    if (version === undefined) {
      throw new Error(`Projection ${projection.name} has never run here: nothing to compare.`);
    }
    const checkpoint = await getPostgresCheckpointStore(pool).load(
      checkpointName(projection.name, version.liveVersion),
      client,
    );
    const names = tableNamesFor(projection.tables, version.liveVersion);
    // Unqualified DDL and writes land in the scratch schema; the log is read from the install's.
    await client.query(
      `SET LOCAL search_path = ${quoteIdentifier(scratch)}, ${quoteIdentifier(schema)}, public`,
    );
    for (const ddl of projection.createTables(names)) await client.query(ddl);
    let events = 0;
    let from: string | undefined;
    while (checkpoint !== undefined) {
      const batch = await readAllPostgres(client, {
        maxCount: options.batchSize ?? 2000,
        filter: projection.filter,
        ...(from === undefined ? {} : { from }),
      });
      const upTo = batch.filter((e) => comparePostgresCheckpoints(e.checkpoint, checkpoint) <= 0);
      if (upTo.length > 0) await projection.apply(toSql(client), names, upTo);
      events += upTo.length;
      if (upTo.length < batch.length || batch.length === 0) break;
      from = batch.at(-1)?.checkpoint;
    }
    const tables: Record<string, TableDiff> = {};
    for (const base of projection.tables) {
      const table = names[base] ?? base;
      const live = `${quoteIdentifier(schema)}.${quoteIdentifier(table)}`;
      const replay = `${quoteIdentifier(scratch)}.${quoteIdentifier(table)}`;
      const onlyLive = `(SELECT * FROM ${live} EXCEPT ALL SELECT * FROM ${replay})`;
      const onlyReplay = `(SELECT * FROM ${replay} EXCEPT ALL SELECT * FROM ${live})`;
      const samples = async (sql: string) =>
        (
          await client.query<{ row: string }>(`SELECT d::text AS row FROM ${sql} d LIMIT 5`)
        ).rows.map((r) => r.row);
      tables[base] = {
        liveRows: await count(client, live),
        replayRows: await count(client, replay),
        onlyLive: await count(client, `${onlyLive} d`),
        onlyReplay: await count(client, `${onlyReplay} d`),
        samples: { onlyLive: await samples(onlyLive), onlyReplay: await samples(onlyReplay) },
      };
    }
    return {
      projection: projection.name,
      liveVersion: version.liveVersion,
      checkpoint: checkpoint ?? null,
      events,
      tables,
      equal: Object.values(tables).every((t) => t.onlyLive === 0 && t.onlyReplay === 0),
    };
  } finally {
    await client.query('ROLLBACK').catch(() => undefined);
    await client
      .query(`DROP SCHEMA IF EXISTS ${quoteIdentifier(scratch)} CASCADE`)
      .catch(() => undefined);
    client.release();
  }
};
