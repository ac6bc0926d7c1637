import { IllegalStateError } from '../shared/errors.ts';
import type { GatewayCommand, SagaCommand } from './sagaMessages.ts';
import type { PaymentSagaEvent } from './sagaEvents.ts';
import type { RunningSaga } from './sagaState.ts';

type Requested = Extract<PaymentSagaEvent, { type: 'PaymentStepRequested' }>['data'];

const need = <T>(value: T | null, what: string, d: Requested): T => {
  if (value === null)
    throw new IllegalStateError(
      `Step ${d.step} of reservation ${d.reservationId} needs ${what}, but the request carries none.`,
    );
  return value;
};

const gatewayCommand = (d: Requested, saga: RunningSaga): GatewayCommand => {
  const o = {
    reservationId: d.reservationId,
    idempotencyKey: d.idempotencyKey,
    notBefore: d.notBefore,
  };
  switch (d.step) {
    case 'vendor-notify':
      return { ...o, type: 'NotifyVendorOfRequest', vendorId: saga.vendorId };
    case 'vendor-auth':
      return { ...o, type: 'AuthorizeVendorDeposit', amount: need(d.amount, 'an amount', d) };
    case 'requester-auth':
      return {
        ...o,
        type: 'AuthorizeRequester',
        amount: need(d.amount, 'an amount', d),
        // Fixed before the step was requested: neither the saga nor the reservation accepts another one after.
        paymentMethod: need(
          saga.requesterPaymentMethod,
          'the payment method the requester provided',
          d,
        ),
      };
    case 'revalidate':
      return { ...o, type: 'RevalidateAvailability', slots: saga.slots };
    case 'vendor-capture':
    case 'requester-capture':
      return {
        ...o,
        type: 'Capture',
        party: d.step === 'vendor-capture' ? 'vendor' : 'requester',
        authorizationId: need(d.target, 'an authorization', d),
        amount: need(d.amount, 'an amount', d),
      };
    case 'vendor-auth-cancel':
    case 'requester-auth-cancel':
      return {
        ...o,
        type: 'CancelAuthorization',
        party: d.step === 'vendor-auth-cancel' ? 'vendor' : 'requester',
        authorizationId: need(d.target, 'an authorization', d),
      };
    case 'vendor-refund':
    case 'requester-refund':
      return {
        ...o,
        type: 'Refund',
        party: d.step === 'vendor-refund' ? 'vendor' : 'requester',
        captureId: need(d.target, 'a capture', d),
        amount: need(d.amount, 'an amount', d),
      };
    case 'release-hold':
      return { ...o, type: 'ReleaseHolds', slots: saga.slots };
    case 'settle-auth':
      return {
        ...o,
        type: 'AuthorizeRequester',
        amount: need(d.amount, 'an amount', d),
        paymentMethod: need(
          saga.requesterPaymentMethod,
          'the payment method the requester provided',
          d,
        ),
      };
    case 'settle-capture':
      return {
        ...o,
        type: 'Capture',
        party: 'requester',
        authorizationId: need(d.target, 'an authorization', d),
        amount: need(d.amount, 'an amount', d),
      };
    case 'settle-auth-cancel':
      return {
        ...o,
        type: 'CancelAuthorization',
        party: 'requester',
        authorizationId: need(d.target, 'an authorization', d),
      };
    case 'settle-refund': {
      const authorizationId = need(d.target, 'an authorization', d);
      return {
        ...o,
        type: 'Refund',
        party: 'requester',
        captureId: authorizationId,
        authorizationId,
        amount: need(d.amount, 'an amount', d),
      };
    }
    case 'payout':
      return {
        ...o,
        type: 'Transfer',
        vendorId: saga.vendorId,
        amount: need(d.amount, 'an amount', d),
        transferGroup: saga.bookingReference,
      };
    default: {
      const _never: never = d.step;
      return _never;
    }
  }
};

/**
 * The outbound commands one saga event stands for, given the saga state after
 * it. Pure: replaying the stream re-derives the same commands with the same
 * idempotency keys, which is what makes a restart safe.
 */
export const commandsFor = (event: PaymentSagaEvent, saga: RunningSaga): SagaCommand[] => {
  const reservationId = saga.reservationId;
  switch (event.type) {
    case 'PaymentStepRequested':
      // A zero amount is never sent: the saga records its success with the request.
      if (event.data.amount?.amount === 0) return [];
      return [
        {
          kind: 'gateway',
          step: event.data.step,
          attempt: event.data.attempt,
          command: gatewayCommand(event.data, saga),
        },
      ];
    case 'ReservationAdvanceRequested':
      return [
        {
          kind: 'reservation',
          command: { type: event.data.command, reservationId, now: event.data.at },
        },
      ];
    case 'PaymentStepSucceeded': {
      const { step, providerId, at } = event.data;
      const amount = saga.steps[step]?.amount;
      if ((step !== 'vendor-auth' && step !== 'requester-auth') || !amount) return [];
      const type =
        step === 'vendor-auth' ? 'RecordVendorAuthorization' : 'RecordRequesterAuthorization';
      return [
        {
          kind: 'reservation',
          command: {
            type,
            reservationId,
            now: at,
            authorization: { authorizationId: providerId, amount },
          },
        },
      ];
    }
    case 'PaymentStepFailed': {
      const { step, final, reason, at } = event.data;
      if (!final || (step !== 'vendor-auth' && step !== 'requester-auth')) return [];
      const type =
        step === 'vendor-auth'
          ? 'RecordVendorAuthorizationFailure'
          : 'RecordRequesterAuthorizationFailure';
      return [{ kind: 'reservation', command: { type, reservationId, now: at, reason } }];
    }
    case 'CommitSettled': {
      const { outcome, captures, reason, at } = event.data;
      return outcome === 'succeeded' && captures
        ? [
            {
              kind: 'reservation',
              command: { type: 'RecordCommitSuccess', reservationId, now: at, captures },
            },
          ]
        : [
            {
              kind: 'reservation',
              command: {
                type: 'RecordCommitFailure',
                reservationId,
                now: at,
                reason: reason ?? 'The commit failed.',
              },
            },
          ];
    }
    case 'PaymentSagaStarted':
    case 'RequesterPaymentMethodRecorded':
    case 'RequesterPaymentMethodAwaited':
    case 'PaymentDeadLettered':
    case 'CompensationStarted':
    case 'SettlementDueChanged':
    case 'SettlementFlagged':
    case 'VendorDepositForfeited':
    case 'PaymentActionRequired':
    case 'PaymentDisputeOpened':
    case 'PaymentDisputeClosed':
      return [];
    default: {
      const _never: never = event;
      return _never;
    }
  }
};
