import { ConflictError, IllegalStateError, ValidationError } from '../shared/errors.ts';
import { toEpochMillis, toIsoInstant } from '../shared/time.ts';
import type { SlotCommand } from './commands.ts';
import type { SlotEvent } from './events.ts';
import { assertCount, ids, openIfEmpty } from './openIfEmpty.ts';
import { placeHold } from './placeHold.ts';
import type { SlotState } from './state.ts';
import { activeHeldQuantity, bookedQuantity, isActiveHold } from './state.ts';

/**
 * The pure decision for one slot stream. Throws ConflictError('SLOT_UNAVAILABLE')
 * when capacity or a closure refuses a hold, IllegalStateError when the
 * reservation's position on the slot does not allow the command, and returns
 * `[]` for natural retries (same hold again, release of what is already gone).
 */
export const decideSlot = (command: SlotCommand, state: SlotState): SlotEvent[] => {
  switch (command.type) {
    case 'PlaceHold':
      return placeHold(command, state);
    case 'ReleaseHold': {
      const at = toIsoInstant(toEpochMillis(command.now));
      if (state.status === 'Empty') return [];
      const hold = state.holds.get(command.reservationId);
      if (hold === undefined) {
        if (state.bookings.has(command.reservationId)) {
          throw new IllegalStateError(
            `Reservation ${command.reservationId} holds a booking, not a hold, on slot ${state.slotKey}; use ReleaseBooking.`,
            { reservationId: command.reservationId, slotKey: state.slotKey },
            'NOT_A_HOLD',
          );
        }
        return [];
      }
      const { reservationId, quantity } = hold;
      return [
        {
          type: 'HoldReleased',
          data: { ...ids(state), reservationId, quantity, reason: command.reason, releasedAt: at },
        },
      ];
    }
    case 'ExpireHolds': {
      const now = toEpochMillis(command.now);
      if (state.status === 'Empty') return [];
      return [...state.holds.values()]
        .filter((hold) => !isActiveHold(hold, now))
        .sort((a, b) => a.expiresAt - b.expiresAt || (a.reservationId < b.reservationId ? -1 : 1))
        .map((hold) => ({
          type: 'HoldExpired' as const,
          data: {
            ...ids(state),
            reservationId: hold.reservationId,
            quantity: hold.quantity,
            expiresAt: toIsoInstant(hold.expiresAt),
            expiredAt: toIsoInstant(now),
          },
        }));
    }
    case 'BookHold': {
      const now = toEpochMillis(command.now);
      const { reservationId } = command;
      if (state.status !== 'Empty' && state.bookings.has(reservationId)) return [];
      const hold = state.status === 'Empty' ? undefined : state.holds.get(reservationId);
      if (state.status === 'Empty' || hold === undefined) {
        throw new IllegalStateError(
          `Reservation ${reservationId} has no hold on this slot to book; place a hold first.`,
          { reservationId },
          'NO_HOLD',
        );
      }
      if (!isActiveHold(hold, now)) {
        throw new ConflictError(
          'HOLD_EXPIRED',
          `The hold of reservation ${reservationId} on slot ${state.slotKey} expired at ${toIsoInstant(hold.expiresAt)}; place a new hold.`,
          { reservationId, slotKey: state.slotKey, expiresAt: toIsoInstant(hold.expiresAt) },
        );
      }
      return [
        {
          type: 'SlotBooked',
          data: {
            ...ids(state),
            reservationId,
            quantity: hold.quantity,
            bookedAt: toIsoInstant(now),
          },
        },
      ];
    }
    case 'ReleaseBooking': {
      const at = toIsoInstant(toEpochMillis(command.now));
      if (state.status === 'Empty') return [];
      const booking = state.bookings.get(command.reservationId);
      if (booking === undefined) {
        if (state.holds.has(command.reservationId)) {
          throw new IllegalStateError(
            `Reservation ${command.reservationId} only holds slot ${state.slotKey}; use ReleaseHold.`,
            { reservationId: command.reservationId, slotKey: state.slotKey },
            'NOT_BOOKED',
          );
        }
        return [];
      }
      const { reservationId, quantity } = booking;
      return [
        {
          type: 'BookingReleased',
          data: { ...ids(state), reservationId, quantity, reason: command.reason, releasedAt: at },
        },
      ];
    }
    case 'OverrideCapacity': {
      assertCount(command.capacity, 'capacity', 0);
      const now = toEpochMillis(command.now);
      const at = toIsoInstant(now);
      const { slot, opened } = openIfEmpty(state, command, at);
      if (slot.capacity === command.capacity) return opened;
      const used = activeHeldQuantity(slot, now) + bookedQuantity(slot);
      if (command.capacity < used) {
        throw new ConflictError(
          'CAPACITY_BELOW_USAGE',
          `Slot ${slot.slotKey} has ${used} unit(s) held or booked, so its capacity cannot drop to ${command.capacity}; release some first.`,
          { slotKey: slot.slotKey, used, requested: command.capacity },
        );
      }
      return [
        ...opened,
        {
          type: 'SlotCapacityOverridden',
          data: {
            ...ids(slot),
            capacity: command.capacity,
            previousCapacity: slot.capacity,
            overriddenAt: at,
          },
        },
      ];
    }
    case 'CloseSlot': {
      const at = toIsoInstant(toEpochMillis(command.now));
      const { slot, opened } = openIfEmpty(state, command, at);
      if (slot.status === 'Closed') return opened;
      return [
        ...opened,
        { type: 'SlotClosed', data: { ...ids(slot), reason: command.reason, closedAt: at } },
      ];
    }
    case 'OpenSlot': {
      const at = toIsoInstant(toEpochMillis(command.now));
      const { slot, opened } = openIfEmpty(state, command, at);
      if (slot.status === 'Open') return opened;
      return [{ type: 'SlotReopened', data: { ...ids(slot), reopenedAt: at } }];
    }
    default: {
      const _never: never = command;
      throw new ValidationError(`Unknown slot command ${JSON.stringify(_never)}.`);
    }
  }
};
