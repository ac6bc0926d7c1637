import { ValidationError } from '../../domain/shared/errors.ts';
import { addDays } from '../../domain/shared/time.ts';
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

/** A new end: the check-out date (nightly) or the last slot's end instant (timed). */
export type NewEnd = { readonly checkOut: string } | { readonly slotEnd: string };

/** Seed 001's extension: claim the slots after the current end if free, price only them. */
export const extendBooking = (
  writeSide: WriteSide,
  caller: Caller,
  reservationId: string,
  end: NewEnd,
): Promise<ReservationWritten> =>
  executeRebooking(writeSide, caller, reservationId, async (reservation, revision) => {
    const lastNight = [...reservation.slots].sort().at(-1) ?? '';
    let period: HoldPeriod;
    if ('checkOut' in end) {
      if (reservation.resource.kind !== 'nightly')
        throw new ValidationError('This booking is timed; extend it with slotEnd.');
      period = { kind: 'nights', checkIn: addDays(lastNight, 1), checkOut: end.checkOut };
    } else {
      if (reservation.resource.kind !== 'timed')
        throw new ValidationError('This booking is nightly; extend it with checkOut.');
      period = { kind: 'instants', start: reservation.endsAt, end: end.slotEnd };
    }
    const context = await loadForRebooking(
      writeSide,
      reservation,
      period,
      reservation.quantity,
      [],
    );
    const added = context.period.slotKeys;
    const command = {
      type: 'Extend' as const,
      reservationId,
      now: writeSide.clock.now().toISOString(),
      addedSlots: added,
      endsAt: context.period.endsAt,
      additionalQuote: repriceFor(writeSide, context, added, reservation, reservation.quantity),
    };
    return rebookingWrite(
      writeSide,
      context,
      reservation,
      revision,
      command,
      added,
      [],
      reservation.quantity,
    );
  });
