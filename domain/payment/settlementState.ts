import type { Money } from '../shared/money.ts';
import type { PaymentSagaEvent } from './sagaEvents.ts';
import type { StepState } from './sagaState.ts';
import { idempotencyKey, isSettleStep, type PaymentStep, type SettleStep } from './steps.ts';

/** One of the guest's authorizations (PaymentIntents) and what became of it, in minor units. */
export interface Charge {
  readonly authorizationId: string;
  readonly authorized: number;
  readonly captured: number;
  readonly refunded: number;
  /** Released without a capture (a settle-auth the change no longer needed, or whose capture failed). */
  readonly released: boolean;
}

export type SettlementEnd = 'completed' | 'cancelled' | 'cancelled-by-vendor' | 'no-show';

/** A cardholder's dispute of one of the guest's charges (minor units). */
export interface Dispute {
  readonly disputeId: string;
  readonly authorizationId: string;
  readonly amount: number;
  readonly status: 'open' | 'won' | 'lost';
}

/** The saga's view of the guest's money after the commit: what is due, and every charge. */
export interface SettlementState {
  /** The price as the reservation last quoted it; null for sagas started before it was recorded. */
  readonly owed: Money | null;
  /** What the guest should have paid net of refunds; null as `owed`. */
  readonly due: Money | null;
  /** The first price, whose split (vendor share vs. platform) the payout follows. */
  readonly priceBasis: number | null;
  readonly ended: SettlementEnd | null;
  readonly charges: readonly Charge[];
  readonly flagged: { readonly reason: string; readonly shortfall: Money } | null;
  /** The attempt each settle step's current operation started at (its retry budget counts from there). */
  readonly firstAttempt: Readonly<Partial<Record<SettleStep, number>>>;
  readonly depositForfeited: boolean;
  readonly disputes: readonly Dispute[];
}

export const initialSettlement = (): SettlementState => ({
  owed: null,
  due: null,
  priceBasis: null,
  ended: null,
  charges: [],
  flagged: null,
  firstAttempt: {},
  depositForfeited: false,
  disputes: [],
});

/** Whether a dispute is open: the vendor's payout waits for it. */
export const hasOpenDispute = (s: SettlementState): boolean =>
  s.disputes.some((d) => d.status === 'open');

/** What lost disputes took back from the guest's payments. */
export const lostToDisputes = (s: SettlementState): number =>
  s.disputes.reduce((sum, d) => sum + (d.status === 'lost' ? d.amount : 0), 0);

/** What the guest has paid and not been refunded, over every charge. */
export const netPaid = (s: SettlementState): number =>
  s.charges.reduce((sum, c) => sum + c.captured - c.refunded, 0);

const onCharge = (
  s: SettlementState,
  authorizationId: string | null,
  change: (c: Charge) => Charge,
): SettlementState => ({
  ...s,
  charges: s.charges.map((c) => (c.authorizationId === authorizationId ? change(c) : c)),
});

const pendingOf = (step: StepState | undefined) => (step?.status === 'pending' ? step : null);

/**
 * Folds one saga event into the settlement view. `steps` is the saga's step
 * map BEFORE the event (a success needs the request's target and amount).
 */
export const evolveSettlement = (
  s: SettlementState,
  steps: Readonly<Partial<Record<PaymentStep, StepState>>>,
  reservationId: string,
  event: PaymentSagaEvent,
): SettlementState => {
  switch (event.type) {
    case 'SettlementDueChanged':
      return {
        ...s,
        owed: event.data.owed,
        due: event.data.due,
        priceBasis: s.priceBasis ?? event.data.owed.amount,
        ended: event.data.ended,
        // A new change or an operator's retry tries the collection again; an ending keeps the flag visible.
        flagged: event.data.ended === null ? null : s.flagged,
      };
    case 'SettlementFlagged':
      return { ...s, flagged: { reason: event.data.reason, shortfall: event.data.shortfall } };
    case 'VendorDepositForfeited':
      return { ...s, depositForfeited: true };
    case 'PaymentDisputeOpened': {
      const d = event.data;
      if (s.disputes.some((x) => x.disputeId === d.disputeId)) return s;
      return {
        ...s,
        disputes: [
          ...s.disputes,
          {
            disputeId: d.disputeId,
            authorizationId: d.authorizationId,
            amount: d.amount.amount,
            status: 'open',
          },
        ],
      };
    }
    case 'PaymentDisputeClosed':
      return {
        ...s,
        disputes: s.disputes.map((x) =>
          x.disputeId === event.data.disputeId ? { ...x, status: event.data.outcome } : x,
        ),
      };
    case 'PaymentStepRequested': {
      const { step, attempt } = event.data;
      if (
        !isSettleStep(step) ||
        event.data.idempotencyKey !== idempotencyKey(step, reservationId, attempt)
      )
        return s;
      return { ...s, firstAttempt: { ...s.firstAttempt, [step]: attempt } };
    }
    case 'PaymentStepSucceeded':
      return onSucceeded(s, steps, event.data.step, event.data.attempt, event.data.providerId);
    case 'PaymentSagaStarted':
    case 'ReservationAdvanceRequested':
    case 'RequesterPaymentMethodRecorded':
    case 'RequesterPaymentMethodAwaited':
    case 'PaymentStepFailed':
    case 'PaymentDeadLettered':
    case 'CompensationStarted':
    case 'CommitSettled':
    case 'PaymentActionRequired':
      return s;
    default: {
      const _never: never = event;
      return _never;
    }
  }
};

const onSucceeded = (
  s: SettlementState,
  steps: Readonly<Partial<Record<PaymentStep, StepState>>>,
  step: PaymentStep,
  attempt: number,
  providerId: string,
): SettlementState => {
  const request = pendingOf(steps[step]);
  if (request === null || request.attempt !== attempt) return s;
  const amount = request.amount?.amount ?? 0;
  switch (step) {
    case 'requester-capture': {
      const auth = steps['requester-auth'];
      const authorizationId = auth?.status === 'succeeded' ? auth.providerId : request.target;
      return {
        ...s,
        priceBasis: s.priceBasis ?? auth?.amount?.amount ?? amount,
        charges: [
          ...s.charges,
          {
            authorizationId: authorizationId ?? providerId,
            authorized: auth?.amount?.amount ?? amount,
            captured: amount,
            refunded: 0,
            released: false,
          },
        ],
      };
    }
    case 'requester-refund': {
      const auth = steps['requester-auth'];
      const id = auth?.status === 'succeeded' ? auth.providerId : null;
      return onCharge(s, id, (c) => ({ ...c, refunded: c.refunded + amount }));
    }
    case 'settle-auth':
      return {
        ...s,
        charges: [
          ...s.charges,
          {
            authorizationId: providerId,
            authorized: amount,
            captured: 0,
            refunded: 0,
            released: false,
          },
        ],
      };
    case 'settle-capture':
      return onCharge(s, request.target, (c) => ({ ...c, captured: c.captured + amount }));
    case 'settle-auth-cancel':
      return onCharge(s, request.target, (c) => ({ ...c, released: true }));
    case 'settle-refund':
      return onCharge(s, request.target, (c) => ({ ...c, refunded: c.refunded + amount }));
    case 'vendor-notify':
    case 'vendor-auth':
    case 'requester-auth':
    case 'revalidate':
    case 'vendor-capture':
    case 'vendor-auth-cancel':
    case 'requester-auth-cancel':
    case 'vendor-refund':
    case 'release-hold':
    case 'payout':
      return s;
    default: {
      const _never: never = step;
      return _never;
    }
  }
};
