import {
  planRebook,
  rebookPeriodOf,
  rebookSlotKeys,
  type RebookChange,
} from '../../domain/booking/planRebook.ts';
import { loadBooking, preparedOf } from './bookingWrite.ts';
import { executeSlotWrite } from './claimSlots.ts';
import { assertReservationAccess, loadReservation } from './reservationAccess.ts';
import type { ReservationWritten } from './reservationCommand.ts';
import { metadataFor, type Caller } from './writeMetadata.ts';
import type { WriteSide } from './writeSide.ts';

/**
 * A change of a committed booking (modification, extension), load → plan →
 * execute: the reservation (the caller must be allowed to write it), the
 * change checked against it, the resource and every slot involved, then
 * `planRebook`; a conflict re-runs all of it from the latest state.
 */
export const rebook = async (
  writeSide: WriteSide,
  caller: Caller,
  reservationId: string,
  change: RebookChange,
): Promise<ReservationWritten> => {
  const outcome = await executeSlotWrite(
    writeSide,
    async () => {
      const { reservation, revision } = await loadReservation(writeSide, reservationId);
      assertReservationAccess(caller.principal, reservation, 'write');
      rebookPeriodOf(reservation, change);
      const loaded = await loadBooking(writeSide, reservation.resource.resourceId, (config) =>
        rebookSlotKeys(config, reservation, change),
      );
      const now = writeSide.clock.now().getTime();
      const plan = planRebook({ ...loaded, reservation, revision }, change, now, {
        surgeEnabled: writeSide.surgeEnabled ?? true,
      });
      return preparedOf(plan, loaded.slots);
    },
    metadataFor(caller),
  );
  return { reservation: outcome.result, position: outcome.position };
};
