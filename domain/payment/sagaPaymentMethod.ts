import type { Money } from '../shared/money.ts';
import { requestStep } from './sagaCompensation.ts';
import { requestMoneyStep } from './sagaSettleChanges.ts';
import type { PaymentSagaEvent } from './sagaEvents.ts';
import type { RunningSaga } from './sagaState.ts';
import { evolvePaymentSaga } from './sagaState.ts';

/**
 * The requester's authorization needs two facts from the reservation: that
 * it awaits the requester (AuthorizationRequested, which the saga itself
 * asked for) and how the requester pays (PaymentMethodProvided, which only
 * the requester can give). They arrive in either order; the `requester-auth`
 * step is requested once, when both are known.
 */
export const onRequesterAuthorizationRequested = (
  saga: RunningSaga,
  amount: Money,
  now: string,
): PaymentSagaEvent[] => {
  if (saga.steps['requester-auth'] !== undefined || saga.awaitingPaymentMethod !== null) return [];
  // Nothing to authorize (a free booking): no payment method is needed and the gateway is not asked.
  if (amount.amount === 0) return requestMoneyStep(saga, 'requester-auth', 1, now, amount);
  if (saga.requesterPaymentMethod === null)
    return [
      {
        type: 'RequesterPaymentMethodAwaited',
        data: { reservationId: saga.reservationId, at: now, amount },
      },
    ];
  return [requestStep(saga, 'requester-auth', 1, now, amount)];
};

export const onPaymentMethodProvided = (
  saga: RunningSaga,
  paymentMethod: string,
  now: string,
): PaymentSagaEvent[] => {
  // Once the authorization runs, its method is settled (the reservation refuses another one too).
  if (saga.steps['requester-auth'] !== undefined) return [];
  if (saga.requesterPaymentMethod === paymentMethod) return [];
  const recorded: PaymentSagaEvent = {
    type: 'RequesterPaymentMethodRecorded',
    data: { reservationId: saga.reservationId, at: now, paymentMethod },
  };
  const amount = saga.awaitingPaymentMethod;
  if (amount === null) return [recorded];
  const next = evolvePaymentSaga(saga, recorded);
  if (next.status === 'NONE') return [recorded];
  return [recorded, requestStep(next, 'requester-auth', 1, now, amount)];
};
