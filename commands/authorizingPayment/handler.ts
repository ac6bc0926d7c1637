import { ForbiddenError } from '../../domain/shared/errors.ts';
import { runReservationCommand, type ReservationWritten } from '../shared/reservationCommand.ts';
import { assertReservationAccess } from '../shared/reservationAccess.ts';
import type { Caller } from '../shared/writeMetadata.ts';
import type { WriteSide } from '../shared/writeSide.ts';

/**
 * Records that the payer asked to authorize payment (RequestAuthorization:
 * the vendor deposit first when the resource has one, else the requester).
 * The payment saga, fed by the event stream, calls the gateway; the payment
 * method token (a provider token, never card data) travels in the event's
 * metadata because the event schema has no field for it.
 */
export const requestAuthorization = (
  writeSide: WriteSide,
  caller: Caller,
  reservationId: string,
  paymentMethod: string,
): Promise<ReservationWritten> =>
  runReservationCommand(
    writeSide,
    caller,
    reservationId,
    (reservation) => {
      if (caller.principal.role === 'vendor') {
        throw new ForbiddenError(
          'A vendor does not authorize the guest’s payment; the guest or partner does.',
        );
      }
      assertReservationAccess(caller.principal, reservation, 'write');
    },
    (reservation) => ({
      type: 'RequestAuthorization',
      reservationId: reservation.reservationId,
      now: writeSide.clock.now().toISOString(),
    }),
    { paymentMethod },
  );
