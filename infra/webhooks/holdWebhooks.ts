import type { WebhookEndpoints, WebhookUrlGuard } from '../../commands/managingWebhooks/ports.ts';
import type { HoldWebhooks } from '../../commands/placingHold/holdWebhook.ts';

/** Seed 004's `webhookUrl`: a one-off endpoint for every public event of one reservation. */
export const createHoldWebhooks = (
  endpoints: WebhookEndpoints,
  guard: WebhookUrlGuard,
): HoldWebhooks => ({
  register: async ({ owner, reservationId, url }) => {
    await guard.assertAllowed(url);
    const { endpoint, secret } = await endpoints.create({
      owner,
      url,
      events: ['*'],
      description: `One-off endpoint of reservation ${reservationId} (webhookUrl of its hold)`,
      reservationId,
    });
    return { endpointId: endpoint.id, secret };
  },
  remove: (endpointId) => endpoints.remove(endpointId),
});
