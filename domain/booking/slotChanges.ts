import { slotStream, type SlotKey } from '../shared/streams.ts';
import type { PlaceHold } from '../slot/commands.ts';
import type { SlotEvent } from '../slot/events.ts';
import { slotDecider } from '../slot/slotDecider.ts';
import type { SlotState } from '../slot/state.ts';

/**
 * What a booking plan does to one slot stream, as plain data. The atomic path
 * appends the events decided from it against the loaded state; the ordered
 * path (stores without multi-stream appends) decides it again against a fresh
 * load, and undoes it with `undo` when a later claim fails.
 */
export type SlotIntent =
  /** Place (or move the deadline of) the reservation's hold. */
  | { readonly kind: 'hold'; readonly command: PlaceHold }
  /** Release whatever the reservation has there, hold it at the new quantity and book it. */
  | { readonly kind: 'book'; readonly command: PlaceHold; readonly reason: string }
  /** Give back whatever the reservation has there, a hold or a booking; nothing when neither. */
  | {
      readonly kind: 'release';
      readonly reservationId: string;
      readonly reason: string;
      readonly now: string;
    };

export interface SlotChange {
  readonly stream: string;
  readonly slotKey: SlotKey;
  readonly intent: SlotIntent;
  readonly undo?: SlotIntent;
}

const releaseOwn = (
  reservationId: string,
  reason: string,
  now: string,
  state: SlotState,
): SlotEvent[] => {
  if (state.status === 'Empty') return [];
  if (state.bookings.has(reservationId))
    return slotDecider.decide({ type: 'ReleaseBooking', reservationId, reason, now }, state);
  return slotDecider.decide({ type: 'ReleaseHold', reservationId, reason, now }, state);
};

const evolveAll = (state: SlotState, events: readonly SlotEvent[]): SlotState =>
  events.reduce((s, e) => slotDecider.evolve(s, e), state);

/** The slot events of an intent against a slot's state (throws the slot decider's refusals). */
export const decideIntent = (intent: SlotIntent, state: SlotState): SlotEvent[] => {
  switch (intent.kind) {
    case 'hold':
      return slotDecider.decide(intent.command, state);
    case 'release':
      return releaseOwn(intent.reservationId, intent.reason, intent.now, state);
    case 'book': {
      const { reservationId, now } = intent.command;
      const released = releaseOwn(reservationId, intent.reason, now, state);
      let current = evolveAll(state, released);
      const held = slotDecider.decide(intent.command, current);
      current = evolveAll(current, held);
      const booked = slotDecider.decide({ type: 'BookHold', reservationId, now }, current);
      return [...released, ...held, ...booked];
    }
    default: {
      const _never: never = intent;
      throw new Error(`Unknown slot intent ${JSON.stringify(_never)}.`);
    }
  }
};

export interface SlotClaim {
  readonly resourceId: string;
  readonly resourceCapacity: number;
  readonly reservationId: string;
  readonly quantity: number;
  /** Deadline of the hold (before it turns into a booking). */
  readonly expiresAt: string;
  readonly now: string;
}

const placeHoldOf = (claim: SlotClaim, slotKey: SlotKey): PlaceHold => ({
  type: 'PlaceHold',
  resourceId: claim.resourceId,
  slotKey,
  resourceCapacity: claim.resourceCapacity,
  reservationId: claim.reservationId,
  quantity: claim.quantity,
  expiresAt: claim.expiresAt,
  now: claim.now,
});

const release = (reservationId: string, reason: string, now: string): SlotIntent => ({
  kind: 'release',
  reservationId,
  reason,
  now,
});

/** A new hold on a slot; undone by releasing it. */
export const holdChange = (
  claim: SlotClaim,
  slotKey: SlotKey,
  undoReason = 'CLAIM_FAILED',
): SlotChange => ({
  stream: slotStream(claim.resourceId, slotKey),
  slotKey,
  intent: { kind: 'hold', command: placeHoldOf(claim, slotKey) },
  undo: release(claim.reservationId, undoReason, claim.now),
});

/** Moves a reservation's hold to a new deadline (a later TTL stage); a missing hold refuses. */
export const reholdChange = (claim: SlotClaim, slotKey: SlotKey): SlotChange => ({
  stream: slotStream(claim.resourceId, slotKey),
  slotKey,
  intent: { kind: 'hold', command: placeHoldOf(claim, slotKey) },
});

/**
 * Claims a slot as a booking for a reservation already committed
 * (modification, extension, commit): whatever it had there is released
 * first, then held at the new quantity and booked, in one decision.
 */
export const bookChange = (claim: SlotClaim, slotKey: SlotKey, reason: string): SlotChange => ({
  stream: slotStream(claim.resourceId, slotKey),
  slotKey,
  intent: { kind: 'book', command: placeHoldOf(claim, slotKey), reason },
  undo: release(claim.reservationId, 'CLAIM_FAILED', claim.now),
});

/** Gives a slot back: releases the reservation's hold or booking there. */
export const releaseChange = (
  resourceId: string,
  slotKey: SlotKey,
  reservationId: string,
  reason: string,
  now: string,
): SlotChange => ({
  stream: slotStream(resourceId, slotKey),
  slotKey,
  intent: release(reservationId, reason, now),
});
