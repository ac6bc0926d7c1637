import { z } from 'zod';
import type { RouteModule } from '../../commands/shared/route.ts';
import { defineRoute } from '../../commands/shared/route.ts';
import { ValidationError } from '../../domain/shared/errors.ts';
import { addDays, daysBetween } from '../../domain/shared/time.ts';
import type { Sql } from '../../projections/shared/projection.ts';
import { idSchema, localDateSchema } from '../shared/httpSchemas.ts';
import { csvLine, jsonRow, toValues } from './format.ts';
import {
  REPORT_NAMES,
  REPORTS,
  type ReportFilter,
  type ReportName,
  type ReportSpec,
} from './reports.ts';

export interface AnalyticsReportDeps {
  readonly sql: Sql;
  /** The install's analytics schema, quoted (`"analytics"`, `"t_1a2b_analytics"`). */
  readonly schema: string;
}

/** The widest range one request may ask for: the cost is bounded whatever the caller sends. */
export const MAX_REPORT_DAYS = 366;

const query = z.object({
  from: localDateSchema,
  to: localDateSchema,
  resourceId: idSchema.optional(),
  vendorId: idSchema.optional(),
  partnerId: idSchema.optional(),
  format: z.enum(['json', 'csv']).optional(),
});
type Query = z.infer<typeof query>;

const wantsCsv = (q: Query, accept: string | undefined): boolean =>
  q.format === 'csv' || (q.format === undefined && /\btext\/csv\b/i.test(accept ?? ''));

const assertRange = (q: Query): number => {
  const days = daysBetween(q.from, q.to);
  if (days <= 0 || days > MAX_REPORT_DAYS) {
    throw new ValidationError(
      `to must be after from (to is exclusive) and at most ${MAX_REPORT_DAYS} days later (got ${q.from} → ${q.to}).`,
      { from: q.from, to: q.to, maxDays: MAX_REPORT_DAYS },
      'INVALID_RANGE',
    );
  }
  return days;
};

const filtersOf = (name: ReportName, spec: ReportSpec, q: Query) => {
  const given = (['resourceId', 'vendorId', 'partnerId'] as const).filter(
    (f) => q[f] !== undefined,
  );
  const unsupported = given.filter((f) => spec.filters[f] === undefined);
  if (unsupported.length > 0) {
    throw new ValidationError(
      `The ${name} report cannot be filtered by ${unsupported.join(', ')}; it accepts ${Object.keys(spec.filters).join(', ') || 'no filter'}.`,
      { unsupported },
    );
  }
  return given.map((f: ReportFilter) => ({ column: spec.filters[f] ?? '', value: q[f] ?? '' }));
};

async function* reportRows(
  deps: AnalyticsReportDeps,
  spec: ReportSpec,
  q: Query,
  days: number,
  filters: readonly { column: string; value: string }[],
): AsyncGenerator<Record<string, unknown>[]> {
  const { rows: exists } = await deps.sql.query<{ ok: boolean }>(
    'SELECT to_regclass($1) IS NOT NULL AS ok',
    [`${deps.schema}.conversion`],
  );
  if (exists[0]?.ok !== true) return;
  const base = spec.scope === 'daily' ? 1 : spec.scope === 'range' ? 2 : 0;
  const where = filters.map((f, i) => ` AND ${f.column} = $${base + i + 1}`).join('');
  const text =
    spec.select.replaceAll('{s}', deps.schema) +
    where +
    (spec.groupBy ? ` GROUP BY ${spec.groupBy}` : '') +
    ` ORDER BY ${spec.orderBy}`;
  const values = filters.map((f) => f.value);
  if (spec.scope === 'daily') {
    for (let day = 0; day < days; day++) {
      const date = addDays(q.from, day);
      yield (await deps.sql.query<Record<string, unknown>>(text, [date, ...values])).rows;
    }
    return;
  }
  const params = spec.scope === 'range' ? [q.from, q.to, ...values] : values;
  yield (await deps.sql.query<Record<string, unknown>>(text, params)).rows;
}

async function* asCsv(spec: ReportSpec, pages: AsyncIterable<Record<string, unknown>[]>) {
  yield csvLine(spec.columns.map((c) => c.name));
  for await (const rows of pages) {
    if (rows.length > 0) yield rows.map((row) => csvLine(toValues(spec.columns, row))).join('');
  }
}

async function* asJson(
  name: ReportName,
  spec: ReportSpec,
  q: Query,
  pages: AsyncIterable<Record<string, unknown>[]>,
) {
  yield `{"report":${JSON.stringify(name)},"from":"${q.from}","to":"${q.to}","rows":[`;
  let first = true;
  for await (const rows of pages) {
    for (const row of rows) {
      yield `${first ? '' : ','}${jsonRow(spec.columns, toValues(spec.columns, row))}`;
      first = false;
    }
  }
  yield ']}';
}

const rowSchema = (spec: ReportSpec) =>
  z.object(
    Object.fromEntries(
      spec.columns.map((c) => [
        c.name,
        (c.type === 'text' || c.type === 'date' ? z.string() : z.number()).nullable(),
      ]),
    ),
  );

const reportRoute = (deps: AnalyticsReportDeps, name: ReportName): RouteModule => {
  const spec: ReportSpec = REPORTS[name];
  return defineRoute({
    method: 'get',
    path: `/api/v1/reports/${name}`,
    summary: `The ${name} report over the analytics schema`,
    description: `Rows of the analytics view \`${name}\` (docs/analytics.md), ${spec.scope === 'daily' ? 'one group per local date in [from, to)' : spec.scope === 'range' ? 'summed over [from, to) by month' : 'as balances now (from/to are still required and checked)'}. Dates are the resource's local dates; amounts are integer minor units of \`currency\`. JSON by default; CSV with \`Accept: text/csv\` or \`format=csv\`. Streamed. Filters: ${Object.keys(spec.filters).join(', ') || 'none'}. At most ${MAX_REPORT_DAYS} days.`,
    tags: ['reports'],
    auth: ['analyst', 'admin'],
    query,
    headers: z.object({ accept: z.string().max(1000).optional() }),
    responses: {
      200: {
        description: 'The rows (JSON) or a CSV document with a header line.',
        body: z.object({
          report: z.literal(name),
          from: z.string(),
          to: z.string(),
          rows: z.array(rowSchema(spec)),
        }),
      },
    },
    handler: ({ query: q, headers }) => {
      const days = assertRange(q);
      const filters = filtersOf(name, spec, q);
      const pages = reportRows(deps, spec, q, days, filters);
      const csv = wantsCsv(q, headers.accept);
      return Promise.resolve({
        status: 200,
        headers: csv
          ? {
              'content-type': 'text/csv; charset=utf-8',
              'content-disposition': `attachment; filename="${name}-${q.from}-${q.to}.csv"`,
            }
          : { 'content-type': 'application/json; charset=utf-8' },
        stream: csv ? asCsv(spec, pages) : asJson(name, spec, q, pages),
      });
    },
  });
};

/** `GET /api/v1/reports/{occupancy|revenue|tax|payouts|escrow|cancellations|conversion}` for analysts and admins. */
export const getAnalyticsReportRoutes = (deps: AnalyticsReportDeps): RouteModule[] =>
  REPORT_NAMES.map((name) => reportRoute(deps, name));
