import { sagaDecider } from '../../domain/payment/sagaDecider.ts';
import type { PaymentSagaState } from '../../domain/payment/sagaState.ts';
import { paymentStream } from '../../domain/shared/streams.ts';
import { loadStream } from '../shared/commandHandler.ts';
import { paymentStateOf } from '../shared/paymentStateBody.ts';
import type { WriteSide } from '../shared/writeSide.ts';

const LOOK_EVERY_MS = 50;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The requester's authorization has an answer: done, failed, or waiting for 3-D Secure. */
const answered = (saga: PaymentSagaState): boolean => {
  if (saga.status === 'NONE') return false;
  if (saga.actionRequired?.step === 'requester-auth') return true;
  const step = saga.steps['requester-auth'];
  return step !== undefined && step.status !== 'pending';
};

/** The saga is about to use the requester's method, or is using it (or has not seen the hold yet). */
const authorizing = (saga: PaymentSagaState): boolean =>
  saga.status === 'NONE' ||
  saga.awaitingPaymentMethod !== null ||
  saga.steps['requester-auth']?.status === 'pending';

/**
 * After the payment method is recorded, the saga (following the log) authorizes
 * with it. The answer waits for that, at most `waitMs` of wall time, so a card
 * that needs 3-D Secure hands the requester its next action (the client secret)
 * in the same response. Only when the saga is waiting for this method; the wait
 * is bounded by configuration, never by the caller. Past the bound the answer
 * shows the state as it is, and `GET /reservations/{id}` shows the rest.
 */
export const paymentStateAfterMethod = async (
  writeSide: WriteSide,
  reservationId: string,
  waitMs: number,
): Promise<ReturnType<typeof paymentStateOf>> => {
  const look = async () =>
    (await loadStream(writeSide, paymentStream(reservationId), sagaDecider)).state;
  let saga = await look();
  const deadline = Date.now() + waitMs;
  while (authorizing(saga) && !answered(saga) && Date.now() < deadline) {
    await pause(LOOK_EVERY_MS);
    saga = await look();
  }
  return paymentStateOf(saga);
};
