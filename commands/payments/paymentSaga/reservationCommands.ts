import type { ReservationCommand } from '../../../domain/reservation/commands.ts';
import { reservationDecider } from '../../../domain/reservation/decider.ts';
import type { Reservation, ReservationState } from '../../../domain/reservation/state.ts';
import { DomainError, IllegalStateError } from '../../../domain/shared/errors.ts';
import { reservationStream } from '../../../domain/shared/streams.ts';
import { executeSlotWrite } from '../../shared/claimSlots.ts';
import { expectedRevisionOf, handleCommand, loadStream } from '../../shared/commandHandler.ts';
import { loadSlots } from '../../shared/loadSlots.ts';
import { bookStep, reholdStep } from '../../shared/slotSteps.ts';
import type { PaymentSagaDeps } from './sagaDeps.ts';
import { sagaMetadata } from './sagaStream.ts';
import { loadResourceConfig } from './slotWork.ts';

export const loadReservationState = async (
  deps: PaymentSagaDeps,
  reservationId: string,
): Promise<ReservationState> =>
  (await loadStream(deps.write, reservationStream(reservationId), reservationDecider)).state;

const capacityOf = async (deps: PaymentSagaDeps, reservation: Reservation): Promise<number> =>
  (await loadResourceConfig(deps, reservation.resource.resourceId))?.capacity ?? 0;

/**
 * The commit and its bookings in one write (atomic where the store can):
 * ReservationCommitted on the reservation and SlotBooked on every slot. The
 * hold is re-placed first, so a hold that ran out during the captures is
 * booked as long as the slot still has room.
 */
const commitWithBookings = async (
  deps: PaymentSagaDeps,
  command: Extract<ReservationCommand, { type: 'RecordCommitSuccess' }>,
  causationId: string,
): Promise<void> => {
  const id = command.reservationId;
  await executeSlotWrite(
    deps.write,
    async () => {
      const loaded = await loadStream(deps.write, reservationStream(id), reservationDecider);
      const reservation = loaded.state;
      if (reservation.status === 'NONE') throw new IllegalStateError(`Reservation ${id} is gone.`);
      const events = reservationDecider.decide(command, reservation);
      const claim = {
        resourceId: reservation.resource.resourceId,
        resourceCapacity: await capacityOf(deps, reservation),
        reservationId: id,
        quantity: reservation.quantity,
        expiresAt: new Date(Date.parse(command.now) + 60_000).toISOString(),
        now: command.now,
      };
      return {
        plan: {
          claims: reservation.slots.map((key) => bookStep(claim, key, 'COMMITTED')),
          aggregates: [
            {
              stream: reservationStream(id),
              expectedRevision: expectedRevisionOf(loaded.revision),
              events,
            },
          ],
          releases: [],
        },
        slots: await loadSlots(deps.write, claim.resourceId, reservation.slots),
        result: undefined,
      };
    },
    sagaMetadata(id, causationId),
  );
};

/** The next TTL stage applies to the slots too; best effort: revalidation catches a slot that cannot be re-held. */
const reholdSlots = async (
  deps: PaymentSagaDeps,
  reservation: Reservation,
  causationId: string,
): Promise<void> => {
  if (reservation.expiresAt === null) return;
  const claim = {
    resourceId: reservation.resource.resourceId,
    resourceCapacity: await capacityOf(deps, reservation),
    reservationId: reservation.reservationId,
    quantity: reservation.quantity,
    expiresAt: reservation.expiresAt,
    now: deps.clock.now().toISOString(),
  };
  for (const key of reservation.slots) {
    const step = reholdStep(claim, key);
    try {
      await executeSlotWrite(
        deps.write,
        async () => ({
          plan: { claims: [step], aggregates: [], releases: [] },
          slots: await loadSlots(deps.write, claim.resourceId, [key]),
          result: undefined,
        }),
        sagaMetadata(reservation.reservationId, causationId),
      );
    } catch (error) {
      if (!(error instanceof DomainError) || error.retryable) throw error;
      deps.log?.('slot not re-held; revalidation will decide', { slot: key, code: error.code });
    }
  }
};

/**
 * Sends the saga's next command to the reservation. A command the reservation
 * refuses as illegal in its current state was already applied (a redelivered
 * event) or overtaken (the reservation expired or was cancelled meanwhile):
 * the reservation is the authority, so that is logged, not retried.
 */
export const issueReservationCommand = async (
  deps: PaymentSagaDeps,
  command: ReservationCommand,
  causationId: string,
): Promise<void> => {
  const id = command.reservationId;
  try {
    if (command.type === 'RecordCommitSuccess') {
      await commitWithBookings(deps, command, causationId);
      return;
    }
    const outcome = await handleCommand(
      deps.write,
      reservationStream(id),
      reservationDecider,
      command,
      sagaMetadata(id, causationId),
    );
    if (command.type === 'RecordRequesterAuthorization' && outcome.state.status !== 'NONE')
      await reholdSlots(deps, outcome.state, causationId);
  } catch (error) {
    if (!(error instanceof DomainError) || error.retryable) throw error;
    deps.log?.('reservation refused the saga command', {
      reservationId: id,
      command: command.type,
      code: error.code,
    });
  }
};
