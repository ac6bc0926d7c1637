import type { RecordedEvent } from '../shared/eventStore.ts';
import { categoryOf } from '../shared/eventStore.ts';

/** Something that may fall due: the holds of one slot stream, or one reservation's TTL. */
export type DueItem =
  | { readonly kind: 'slot'; readonly stream: string; readonly deadline: number }
  | { readonly kind: 'reservation'; readonly reservationId: string; readonly deadline: number };

export interface DeadlineIndex {
  /** Folds one event of the `slot` or `reservation` categories into the index. */
  apply(event: RecordedEvent): void;
  /** Items with a deadline ≤ `now`, earliest first. */
  due(now: number): DueItem[];
  /** Replaces what is known about a slot stream's holds (after a decision reloaded it). */
  setSlotHolds(stream: string, holds: ReadonlyMap<string, number>): void;
  /** A reservation's next deadline, or null when it no longer expires. */
  setReservation(reservationId: string, deadline: number | null): void;
  readonly size: number;
}

const expiresAtOf = (data: unknown): number | undefined => {
  const value = (data as { expiresAt?: unknown }).expiresAt;
  return typeof value === 'string' ? Date.parse(value) : undefined;
};
const reservationIdOf = (data: unknown): string | undefined => {
  const value = (data as { reservationId?: unknown }).reservationId;
  return typeof value === 'string' ? value : undefined;
};

/** Reservation events after which no TTL applies any more: no Expire will be accepted. */
const NO_LONGER_EXPIRING = new Set([
  'ReservationExpired',
  'VendorConfirmationTimedOut',
  'ReservationCancelled',
  'VendorDeclined',
  'CommitStarted',
  'ReservationCommitted',
]);

/**
 * The scheduler's memory of deadlines, built from the log alone (no read
 * model). Entries are hints: the handler reloads the stream and decides, so a
 * stale or missing entry costs one idle load, never a wrong expiry.
 */
export const createDeadlineIndex = (): DeadlineIndex => {
  const slotHolds = new Map<string, Map<string, number>>();
  const reservations = new Map<string, number>();

  const applySlot = (event: RecordedEvent): void => {
    const reservationId = reservationIdOf(event.data);
    if (reservationId === undefined) return;
    const holds = slotHolds.get(event.stream) ?? new Map<string, number>();
    if (event.type === 'SlotHeld') {
      const expiresAt = expiresAtOf(event.data);
      if (expiresAt !== undefined) holds.set(reservationId, expiresAt);
    } else if (['HoldReleased', 'HoldExpired', 'SlotBooked'].includes(event.type)) {
      holds.delete(reservationId);
    }
    if (holds.size === 0) slotHolds.delete(event.stream);
    else slotHolds.set(event.stream, holds);
  };

  const applyReservation = (event: RecordedEvent): void => {
    const reservationId = reservationIdOf(event.data);
    if (reservationId === undefined) return;
    if (NO_LONGER_EXPIRING.has(event.type)) {
      reservations.delete(reservationId);
      return;
    }
    const expiresAt = expiresAtOf(event.data);
    if (expiresAt !== undefined && Number.isFinite(expiresAt))
      reservations.set(reservationId, expiresAt);
  };

  return {
    apply: (event) => {
      const category = categoryOf(event.stream);
      if (category === 'slot') applySlot(event);
      else if (category === 'reservation') applyReservation(event);
    },
    due: (now) => {
      const items: DueItem[] = [];
      for (const [stream, holds] of slotHolds) {
        const deadline = Math.min(...holds.values());
        if (deadline <= now) items.push({ kind: 'slot', stream, deadline });
      }
      for (const [reservationId, deadline] of reservations) {
        if (deadline <= now) items.push({ kind: 'reservation', reservationId, deadline });
      }
      // Reservations first on a tie: expiring one releases its holds in the same pass.
      return items.sort(
        (a, b) =>
          a.deadline - b.deadline || (a.kind === b.kind ? 0 : a.kind === 'reservation' ? -1 : 1),
      );
    },
    setSlotHolds: (stream, holds) => {
      if (holds.size === 0) slotHolds.delete(stream);
      else slotHolds.set(stream, new Map(holds));
    },
    setReservation: (reservationId, deadline) => {
      if (deadline === null) reservations.delete(reservationId);
      else reservations.set(reservationId, deadline);
    },
    get size() {
      return slotHolds.size + reservations.size;
    },
  };
};
