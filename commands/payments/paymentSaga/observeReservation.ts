import { cancellationRefund, noShowRefund } from '../../../domain/payment/settlementPolicy.ts';
import { netPaid } from '../../../domain/payment/settlementState.ts';
import type { ReservationEvent } from '../../../domain/reservation/events.ts';
import { DomainError } from '../../../domain/shared/errors.ts';
import type { Money } from '../../../domain/shared/money.ts';
import { loadReservationState } from './reservationCommands.ts';
import type { PaymentSagaDeps } from './sagaDeps.ts';
import { decideSaga, loadRunningSaga } from './sagaStream.ts';
import { loadResourceConfig } from './slotWork.ts';

/**
 * What the guest gets back after a cancellation or no-show, and out of what:
 * the policy in force at booking (recorded on the reservation; the resource's
 * current one only for reservations recorded before that) applied to what the
 * guest has paid net of refunds.
 */
const refundDue = async (
  deps: PaymentSagaDeps,
  event: Extract<ReservationEvent, { type: 'ReservationCancelled' | 'ReservationMarkedNoShow' }>,
  paid: Money,
): Promise<Money> => {
  const reservation = await loadReservationState(deps, event.data.reservationId);
  if (reservation.status === 'NONE') return { amount: 0, currency: paid.currency };
  const policy =
    reservation.cancellationPolicy ??
    (await loadResourceConfig(deps, reservation.resource.resourceId))?.cancellationPolicy;
  // A legacy booking of a retired resource: no policy binds anyone, the guest is made whole.
  if (policy === undefined) return paid;
  if (event.type === 'ReservationMarkedNoShow') return noShowRefund(policy, paid);
  return cancellationRefund(
    policy,
    paid,
    reservation.startsAt,
    event.data.cancelledAt,
    event.data.cancelledBy,
  ).refund;
};

const settleAfterCommit = async (
  deps: PaymentSagaDeps,
  event: Extract<ReservationEvent, { type: 'ReservationCancelled' | 'ReservationMarkedNoShow' }>,
  causationId: string,
): Promise<void> => {
  const reservationId = event.data.reservationId;
  const saga = await loadRunningSaga(deps, reservationId);
  const capture = saga?.steps['requester-capture'];
  if (saga === undefined || capture?.status !== 'succeeded' || capture.amount === null) return;
  const legacy = saga.settlement.owed === null;
  const paid = legacy
    ? capture.amount
    : { amount: netPaid(saga.settlement), currency: capture.amount.currency };
  const amount = await refundDue(deps, event, paid);
  const ended =
    event.type === 'ReservationMarkedNoShow'
      ? 'no-show'
      : event.data.cancelledBy === 'vendor'
        ? 'cancelled-by-vendor'
        : 'cancelled';
  try {
    await decideSaga(
      deps,
      {
        type: 'RefundRequested',
        reservationId,
        amount,
        paidBasis: paid,
        ended,
        now: deps.clock.now().toISOString(),
        jitter: deps.jitter(),
      },
      reservationId,
      causationId,
    );
  } catch (error) {
    if (!(error instanceof DomainError) || error.retryable) throw error;
    deps.log?.('refund not requested', { reservationId, code: error.code });
  }
};

/**
 * A reservation event reaches the saga: the decider turns it into saga events
 * (appended to `payment-{id}`); cancellations after the commit and no-shows
 * also get their refund, computed here from the resource's policy.
 */
export const observeReservationEvent = async (
  deps: PaymentSagaDeps,
  event: ReservationEvent,
  causationId: string,
): Promise<void> => {
  const reservationId = event.data.reservationId;
  await decideSaga(
    deps,
    {
      type: 'ReservationEventObserved',
      event,
      now: deps.clock.now().toISOString(),
      jitter: deps.jitter(),
    },
    reservationId,
    causationId,
  );
  const afterCommit =
    event.type === 'ReservationCancelled' &&
    (event.data.previousStatus === 'CONFIRMED' || event.data.previousStatus === 'CHECKED_IN');
  if (afterCommit || event.type === 'ReservationMarkedNoShow')
    await settleAfterCommit(deps, event, causationId);
};
