import type { EventStore } from '../../commands/shared/eventStore.ts';
import type { RouteModule } from '../../commands/shared/route.ts';
import { getAuditRoutes } from '../../queries/auditing/route.ts';
import { getAnalyticsReportRoutes } from '../../queries/reportingAnalytics/route.ts';
import { getPostgresAuditLog } from '../audit/auditLog.ts';
import type { AuditSigner } from '../audit/signingKey.ts';
import { quoteIdentifier, type Pool } from '../postgres/pool.ts';
import { analyticsSchemaOf } from '../projections/publishViews.ts';
import { toSql } from '../projections/versions.ts';

export interface AnalystRouteDeps {
  readonly pool: Pool;
  /** The install's schema (DATABASE_SCHEMA); the analytics schema is derived from it. */
  readonly schema: string;
  readonly store: EventStore;
  /** Signs audit exports (AUDIT_SIGNING_KEY or the generated key file). */
  readonly signer: AuditSigner;
}

/** The analysts' and auditors' doors: reports over the analytics schema and the audit API. */
export const getAnalystRoutes = (deps: AnalystRouteDeps): RouteModule[] => [
  ...getAnalyticsReportRoutes({
    sql: toSql(deps.pool),
    schema: quoteIdentifier(analyticsSchemaOf(deps.schema)),
  }),
  ...getAuditRoutes(getPostgresAuditLog(deps)),
];
