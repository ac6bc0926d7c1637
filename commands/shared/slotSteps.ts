import type { ClaimStep } from '../../domain/slot/claimPlan.ts';
import type { SlotEvent } from '../../domain/slot/events.ts';
import { slotDecider } from '../../domain/slot/slotDecider.ts';
import type { SlotState } from '../../domain/slot/state.ts';
import { slotStream, type SlotKey } from '../../domain/shared/streams.ts';
import type { SlotStep } from './claimSlots.ts';

/** Decides several slot commands in a row on one stream, each against the state the previous left. */
const chain =
  (...deciders: ((state: SlotState) => readonly SlotEvent[])[]) =>
  (state: SlotState): SlotEvent[] => {
    const events: SlotEvent[] = [];
    let current = state;
    for (const decide of deciders) {
      const next = decide(current);
      current = next.reduce((s, e) => slotDecider.evolve(s, e), current);
      events.push(...next);
    }
    return events;
  };

/** Releases whatever `reservationId` has on a slot, a hold or a booking; nothing when it has neither. */
export const releaseOwn =
  (reservationId: string, reason: string, now: string) =>
  (state: SlotState): SlotEvent[] => {
    if (state.status === 'Empty') return [];
    if (state.bookings.has(reservationId))
      return slotDecider.decide({ type: 'ReleaseBooking', reservationId, reason, now }, state);
    return slotDecider.decide({ type: 'ReleaseHold', reservationId, reason, now }, state);
  };

/** A step of `claimSteps` (PlaceHold) as an executor step whose undo releases the hold. */
export const toHoldStep = (step: ClaimStep, undoReason = 'CLAIM_FAILED'): SlotStep => ({
  stream: step.stream,
  decide: (state) => slotDecider.decide(step.command, state),
  undo: releaseOwn(step.command.reservationId, undoReason, step.command.now),
});

export interface SlotClaim {
  readonly resourceId: string;
  readonly resourceCapacity: number;
  readonly reservationId: string;
  readonly quantity: number;
  /** Deadline of the hold before it turns into a booking. */
  readonly expiresAt: string;
  readonly now: string;
}

/**
 * Claims a slot as a booking for a reservation that is already committed
 * (modification, extension): whatever it had there is released first, then
 * held at the new quantity and booked, all in one decision on the stream.
 */
export const bookStep = (claim: SlotClaim, slotKey: SlotKey, reason: string): SlotStep => {
  const { resourceId, resourceCapacity, reservationId, quantity, expiresAt, now } = claim;
  return {
    stream: slotStream(resourceId, slotKey),
    decide: chain(
      releaseOwn(reservationId, reason, now),
      (state) =>
        slotDecider.decide(
          {
            type: 'PlaceHold',
            resourceId,
            slotKey,
            resourceCapacity,
            reservationId,
            quantity,
            expiresAt,
            now,
          },
          state,
        ),
      (state) => slotDecider.decide({ type: 'BookHold', reservationId, now }, state),
    ),
    undo: releaseOwn(reservationId, 'CLAIM_FAILED', now),
  };
};

/** Gives a slot back: releases the reservation's hold or booking there. */
export const releaseStep = (
  resourceId: string,
  slotKey: SlotKey,
  reservationId: string,
  reason: string,
  now: string,
): SlotStep => ({
  stream: slotStream(resourceId, slotKey),
  decide: releaseOwn(reservationId, reason, now),
});

/** Moves a reservation's active holds to a new deadline (a later TTL stage); a missing hold refuses. */
export const reholdStep = (claim: SlotClaim, slotKey: SlotKey): SlotStep => ({
  stream: slotStream(claim.resourceId, slotKey),
  decide: (state) =>
    slotDecider.decide(
      {
        type: 'PlaceHold',
        resourceId: claim.resourceId,
        slotKey,
        resourceCapacity: claim.resourceCapacity,
        reservationId: claim.reservationId,
        quantity: claim.quantity,
        expiresAt: claim.expiresAt,
        now: claim.now,
      },
      state,
    ),
});
