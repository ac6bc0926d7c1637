import type { Money } from '../shared/money.ts';
import type { MatrixRowId } from './compensationMatrix.ts';
import { matrixRow } from './compensationMatrix.ts';
import type { PaymentSagaEvent } from './sagaEvents.ts';
import type { RunningSaga, StepState } from './sagaState.ts';
import type { PaymentStep } from './steps.ts';
import { idempotencyKey } from './steps.ts';

export const requestStep = (
  saga: RunningSaga,
  step: PaymentStep,
  attempt: number,
  at: string,
  amount: Money | null = null,
  target: string | null = null,
  notBefore: string = at,
  key: string = idempotencyKey(step, saga.reservationId, attempt),
): PaymentSagaEvent => ({
  type: 'PaymentStepRequested',
  data: {
    reservationId: saga.reservationId,
    at,
    step,
    attempt,
    idempotencyKey: key,
    amount,
    target,
    notBefore,
  },
});

const succeeded = (
  step: StepState | undefined,
): Extract<StepState, { status: 'succeeded' }> | null =>
  step?.status === 'succeeded' ? step : null;

/** The compensating request for `action`, or null when there is nothing to undo (no deposit, no capture, already done). */
const compensatingStep = (
  saga: RunningSaga,
  action: PaymentStep,
  at: string,
): PaymentSagaEvent | null => {
  if (saga.steps[action] !== undefined) return null;
  const s = saga.steps;
  switch (action) {
    case 'vendor-auth-cancel':
    case 'requester-auth-cancel': {
      const party = action === 'vendor-auth-cancel' ? 'vendor' : 'requester';
      const auth = succeeded(s[`${party}-auth`]);
      // Cancel before capture only: a captured authorization is refunded instead.
      if (auth === null || succeeded(s[`${party}-capture`]) !== null) return null;
      return requestStep(saga, action, 1, at, null, auth.providerId);
    }
    case 'vendor-refund':
    case 'requester-refund': {
      const capture = succeeded(
        s[action === 'vendor-refund' ? 'vendor-capture' : 'requester-capture'],
      );
      return capture === null
        ? null
        : requestStep(saga, action, 1, at, capture.amount, capture.providerId);
    }
    case 'release-hold':
      return requestStep(saga, action, 1, at);
    case 'vendor-notify':
    case 'vendor-auth':
    case 'requester-auth':
    case 'revalidate':
    case 'vendor-capture':
    case 'requester-capture':
    case 'payout':
    case 'settle-auth':
    case 'settle-capture':
    case 'settle-auth-cancel':
    case 'settle-refund':
      return null;
    default: {
      const _never: never = action;
      return _never;
    }
  }
};

/** Starts the compensation of one matrix row: the row's actions, skipping what does not apply. */
export const compensate = (
  saga: RunningSaga,
  row: MatrixRowId,
  reason: string,
  at: string,
): PaymentSagaEvent[] => {
  if (saga.compensations.includes(row)) return [];
  const requests = matrixRow(row)
    .actions.map((action) => compensatingStep(saga, action, at))
    .filter((e): e is PaymentSagaEvent => e !== null);
  return [
    { type: 'CompensationStarted', data: { reservationId: saga.reservationId, at, row, reason } },
    ...requests,
  ];
};

/** Once every capture that was requested has a final outcome: commit, or compensate per rows 7a/7b/7c. */
export const settleCommit = (saga: RunningSaga, at: string): PaymentSagaEvent[] => {
  if (saga.commit !== 'open') return [];
  const vendor = saga.steps['vendor-capture'];
  const requester = saga.steps['requester-capture'];
  const final = (step: StepState | undefined) =>
    step === undefined || step.status === 'succeeded' || step.status === 'failed';
  if (requester === undefined || !final(vendor) || !final(requester)) return [];
  const vendorOk = vendor === undefined || vendor.status === 'succeeded';
  const requesterOk = requester.status === 'succeeded';
  const reservationId = saga.reservationId;
  if (vendorOk && requesterOk) {
    const captures = {
      vendor: succeeded(vendor)?.providerId ?? null,
      requester: succeeded(requester)?.providerId ?? '',
    };
    return [
      {
        type: 'CommitSettled',
        data: { reservationId, at, outcome: 'succeeded', captures, reason: null },
      },
    ];
  }
  const row: MatrixRowId = !vendorOk && requesterOk ? '7a' : vendorOk && !requesterOk ? '7b' : '7c';
  const reason = `${matrixRow(row).failurePoint} (compensation row ${row}).`;
  return [
    ...compensate(saga, row, reason, at),
    {
      type: 'CommitSettled',
      data: { reservationId, at, outcome: 'failed', captures: null, reason },
    },
  ];
};
