import { ConflictError, IllegalStateError, ValidationError } from '../shared/errors.ts';
import { toEpochMillis, toIsoInstant } from '../shared/time.ts';
import type { PlaceHold } from './commands.ts';
import type { SlotEvent } from './events.ts';
import { assertCount, ids, openIfEmpty } from './openIfEmpty.ts';
import type { SlotState } from './state.ts';
import { availableQuantity, isActiveHold } from './state.ts';

/** Holds (or re-holds, changing quantity or deadline) a reservation's units; own earlier hold does not count against it. */
export const placeHold = (command: PlaceHold, state: SlotState): SlotEvent[] => {
  assertCount(command.quantity, 'quantity', 1);
  const now = toEpochMillis(command.now);
  const expiresAt = toEpochMillis(command.expiresAt);
  if (expiresAt <= now) {
    throw new ValidationError(
      `expiresAt must be after now (got ${command.expiresAt} ≤ ${command.now}).`,
    );
  }
  const at = toIsoInstant(now);
  const { slot, opened } = openIfEmpty(state, command, at);
  const { reservationId, quantity } = command;
  if (slot.bookings.has(reservationId)) {
    throw new IllegalStateError(
      `Reservation ${reservationId} has already booked slot ${slot.slotKey}; release the booking before holding it again.`,
      { reservationId, slotKey: slot.slotKey },
      'ALREADY_BOOKED',
    );
  }
  const own = slot.holds.get(reservationId);
  if (own && isActiveHold(own, now) && own.quantity === quantity && own.expiresAt === expiresAt)
    return opened;
  const available = availableQuantity(slot, now, slot.capacity, reservationId);
  if (slot.status === 'Closed' || quantity > available) {
    throw new ConflictError(
      'SLOT_UNAVAILABLE',
      slot.status === 'Closed'
        ? `Slot ${slot.slotKey} is closed (${slot.closedReason}); choose another slot.`
        : `Slot ${slot.slotKey} has ${available} unit(s) available but ${quantity} were requested; choose fewer units or another slot.`,
      { slotKey: slot.slotKey, available, requested: quantity, closed: slot.status === 'Closed' },
    );
  }
  return [
    ...opened,
    {
      type: 'SlotHeld',
      data: {
        ...ids(slot),
        reservationId,
        quantity,
        expiresAt: toIsoInstant(expiresAt),
        heldAt: at,
      },
    },
  ];
};
