import { z } from 'zod';
import type { RouteModule } from '../../commands/shared/route.ts';
import { defineRoute } from '../../commands/shared/route.ts';
import type { Principal } from '../../domain/access/principal.ts';
import { ForbiddenError, NotFoundError, ValidationError } from '../../domain/shared/errors.ts';
import type { Sql } from '../../projections/shared/projection.ts';
import { idSchema } from '../shared/httpSchemas.ts';
import type { ProjectionPositions } from '../shared/ports.ts';
import { MIN_POSITION_WAIT_MS, minPositionHeaders } from '../shared/readYourWrites.ts';

export interface CatalogueDeps {
  readonly sql: Sql;
  /** The live `resources_v<n>` table. */
  liveTable(table: 'resources'): Promise<string>;
  readonly positions: ProjectionPositions;
}

/** Read-your-writes: waits (bounded) for the resources projection to reach the caller's write. */
const freshness = async (
  deps: CatalogueDeps,
  minPosition: string | undefined,
): Promise<Record<string, string>> => {
  if (minPosition === undefined) return {};
  const outcome = await deps.positions.waitForPosition(
    'resources',
    minPosition,
    MIN_POSITION_WAIT_MS,
  );
  return {
    ...(outcome.position === undefined ? {} : { 'x-projection-position': outcome.position }),
    ...(outcome.reached ? {} : { 'x-stale': 'true' }),
  };
};

const hasNoControl = (text: string): boolean =>
  [...text].every((c) => c.charCodeAt(0) >= 32 && c.charCodeAt(0) !== 127);

const BOOKING_ROLES = ['guest', 'partner', 'vendor', 'admin'] as const;
export const MAX_PAGE = 100;

interface ResourceDbRow {
  readonly id: string;
  readonly state: {
    readonly config: Record<string, unknown>;
    readonly status: 'active' | 'retired';
    readonly registeredAt: string;
    readonly retiredAt: string | null;
  };
  readonly version: number;
}

/** What a booker sees of a resource: its whole current configuration (prices, policies) and version. */
const toResource = (row: ResourceDbRow) => {
  const { vendorId, kind, ...config } = row.state.config;
  return {
    resourceId: row.id,
    vendorId,
    kind,
    status: row.state.status,
    version: row.version,
    registeredAt: row.state.registeredAt,
    retiredAt: row.state.retiredAt,
    ...config,
  };
};

const resourceSchema = z
  .object({
    resourceId: z.string(),
    vendorId: z.string(),
    kind: z.enum(['nightly', 'timed']),
    status: z.enum(['active', 'retired']),
    version: z.number(),
    pricingRules: z.unknown(),
    cancellationPolicy: z.unknown(),
    confirmationPolicy: z.string(),
    listing: z.unknown(),
  })
  .loose();

/** Retired resources are shown only to their own vendor and admins, and only when asked. */
const mayIncludeRetired = (principal: Principal, vendorId: string | undefined): boolean =>
  principal.role === 'admin' ||
  (principal.role === 'vendor' && vendorId !== undefined && principal.vendorId === vendorId);

const cursorOf = (id: string): string => Buffer.from(id, 'utf8').toString('base64url');
const afterOf = (cursor: string): string => {
  const id = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!idSchema.safeParse(id).success) {
    throw new ValidationError(
      'cursor is not a nextCursor this endpoint returned.',
      {},
      'INVALID_CURSOR',
    );
  }
  return id;
};

/** `GET /api/v1/resources` and `GET /api/v1/resources/{id}`: the catalogue, from the resources read model. */
export const getCatalogueRoutes = (deps: CatalogueDeps): RouteModule[] => [
  defineRoute({
    method: 'get',
    path: '/api/v1/resources',
    summary: 'List the catalogue',
    description: `Active resources with their current configuration (pricing rules, policies) and version, in id order. Filters: \`kind\`, \`vendorId\`, \`currency\`, \`city\`, \`country\`, \`q\` (words of the name, description or city). \`limit\` ≤ ${MAX_PAGE}; \`nextCursor\` continues. \`includeRetired=true\` adds retired resources for their vendor (with \`vendorId\`) and admins.`,
    tags: ['resources'],
    auth: BOOKING_ROLES,
    query: z.object({
      kind: z.enum(['nightly', 'timed']).optional(),
      vendorId: idSchema.optional(),
      currency: z
        .string()
        .regex(/^[A-Z]{3}$/, 'currency is an ISO 4217 code like EUR.')
        .optional(),
      city: z
        .string()
        .min(1)
        .max(100)
        .refine(hasNoControl, 'city has no control characters.')
        .optional(),
      country: z
        .string()
        .regex(/^[A-Z]{2}$/, 'country is an ISO 3166 code like IL.')
        .optional(),
      q: z.string().min(1).max(200).refine(hasNoControl, 'q has no control characters.').optional(),
      includeRetired: z.enum(['true', 'false']).default('false'),
      limit: z.coerce.number().int().min(1).max(MAX_PAGE).default(20),
      cursor: z.string().max(400).optional(),
    }),
    responses: {
      200: {
        description: 'A page of resources.',
        body: z.object({ resources: z.array(resourceSchema), nextCursor: z.string().nullable() }),
      },
    },
    headers: minPositionHeaders,
    handler: async ({ query, principal, headers }) => {
      const fresh = await freshness(deps, headers['x-min-position']);
      const retired = query.includeRetired === 'true';
      if (retired && !mayIncludeRetired(principal, query.vendorId)) {
        throw new ForbiddenError(
          'Only admins, and vendors for their own vendorId, may list retired resources.',
          { role: principal.role },
        );
      }
      const table = await deps.liveTable('resources');
      const where: string[] = [];
      const params: unknown[] = [];
      const add = (sql: string, value: unknown) => {
        params.push(value);
        where.push(sql.replace('?', `$${params.length}`));
      };
      if (!retired) where.push("status = 'active'");
      if (query.kind) add('kind = ?', query.kind);
      if (query.vendorId) add('vendor_id = ?', query.vendorId);
      if (query.currency) add('currency = ?', query.currency);
      if (query.city) add('lower(city) = lower(?)', query.city);
      if (query.country) add('country = ?', query.country);
      if (query.q) add("search_vector @@ plainto_tsquery('simple', ?)", query.q);
      if (query.cursor) add('id > ?', afterOf(query.cursor));
      params.push(query.limit + 1);
      const { rows } = await deps.sql.query<ResourceDbRow>(
        `SELECT id, state, version FROM ${table}
         ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
         ORDER BY id LIMIT $${params.length}`,
        params,
      );
      const page = rows.slice(0, query.limit);
      const last = page.at(-1);
      return {
        status: 200,
        headers: fresh,
        body: {
          resources: page.map(toResource),
          nextCursor: rows.length > query.limit && last ? cursorOf(last.id) : null,
        },
      };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/resources/{id}',
    summary: 'One resource of the catalogue',
    description:
      'The current configuration — pricing rules, cancellation and confirmation policies, stay restrictions, hours — and its version. A retired resource is a 404 except for its vendor and admins.',
    tags: ['resources'],
    auth: BOOKING_ROLES,
    params: z.object({ id: idSchema }),
    responses: {
      200: { description: 'The resource.', body: resourceSchema },
      404: { description: 'No such resource (or retired).' },
    },
    headers: minPositionHeaders,
    handler: async ({ params, principal, headers }) => {
      const fresh = await freshness(deps, headers['x-min-position']);
      const table = await deps.liveTable('resources');
      const { rows } = await deps.sql.query<ResourceDbRow>(
        `SELECT id, state, version FROM ${table} WHERE id = $1`,
        [params.id],
      );
      const row = rows[0];
      const vendorId = row ? String(row.state.config['vendorId']) : undefined;
      if (!row || (row.state.status === 'retired' && !mayIncludeRetired(principal, vendorId))) {
        throw new NotFoundError(`No resource ${params.id} in the catalogue.`, { id: params.id });
      }
      return { status: 200, headers: fresh, body: toResource(row) };
    },
  }),
];
