import { reservationDecider } from '../../domain/reservation/decider.ts';
import type { Reservation } from '../../domain/reservation/state.ts';
import { NotFoundError } from '../../domain/shared/errors.ts';
import { reservationStream } from '../../domain/shared/streams.ts';
import {
  assertCanAccess,
  type Access,
  type Ownership,
  type Principal,
} from '../../domain/access/principal.ts';
import { loadStream, type WriteDeps } from './commandHandler.ts';

export interface LoadedReservation {
  readonly reservation: Reservation;
  /** Revision of the stream's last event (version − 1). */
  readonly revision: number;
}

/** Loads `reservation-{id}`; 404 RESERVATION_NOT_FOUND when it has no events. */
export const loadReservation = async (
  deps: Pick<WriteDeps, 'store' | 'codec'>,
  reservationId: string,
): Promise<LoadedReservation> => {
  const loaded = await loadStream(deps, reservationStream(reservationId), reservationDecider);
  if (loaded.state.status === 'NONE' || loaded.revision === undefined) {
    throw new NotFoundError(
      `Reservation ${reservationId} does not exist; check the id returned when the hold was placed.`,
      { reservationId },
      'RESERVATION_NOT_FOUND',
    );
  }
  return { reservation: loaded.state, revision: loaded.revision };
};

/** The parties a reservation belongs to: its guest, its resource's vendor and the partner that placed it. */
export const ownershipOf = (reservation: Reservation): Ownership => ({
  guestId: reservation.guest.guestId,
  vendorId: reservation.resource.vendorId,
  partnerId: reservation.partnerId,
});

/**
 * 403 unless the principal may read or change this reservation: a guest only
 * their own, a vendor only those of its resources, a partner only those it
 * placed, admins all (auditors and analysts read only).
 */
export const assertReservationAccess = (
  principal: Principal,
  reservation: Reservation,
  access: Access,
): void =>
  assertCanAccess(
    principal,
    ownershipOf(reservation),
    access,
    `reservation ${reservation.reservationId}`,
  );

/** Loads a reservation and checks the principal's access in one step. */
export const loadAccessibleReservation = async (
  deps: Pick<WriteDeps, 'store' | 'codec'>,
  principal: Principal,
  reservationId: string,
  access: Access,
): Promise<LoadedReservation> => {
  const loaded = await loadReservation(deps, reservationId);
  assertReservationAccess(principal, loaded.reservation, access);
  return loaded;
};
