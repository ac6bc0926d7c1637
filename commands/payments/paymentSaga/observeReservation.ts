import { noShowFee, refundFor } from '../../../domain/pricing/cancellationPolicy.ts';
import type { ReservationEvent } from '../../../domain/reservation/events.ts';
import { DomainError } from '../../../domain/shared/errors.ts';
import type { Money } from '../../../domain/shared/money.ts';
import { loadReservationState } from './reservationCommands.ts';
import type { PaymentSagaDeps } from './sagaDeps.ts';
import { decideSaga, loadRunningSaga } from './sagaStream.ts';
import { loadResourceConfig } from './slotWork.ts';

/** Cancellations the guest's side asked for follow the policy tiers; the vendor's or the platform's refund everything. */
const GUEST_SIDE = new Set(['guest', 'requester', 'partner']);

/** What the guest gets back after a cancellation or no-show, from the resource's cancellation policy. */
const refundDue = async (
  deps: PaymentSagaDeps,
  event: Extract<ReservationEvent, { type: 'ReservationCancelled' | 'ReservationMarkedNoShow' }>,
  paid: Money,
): Promise<Money> => {
  const reservation = await loadReservationState(deps, event.data.reservationId);
  if (reservation.status === 'NONE') return { amount: 0, currency: paid.currency };
  const config = await loadResourceConfig(deps, reservation.resource.resourceId);
  // A retired resource's policy no longer binds anyone: the guest is made whole.
  if (config === undefined) return paid;
  if (event.type === 'ReservationMarkedNoShow') {
    const fee = noShowFee(config.cancellationPolicy, paid);
    return { amount: paid.amount - fee.amount, currency: paid.currency };
  }
  if (!GUEST_SIDE.has(event.data.cancelledBy)) return paid;
  return refundFor(config.cancellationPolicy, paid, reservation.startsAt, event.data.cancelledAt)
    .refund;
};

const settleAfterCommit = async (
  deps: PaymentSagaDeps,
  event: Extract<ReservationEvent, { type: 'ReservationCancelled' | 'ReservationMarkedNoShow' }>,
  causationId: string,
): Promise<void> => {
  const reservationId = event.data.reservationId;
  const saga = await loadRunningSaga(deps, reservationId);
  const capture = saga?.steps['requester-capture'];
  if (capture?.status !== 'succeeded' || capture.amount === null) return;
  const amount = await refundDue(deps, event, capture.amount);
  try {
    await decideSaga(
      deps,
      {
        type: 'RefundRequested',
        reservationId,
        amount,
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
