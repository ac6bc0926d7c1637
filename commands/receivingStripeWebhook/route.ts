import { z } from 'zod';
import { ValidationError } from '../../domain/shared/errors.ts';
import type { RouteModule } from '../../infra/http/route.ts';
import { defineRoute } from '../../infra/http/route.ts';
import { verifyStripeWebhook } from '../../infra/payments/stripe/stripeWebhook.ts';
import type { PaymentSagaDeps } from '../payments/paymentSaga/sagaDeps.ts';
import { receiveStripeEvent, type WebhookInbox } from './handler.ts';

export interface StripeWebhookRouteDeps {
  readonly saga: PaymentSagaDeps;
  readonly inbox: WebhookInbox;
  /** The endpoint's signing secret (`whsec_…`, STRIPE_WEBHOOK_SECRET). */
  readonly secret: string;
  /** Signature age tolerance, seconds (default Stripe's 300). */
  readonly toleranceSeconds?: number;
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
      const verified = verifyStripeWebhook(rawBytes, headers['stripe-signature'], deps.secret, {
        ...(deps.toleranceSeconds === undefined ? {} : { toleranceSeconds: deps.toleranceSeconds }),
      });
      const result = await receiveStripeEvent(deps, verified);
      return { status: 200, body: { received: true, ...result } };
    },
  });
