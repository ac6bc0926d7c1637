import type { SlotEvent } from '../slot/events.ts';
import { slotDecider } from '../slot/slotDecider.ts';
import type { SlotState } from '../slot/state.ts';
import { expectedOf, type LoadedSlots, type StreamWrite } from './loaded.ts';
import { decideIntent, type SlotChange } from './slotChanges.ts';

/**
 * A booking decision as plain data: what to append to which stream at which
 * expected revision. `claims` must all succeed before the aggregates are
 * written (their decision point); `releases` follow them. `slotWrites` is the
 * same change decided against the loaded slot states: one atomic append is
 * `slotWrites` + `aggregates`.
 */
export interface BookingPlan<R> {
  readonly claims: readonly SlotChange[];
  readonly aggregates: readonly StreamWrite[];
  readonly releases: readonly SlotChange[];
  readonly slotWrites: readonly StreamWrite[];
  /** The decided aggregate state (the reservation after the write), for the caller. */
  readonly result: R;
}

const byStream = (a: SlotChange, b: SlotChange): number =>
  a.stream < b.stream ? -1 : a.stream > b.stream ? 1 : 0;

/**
 * Every slot stream's events, folding the changes on one stream in order
 * (claims in stream order, then releases), with the loaded revision expected.
 * Throws the slot decider's refusal (e.g. SLOT_UNAVAILABLE) of the first claim that fails.
 */
export const decideSlotWrites = (
  slots: LoadedSlots,
  claims: readonly SlotChange[],
  releases: readonly SlotChange[],
): StreamWrite[] => {
  const decided = new Map<string, { state: SlotState; events: SlotEvent[] }>();
  for (const change of [...claims, ...releases]) {
    const loaded = slots.get(change.stream);
    if (loaded === undefined) throw new Error(`Slot stream ${change.stream} was not loaded.`);
    const entry = decided.get(change.stream) ?? { state: loaded.state, events: [] };
    const events = decideIntent(change.intent, entry.state);
    entry.state = events.reduce((s, e) => slotDecider.evolve(s, e), entry.state);
    entry.events.push(...events);
    decided.set(change.stream, entry);
  }
  const writes: StreamWrite[] = [];
  for (const [stream, { events }] of decided) {
    if (events.length === 0) continue;
    writes.push({ stream, expectedRevision: expectedOf(slots.get(stream)?.revision), events });
  }
  return writes;
};

/** Assembles a plan: claims sorted by stream (overlapping claims meet at their first shared slot). */
export const bookingPlan = <R>(
  slots: LoadedSlots,
  parts: {
    readonly claims: readonly SlotChange[];
    readonly aggregates: readonly StreamWrite[];
    readonly releases: readonly SlotChange[];
  },
  result: R,
): BookingPlan<R> => {
  const claims = [...parts.claims].sort(byStream);
  return {
    claims,
    aggregates: parts.aggregates,
    releases: parts.releases,
    slotWrites: decideSlotWrites(slots, claims, parts.releases),
    result,
  };
};
