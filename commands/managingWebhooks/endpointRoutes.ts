import { z } from 'zod';
import type { Principal } from '../../domain/access/principal.ts';
import { assertEventPatterns } from '../../domain/integration/eventPatterns.ts';
import { ConflictError, NotFoundError } from '../../domain/shared/errors.ts';
import { defineRoute, type RouteModule } from '../shared/route.ts';
import {
  endpointOwnerOf,
  ownsEndpoint,
  visibleTo,
  type WebhookEndpoints,
  type WebhookEndpointView,
  type WebhookUrlGuard,
} from './ports.ts';

/** Most endpoints one owner may register: fan-out work per event stays bounded. */
export const MAX_ENDPOINTS_PER_OWNER = 20;
/** Longest overlap of a secret rotation: 7 days. */
const MAX_OVERLAP_SECONDS = 7 * 24 * 3600;

export interface WebhookRouteDeps {
  readonly endpoints: WebhookEndpoints;
  readonly urlGuard: WebhookUrlGuard;
}

export const webhookUrlSchema = z.string().trim().min(1).max(2048);
const eventsSchema = z.array(z.string().min(1).max(64)).min(1).max(30);
const endpointIdParams = z.strictObject({ id: z.string().regex(/^we_[A-Za-z0-9_-]{1,64}$/) });
const ERRORS = {
  400: { description: 'Invalid request (bad URL, refused address, unknown event pattern)' },
  401: { description: 'Missing or invalid credentials' },
  403: { description: 'This role owns no webhook endpoints' },
  404: { description: 'No such endpoint among the caller’s' },
} as const;

/** The endpoint, when the principal may see it; a 404 otherwise (another owner's endpoint is not revealed). */
export const ownedEndpoint = async (
  endpoints: WebhookEndpoints,
  principal: Principal,
  id: string,
): Promise<WebhookEndpointView> => {
  const endpoint = await endpoints.get(id);
  if (!endpoint || !ownsEndpoint(principal, endpoint)) {
    throw new NotFoundError(`No webhook endpoint ${id} among yours.`, { endpointId: id });
  }
  return endpoint;
};

const AUTH = ['partner', 'vendor', 'admin'] as const;

export const getWebhookEndpointRoutes = (deps: WebhookRouteDeps): RouteModule[] => [
  defineRoute({
    method: 'post',
    path: '/api/v1/webhooks/endpoints',
    summary: 'Register a webhook endpoint; the answer carries its signing secret, shown once',
    tags: ['webhooks'],
    auth: AUTH,
    body: z.strictObject({
      url: webhookUrlSchema,
      events: eventsSchema,
      description: z.string().trim().max(500).optional(),
    }),
    responses: { 201: { description: 'Registered, with `secret`' }, ...ERRORS },
    handler: async ({ principal, body }) => {
      const owner = endpointOwnerOf(principal);
      assertEventPatterns(body.events);
      await deps.urlGuard.assertAllowed(body.url);
      if ((await deps.endpoints.countOwned(owner)) >= MAX_ENDPOINTS_PER_OWNER) {
        throw new ConflictError(
          'WEBHOOK_ENDPOINT_LIMIT',
          `At most ${MAX_ENDPOINTS_PER_OWNER} webhook endpoints per owner; delete one first.`,
          { limit: MAX_ENDPOINTS_PER_OWNER },
        );
      }
      const { endpoint, secret } = await deps.endpoints.create({
        owner,
        url: body.url,
        events: [...new Set(body.events)],
        description: body.description ?? null,
        reservationId: null,
      });
      return { status: 201, body: { ...endpoint, secret } };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/webhooks/endpoints',
    summary: 'The caller’s webhook endpoints (admins: all), in pages',
    tags: ['webhooks'],
    auth: AUTH,
    query: z.strictObject({
      limit: z.coerce.number().int().min(1).max(100).default(50),
      after: endpointIdParams.shape.id.optional(),
    }),
    responses: { 200: { description: 'A page of endpoints' }, ...ERRORS },
    handler: async ({ principal, query }) => {
      const endpoints = await deps.endpoints.list(visibleTo(principal), query);
      const last = endpoints.length === query.limit ? endpoints[endpoints.length - 1] : undefined;
      return { status: 200, body: { endpoints, next: last?.id ?? null } };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/webhooks/endpoints/{id}',
    summary: 'One webhook endpoint (never its secret)',
    tags: ['webhooks'],
    auth: AUTH,
    params: endpointIdParams,
    responses: { 200: { description: 'The endpoint' }, ...ERRORS },
    handler: async ({ principal, params }) => ({
      status: 200,
      body: await ownedEndpoint(deps.endpoints, principal, params.id),
    }),
  }),
  defineRoute({
    method: 'patch',
    path: '/api/v1/webhooks/endpoints/{id}',
    summary: 'Change the URL, events or description, or enable/disable the endpoint',
    tags: ['webhooks'],
    auth: AUTH,
    params: endpointIdParams,
    body: z
      .strictObject({
        url: webhookUrlSchema.optional(),
        events: eventsSchema.optional(),
        description: z.string().trim().max(500).nullable().optional(),
        enabled: z.boolean().optional(),
      })
      .refine(
        (b) => Object.keys(b).length > 0,
        'Send at least one of url, events, description, enabled.',
      ),
    responses: { 200: { description: 'The changed endpoint' }, ...ERRORS },
    handler: async ({ principal, params, body }) => {
      await ownedEndpoint(deps.endpoints, principal, params.id);
      if (body.events) assertEventPatterns(body.events);
      if (body.url !== undefined) await deps.urlGuard.assertAllowed(body.url);
      const changed = await deps.endpoints.update(params.id, {
        ...body,
        ...(body.events ? { events: [...new Set(body.events)] } : {}),
      });
      return { status: 200, body: changed };
    },
  }),
  defineRoute({
    method: 'delete',
    path: '/api/v1/webhooks/endpoints/{id}',
    summary: 'Delete the endpoint and its delivery log',
    tags: ['webhooks'],
    auth: AUTH,
    params: endpointIdParams,
    responses: { 204: { description: 'Deleted' }, ...ERRORS },
    handler: async ({ principal, params }) => {
      await ownedEndpoint(deps.endpoints, principal, params.id);
      await deps.endpoints.remove(params.id);
      return { status: 204 };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/api/v1/webhooks/endpoints/{id}/rotate-secret',
    summary: 'A new signing secret (shown once); the old one keeps signing during the overlap',
    tags: ['webhooks'],
    auth: AUTH,
    params: endpointIdParams,
    body: z
      .strictObject({
        overlapSeconds: z.number().int().min(0).max(MAX_OVERLAP_SECONDS).default(86_400),
      })
      .default({ overlapSeconds: 86_400 }),
    responses: { 200: { description: '`secret` and `previousSecretExpiresAt`' }, ...ERRORS },
    handler: async ({ principal, params, body }) => {
      await ownedEndpoint(deps.endpoints, principal, params.id);
      const rotated = await deps.endpoints.rotateSecret(params.id, body.overlapSeconds * 1000);
      return { status: 200, body: { id: params.id, ...rotated } };
    },
  }),
];

export { endpointIdParams };
