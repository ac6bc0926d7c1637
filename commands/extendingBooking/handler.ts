import type { NewEnd } from '../../domain/booking/planRebook.ts';
import { rebook } from '../shared/rebook.ts';
import type { ReservationWritten } from '../shared/reservationCommand.ts';
import type { Caller } from '../shared/writeMetadata.ts';
import type { WriteSide } from '../shared/writeSide.ts';

export type { NewEnd } from '../../domain/booking/planRebook.ts';

/** Seed 001's extension: claim the slots after the current end if free, price only them (see `planRebook`). */
export const extendBooking = (
  writeSide: WriteSide,
  caller: Caller,
  reservationId: string,
  end: NewEnd,
): Promise<ReservationWritten> => rebook(writeSide, caller, reservationId, { kind: 'extend', end });
