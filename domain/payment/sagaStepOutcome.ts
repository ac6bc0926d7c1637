import type { PaymentSagaOptions } from './sagaDecide.ts';
import { DateTime } from 'luxon';
import { compensate, requestStep, settleCommit } from './sagaCompensation.ts';
import type { PaymentSagaEvent } from './sagaEvents.ts';
import type { PaymentSagaInput } from './sagaMessages.ts';
import type { RunningSaga } from './sagaState.ts';
import { evolvePaymentSaga } from './sagaState.ts';
import { canRetry, isSettleStep, retryDelayMs } from './steps.ts';
import { onSettleStepCompleted, settleNext } from './sagaSettleChanges.ts';

export const plus = (iso: string, ms: number): string =>
  DateTime.fromISO(iso, { setZone: true }).plus({ milliseconds: ms }).toUTC().toISO() ?? iso;

const fold = (saga: RunningSaga, events: readonly PaymentSagaEvent[]): RunningSaga => {
  const next = events.reduce(evolvePaymentSaga, saga);
  return next.status === 'NONE' ? saga : next;
};

/** A gateway (or notifier, or revalidation) answer: record it, retry with backoff, give up, or settle the commit. */
export const onStepCompleted = (
  saga: RunningSaga,
  input: Extract<PaymentSagaInput, { type: 'StepCompleted' }>,
  options: PaymentSagaOptions,
): PaymentSagaEvent[] => {
  const { step, attempt, outcome, now } = input;
  if (isSettleStep(step)) return onSettleStepCompleted(saga, input, step, options);
  const current = saga.steps[step];
  // Duplicates and answers to superseded attempts change nothing.
  if (current?.status !== 'pending' || current.attempt !== attempt) return [];
  const base = { reservationId: saga.reservationId, at: now, step, attempt };
  let events: PaymentSagaEvent[];
  if (outcome.kind === 'succeeded') {
    events = [{ type: 'PaymentStepSucceeded', data: { ...base, providerId: outcome.providerId } }];
    if (step === 'vendor-notify')
      events.push({
        type: 'ReservationAdvanceRequested',
        data: { reservationId: saga.reservationId, at: now, command: 'NotifyVendor' },
      });
    // An authorization that arrives after the compensation started (a retry
    // that was still in flight) must be released too, or it would hold the
    // payer's money until the provider lets it lapse.
    // (Row 2-3 is a retried notification, not a failure.)
    const failed = saga.compensations.some((row) => row !== '2-3');
    if ((step === 'vendor-auth' || step === 'requester-auth') && failed) {
      const cancel = step === 'vendor-auth' ? 'vendor-auth-cancel' : 'requester-auth-cancel';
      if (saga.steps[cancel] === undefined)
        events.push(requestStep(saga, cancel, 1, now, null, outcome.providerId));
    }
  } else if (canRetry(attempt, outcome.retryable, options.retry)) {
    const retry = requestStep(
      saga,
      step,
      attempt + 1,
      now,
      current.amount,
      current.target,
      plus(now, retryDelayMs(attempt, input.jitter, options.retry)),
      // No answer is not a "no": the provider may have done it, so the retry
      // reuses the key and the provider replays instead of acting twice.
      current.idempotencyKey,
    );
    events = [
      {
        type: 'PaymentStepFailed',
        data: { ...base, reason: outcome.reason, retryable: true, final: false },
      },
    ];
    // Row 2-3 of the matrix: a failed vendor notification is retried.
    if (step === 'vendor-notify') events.push(...compensate(saga, '2-3', outcome.reason, now));
    events.push(retry);
  } else {
    events = [
      {
        type: 'PaymentStepFailed',
        data: { ...base, reason: outcome.reason, retryable: outcome.retryable, final: true },
      },
    ];
    const businessFailure =
      step === 'vendor-auth' ||
      step === 'requester-auth' ||
      step === 'vendor-capture' ||
      step === 'requester-capture';
    if (!businessFailure)
      events.push({
        type: 'PaymentDeadLettered',
        data: {
          reservationId: saga.reservationId,
          at: now,
          step,
          attempts: attempt,
          reason: outcome.reason,
        },
      });
  }
  if (step === 'vendor-capture' || step === 'requester-capture') {
    events.push(...settleCommit(fold(saga, events), now));
    // The price may have changed since the authorization: settle the difference at once.
    events.push(...settleNext(fold(saga, events), now, options));
  }
  return events;
};
