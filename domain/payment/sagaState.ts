import type { Money } from '../shared/money.ts';
import { IllegalStateError } from '../shared/errors.ts';
import type { PaymentSagaEvent } from './sagaEvents.ts';
import type { PaymentStep } from './steps.ts';
import { evolveSettlement, initialSettlement, type SettlementState } from './settlementState.ts';

export type StepState =
  | {
      readonly status: 'pending';
      readonly attempt: number;
      readonly amount: Money | null;
      readonly target: string | null;
      /** The key this attempt runs under; a retry after no answer keeps it (the effect may have happened). */
      readonly idempotencyKey: string;
    }
  | {
      readonly status: 'succeeded';
      readonly attempt: number;
      readonly amount: Money | null;
      readonly providerId: string;
    }
  | {
      readonly status: 'failed';
      readonly attempt: number;
      readonly amount: Money | null;
      /** Kept from the request so a dead letter can be retried against the same provider object. */
      readonly target: string | null;
      readonly idempotencyKey: string | null;
      /** Whether the last failure was "no answer" (the effect may have happened under `idempotencyKey`). */
      readonly retryable: boolean;
      readonly reason: string;
    }
  | {
      readonly status: 'deadLettered';
      readonly attempt: number;
      readonly amount: Money | null;
      readonly target: string | null;
      readonly idempotencyKey: string | null;
      readonly retryable: boolean;
      readonly reason: string;
    };

export interface RunningSaga {
  readonly status: 'RUNNING' | 'SETTLED';
  readonly reservationId: string;
  readonly bookingReference: string;
  readonly vendorId: string;
  readonly slots: readonly string[];
  readonly confirmationPolicy: 'instant' | 'vendor';
  readonly vendorPayout: Money;
  readonly steps: Readonly<Partial<Record<PaymentStep, StepState>>>;
  /** The token the requester provided on the reservation (PaymentMethodProvided); null until then. */
  readonly requesterPaymentMethod: string | null;
  /** What the requester's authorization is for, while it waits for a payment method; null otherwise. */
  readonly awaitingPaymentMethod: Money | null;
  readonly compensations: readonly string[];
  readonly commit: 'open' | 'succeeded' | 'failed';
  /** The guest's money after the commit and what is due (settlement of changes). */
  readonly settlement: SettlementState;
  /** An authorization waiting for the requester's 3-D Secure; null otherwise. */
  readonly actionRequired: ActionRequired | null;
}

/** What the requester must do before their authorization holds money (PaymentActionRequired). */
export interface ActionRequired {
  readonly step: PaymentStep;
  readonly authorizationId: string;
  readonly nextAction: {
    readonly type: string;
    readonly clientSecret: string;
    readonly redirectUrl?: string | undefined;
  };
  readonly expiresAt: string;
}

export type PaymentSagaState = { readonly status: 'NONE' } | RunningSaga;

export const initialPaymentSagaState = (): PaymentSagaState => ({ status: 'NONE' });

const targetOf = (step: StepState | undefined): string | null =>
  step?.status === 'pending' || step?.status === 'failed' || step?.status === 'deadLettered'
    ? step.target
    : null;

const keyOf = (step: StepState | undefined): string | null =>
  step?.status === 'pending' || step?.status === 'failed' || step?.status === 'deadLettered'
    ? step.idempotencyKey
    : null;

const retryableOf = (step: StepState | undefined): boolean =>
  step?.status === 'failed' || step?.status === 'deadLettered' ? step.retryable : false;

/** A step's final answer ends any wait for the requester's authentication on it. */
const answered = (state: RunningSaga, step: PaymentStep): RunningSaga =>
  state.actionRequired?.step === step ? { ...state, actionRequired: null } : state;

const withStep = (state: RunningSaga, step: PaymentStep, next: StepState): RunningSaga => ({
  ...state,
  steps: { ...state.steps, [step]: next },
});

export const evolvePaymentSaga = (
  state: PaymentSagaState,
  event: PaymentSagaEvent,
): PaymentSagaState => {
  const next = evolveSteps(state, event);
  if (next.status === 'NONE' || state.status === 'NONE') return next;
  return {
    ...next,
    settlement: evolveSettlement(state.settlement, state.steps, state.reservationId, event),
  };
};

const evolveSteps = (state: PaymentSagaState, event: PaymentSagaEvent): PaymentSagaState => {
  if (event.type === 'PaymentSagaStarted') {
    const d = event.data;
    return {
      status: 'RUNNING',
      reservationId: d.reservationId,
      bookingReference: d.bookingReference,
      vendorId: d.vendorId,
      slots: d.slots,
      confirmationPolicy: d.confirmationPolicy,
      vendorPayout: d.vendorPayout,
      steps: {},
      requesterPaymentMethod: null,
      awaitingPaymentMethod: null,
      compensations: [],
      commit: 'open',
      settlement: initialSettlement(),
      actionRequired: null,
    };
  }
  if (state.status === 'NONE') {
    throw new IllegalStateError(
      `Event ${event.type} cannot start a payment saga; PaymentSagaStarted must come first.`,
    );
  }
  switch (event.type) {
    case 'ReservationAdvanceRequested':
      return state;
    case 'RequesterPaymentMethodRecorded':
      return { ...state, requesterPaymentMethod: event.data.paymentMethod };
    case 'RequesterPaymentMethodAwaited':
      return { ...state, awaitingPaymentMethod: event.data.amount };
    case 'PaymentStepRequested': {
      const d = event.data;
      const waited = d.step === 'requester-auth' ? { awaitingPaymentMethod: null } : {};
      return withStep({ ...state, ...waited }, d.step, {
        status: 'pending',
        attempt: d.attempt,
        amount: d.amount,
        target: d.target,
        idempotencyKey: d.idempotencyKey,
      });
    }
    case 'PaymentStepSucceeded': {
      const amount = state.steps[event.data.step]?.amount ?? null;
      return withStep(answered(state, event.data.step), event.data.step, {
        status: 'succeeded',
        attempt: event.data.attempt,
        amount,
        providerId: event.data.providerId,
      });
    }
    case 'PaymentStepFailed': {
      if (!event.data.final) return state;
      const current = state.steps[event.data.step];
      return withStep(answered(state, event.data.step), event.data.step, {
        status: 'failed',
        attempt: event.data.attempt,
        amount: current?.amount ?? null,
        target: targetOf(current),
        idempotencyKey: keyOf(current),
        retryable: event.data.retryable,
        reason: event.data.reason,
      });
    }
    case 'PaymentDeadLettered': {
      const current = state.steps[event.data.step];
      return withStep(answered(state, event.data.step), event.data.step, {
        status: 'deadLettered',
        attempt: event.data.attempts,
        amount: current?.amount ?? null,
        target: targetOf(current),
        idempotencyKey: keyOf(current),
        retryable: retryableOf(current),
        reason: event.data.reason,
      });
    }
    case 'CompensationStarted':
      return { ...state, compensations: [...state.compensations, event.data.row] };
    case 'CommitSettled':
      return { ...state, commit: event.data.outcome };
    case 'PaymentActionRequired': {
      const d = event.data;
      return {
        ...state,
        actionRequired: {
          step: d.step,
          authorizationId: d.authorizationId,
          nextAction: d.nextAction,
          expiresAt: d.expiresAt,
        },
      };
    }
    case 'SettlementDueChanged':
    case 'SettlementFlagged':
    case 'VendorDepositForfeited':
    case 'PaymentDisputeOpened':
    case 'PaymentDisputeClosed':
      return state;
    default: {
      const _never: never = event;
      return _never;
    }
  }
};
