import { noShowFee } from '../../domain/pricing/cancellationPolicy.ts';
import type { ReservationCommand } from '../../domain/reservation/commands.ts';
import { amountOwed } from '../../domain/reservation/state.ts';
import { assertInStatusWindow } from '../../domain/reservation/statusWindows.ts';
import { ForbiddenError } from '../../domain/shared/errors.ts';
import type { Money } from '../../domain/shared/money.ts';
import { loadReservation, assertReservationAccess } from '../shared/reservationAccess.ts';
import { loadResourceConfig } from '../shared/loadResource.ts';
import { runReservationCommand, type ReservationWritten } from '../shared/reservationCommand.ts';
import type { Caller } from '../shared/writeMetadata.ts';
import type { WriteSide } from '../shared/writeSide.ts';

export const BOOKING_STATUSES = ['CHECKED_IN', 'COMPLETED', 'NO_SHOW'] as const;
export type BookingStatus = (typeof BOOKING_STATUSES)[number];

const commandFor = (status: BookingStatus): ReservationCommand['type'] => {
  switch (status) {
    case 'CHECKED_IN':
      return 'CheckIn';
    case 'COMPLETED':
      return 'Complete';
    case 'NO_SHOW':
      return 'MarkNoShow';
    default: {
      const _never: never = status;
      return _never;
    }
  }
};

/**
 * Seed 002's status update by the venue: check-in, completion, no-show, each
 * only inside its time window (domain/reservation/statusWindows.ts). A
 * no-show's fee under the resource's policy is recorded in the metadata for
 * the payment saga (the rest of what was paid is refunded).
 */
export const changeBookingStatus = async (
  writeSide: WriteSide,
  caller: Caller,
  reservationId: string,
  status: BookingStatus,
): Promise<ReservationWritten & { noShowFee?: Money }> => {
  let fee: Money | undefined;
  if (status === 'NO_SHOW') {
    const { reservation } = await loadReservation(writeSide, reservationId);
    const config = await loadResourceConfig(writeSide, reservation.resource.resourceId);
    fee = noShowFee(config.cancellationPolicy, amountOwed(reservation));
  }
  const written = await runReservationCommand(
    writeSide,
    caller,
    reservationId,
    (reservation) => {
      if (caller.principal.role !== 'vendor' && caller.principal.role !== 'admin') {
        throw new ForbiddenError(
          'Only the venue (its vendor) or an admin changes a booking’s status.',
        );
      }
      assertReservationAccess(caller.principal, reservation, 'write');
      assertInStatusWindow(reservation, status, writeSide.clock.now().getTime());
    },
    (reservation) =>
      ({
        type: commandFor(status),
        reservationId: reservation.reservationId,
        now: writeSide.clock.now().toISOString(),
      }) as ReservationCommand,
    fee ? { noShowFee: fee } : {},
  );
  return fee ? { ...written, noShowFee: fee } : written;
};
