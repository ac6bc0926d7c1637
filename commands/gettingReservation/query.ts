import { sagaDecider } from '../../domain/payment/sagaDecider.ts';
import type { PaymentSagaState } from '../../domain/payment/sagaState.ts';
import { paymentSummaryOf } from '../../domain/payment/paymentSummary.ts';
import { amountOwed, type Reservation } from '../../domain/reservation/state.ts';
import { paymentStream } from '../../domain/shared/streams.ts';
import type { Principal } from '../../domain/access/principal.ts';
import { loadStream } from '../shared/commandHandler.ts';
import { loadAccessibleReservation, ownershipOf } from '../shared/reservationAccess.ts';
import { personalDataFieldFor } from '../shared/personalDataRead.ts';
import { toReservationBody } from '../shared/reservationBody.ts';
import type { WriteSide } from '../shared/writeSide.ts';

/** The payment saga's progress as seed 004's `paymentState`; null before the saga started. */
const paymentStateOf = (saga: PaymentSagaState) =>
  saga.status === 'NONE'
    ? null
    : {
        status: saga.status,
        commit: saga.commit,
        steps: saga.steps,
        compensations: saga.compensations,
        // 3-D Secure: what the requester's browser must do (Stripe.js handleNextAction with the client secret) and by when.
        requiresAction:
          saga.actionRequired === null
            ? null
            : {
                step: saga.actionRequired.step,
                authorizationId: saga.actionRequired.authorizationId,
                ...saga.actionRequired.nextAction,
                expiresAt: saga.actionRequired.expiresAt,
              },
        settlement: {
          due: saga.settlement.due,
          ended: saga.settlement.ended,
          flagged: saga.settlement.flagged,
          charges: saga.settlement.charges,
        },
      };

/**
 * Seed 004 `GET /reservations/{id}`, read straight from the streams (always
 * current, no projection lag): state, state history, quote, payment state, version.
 */
export const getReservation = async (
  writeSide: WriteSide,
  principal: Principal,
  reservationId: string,
) => {
  const { reservation } = await loadAccessibleReservation(
    writeSide,
    principal,
    reservationId,
    'read',
  );
  const [saga, personal] = await Promise.all([
    loadStream(writeSide, paymentStream(reservationId), sagaDecider),
    personalDataFieldFor(
      writeSide.guestDirectory,
      principal,
      ownershipOf(reservation),
      reservationId,
    ),
  ]);
  return {
    ...toDetailBody(reservation, paymentStateOf(saga.state)),
    paymentSummary: paymentSummaryOf(saga.state, amountOwed(reservation)),
    ...personal,
  };
};

const toDetailBody = (
  reservation: Reservation,
  paymentState: ReturnType<typeof paymentStateOf>,
) => ({
  ...toReservationBody(reservation),
  slotStartTime: reservation.startsAt,
  slotEndTime: reservation.endsAt,
  stateHistory: reservation.history.map((entry) => ({
    event: entry.event,
    fromState: entry.from,
    toState: entry.to,
    at: entry.at,
    ...(entry.by === undefined ? {} : { by: entry.by }),
    ...(entry.reason === undefined ? {} : { reason: entry.reason }),
  })),
  authorizations: reservation.authorizations,
  paymentState,
  bookingId: reservation.captures === null ? null : reservation.reservationId,
});
