import { NotFoundError, ValidationError } from '../shared/errors.ts';
import type { Money } from '../shared/money.ts';
import type { ReservationEvent } from '../reservation/events.ts';
import type { MatrixRowId } from './compensationMatrix.ts';
import { compensate, requestStep } from './sagaCompensation.ts';
import {
  retryDeadLetters,
  returnVendorDeposit,
  settleCompletion,
  settleRefund,
} from './sagaSettlement.ts';
import { onPaymentMethodProvided, onRequesterAuthorizationRequested } from './sagaPaymentMethod.ts';
import { onStepCompleted } from './sagaStepOutcome.ts';
import type { PaymentSagaEvent } from './sagaEvents.ts';
import type { PaymentSagaInput } from './sagaMessages.ts';
import type { PaymentSagaState } from './sagaState.ts';
import { evolvePaymentSaga } from './sagaState.ts';
import type { RetryPolicy } from './steps.ts';

export interface PaymentSagaOptions {
  readonly retry: RetryPolicy;
  /** Escrow: hours after completion before the payout transfer may run (DESIGN.md "dispute window"). */
  readonly disputeWindowHours: number;
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
    const running = evolvePaymentSaga(saga, started);
    if (running.status === 'NONE') return [];
    return d.resource.confirmationPolicy === 'vendor'
      ? [started, requestStep(running, 'vendor-notify', 1, now)]
      : [
          started,
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
        : [requestStep(saga, 'vendor-auth', 1, now, event.data.amount)];
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
    case 'CommitStarted': {
      const vendorAuth = saga.steps['vendor-auth'];
      const requesterAuth = saga.steps['requester-auth'];
      const out: PaymentSagaEvent[] = [];
      if (vendorAuth?.status === 'succeeded')
        out.push(
          requestStep(saga, 'vendor-capture', 1, now, vendorAuth.amount, vendorAuth.providerId),
        );
      if (requesterAuth?.status === 'succeeded')
        out.push(
          requestStep(
            saga,
            'requester-capture',
            1,
            now,
            requesterAuth.amount,
            requesterAuth.providerId,
          ),
        );
      return out;
    }
    case 'ReservationCancelled': {
      const afterCommit =
        event.data.previousStatus === 'CONFIRMED' || event.data.previousStatus === 'CHECKED_IN';
      return compensate(
        saga,
        afterCommit ? 'cancelled-after-commit' : 'expired-before-commit',
        `Cancelled by ${event.data.cancelledBy}: ${event.data.reason}`,
        now,
      );
    }
    case 'ReservationCompleted':
      return settleCompletion(saga, now, options);
    // The guest's refund (all but the no-show fee) arrives as RefundRequested; the vendor is not at fault.
    case 'ReservationMarkedNoShow':
      return returnVendorDeposit(saga, now);
    case 'VendorNotified':
    case 'ReservationCommitted':
    case 'CommitFailed':
    case 'ReservationCheckedIn':
    case 'ReservationModified':
    case 'ReservationExtended':
      return [];
    default: {
      const _never: never = event;
      return _never;
    }
  }
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
      return settleRefund(saga, input, options);
    case 'RetryDeadLetters':
      if (saga.status === 'NONE')
        throw new NotFoundError(
          `Reservation ${input.reservationId} has no payment saga; check the reservation id.`,
          { reservationId: input.reservationId },
          'PAYMENT_SAGA_NOT_FOUND',
        );
      return retryDeadLetters(saga, input.now);
    default: {
      const _never: never = input;
      return _never;
    }
  }
};
