import type { SlotEvent } from '../../domain/slot/events.ts';
import { evolveSlot, type SlotState } from '../../domain/slot/state.ts';

/**
 * One slot's availability as stored (JSON-friendly). Holds keep their
 * `expiresAt` because expiry is not an event until the scheduler writes
 * HoldExpired: readers discount holds whose `expiresAt ≤ now` at read time.
 */
export interface SlotAvailability {
  readonly resourceId: string;
  readonly slotKey: string;
  /** The local date the slot belongs to (the first 10 characters of its key). */
  readonly date: string;
  readonly capacity: number;
  readonly closed: boolean;
  readonly closedReason: string | null;
  readonly holds: Readonly<
    Record<string, { readonly quantity: number; readonly expiresAt: string }>
  >;
  readonly bookings: Readonly<Record<string, number>>;
}

const toSlotState = (row: SlotAvailability | undefined): SlotState => {
  if (row === undefined) return { status: 'Empty' };
  const facts = {
    resourceId: row.resourceId,
    slotKey: row.slotKey,
    capacity: row.capacity,
    holds: new Map(
      Object.entries(row.holds).map(([reservationId, hold]) => [
        reservationId,
        { reservationId, quantity: hold.quantity, expiresAt: Date.parse(hold.expiresAt) },
      ]),
    ),
    bookings: new Map(
      Object.entries(row.bookings).map(([reservationId, quantity]) => [
        reservationId,
        { reservationId, quantity },
      ]),
    ),
  };
  return row.closed
    ? { status: 'Closed', closedReason: row.closedReason ?? '', ...facts }
    : { status: 'Open', ...facts };
};

const fromSlotState = (state: SlotState): SlotAvailability => {
  if (state.status === 'Empty') {
    throw new Error('A slot availability row exists only once its slot was opened.');
  }
  return {
    resourceId: state.resourceId,
    slotKey: state.slotKey,
    date: state.slotKey.slice(0, 10),
    capacity: state.capacity,
    closed: state.status === 'Closed',
    closedReason: state.status === 'Closed' ? state.closedReason : null,
    holds: Object.fromEntries(
      [...state.holds.values()].map((h) => [
        h.reservationId,
        { quantity: h.quantity, expiresAt: new Date(h.expiresAt).toISOString() },
      ]),
    ),
    bookings: Object.fromEntries(
      [...state.bookings.values()].map((b) => [b.reservationId, b.quantity]),
    ),
  };
};

/**
 * Pure: the slot decider's own fold (so the read model cannot disagree with
 * the write side about what an event means), mapped to the stored row.
 * Idempotent: holds and bookings are keyed by reservation.
 */
export const evolveAvailability = (
  row: SlotAvailability | undefined,
  event: SlotEvent,
): SlotAvailability => fromSlotState(evolveSlot(toSlotState(row), event));

const sum = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0);

export const bookedOf = (row: SlotAvailability): number => sum(Object.values(row.bookings));

/** Holds still active at `now` (epoch ms): expired holds free their capacity even before HoldExpired. */
export const activeHeldOf = (row: SlotAvailability, now: number): number =>
  sum(
    Object.values(row.holds)
      .filter((hold) => Date.parse(hold.expiresAt) > now)
      .map((hold) => hold.quantity),
  );

export const availableOf = (row: SlotAvailability, now: number): number =>
  row.closed ? 0 : Math.max(0, row.capacity - bookedOf(row) - activeHeldOf(row, now));
