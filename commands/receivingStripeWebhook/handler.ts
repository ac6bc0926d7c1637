import { decideSaga, loadRunningSaga } from '../payments/paymentSaga/sagaStream.ts';
import type { PaymentSagaDeps } from '../payments/paymentSaga/sagaDeps.ts';
import {
  disputedPaymentIntent,
  isDisputeEvent,
  reservationOf,
  toSagaInput,
  type StripeEventView,
} from './toSagaInput.ts';
import { PaymentInvalidRequestError } from '../payments/paymentGateway.ts';

/** A verified Stripe event, as the inbox stores it. */
export interface InboundStripeEvent extends StripeEventView {
  readonly id: string;
  readonly livemode: boolean;
}

/** Deduplication of inbound webhooks by Stripe event id (table `stripe_webhook_events`, migration 031). */
export interface WebhookInbox {
  /** Records a delivery; true when this event was already processed to the end. */
  receive(event: InboundStripeEvent): Promise<boolean>;
  markProcessed(eventId: string, outcome: 'fed' | 'ignored'): Promise<void>;
}

export interface ReceiveOutcome {
  readonly duplicate: boolean;
  readonly outcome: 'fed' | 'ignored' | 'duplicate';
}

/** Feeds one verified, deduplicated Stripe event into the payment saga of its reservation. */
export const receiveStripeEvent = async (
  deps: { readonly saga: PaymentSagaDeps; readonly inbox: WebhookInbox },
  event: InboundStripeEvent,
): Promise<ReceiveOutcome> => {
  if (await deps.inbox.receive(event)) return { duplicate: true, outcome: 'duplicate' };
  const reservationId = reservationOf(event) ?? (await disputedReservation(deps.saga, event));
  const saga =
    reservationId === undefined ? undefined : await loadRunningSaga(deps.saga, reservationId);
  const input =
    saga && toSagaInput(event, saga, deps.saga.clock.now().toISOString(), deps.saga.jitter());
  let outcome: 'fed' | 'ignored' = 'ignored';
  if (input !== undefined && reservationId !== undefined) {
    const events = await decideSaga(deps.saga, input, reservationId, `stripe:${event.id}`);
    outcome = events.length > 0 ? 'fed' : 'ignored';
  }
  await deps.inbox.markProcessed(event.id, outcome);
  return { duplicate: false, outcome };
};

/**
 * A dispute carries no metadata of ours: the reservation is the one named by
 * the disputed PaymentIntent's metadata, read from the provider.
 */
const disputedReservation = async (
  saga: PaymentSagaDeps,
  event: InboundStripeEvent,
): Promise<string | undefined> => {
  const paymentIntent = isDisputeEvent(event) ? disputedPaymentIntent(event) : undefined;
  if (paymentIntent === undefined) return undefined;
  try {
    return (await saga.gateway.retrievePayment(paymentIntent)).reservationId;
  } catch (error) {
    if (error instanceof PaymentInvalidRequestError && error.reason === 'not_found')
      return undefined;
    throw error;
  }
};
