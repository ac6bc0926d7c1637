import { NotFoundError, ValidationError } from '../shared/errors.ts';
import type { Money } from '../shared/money.ts';
import type { ReservationEvent } from '../reservation/events.ts';
import type { MatrixRowId } from './compensationMatrix.ts';
import { compensate, requestStep, settleCommit } from './sagaCompensation.ts';
import {
  retryDeadLetters,
  returnVendorDeposit,
  settleCompletion,
  settleRefund,
} from './sagaSettlement.ts';
import { onPaymentMethodProvided, onRequesterAuthorizationRequested } from './sagaPaymentMethod.ts';
import { onStepCompleted } from './sagaStepOutcome.ts';
import { onActionRequired } from './sagaActionRequired.ts';
import { onDisputeUpdated } from './sagaDispute.ts';
import {
  currentOwed,
  onCompleted,
  onPriceChanged,
  onRefundRequested,
  requestMoneyStep,
  retryFlaggedSettlement,
} from './sagaSettleChanges.ts';
import type { PaymentSagaEvent } from './sagaEvents.ts';
import type { PaymentSagaInput } from './sagaMessages.ts';
import type { PaymentSagaState, RunningSaga } from './sagaState.ts';
import { evolvePaymentSaga } from './sagaState.ts';
import type { RetryPolicy } from './steps.ts';

export interface PaymentSagaOptions {
  readonly retry: RetryPolicy;
  /** Escrow: hours after completion before the payout transfer may run (DESIGN.md "dispute window"). */
  readonly disputeWindowHours: number;
  /** How long the requester has to complete 3-D Secure, seconds (default 600; PAYMENT_SCA_TIMEOUT_SECONDS). */
  readonly scaTimeoutSeconds?: number;
  /** How often the saga looks at an authorization waiting for 3-D Secure, seconds (default 15; PAYMENT_SCA_POLL_SECONDS). */
  readonly scaPollSeconds?: number;
}

/** Vendor payout: what the guest pays minus the platform's fees and the VAT on them. */
const vendorPayout = (
  event: Extract<ReservationEvent, { type: 'ReservationRequested' }>,
): Money => {
  const q = event.data.quote;
  const platformIds = new Set(
    q.lines.filter((l) => l.component === 'platformFee').map((l) => l.id),
  );
  const platform = q.lines
    .filter(
      (l) => platformIds.has(l.id) || (l.appliesTo !== undefined && platformIds.has(l.appliesTo)),
    )
    .reduce((total, l) => total + l.amount.amount, 0);
  return { amount: q.total.amount - platform, currency: q.currency };
};

const onReservationEvent = (
  saga: PaymentSagaState,
  event: ReservationEvent,
  now: string,
  options: PaymentSagaOptions,
): PaymentSagaEvent[] => {
  if (event.type === 'ReservationRequested') {
    if (saga.status !== 'NONE') return [];
    const d = event.data;
    const started: PaymentSagaEvent = {
      type: 'PaymentSagaStarted',
      data: {
        reservationId: d.reservationId,
        at: now,
        bookingReference: d.bookingReference,
        vendorId: d.resource.vendorId,
        slots: d.slots,
        confirmationPolicy: d.resource.confirmationPolicy,
        vendorPayout: vendorPayout(event),
      },
    };
    const due: PaymentSagaEvent = {
      type: 'SettlementDueChanged',
      data: {
        reservationId: d.reservationId,
        at: now,
        owed: d.quote.total,
        due: d.quote.total,
        cause: 'requested',
        ended: null,
      },
    };
    const running = evolvePaymentSaga(evolvePaymentSaga(saga, started), due);
    if (running.status === 'NONE') return [];
    return d.resource.confirmationPolicy === 'vendor'
      ? [started, due, requestStep(running, 'vendor-notify', 1, now)]
      : [
          started,
          due,
          {
            type: 'ReservationAdvanceRequested',
            data: { reservationId: d.reservationId, at: now, command: 'RequestAuthorization' },
          },
        ];
  }
  // Row 1-2: no ReservationRequested, no saga, nothing to compensate.
  if (saga.status === 'NONE') return [];
  const advance = (command: 'RequestAuthorization' | 'BeginCommit'): PaymentSagaEvent[] => [
    {
      type: 'ReservationAdvanceRequested',
      data: { reservationId: saga.reservationId, at: now, command },
    },
  ];
  const failed = (row: MatrixRowId) =>
    compensate(saga, row, `Reservation event ${event.type}.`, now);
  switch (event.type) {
    // Rows of seed 004's matrix, keyed by the reservation's failure events (VendorDeclined is row 3's explicit form).
    case 'VendorConfirmationTimedOut':
    case 'VendorDeclined':
      return failed('3');
    case 'VendorAuthorizationFailed':
      return failed('4');
    case 'RequesterAuthorizationFailed':
      return failed('5');
    case 'AvailabilityRevalidationFailed':
      return failed('6');
    case 'ReservationExpired':
      return failed('expired-before-commit');
    case 'VendorConfirmed':
    case 'VendorAuthorized':
      return advance('RequestAuthorization');
    case 'AuthorizationRequested':
      if (event.data.party === 'requester')
        return onRequesterAuthorizationRequested(saga, event.data.amount, now);
      return saga.steps['vendor-auth']
        ? []
        : requestMoneyStep(saga, 'vendor-auth', 1, now, event.data.amount);
    case 'PaymentMethodProvided':
      return onPaymentMethodProvided(saga, event.data.paymentMethod, now);
    case 'RequesterAuthorized':
      return saga.steps.revalidate ? [] : [requestStep(saga, 'revalidate', 1, now)];
    case 'AvailabilityRevalidated': {
      if (event.data.status !== 'AUTHORIZED_BOTH') return [];
      const pending = saga.steps.revalidate;
      const done: PaymentSagaEvent[] =
        pending?.status === 'pending'
          ? [
              {
                type: 'PaymentStepSucceeded',
                data: {
                  reservationId: saga.reservationId,
                  at: now,
                  step: 'revalidate',
                  attempt: pending.attempt,
                  providerId: 'availability',
                },
              },
            ]
          : [];
      return [...done, ...advance('BeginCommit')];
    }
    case 'CommitStarted':
      return onCommitStarted(saga, now);
    case 'ReservationCancelled': {
      const afterCommit =
        event.data.previousStatus === 'CONFIRMED' || event.data.previousStatus === 'CHECKED_IN';
      const row: MatrixRowId = !afterCommit
        ? 'expired-before-commit'
        : event.data.cancelledBy === 'vendor'
          ? 'cancelled-by-vendor-after-commit'
          : 'cancelled-after-commit';
      return compensate(
        saga,
        row,
        `Cancelled by ${event.data.cancelledBy}: ${event.data.reason}`,
        now,
      );
    }
    case 'ReservationCompleted':
      return saga.settlement.due === null
        ? settleCompletion(saga, now, options)
        : onCompleted(saga, now, options);
    // The guest's refund (all but the no-show fee) arrives as RefundRequested; the vendor is not at fault.
    case 'ReservationMarkedNoShow':
      return saga.settlement.due === null ? returnVendorDeposit(saga, now) : [];
    case 'ReservationModified':
      return onPriceChanged(saga, event.data.quote.total, 'modified', now, options);
    case 'ReservationExtended': {
      const owed = currentOwed(saga);
      if (owed === null) return [];
      const total = {
        amount: owed.amount + event.data.additionalQuote.total.amount,
        currency: owed.currency,
      };
      return onPriceChanged(saga, total, 'extended', now, options);
    }
    case 'VendorNotified':
    case 'ReservationCommitted':
    case 'CommitFailed':
    case 'ReservationCheckedIn':
      return [];
    default: {
      const _never: never = event;
      return _never;
    }
  }
};

const hasDeadLetters = (saga: RunningSaga): boolean =>
  Object.values(saga.steps).some((step) => step?.status === 'deadLettered');

/**
 * The commit captures what is due now, not what was authorized: a smaller
 * price is captured partially, a larger one in full and the rest is settled
 * after the commit; a zero amount is not sent to the gateway.
 */
const onCommitStarted = (saga: RunningSaga, now: string): PaymentSagaEvent[] => {
  const vendorAuth = saga.steps['vendor-auth'];
  const requesterAuth = saga.steps['requester-auth'];
  const out: PaymentSagaEvent[] = [];
  if (vendorAuth?.status === 'succeeded' && saga.steps['vendor-capture'] === undefined)
    out.push(
      ...requestMoneyStep(saga, 'vendor-capture', 1, now, vendorAuth.amount, vendorAuth.providerId),
    );
  if (requesterAuth?.status === 'succeeded' && saga.steps['requester-capture'] === undefined) {
    const authorized = requesterAuth.amount;
    const due = saga.settlement.due;
    const amount =
      authorized !== null && due !== null && due.amount < authorized.amount ? due : authorized;
    out.push(
      ...requestMoneyStep(saga, 'requester-capture', 1, now, amount, requesterAuth.providerId),
    );
  }
  const after = out.reduce<PaymentSagaState>(evolvePaymentSaga, saga);
  return after.status === 'NONE' ? out : [...out, ...settleCommit(after, now)];
};

export const decidePaymentSaga = (
  input: PaymentSagaInput,
  saga: PaymentSagaState,
  options: PaymentSagaOptions,
): PaymentSagaEvent[] => {
  switch (input.type) {
    case 'ReservationEventObserved':
      return onReservationEvent(saga, input.event, input.now, options);
    case 'StepCompleted':
      return saga.status === 'NONE' ? [] : onStepCompleted(saga, input, options);
    case 'RefundRequested':
      if (saga.status === 'NONE')
        throw new ValidationError(
          `Reservation ${input.reservationId} has no captured payment to refund.`,
          {},
          'NOTHING_TO_REFUND',
        );
      return saga.settlement.due === null || saga.settlement.owed === null
        ? settleRefund(saga, input, options)
        : onRefundRequested(saga, input, options);
    case 'DisputeUpdated':
      return saga.status === 'NONE' ? [] : onDisputeUpdated(saga, input);
    case 'ActionRequired':
      return saga.status === 'NONE' ? [] : onActionRequired(saga, input, options);
    case 'RetryDeadLetters':
      if (saga.status === 'NONE')
        throw new NotFoundError(
          `Reservation ${input.reservationId} has no payment saga; check the reservation id.`,
          { reservationId: input.reservationId },
          'PAYMENT_SAGA_NOT_FOUND',
        );
      if (saga.settlement.flagged !== null && !hasDeadLetters(saga))
        return retryFlaggedSettlement(saga, input.now, options);
      return retryDeadLetters(saga, input.now);
    default: {
      const _never: never = input;
      return _never;
    }
  }
};
