import type { ReservationCommand } from '../../domain/reservation/commands.ts';
import { reservationDecider } from '../../domain/reservation/decider.ts';
import type { ReservationEvent } from '../../domain/reservation/events.ts';
import type { Reservation, ReservationState } from '../../domain/reservation/state.ts';
import { ForbiddenError } from '../../domain/shared/errors.ts';
import { reservationStream } from '../../domain/shared/streams.ts';
import { executeSlotWrite, type PreparedSlotWrite } from '../shared/claimSlots.ts';
import { loadResourceConfig } from '../shared/loadResource.ts';
import { loadSlots } from '../shared/loadSlots.ts';
import type { ReservationWritten } from '../shared/reservationCommand.ts';
import { assertReservationAccess, loadReservation } from '../shared/reservationAccess.ts';
import { releaseStep, reholdStep } from '../shared/slotSteps.ts';
import { metadataFor, type Caller } from '../shared/writeMetadata.ts';
import type { WriteSide } from '../shared/writeSide.ts';

export type VendorDecision =
  { readonly decision: 'confirm' } | { readonly decision: 'decline'; readonly reason: string };

/** Decides commands in a row against the state each leaves. */
const decideAll = (state: Reservation, commands: readonly ReservationCommand[]) => {
  const events: ReservationEvent[] = [];
  let current: ReservationState = state;
  for (const command of commands) {
    const next = reservationDecider.decide(command, current);
    current = next.reduce<ReservationState>((s, e) => reservationDecider.evolve(s, e), current);
    events.push(...next);
  }
  return { events, state: current as Reservation };
};

/**
 * The vendor answers a request (seed 004 step 3). A HELD reservation is
 * first marked notified (the vendor evidently saw it). Confirming moves the
 * slot holds to the new deadline (+30 min) in the same write; declining
 * releases them.
 */
export const answerAsVendor = async (
  writeSide: WriteSide,
  caller: Caller,
  reservationId: string,
  answer: VendorDecision,
): Promise<ReservationWritten> => {
  const now = writeSide.clock.now().toISOString();
  const prepare = async (): Promise<PreparedSlotWrite<Reservation>> => {
    const { reservation, revision } = await loadReservation(writeSide, reservationId);
    assertReservationAccess(caller.principal, reservation, 'write');
    if (caller.principal.role !== 'vendor' && caller.principal.role !== 'admin') {
      throw new ForbiddenError('Only the vendor of the resource (or an admin) answers a request.');
    }
    const base = { reservationId, now };
    const commands: ReservationCommand[] = [
      ...(reservation.status === 'HELD' ? [{ ...base, type: 'NotifyVendor' as const }] : []),
      answer.decision === 'confirm'
        ? { ...base, type: 'ConfirmByVendor' }
        : { ...base, type: 'DeclineByVendor', reason: answer.reason },
    ];
    const decided = decideAll(reservation, commands);
    const { resourceId } = reservation.resource;
    const [config, slots] = await Promise.all([
      loadResourceConfig(writeSide, resourceId),
      loadSlots(writeSide, resourceId, reservation.slots),
    ]);
    const claim = {
      resourceId,
      resourceCapacity: config.capacity,
      reservationId,
      quantity: reservation.quantity,
      expiresAt: decided.state.expiresAt ?? now,
      now,
    };
    const confirmed = answer.decision === 'confirm';
    return {
      plan: {
        claims: confirmed ? reservation.slots.map((key) => reholdStep(claim, key)) : [],
        aggregates: [
          {
            stream: reservationStream(reservationId),
            expectedRevision: revision,
            events: decided.events,
          },
        ],
        releases: confirmed
          ? []
          : reservation.slots.map((key) =>
              releaseStep(resourceId, key, reservationId, 'VENDOR_DECLINED', now),
            ),
      },
      slots,
      result: decided.state,
    };
  };
  const outcome = await executeSlotWrite(writeSide, prepare, metadataFor(caller));
  return { reservation: outcome.result, position: outcome.position };
};
