import type { PaymentSagaInput } from '../../domain/payment/sagaMessages.ts';
import type { RunningSaga } from '../../domain/payment/sagaState.ts';
import type { PaymentStep } from '../../domain/payment/steps.ts';

/** The parts of a verified Stripe event the saga routes on. */
export interface StripeEventView {
  readonly type: string;
  readonly object: Readonly<Record<string, unknown>>;
}

const text = (value: unknown): string | undefined =>
  typeof value === 'string' ? value : undefined;

/** The reservation a PaymentIntent, charge or refund belongs to (our metadata `reservation_id`). */
export const reservationOf = (event: StripeEventView): string | undefined => {
  const metadata = event.object['metadata'];
  return metadata !== null && typeof metadata === 'object'
    ? text((metadata as Record<string, unknown>)['reservation_id'])
    : undefined;
};

type Completion = Extract<PaymentSagaInput, { type: 'StepCompleted' }>['outcome'];

/** The saga's step a Stripe event answers, and how. Only pending steps can be answered. */
const answer = (
  event: StripeEventView,
  saga: RunningSaga,
): { step: PaymentStep; outcome: Completion } | undefined => {
  const o = event.object;
  const id = text(o['id']);
  const pending = (steps: readonly PaymentStep[], target?: string) =>
    steps.find((s) => {
      const state = saga.steps[s];
      return state?.status === 'pending' && (target === undefined || state.target === target);
    });
  switch (event.type) {
    case 'payment_intent.amount_capturable_updated': {
      const step = pending(['vendor-auth', 'requester-auth']);
      return step && id ? { step, outcome: { kind: 'succeeded', providerId: id } } : undefined;
    }
    case 'payment_intent.payment_failed': {
      const step = pending(['vendor-auth', 'requester-auth']);
      const error = o['last_payment_error'] as Record<string, unknown> | null | undefined;
      const reason = text(error?.['message']) ?? 'The payment failed (Stripe webhook).';
      return step ? { step, outcome: { kind: 'failed', reason, retryable: false } } : undefined;
    }
    case 'payment_intent.canceled': {
      const step = pending(['vendor-auth-cancel', 'requester-auth-cancel'], id);
      return step && id ? { step, outcome: { kind: 'succeeded', providerId: id } } : undefined;
    }
    case 'payment_intent.succeeded': {
      const step = pending(['vendor-capture', 'requester-capture'], id);
      const charge = text(o['latest_charge']) ?? id;
      return step && charge
        ? { step, outcome: { kind: 'succeeded', providerId: charge } }
        : undefined;
    }
    case 'refund.updated':
    case 'refund.created': {
      if (o['status'] !== 'succeeded' || id === undefined) return undefined;
      const step = pending(['vendor-refund', 'requester-refund'], text(o['charge']));
      return step ? { step, outcome: { kind: 'succeeded', providerId: id } } : undefined;
    }
    default:
      return undefined;
  }
};

/**
 * A Stripe event as saga input: the answer to a step still waiting for one
 * (an authorization that needed 3-D Secure, a capture or refund whose call
 * timed out). Answers to steps already recorded change nothing, so a webhook
 * racing the gateway call's own answer is harmless.
 */
/** Whether the event is about a dispute (its object names the PaymentIntent, not our metadata). */
export const isDisputeEvent = (event: StripeEventView): boolean =>
  event.type === 'charge.dispute.created' || event.type === 'charge.dispute.closed';

/** The PaymentIntent a dispute is about. */
export const disputedPaymentIntent = (event: StripeEventView): string | undefined =>
  text(event.object['payment_intent']);

/** `charge.dispute.created` → open; `charge.dispute.closed` → won or lost (a closed warning took nothing: won). */
const disputeInput = (
  event: StripeEventView,
  saga: RunningSaga,
  now: string,
  jitter: number,
): PaymentSagaInput | undefined => {
  const o = event.object;
  const disputeId = text(o['id']);
  const authorizationId = disputedPaymentIntent(event);
  const amount = o['amount'];
  const currency = text(o['currency']);
  if (
    disputeId === undefined ||
    authorizationId === undefined ||
    typeof amount !== 'number' ||
    !Number.isSafeInteger(amount) ||
    amount < 0 ||
    currency === undefined
  )
    return undefined;
  const status =
    event.type === 'charge.dispute.created' ? 'open' : o['status'] === 'lost' ? 'lost' : 'won';
  return {
    type: 'DisputeUpdated',
    reservationId: saga.reservationId,
    disputeId,
    authorizationId,
    amount: { amount, currency: currency.toUpperCase() },
    status,
    reason: text(o['reason']) ?? 'unknown',
    now,
    jitter,
  };
};

export const toSagaInput = (
  event: StripeEventView,
  saga: RunningSaga,
  now: string,
  jitter: number,
): PaymentSagaInput | undefined => {
  if (isDisputeEvent(event)) return disputeInput(event, saga, now, jitter);
  const found = answer(event, saga);
  const state = found && saga.steps[found.step];
  if (found === undefined || state === undefined) return undefined;
  return {
    type: 'StepCompleted',
    reservationId: saga.reservationId,
    step: found.step,
    attempt: state.attempt,
    outcome: found.outcome,
    now,
    jitter,
  };
};
