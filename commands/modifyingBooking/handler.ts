import { ConflictError } from '../../domain/shared/errors.ts';
import type { HoldPeriod } from '../../domain/booking/holdPeriod.ts';
import {
  executeRebooking,
  loadForRebooking,
  rebookingWrite,
  repriceFor,
} from '../shared/rebook.ts';
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
 * re-price; the payment is kept (the price difference is in the event).
 * A stale version is a 409 VERSION_MISMATCH that no retry can fix, so it is
 * a ConflictError rather than the retried ConcurrencyError.
 */
export const modifyBooking = (
  writeSide: WriteSide,
  caller: Caller,
  reservationId: string,
  input: ModifyInput,
): Promise<ReservationWritten> =>
  executeRebooking(writeSide, caller, reservationId, async (reservation, revision) => {
    if (input.expectedVersion !== reservation.version) {
      throw new ConflictError(
        'VERSION_MISMATCH',
        `Reservation ${reservationId} is at version ${reservation.version}, not ${input.expectedVersion}; GET it again and retry with the current version.`,
        {
          reservationId,
          expectedVersion: input.expectedVersion,
          actualVersion: reservation.version,
        },
      );
    }
    const quantity = input.quantity ?? reservation.quantity;
    const context = await loadForRebooking(
      writeSide,
      reservation,
      input.period,
      quantity,
      reservation.slots,
    );
    const { slotKeys, startsAt, endsAt } = context.period;
    const command = {
      type: 'Modify' as const,
      reservationId,
      now: writeSide.clock.now().toISOString(),
      expectedVersion: input.expectedVersion,
      slots: slotKeys,
      quantity,
      startsAt,
      endsAt,
      quote: repriceFor(writeSide, context, slotKeys, reservation, quantity),
    };
    const sameQuantity = quantity === reservation.quantity;
    const old = new Set(reservation.slots);
    const next = new Set(slotKeys);
    return rebookingWrite(
      writeSide,
      context,
      reservation,
      revision,
      command,
      slotKeys.filter((s) => !sameQuantity || !old.has(s)),
      reservation.slots.filter((s) => !sameQuantity || !next.has(s)),
      quantity,
    );
  });
