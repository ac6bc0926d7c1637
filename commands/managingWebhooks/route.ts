import type { RouteModule } from '../shared/route.ts';
import { getWebhookDeliveryRoutes } from './deliveryRoutes.ts';
import { getWebhookEndpointRoutes, type WebhookRouteDeps } from './endpointRoutes.ts';

export type { WebhookRouteDeps } from './endpointRoutes.ts';

/** Every outbound-webhook route (docs/webhooks.md). */
export const getWebhookRoutes = (deps: WebhookRouteDeps): RouteModule[] => [
  ...getWebhookEndpointRoutes(deps),
  ...getWebhookDeliveryRoutes(deps),
];
