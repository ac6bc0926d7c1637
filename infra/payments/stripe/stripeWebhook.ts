import Stripe from 'stripe';
import { ValidationError } from '../../../domain/shared/errors.ts';

/** A Stripe event whose signature checked out; the fields the saga routes on. */
export interface VerifiedStripeEvent {
  /** `evt_…`; inbound webhooks are deduplicated on it. */
  readonly id: string;
  /** E.g. `payment_intent.succeeded`, `charge.refunded`. */
  readonly type: string;
  /** Unix seconds when Stripe created the event. */
  readonly created: number;
  /** Whether the event came from live mode. */
  readonly livemode: boolean;
  /** The object the event is about (a PaymentIntent, Refund, …) as Stripe sent it. */
  readonly object: Readonly<Record<string, unknown>>;
}

export interface WebhookVerificationOptions {
  /** Maximum age of the signature timestamp in seconds (default 300, Stripe's); 0 turns the age check off (SDK ≥ 23). */
  readonly toleranceSeconds?: number;
}

/**
 * Verifies a Stripe webhook with the SDK's `webhooks.constructEvent`, which checks
 * the `Stripe-Signature` header (`t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">`)
 * against the endpoint secret. It must get the raw body exactly as received:
 * re-serialised JSON does not verify.
 * @throws ValidationError (code WEBHOOK_SIGNATURE_INVALID) when the header is missing,
 *   malformed, stale, or does not match the body.
 */
export const verifyStripeWebhook = (
  rawBody: string | Uint8Array,
  signatureHeader: string | undefined,
  secret: string,
  options: WebhookVerificationOptions = {},
): VerifiedStripeEvent => {
  if (signatureHeader === undefined || signatureHeader === '') {
    throw new ValidationError(
      'The Stripe-Signature header is missing; Stripe signs every webhook it sends.',
      {},
      'WEBHOOK_SIGNATURE_INVALID',
    );
  }
  let event: Stripe.Event;
  try {
    event = Stripe.webhooks.constructEvent(
      rawBody,
      signatureHeader,
      secret,
      options.toleranceSeconds ?? Stripe.webhooks.DEFAULT_TOLERANCE,
    );
  } catch (error) {
    throw new ValidationError(
      `The Stripe webhook signature does not match the raw body (${error instanceof Error ? error.message : String(error)}); check STRIPE_WEBHOOK_SECRET and that the body is not re-parsed.`,
      {},
      'WEBHOOK_SIGNATURE_INVALID',
    );
  }
  return {
    id: event.id,
    type: event.type,
    created: event.created,
    livemode: event.livemode,
    object: event.data.object as unknown as Record<string, unknown>,
  };
};
