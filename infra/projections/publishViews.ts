import type { PostgresProjection, TableNames } from '../../projections/shared/projection.ts';
import type { Queryable } from '../postgres/pool.ts';

/**
 * Points a projection's analytics views at `names` (its live version) through
 * `publish_analytics_view` (migration 080), which derives the install's
 * analytics schema and grants the analyst role. Run it in the transaction that
 * makes `names` live, under the projection's DDL lock.
 */
export const publishViews = async (
  db: Queryable,
  projection: PostgresProjection,
  names: TableNames,
): Promise<void> => {
  const views = projection.views?.(names);
  if (views === undefined) return;
  for (const [name, definition] of Object.entries(views)) {
    await db.query('SELECT publish_analytics_view($1, $2)', [name, definition]);
  }
};

/** The install's analytics schema: `analytics` beside `public`, `<schema>_analytics` otherwise. */
export const analyticsSchemaOf = (schema: string): string =>
  schema === 'public' ? 'analytics' : `${schema}_analytics`;
