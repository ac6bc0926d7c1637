import { z } from 'zod';
import { NotFoundError } from '../../domain/shared/errors.ts';
import { defineRoute, type RouteModule } from '../shared/route.ts';
import { endpointIdParams, ownedEndpoint, type WebhookRouteDeps } from './endpointRoutes.ts';
import { visibleTo } from './ports.ts';

const AUTH = ['partner', 'vendor', 'admin'] as const;
const deliveryId = z.string().regex(/^\d{1,18}$/, 'Expected a delivery id (digits).');
const deliveryParams = z.strictObject({ id: endpointIdParams.shape.id, deliveryId });
const ERRORS = {
  400: { description: 'Invalid request' },
  401: { description: 'Missing or invalid credentials' },
  403: { description: 'This role owns no webhook endpoints' },
  404: { description: 'No such endpoint or delivery among the caller’s' },
} as const;

/** The delivery log, manual redelivery and the test event. */
export const getWebhookDeliveryRoutes = (deps: WebhookRouteDeps): RouteModule[] => [
  defineRoute({
    method: 'get',
    path: '/api/v1/webhooks/endpoints/{id}/deliveries',
    summary: 'The endpoint’s deliveries, newest first (filter by status; page with `after`)',
    tags: ['webhooks'],
    auth: AUTH,
    params: endpointIdParams,
    query: z.strictObject({
      status: z.enum(['pending', 'delivered', 'dead']).optional(),
      limit: z.coerce.number().int().min(1).max(100).default(50),
      after: deliveryId.optional(),
    }),
    responses: { 200: { description: 'A page of deliveries' }, ...ERRORS },
    handler: async ({ principal, params, query }) => {
      await ownedEndpoint(deps.endpoints, principal, params.id);
      const deliveries = await deps.endpoints.deliveries(params.id, query);
      const last =
        deliveries.length === query.limit ? deliveries[deliveries.length - 1] : undefined;
      return { status: 200, body: { deliveries, next: last?.id ?? null } };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/webhooks/endpoints/{id}/deliveries/{deliveryId}',
    summary: 'One delivery with its attempt log (status codes, errors, response excerpts)',
    tags: ['webhooks'],
    auth: AUTH,
    params: deliveryParams,
    responses: { 200: { description: 'The delivery' }, ...ERRORS },
    handler: async ({ principal, params }) => {
      await ownedEndpoint(deps.endpoints, principal, params.id);
      const delivery = await deps.endpoints.delivery(params.id, params.deliveryId);
      if (!delivery) throw new NotFoundError(`No delivery ${params.deliveryId} on ${params.id}.`);
      return { status: 200, body: delivery };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/api/v1/webhooks/endpoints/{id}/deliveries/{deliveryId}/redeliver',
    summary: 'Send a delivery again (a dead letter, or one already delivered), same Webhook-Id',
    tags: ['webhooks'],
    auth: AUTH,
    params: deliveryParams,
    idempotent: true,
    responses: { 202: { description: 'Queued' }, ...ERRORS },
    handler: async ({ principal, params }) => {
      await ownedEndpoint(deps.endpoints, principal, params.id);
      const delivery = await deps.endpoints.redeliver(params.id, params.deliveryId);
      if (!delivery) throw new NotFoundError(`No delivery ${params.deliveryId} on ${params.id}.`);
      return { status: 202, body: delivery };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/api/v1/webhooks/endpoints/{id}/test',
    summary: 'Queue a `webhook.test` event to the endpoint, signed like any other',
    tags: ['webhooks'],
    auth: AUTH,
    params: endpointIdParams,
    idempotent: true,
    responses: { 202: { description: 'Queued' }, ...ERRORS },
    handler: async ({ principal, params }) => {
      await ownedEndpoint(deps.endpoints, principal, params.id);
      return { status: 202, body: await deps.endpoints.sendTest(params.id) };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/webhooks/events/{eventId}/deliveries',
    summary: 'Every delivery of one public event (by Webhook-Id) to the caller’s endpoints',
    tags: ['webhooks'],
    auth: AUTH,
    params: z.strictObject({ eventId: z.string().min(1).max(200) }),
    responses: { 200: { description: 'The deliveries' }, ...ERRORS },
    handler: async ({ principal, params }) => ({
      status: 200,
      body: {
        deliveries: await deps.endpoints.eventDeliveries(params.eventId, visibleTo(principal), 100),
      },
    }),
  }),
];
