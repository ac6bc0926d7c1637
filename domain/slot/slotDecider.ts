import type { Decider } from '../shared/decider.ts';
import type { SlotCommand } from './commands.ts';
import { decideSlot } from './decide.ts';
import type { SlotEvent } from './events.ts';
import type { SlotState } from './state.ts';
import { evolveSlot, initialSlotState } from './state.ts';

/** The Slot aggregate: one `slot-{resourceId}.{slotKey}` stream. */
export const slotDecider: Decider<SlotCommand, SlotEvent, SlotState> = {
  decide: decideSlot,
  evolve: evolveSlot,
  initialState: initialSlotState,
};
