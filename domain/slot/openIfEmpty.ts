import { ValidationError } from '../shared/errors.ts';
import { parseSlotKey } from '../shared/streams.ts';
import type { SlotTarget } from './commands.ts';
import type { SlotEvent } from './events.ts';
import type { OpenedSlotState, SlotState } from './state.ts';
import { evolveSlot } from './state.ts';

export const assertCount = (value: number, what: string, min: number): void => {
  if (!Number.isSafeInteger(value) || value < min) {
    throw new ValidationError(`${what} must be an integer of at least ${min} (got ${value}).`);
  }
};

/** The stream as it is, or the SlotOpened event that a first command implies. */
export const openIfEmpty = (
  state: SlotState,
  target: SlotTarget,
  at: string,
): { slot: OpenedSlotState; opened: SlotEvent[] } => {
  if (state.status !== 'Empty') {
    if (state.resourceId !== target.resourceId || state.slotKey !== target.slotKey) {
      throw new ValidationError(
        `This command targets ${target.resourceId}.${target.slotKey} but was sent to slot ${state.resourceId}.${state.slotKey}.`,
      );
    }
    return { slot: state, opened: [] };
  }
  assertCount(target.resourceCapacity, 'resourceCapacity', 0);
  parseSlotKey(target.slotKey);
  const opened: SlotEvent = {
    type: 'SlotOpened',
    data: {
      resourceId: target.resourceId,
      slotKey: target.slotKey,
      capacity: target.resourceCapacity,
      openedAt: at,
    },
  };
  return { slot: evolveSlot(state, opened) as OpenedSlotState, opened: [opened] };
};

export const ids = (slot: OpenedSlotState) => ({
  resourceId: slot.resourceId,
  slotKey: slot.slotKey,
});
