import type { ReservationCommand } from '../../domain/reservation/commands.ts';
import { reservationDecider } from '../../domain/reservation/decider.ts';
import type { Reservation } from '../../domain/reservation/state.ts';
import { NotFoundError } from '../../domain/shared/errors.ts';
import { reservationStream } from '../../domain/shared/streams.ts';
import { handleCommand } from './commandHandler.ts';
import type { Checkpoint } from './eventStore.ts';
import { metadataFor, type Caller } from './writeMetadata.ts';
import type { WriteSide } from './writeSide.ts';

export interface ReservationWritten {
  readonly reservation: Reservation;
  /** Undefined when the command decided nothing (an idempotent no-op). */
  readonly position: Checkpoint | undefined;
}

/**
 * A reservation command that touches no slot: load, check the caller may do
 * it (`authorize` throws), decide, append with the expected revision; all of
 * it again from the latest state on each retry. One read, one append.
 */
export const runReservationCommand = async (
  writeSide: WriteSide,
  caller: Caller,
  reservationId: string,
  authorize: (reservation: Reservation) => void,
  build: (reservation: Reservation) => ReservationCommand,
  metadataExtra: Record<string, unknown> = {},
): Promise<ReservationWritten> => {
  // One read: the caller's access is checked on the state the command is decided on.
  const outcome = await handleCommand(
    writeSide,
    reservationStream(reservationId),
    reservationDecider,
    (state) => {
      if (state.status === 'NONE') {
        throw new NotFoundError(
          `Reservation ${reservationId} does not exist; check the id returned when the hold was placed.`,
          { reservationId },
          'RESERVATION_NOT_FOUND',
        );
      }
      authorize(state);
      return build(state);
    },
    metadataFor(caller, metadataExtra),
  );
  return { reservation: outcome.state as Reservation, position: outcome.position };
};
