import type { RefundDecision } from '../../domain/pricing/cancellationPolicy.ts';
import { sagaDecider } from '../../domain/payment/sagaDecider.ts';
import { cancellationRefund } from '../../domain/payment/settlementPolicy.ts';
import { netPaid } from '../../domain/payment/settlementState.ts';
import { paymentStream, reservationStream } from '../../domain/shared/streams.ts';
import { loadStream } from '../shared/commandHandler.ts';
import type { CancelledBy } from '../../domain/reservation/eventParts.ts';
import { reservationDecider } from '../../domain/reservation/decider.ts';
import {
  amountOwed,
  type Reservation,
  type ReservationState,
} from '../../domain/reservation/state.ts';
import type { Principal } from '../../domain/access/principal.ts';
import { executeSlotWrite, type PreparedSlotWrite } from '../shared/claimSlots.ts';
import type { Checkpoint } from '../shared/eventStore.ts';
import { loadResourceConfig } from '../shared/loadResource.ts';
import { loadSlots } from '../shared/loadSlots.ts';
import { assertReservationAccess, loadReservation } from '../shared/reservationAccess.ts';
import { releaseStep } from '../shared/slotSteps.ts';
import { metadataFor, type Caller } from '../shared/writeMetadata.ts';
import type { WriteSide } from '../shared/writeSide.ts';

export interface Cancelled {
  readonly reservation: Reservation;
  readonly position: Checkpoint | undefined;
  readonly refund: RefundDecision;
}

const cancelledByOf = (principal: Principal): CancelledBy => {
  switch (principal.role) {
    case 'guest':
    case 'partner':
    case 'vendor':
    case 'admin':
      return principal.role;
    case 'auditor':
    case 'analyst':
      // The route refuses these roles; a read-only principal never cancels.
      return 'system';
    default: {
      const _never: never = principal.role;
      return _never;
    }
  }
};

/**
 * Cancels a reservation and gives its capacity back: ReservationCancelled and
 * the release of every slot hold or booking in one atomic append (or the
 * reservation first, then the slots, on a store without atomic appends).
 * The refund is computed here with the function the saga uses (the policy in
 * force at booking, out of what the guest paid net of refunds) and recorded in
 * the event metadata; paying it out is the payment saga's job.
 */
export const cancelReservation = async (
  writeSide: WriteSide,
  caller: Caller,
  reservationId: string,
  reason: string,
): Promise<Cancelled> => {
  const now = writeSide.clock.now().toISOString();
  const prepare = async (): Promise<
    PreparedSlotWrite<Cancelled['refund'] & { state: Reservation }>
  > => {
    const { reservation, revision } = await loadReservation(writeSide, reservationId);
    assertReservationAccess(caller.principal, reservation, 'write');
    const events = reservationDecider.decide(
      { type: 'Cancel', reservationId, now, by: cancelledByOf(caller.principal), reason },
      reservation,
    );
    const { resourceId } = reservation.resource;
    const [config, slots] = await Promise.all([
      loadResourceConfig(writeSide, resourceId),
      loadSlots(writeSide, resourceId, reservation.slots),
    ]);
    // What the guest really paid (net of refunds) per the saga; before the commit nothing
    // was captured and authorizations are cancelled, not refunded.
    const currency = amountOwed(reservation).currency;
    const saga = (await loadStream(writeSide, paymentStream(reservationId), sagaDecider)).state;
    const paid = {
      amount:
        reservation.captures === null || saga.status === 'NONE' ? 0 : netPaid(saga.settlement),
      currency,
    };
    const refund = cancellationRefund(
      reservation.cancellationPolicy ?? config.cancellationPolicy,
      paid,
      reservation.startsAt,
      now,
      cancelledByOf(caller.principal),
    );
    const state = events.reduce<ReservationState>(
      (s, e) => reservationDecider.evolve(s, e),
      reservation,
    );
    return {
      plan: {
        claims: [],
        aggregates: [
          { stream: reservationStream(reservationId), expectedRevision: revision, events },
        ],
        releases: reservation.slots.map((key) =>
          releaseStep(resourceId, key, reservationId, 'CANCELLED', now),
        ),
      },
      slots,
      result: { ...refund, state: state as Reservation },
      metadata: { refund },
    };
  };
  const outcome = await executeSlotWrite(writeSide, prepare, metadataFor(caller));
  const { state, ...refund } = outcome.result;
  return { reservation: state, position: outcome.position, refund };
};
