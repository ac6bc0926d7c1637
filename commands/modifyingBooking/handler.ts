import type { HoldPeriod } from '../../domain/booking/holdPeriod.ts';
import { rebook } from '../shared/rebook.ts';
import type { ReservationWritten } from '../shared/reservationCommand.ts';
import type { Caller } from '../shared/writeMetadata.ts';
import type { WriteSide } from '../shared/writeSide.ts';

export interface ModifyInput {
  /** The version the caller read (seed 002 `expected_version`). */
  readonly expectedVersion: number;
  readonly period: HoldPeriod;
  /** Defaults to the current quantity. */
  readonly quantity?: number | undefined;
}

/**
 * Seed 002 `PUT /bookings/{id}`: claim the new slots, release the old ones,
 * re-price; the payment is kept (the price difference is in the event). A
 * stale version is a 409 VERSION_MISMATCH (see `planRebook`).
 */
export const modifyBooking = (
  writeSide: WriteSide,
  caller: Caller,
  reservationId: string,
  input: ModifyInput,
): Promise<ReservationWritten> =>
  rebook(writeSide, caller, reservationId, {
    kind: 'modify',
    expectedVersion: input.expectedVersion,
    period: input.period,
    quantity: input.quantity,
  });
