import { IllegalStateError } from '../shared/errors.ts';
import type { EpochMillis } from '../shared/time.ts';
import { toEpochMillis } from '../shared/time.ts';
import type { SlotEvent } from './events.ts';

export interface Hold {
  readonly reservationId: string;
  readonly quantity: number;
  readonly expiresAt: EpochMillis;
}
export interface Booking {
  readonly reservationId: string;
  readonly quantity: number;
}
interface SlotFacts {
  readonly resourceId: string;
  readonly slotKey: string;
  readonly capacity: number;
  /** Holds by reservation id; a hold stays here until released, expired or booked, but counts only while `expiresAt > now`. */
  readonly holds: ReadonlyMap<string, Hold>;
  readonly bookings: ReadonlyMap<string, Booking>;
}
export type OpenSlotState = { readonly status: 'Open' } & SlotFacts;
export type ClosedSlotState = {
  readonly status: 'Closed';
  readonly closedReason: string;
} & SlotFacts;
export type SlotState = { readonly status: 'Empty' } | OpenSlotState | ClosedSlotState;
export type OpenedSlotState = OpenSlotState | ClosedSlotState;

export const initialSlotState = (): SlotState => ({ status: 'Empty' });

export const isActiveHold = (hold: Hold, now: EpochMillis): boolean => hold.expiresAt > now;

/** Σ quantities of holds still active at `now`, optionally leaving one reservation out. */
export const activeHeldQuantity = (state: SlotState, now: EpochMillis, except?: string): number => {
  if (state.status === 'Empty') return 0;
  let total = 0;
  for (const hold of state.holds.values()) {
    if (hold.reservationId !== except && isActiveHold(hold, now)) total += hold.quantity;
  }
  return total;
};

export const bookedQuantity = (state: SlotState): number => {
  if (state.status === 'Empty') return 0;
  let total = 0;
  for (const booking of state.bookings.values()) total += booking.quantity;
  return total;
};

/** The capacity in force: the stream's own once opened, else the resource's. */
export const capacityOf = (state: SlotState, resourceCapacity: number): number =>
  state.status === 'Empty' ? resourceCapacity : state.capacity;

/** What could still be held at `now` (never negative). A closed slot has nothing available. */
export const availableQuantity = (
  state: SlotState,
  now: EpochMillis,
  resourceCapacity: number,
  except?: string,
): number => {
  if (state.status === 'Closed') return 0;
  const used = activeHeldQuantity(state, now, except) + bookedQuantity(state);
  return Math.max(0, capacityOf(state, resourceCapacity) - used);
};

const withMap = <V>(
  map: ReadonlyMap<string, V>,
  key: string,
  value: V | undefined,
): ReadonlyMap<string, V> => {
  const next = new Map(map);
  if (value === undefined) next.delete(key);
  else next.set(key, value);
  return next;
};

const assertOpened = (state: SlotState, event: SlotEvent): OpenedSlotState => {
  if (state.status === 'Empty') {
    throw new IllegalStateError(
      `Slot event ${event.type} cannot come before SlotOpened; the stream ${event.data.resourceId}.${event.data.slotKey} is corrupt.`,
    );
  }
  return state;
};

export const evolveSlot = (state: SlotState, event: SlotEvent): SlotState => {
  if (event.type === 'SlotOpened') {
    const { resourceId, slotKey, capacity } = event.data;
    return { status: 'Open', resourceId, slotKey, capacity, holds: new Map(), bookings: new Map() };
  }
  const slot = assertOpened(state, event);
  switch (event.type) {
    case 'SlotHeld':
      return {
        ...slot,
        holds: withMap(slot.holds, event.data.reservationId, {
          reservationId: event.data.reservationId,
          quantity: event.data.quantity,
          expiresAt: toEpochMillis(event.data.expiresAt),
        }),
      };
    case 'HoldReleased':
    case 'HoldExpired':
      return { ...slot, holds: withMap(slot.holds, event.data.reservationId, undefined) };
    case 'SlotBooked':
      return {
        ...slot,
        holds: withMap(slot.holds, event.data.reservationId, undefined),
        bookings: withMap(slot.bookings, event.data.reservationId, {
          reservationId: event.data.reservationId,
          quantity: event.data.quantity,
        }),
      };
    case 'BookingReleased':
      return { ...slot, bookings: withMap(slot.bookings, event.data.reservationId, undefined) };
    case 'SlotCapacityOverridden':
      return { ...slot, capacity: event.data.capacity };
    case 'SlotClosed': {
      const { resourceId, slotKey, capacity, holds, bookings } = slot;
      return {
        status: 'Closed',
        closedReason: event.data.reason,
        resourceId,
        slotKey,
        capacity,
        holds,
        bookings,
      };
    }
    case 'SlotReopened': {
      const { resourceId, slotKey, capacity, holds, bookings } = slot;
      return { status: 'Open', resourceId, slotKey, capacity, holds, bookings };
    }
    default: {
      const _never: never = event;
      throw new IllegalStateError(`Unknown slot event ${JSON.stringify(_never)}.`);
    }
  }
};
