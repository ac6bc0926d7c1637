import type { RouteModule } from '../../commands/shared/route.ts';
import { getAnalyticsReportRoutes } from '../../queries/reportingAnalytics/route.ts';
import { quoteIdentifier, type Pool } from '../postgres/pool.ts';
import { analyticsSchemaOf } from '../projections/publishViews.ts';
import { toSql } from '../projections/versions.ts';

export interface AnalystRouteDeps {
  readonly pool: Pool;
  /** The install's schema (DATABASE_SCHEMA); the analytics schema is derived from it. */
  readonly schema: string;
}

/** The analysts' and auditors' doors: reports over the analytics schema. */
export const getAnalystRoutes = (deps: AnalystRouteDeps): RouteModule[] => [
  ...getAnalyticsReportRoutes({
    sql: toSql(deps.pool),
    schema: quoteIdentifier(analyticsSchemaOf(deps.schema)),
  }),
];
