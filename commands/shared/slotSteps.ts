import { decideIntent, type SlotChange } from '../../domain/booking/slotChanges.ts';
import {
  bookChange,
  releaseChange,
  reholdChange,
  type SlotClaim,
} from '../../domain/booking/slotChanges.ts';
import type { SlotKey } from '../../domain/shared/streams.ts';
import type { SlotStep } from './claimSlots.ts';

export type { SlotClaim } from '../../domain/booking/slotChanges.ts';

/** A domain slot change (plain data) as an executor step: decided (and undone) against a slot's state. */
export const toSlotStep = (change: SlotChange): SlotStep => {
  const { undo } = change;
  return {
    stream: change.stream,
    decide: (state) => decideIntent(change.intent, state),
    ...(undo === undefined ? {} : { undo: (state) => decideIntent(undo, state) }),
  };
};

/** See `bookChange`: release what the reservation has on the slot, hold it anew, book it. */
export const bookStep = (claim: SlotClaim, slotKey: SlotKey, reason: string): SlotStep =>
  toSlotStep(bookChange(claim, slotKey, reason));

/** Gives a slot back: releases the reservation's hold or booking there. */
export const releaseStep = (
  resourceId: string,
  slotKey: SlotKey,
  reservationId: string,
  reason: string,
  now: string,
): SlotStep => toSlotStep(releaseChange(resourceId, slotKey, reservationId, reason, now));

/** Moves a reservation's active holds to a new deadline (a later TTL stage); a missing hold refuses. */
export const reholdStep = (claim: SlotClaim, slotKey: SlotKey): SlotStep =>
  toSlotStep(reholdChange(claim, slotKey));
