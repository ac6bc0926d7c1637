import { z } from 'zod';
import { ValidationError } from '../../domain/shared/errors.ts';
import type { RouteModule } from '../shared/route.ts';
import { defineRoute } from '../shared/route.ts';
import type { PaymentSagaDeps } from '../payments/paymentSaga/sagaDeps.ts';
import { receiveStripeEvent, type InboundStripeEvent, type WebhookInbox } from './handler.ts';

export interface StripeWebhookRouteDeps {
  readonly saga: PaymentSagaDeps;
  readonly inbox: WebhookInbox;
  /**
   * Checks `Stripe-Signature` against the exact bytes (infra's `verifyStripeWebhook`
   * with the endpoint secret, STRIPE_WEBHOOK_SECRET); throws ValidationError
   * WEBHOOK_SIGNATURE_INVALID when they do not match.
   */
  readonly verify: (rawBody: Uint8Array, signature: string) => InboundStripeEvent;
}

/** `POST /api/v1/webhooks/stripe`: verified on the raw body, deduplicated by event id, fed to the saga. */
export const getStripeWebhookRoute = (deps: StripeWebhookRouteDeps): RouteModule =>
  defineRoute({
    method: 'post',
    path: '/api/v1/webhooks/stripe',
    summary: 'Receive a Stripe webhook',
    description:
      "Stripe-Signature is checked on the exact bytes received; each event id is processed once; an event that answers a pending payment step (authorization, capture, cancellation, refund) is fed to that reservation's payment saga.",
    tags: ['payments', 'webhooks'],
    auth: 'public',
    rawBytes: true,
    headers: z.object({ 'stripe-signature': z.string().min(1).max(2000) }),
    responses: {
      200: {
        description: 'Accepted (also for duplicates and events the saga has no use for).',
        body: z.object({ received: z.literal(true), duplicate: z.boolean(), outcome: z.string() }),
      },
      400: { description: 'Missing or invalid signature (WEBHOOK_SIGNATURE_INVALID).' },
    },
    handler: async ({ rawBytes, headers }) => {
      if (rawBytes === undefined || rawBytes.length === 0)
        throw new ValidationError(
          'The webhook body is empty; Stripe always sends the event as JSON.',
        );
      const verified = deps.verify(rawBytes, headers['stripe-signature']);
      const result = await receiveStripeEvent(deps, verified);
      return { status: 200, body: { received: true, ...result } };
    },
  });
