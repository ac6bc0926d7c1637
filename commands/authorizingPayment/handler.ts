import { ForbiddenError } from '../../domain/shared/errors.ts';
import { runReservationCommand, type ReservationWritten } from '../shared/reservationCommand.ts';
import { assertReservationAccess } from '../shared/reservationAccess.ts';
import type { Caller } from '../shared/writeMetadata.ts';
import type { WriteSide } from '../shared/writeSide.ts';

/**
 * Records the payer's payment method on the reservation (ProvidePaymentMethod
 * → PaymentMethodProvided: a provider token, never card data). The reservation
 * does not move: the payment saga, fed by the event stream, advances it and
 * authorizes with this token once the reservation awaits the requester.
 */
export const providePaymentMethod = (
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
      type: 'ProvidePaymentMethod',
      reservationId: reservation.reservationId,
      paymentMethod,
      now: writeSide.clock.now().toISOString(),
    }),
  );
