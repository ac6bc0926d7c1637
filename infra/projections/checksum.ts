import type { PostgresProjection } from '../../projections/shared/projection.ts';
import { tableNamesFor } from '../../projections/shared/projection.ts';
import type { Queryable } from '../postgres/pool.ts';

export interface ProjectionChecksum {
  readonly version: number;
  /** Per base table: row count and md5 of its rows' text, in key order. */
  readonly tables: Readonly<Record<string, { readonly rows: number; readonly md5: string }>>;
  /** md5 over the tables' checksums, in the projection's table order. */
  readonly checksum: string;
}

/**
 * Row-by-row checksum of one version of a projection: every column of every
 * row as PostgreSQL prints the row, ordered by the table's key. Two versions
 * built from the same log have the same checksum (DESIGN.md "Audit").
 */
export const checksumProjection = async (
  db: Queryable,
  projection: PostgresProjection,
  version: number,
): Promise<ProjectionChecksum> => {
  const names = tableNamesFor(projection.tables, version);
  const tables: Record<string, { rows: number; md5: string }> = {};
  for (const base of projection.tables) {
    const order = projection.checksumOrder[base];
    if (order === undefined)
      throw new Error(`Projection ${projection.name} has no checksum order for ${base}.`);
    const { rows } = await db.query<{ rows: number; md5: string }>(
      `SELECT count(*)::int AS rows,
              md5(coalesce(string_agg(t::text, E'\\n' ORDER BY ${order}), '')) AS md5
       FROM ${names[base] ?? base} t`,
    );
    tables[base] = rows[0] ?? { rows: 0, md5: '' };
  }
  const { rows } = await db.query<{ md5: string }>('SELECT md5($1) AS md5', [
    projection.tables.map((base) => tables[base]?.md5 ?? '').join(':'),
  ]);
  return { version, tables, checksum: rows[0]?.md5 ?? '' };
};
