import type { EventStore, RecordedEvent } from '../shared/eventStore.ts';
import { categoryOf } from '../shared/eventStore.ts';

/** Something that may fall due: the holds of one slot stream, or one reservation's TTL. */
export type DueItem =
  | { readonly kind: 'slot'; readonly stream: string; readonly deadline: number }
  | { readonly kind: 'reservation'; readonly reservationId: string; readonly deadline: number };

/** What one event changes in the deadlines: a deadline set, or removed (null). */
export type DeadlineChange =
  | {
      readonly kind: 'slot';
      readonly stream: string;
      readonly reservationId: string;
      readonly deadline: number | null;
    }
  | {
      readonly kind: 'reservation';
      readonly reservationId: string;
      readonly deadline: number | null;
    };

/**
 * Where the scheduler keeps the deadlines it follows (the port; in memory
 * here, a checkpointed PostgreSQL table in infra). Entries are hints: the
 * handler reloads the stream and decides, so a stale entry costs one idle
 * load, never a wrong expiry; a missing one would delay an expiry, which is
 * why a settle drops only what was due.
 */
export interface HoldDeadlines {
  /** Folds the log's `slot` and `reservation` events up to what is readable now. */
  catchUp(): Promise<void>;
  /** Items with a deadline ≤ `now`, earliest first (reservations first on a tie), at most `limit`. */
  due(now: Date, limit: number): Promise<DueItem[]>;
  /** After a decision on a slot stream at `now`: drops its holds that were due, keeps `pending`. */
  settleSlot(stream: string, pending: ReadonlyMap<string, number>, now: Date): Promise<void>;
  /** After a decision on a reservation at `now`: its next deadline, or null (dropped if it was due). */
  settleReservation(reservationId: string, deadline: number | null, now: Date): Promise<void>;
}

const expiresAtOf = (data: unknown): number | undefined => {
  const value = (data as { expiresAt?: unknown }).expiresAt;
  if (typeof value !== 'string') return undefined;
  const parsed = Date.parse(value);
  return Number.isFinite(parsed) ? parsed : undefined;
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
const HOLD_ENDED = new Set(['HoldReleased', 'HoldExpired', 'SlotBooked']);

/** The deadline change one log event makes, built from the log alone (no read model). */
export const deadlineChangeOf = (event: RecordedEvent): DeadlineChange | undefined => {
  const category = categoryOf(event.stream);
  const reservationId = reservationIdOf(event.data);
  if (reservationId === undefined) return undefined;
  if (category === 'slot') {
    if (event.type === 'SlotHeld') {
      const expiresAt = expiresAtOf(event.data);
      return expiresAt === undefined
        ? undefined
        : { kind: 'slot', stream: event.stream, reservationId, deadline: expiresAt };
    }
    return HOLD_ENDED.has(event.type)
      ? { kind: 'slot', stream: event.stream, reservationId, deadline: null }
      : undefined;
  }
  if (category !== 'reservation') return undefined;
  if (NO_LONGER_EXPIRING.has(event.type))
    return { kind: 'reservation', reservationId, deadline: null };
  const expiresAt = expiresAtOf(event.data);
  return expiresAt === undefined
    ? undefined
    : { kind: 'reservation', reservationId, deadline: expiresAt };
};

/** Earliest first; reservations first on a tie: expiring one releases its holds in the same pass. */
export const byDeadline = (a: DueItem, b: DueItem): number =>
  a.deadline - b.deadline || (a.kind === b.kind ? 0 : a.kind === 'reservation' ? -1 : 1);

export const DEADLINE_FILTER = { categories: ['slot', 'reservation'] } as const;

/**
 * The deadlines in this process's memory, rebuilt from the start of the log
 * on the first pass (tests, and stores without a PostgreSQL beside them).
 */
export const createInMemoryHoldDeadlines = (
  store: Pick<EventStore, 'readAll'>,
  pageSize = 1000,
): HoldDeadlines => {
  const slotHolds = new Map<string, Map<string, number>>();
  const reservations = new Map<string, number>();
  let checkpoint: string | undefined;

  const apply = (change: DeadlineChange): void => {
    if (change.kind === 'reservation') {
      if (change.deadline === null) reservations.delete(change.reservationId);
      else reservations.set(change.reservationId, change.deadline);
      return;
    }
    const holds = slotHolds.get(change.stream) ?? new Map<string, number>();
    if (change.deadline === null) holds.delete(change.reservationId);
    else holds.set(change.reservationId, change.deadline);
    if (holds.size === 0) slotHolds.delete(change.stream);
    else slotHolds.set(change.stream, holds);
  };

  return {
    catchUp: async () => {
      for (;;) {
        const page = await store.readAll({
          ...(checkpoint === undefined ? {} : { from: checkpoint }),
          maxCount: pageSize,
          filter: DEADLINE_FILTER,
        });
        for (const event of page) {
          const change = deadlineChangeOf(event);
          if (change) apply(change);
        }
        checkpoint = page.at(-1)?.checkpoint ?? checkpoint;
        if (page.length < pageSize) return;
      }
    },
    due: (now, limit) => {
      const at = now.getTime();
      const items: DueItem[] = [];
      for (const [stream, holds] of slotHolds) {
        const deadline = Math.min(...holds.values());
        if (deadline <= at) items.push({ kind: 'slot', stream, deadline });
      }
      for (const [reservationId, deadline] of reservations) {
        if (deadline <= at) items.push({ kind: 'reservation', reservationId, deadline });
      }
      return Promise.resolve(items.sort(byDeadline).slice(0, limit));
    },
    settleSlot: (stream, pending) => {
      if (pending.size === 0) slotHolds.delete(stream);
      else slotHolds.set(stream, new Map(pending));
      return Promise.resolve();
    },
    settleReservation: (reservationId, deadline) => {
      if (deadline === null) reservations.delete(reservationId);
      else reservations.set(reservationId, deadline);
      return Promise.resolve();
    },
  };
};
