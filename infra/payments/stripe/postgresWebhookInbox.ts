import type { WebhookInbox } from '../../../commands/receivingStripeWebhook/handler.ts';
import type { Queryable } from '../../postgres/pool.ts';

/** The webhook inbox in `stripe_webhook_events` (migration 031). */
export const getPostgresWebhookInbox = (db: Queryable): WebhookInbox => ({
  receive: async (event) => {
    const { rows } = await db.query<{ processed: boolean }>(
      `INSERT INTO stripe_webhook_events (event_id, type, livemode, object)
       VALUES ($1, $2, $3, $4)
       ON CONFLICT (event_id) DO UPDATE SET deliveries = stripe_webhook_events.deliveries + 1
       RETURNING processed_at IS NOT NULL AS processed`,
      [event.id, event.type, event.livemode, JSON.stringify(event.object)],
    );
    return rows[0]?.processed ?? false;
  },
  markProcessed: async (eventId, outcome) => {
    await db.query(
      'UPDATE stripe_webhook_events SET processed_at = now(), outcome = $2 WHERE event_id = $1',
      [eventId, outcome],
    );
  },
});
