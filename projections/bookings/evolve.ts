import type { ReservationEvent } from '../../domain/reservation/events.ts';
import { evolve as evolveReservation } from '../../domain/reservation/evolve.ts';
import type { HistoryEntry, Reservation } from '../../domain/reservation/state.ts';
import { amountOwed } from '../../domain/reservation/state.ts';

/**
 * A booking as the read API shows it: the reservation's folded state (its
 * history lives in reservation_history, one row per transition) and the log
 * position of the last event folded, for read-your-writes.
 */
export interface BookingRow {
  readonly reservation: Reservation;
  readonly position: string;
}

export interface Transition extends HistoryEntry {
  readonly reservationId: string;
  /** Stream revision of the event that made the transition. */
  readonly revision: number;
  readonly position: string;
}

/** Read models keep whether a payment method was provided, never the provider token. */
export const REDACTED_PAYMENT_METHOD = 'redacted';
const redacted = (reservation: Reservation): string | null =>
  reservation.paymentMethod === null ? null : REDACTED_PAYMENT_METHOD;

/**
 * Pure: the reservation decider's own fold. An event at a revision already
 * folded (`revision < version`) changes nothing, so redelivery is harmless.
 */
export const evolveBooking = (
  row: BookingRow | undefined,
  event: ReservationEvent,
  revision: number,
  position: string,
): { row: BookingRow; transition: Transition | undefined } => {
  if (row !== undefined && revision < row.reservation.version)
    return { row, transition: undefined };
  const next = evolveReservation(row?.reservation ?? { status: 'NONE' }, event);
  if (next.status === 'NONE') throw new Error('A booking row needs a ReservationRequested.');
  const entry = next.history.at(-1);
  return {
    row: { reservation: { ...next, history: [], paymentMethod: redacted(next) }, position },
    transition:
      entry === undefined
        ? undefined
        : { ...entry, reservationId: next.reservationId, revision, position },
  };
};

/** What the guest owes in total: the quote plus every extension's. */
export const totalOf = (row: BookingRow) => amountOwed(row.reservation);
