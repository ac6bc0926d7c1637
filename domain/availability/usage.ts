import type { EpochMillis } from '../shared/time.ts';
import type { SlotState } from '../slot/state.ts';

/** A hold on a slot as availability sees it: it counts while `expiresAt > now`. */
export interface SlotHoldSummary {
  readonly quantity: number;
  readonly expiresAt: EpochMillis;
}

/**
 * One slot stream's usage, the input of the availability function: what the
 * write side builds from a loaded slot state and a projector can materialize
 * per slot. A slot without a summary was never opened (the resource's
 * capacity, nothing used).
 */
export interface SlotUsageSummary {
  /** The capacity in force (the stream's own, overrides included). */
  readonly capacity: number;
  readonly closed: boolean;
  /** Σ quantities booked. */
  readonly booked: number;
  /** The holds not yet released, expired or booked; those with `expiresAt ≤ now` count for nothing. */
  readonly holds: readonly SlotHoldSummary[];
}

export const activeHeldOfSummary = (usage: SlotUsageSummary, now: EpochMillis): number => {
  let total = 0;
  for (const hold of usage.holds) if (hold.expiresAt > now) total += hold.quantity;
  return total;
};

/**
 * The write side's view: a loaded slot state as a usage summary, leaving out
 * whatever `except` (a reservation re-checking its own slots) holds or has
 * booked there. `undefined` for a slot never opened.
 */
export const usageOfSlotState = (
  state: SlotState,
  except?: string,
): SlotUsageSummary | undefined => {
  if (state.status === 'Empty') return undefined;
  let booked = 0;
  for (const b of state.bookings.values()) if (b.reservationId !== except) booked += b.quantity;
  const holds: SlotHoldSummary[] = [];
  for (const h of state.holds.values()) {
    if (h.reservationId !== except) holds.push({ quantity: h.quantity, expiresAt: h.expiresAt });
  }
  return { capacity: state.capacity, closed: state.status === 'Closed', booked, holds };
};
