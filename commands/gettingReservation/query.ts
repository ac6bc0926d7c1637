import { sagaDecider } from '../../domain/payment/sagaDecider.ts';
import { paymentSummaryOf } from '../../domain/payment/paymentSummary.ts';
import { amountOwed, type Reservation } from '../../domain/reservation/state.ts';
import { paymentStream } from '../../domain/shared/streams.ts';
import type { Principal } from '../../domain/access/principal.ts';
import { loadStream } from '../shared/commandHandler.ts';
import { loadAccessibleReservation, ownershipOf } from '../shared/reservationAccess.ts';
import { personalDataFieldFor } from '../shared/personalDataRead.ts';
import { paymentStateOf } from '../shared/paymentStateBody.ts';
import { toReservationBody } from '../shared/reservationBody.ts';
import type { WriteSide } from '../shared/writeSide.ts';

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
