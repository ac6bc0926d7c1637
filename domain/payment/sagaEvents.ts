import { z } from 'zod';
import type { DomainEvent, EventDefinition } from '../shared/eventDefinition.ts';
import { defineEvent } from '../shared/eventDefinition.ts';
import { moneySchema } from '../pricing/quoteSchema.ts';
import { PAYMENT_STEPS } from './steps.ts';
import { SETTLEMENT_EVENTS } from './settlementEvents.ts';

/**
 * Events of the `payment-{reservationId}` stream: the process manager's own
 * inbox/outbox. Outbound commands are derived from these events
 * (`commandsFor`), so a saga restarted after a crash re-derives exactly the
 * same commands with the same idempotency keys and never charges twice.
 */
const instant = z.iso.datetime({ offset: true });
const step = z.enum(PAYMENT_STEPS);
const base = { reservationId: z.string().min(1), at: instant };

export const PaymentSagaStarted = defineEvent(
  'PaymentSagaStarted',
  1,
  z.object({
    ...base,
    bookingReference: z.string(),
    vendorId: z.string(),
    slots: z.array(z.string()),
    confirmationPolicy: z.enum(['instant', 'vendor']),
    /** What the vendor is paid on completion: the quote total minus platform fees and their VAT. */
    vendorPayout: moneySchema,
  }),
);
/** The saga asks the reservation to move on (NotifyVendor after a sent notification, RequestAuthorization, BeginCommit). */
export const ReservationAdvanceRequested = defineEvent(
  'ReservationAdvanceRequested',
  1,
  z.object({ ...base, command: z.enum(['NotifyVendor', 'RequestAuthorization', 'BeginCommit']) }),
);
/**
 * The requester's payment method (a provider token) as the saga will
 * authorize with it; recorded here so a replay of this stream alone
 * re-derives the same gateway call.
 */
export const RequesterPaymentMethodRecorded = defineEvent(
  'RequesterPaymentMethodRecorded',
  1,
  z.object({ ...base, paymentMethod: z.string().min(1) }),
);
/** The reservation awaits the requester's authorization of `amount`, but no payment method has come yet. */
export const RequesterPaymentMethodAwaited = defineEvent(
  'RequesterPaymentMethodAwaited',
  1,
  z.object({ ...base, amount: moneySchema }),
);
export const PaymentStepRequested = defineEvent(
  'PaymentStepRequested',
  1,
  z.object({
    ...base,
    step,
    attempt: z.number().int().positive(),
    idempotencyKey: z.string(),
    amount: moneySchema.nullable(),
    /** The provider id the step acts on: the authorization to capture/cancel, the capture to refund. */
    target: z.string().nullable(),
    /** Do not execute before this instant (retry backoff, payout dispute window). */
    notBefore: instant,
  }),
);
export const PaymentStepSucceeded = defineEvent(
  'PaymentStepSucceeded',
  1,
  z.object({ ...base, step, attempt: z.number().int().positive(), providerId: z.string() }),
);
export const PaymentStepFailed = defineEvent(
  'PaymentStepFailed',
  1,
  z.object({
    ...base,
    step,
    attempt: z.number().int().positive(),
    reason: z.string(),
    retryable: z.boolean(),
    final: z.boolean(),
  }),
);
/** A step that may not fail (a cancellation, refund, release or payout) ran out of attempts: a human must finish it. */
export const PaymentDeadLettered = defineEvent(
  'PaymentDeadLettered',
  1,
  z.object({ ...base, step, attempts: z.number().int().positive(), reason: z.string() }),
);
export const CompensationStarted = defineEvent(
  'CompensationStarted',
  1,
  z.object({ ...base, row: z.string(), reason: z.string() }),
);
/**
 * The issuer asked the requester to authenticate (3-D Secure) before the
 * authorization holds money. The step stays pending until the provider reports
 * it authorized (a webhook, or the saga's next look at the provider), failed,
 * or `expiresAt` passes; then it fails into compensation.
 */
export const PaymentActionRequired = defineEvent(
  'PaymentActionRequired',
  1,
  z.object({
    ...base,
    step,
    attempt: z.number().int().positive(),
    authorizationId: z.string().min(1),
    nextAction: z.object({
      type: z.string(),
      /** What the requester's browser passes to Stripe.js `handleNextAction`. */
      clientSecret: z.string(),
      redirectUrl: z.string().optional(),
    }),
    expiresAt: instant,
  }),
);
export const CommitSettled = defineEvent(
  'CommitSettled',
  1,
  z.object({
    ...base,
    outcome: z.enum(['succeeded', 'failed']),
    captures: z.object({ vendor: z.string().nullable(), requester: z.string() }).nullable(),
    reason: z.string().nullable(),
  }),
);

export const PAYMENT_SAGA_EVENTS = [
  PaymentSagaStarted,
  ReservationAdvanceRequested,
  RequesterPaymentMethodRecorded,
  RequesterPaymentMethodAwaited,
  PaymentStepRequested,
  PaymentStepSucceeded,
  PaymentStepFailed,
  PaymentDeadLettered,
  CompensationStarted,
  CommitSettled,
  PaymentActionRequired,
  ...SETTLEMENT_EVENTS,
] as const;

type EventOf<D> = D extends EventDefinition<infer T, infer S> ? DomainEvent<T, z.infer<S>> : never;
export type PaymentSagaEvent = EventOf<(typeof PAYMENT_SAGA_EVENTS)[number]>;
