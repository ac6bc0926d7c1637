import { ValidationError } from '../shared/errors.ts';
import type { Money } from '../shared/money.ts';
import { requestStep } from './sagaCompensation.ts';
import type { PaymentSagaOptions } from './sagaDecide.ts';
import type { PaymentSagaEvent } from './sagaEvents.ts';
import type { PaymentSagaInput } from './sagaMessages.ts';
import type { RunningSaga } from './sagaState.ts';
import { plus } from './sagaStepOutcome.ts';
import { idempotencyKey, type PaymentStep } from './steps.ts';

/**
 * Escrow settlement after the commit (seed 000 "Escrow_Management"): what is
 * paid out, refunded or given back once a booking ends, and the operator's
 * retry of dead letters.
 */

const capturedBy = (saga: RunningSaga, step: 'vendor-capture' | 'requester-capture') => {
  const s = saga.steps[step];
  return s?.status === 'succeeded' && s.amount !== null ? s : null;
};

/** The payout transfer, run only once the dispute window after `now` has passed. */
const payout = (
  saga: RunningSaga,
  amount: Money,
  now: string,
  options: PaymentSagaOptions,
): PaymentSagaEvent[] =>
  saga.steps.payout !== undefined || amount.amount <= 0
    ? []
    : [
        requestStep(
          saga,
          'payout',
          1,
          now,
          amount,
          null,
          plus(now, options.disputeWindowHours * 3_600_000),
        ),
      ];

/**
 * The vendor's deposit guaranteed the booking (seed 004 step 4); once the
 * booking ended without fault on the vendor's side it goes back to the vendor.
 */
export const returnVendorDeposit = (saga: RunningSaga, now: string): PaymentSagaEvent[] => {
  const capture = capturedBy(saga, 'vendor-capture');
  if (capture === null || saga.steps['vendor-refund'] !== undefined) return [];
  return [requestStep(saga, 'vendor-refund', 1, now, capture.amount, capture.providerId)];
};

/** Completion: the vendor's share leaves escrow after the dispute window, the deposit goes back. */
export const settleCompletion = (
  saga: RunningSaga,
  now: string,
  options: PaymentSagaOptions,
): PaymentSagaEvent[] => [
  // A refund already settled the escrow (its payout, if any, was the vendor's share of the rest).
  ...(saga.steps['requester-refund'] === undefined
    ? payout(saga, saga.vendorPayout, now, options)
    : []),
  ...returnVendorDeposit(saga, now),
];

/** The vendor's part of what the guest does not get back, in the quote's proportion (rounded down: the platform keeps the remainder). */
const vendorShareOf = (saga: RunningSaga, kept: number, captured: Money): Money => ({
  amount:
    captured.amount === 0
      ? 0
      : Number((BigInt(kept) * BigInt(saga.vendorPayout.amount)) / BigInt(captured.amount)),
  currency: captured.currency,
});

/** A cancellation's or no-show's refund (capped at the capture) and the payout of the vendor's share of the rest. */
export const settleRefund = (
  saga: RunningSaga,
  input: Extract<PaymentSagaInput, { type: 'RefundRequested' }>,
  options: PaymentSagaOptions,
): PaymentSagaEvent[] => {
  const capture = capturedBy(saga, 'requester-capture');
  if (capture === null || capture.amount === null) {
    throw new ValidationError(
      `Reservation ${input.reservationId} has no captured payment to refund.`,
      {},
      'NOTHING_TO_REFUND',
    );
  }
  if (saga.steps['requester-refund'] !== undefined) return [];
  // Refunds come out of escrow; once the payout was decided the escrow is spoken for.
  if (saga.steps.payout !== undefined) {
    throw new ValidationError(
      `Reservation ${input.reservationId} was settled (the payout is under way); a refund now must be arranged outside the saga.`,
      {},
      'ESCROW_RELEASED',
    );
  }
  if (input.amount.amount < 0) {
    throw new ValidationError(
      `A refund cannot be negative (got ${input.amount.amount} ${input.amount.currency}).`,
    );
  }
  const captured = capture.amount;
  const refund = Math.min(input.amount.amount, captured.amount);
  const kept = captured.amount - refund;
  return [
    ...(refund > 0
      ? [
          requestStep(
            saga,
            'requester-refund',
            1,
            input.now,
            { amount: refund, currency: captured.currency },
            capture.providerId,
          ),
        ]
      : []),
    ...payout(saga, vendorShareOf(saga, kept, captured), input.now, options),
  ];
};

/** Every dead-lettered step again, at the next attempt. */
export const retryDeadLetters = (saga: RunningSaga, now: string): PaymentSagaEvent[] => {
  const dead = (Object.entries(saga.steps) as [PaymentStep, RunningSaga['steps'][PaymentStep]][])
    .flatMap(([step, state]) => (state?.status === 'deadLettered' ? [{ step, state }] : []))
    .sort((a, b) => (a.step < b.step ? -1 : 1));
  if (dead.length === 0) {
    throw new ValidationError(
      `Reservation ${saga.reservationId} has no dead-lettered payment step to retry.`,
      {},
      'NOTHING_TO_RETRY',
    );
  }
  return dead.map(({ step, state }) =>
    requestStep(
      saga,
      step,
      state.attempt + 1,
      now,
      state.amount,
      state.target,
      now,
      // After "no answer" the effect may exist under the old key: replay it.
      // After a refusal the provider replays the refusal, so only a new key helps.
      state.retryable && state.idempotencyKey !== null
        ? state.idempotencyKey
        : idempotencyKey(step, saga.reservationId, state.attempt + 1),
    ),
  );
};
