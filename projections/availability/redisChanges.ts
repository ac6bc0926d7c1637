import type { RecordedEvent } from '../../commands/shared/eventStore.ts';
import { slotEventDefinitions, type SlotEvent } from '../../domain/slot/events.ts';
import { decodeEvent } from '../shared/decode.ts';
import type { RedisChange, RedisProjection } from '../shared/projection.ts';

/**
 * The hot path: one hash per resource and local day, `avail:{resourceId}:{date}`,
 * fields per slot key:
 *   `{slot}|cap` capacity, `{slot}|closed` "1"/"0",
 *   `{slot}|hold|{reservationId}` "quantity|expiresAtEpochMs",
 *   `{slot}|book|{reservationId}` quantity.
 * Every change is a plain set or delete, so the last applied position per key
 * (kept in the hash by the runner) is all redelivery needs.
 */
export const availabilityKey = (resourceId: string, date: string): string =>
  `avail:${resourceId}:${date}`;

const change = (
  event: SlotEvent,
  set: Record<string, string>,
  del: readonly string[] = [],
): RedisChange => {
  const { resourceId, slotKey } = event.data;
  const prefix = (field: string) => `${slotKey}|${field}`;
  return {
    key: availabilityKey(resourceId, slotKey.slice(0, 10)),
    set: Object.fromEntries(Object.entries(set).map(([field, value]) => [prefix(field), value])),
    del: del.map(prefix),
  };
};

export const availabilityRedisChanges = (event: SlotEvent): RedisChange => {
  switch (event.type) {
    case 'SlotOpened':
      return change(event, { cap: String(event.data.capacity), closed: '0' });
    case 'SlotHeld':
      return change(event, {
        [`hold|${event.data.reservationId}`]: `${event.data.quantity}|${Date.parse(event.data.expiresAt)}`,
      });
    case 'HoldReleased':
    case 'HoldExpired':
      return change(event, {}, [`hold|${event.data.reservationId}`]);
    case 'SlotBooked':
      return change(event, { [`book|${event.data.reservationId}`]: String(event.data.quantity) }, [
        `hold|${event.data.reservationId}`,
      ]);
    case 'BookingReleased':
      return change(event, {}, [`book|${event.data.reservationId}`]);
    case 'SlotCapacityOverridden':
      return change(event, { cap: String(event.data.capacity) });
    case 'SlotClosed':
      return change(event, { closed: '1' });
    case 'SlotReopened':
      return change(event, { closed: '0' });
    default: {
      const _never: never = event;
      throw new Error(`Unknown slot event ${JSON.stringify(_never)}.`);
    }
  }
};

export const availabilityRedisProjection: RedisProjection = {
  name: 'availability.redis',
  filter: { categories: ['slot'] },
  changesFor: (recorded: RecordedEvent) => {
    const event = decodeEvent(slotEventDefinitions, recorded);
    return event === undefined ? [] : [availabilityRedisChanges(event)];
  },
};

export interface DaySlotAvailability {
  readonly slotKey: string;
  readonly capacity: number;
  readonly closed: boolean;
  readonly booked: number;
  /** Holds active at the `now` given to `readAvailabilityHash`. */
  readonly held: number;
  /** Those holds, each with its deadline (epoch ms). */
  readonly holds: readonly { readonly quantity: number; readonly expiresAt: number }[];
}

/** Reads one `avail:` hash back into slots, discounting holds expired at `now` (epoch ms). */
export const readAvailabilityHash = (
  hash: Readonly<Record<string, string>>,
  now: number,
): DaySlotAvailability[] => {
  const slots = new Map<
    string,
    {
      capacity: number;
      closed: boolean;
      booked: number;
      held: number;
      holds: { quantity: number; expiresAt: number }[];
    }
  >();
  const slotOf = (key: string) => {
    let slot = slots.get(key);
    if (!slot)
      slots.set(key, (slot = { capacity: 0, closed: false, booked: 0, held: 0, holds: [] }));
    return slot;
  };
  for (const [field, value] of Object.entries(hash)) {
    const [slotKey, kind] = field.split('|');
    if (slotKey === undefined || kind === undefined || slotKey.startsWith('_')) continue;
    const slot = slotOf(slotKey);
    if (kind === 'cap') slot.capacity = Number(value);
    else if (kind === 'closed') slot.closed = value === '1';
    else if (kind === 'book') slot.booked += Number(value);
    else if (kind === 'hold') {
      const [quantity = '0', expiresAt = '0'] = value.split('|');
      if (Number(expiresAt) > now) {
        slot.held += Number(quantity);
        slot.holds.push({ quantity: Number(quantity), expiresAt: Number(expiresAt) });
      }
    }
  }
  return [...slots]
    .map(([slotKey, slot]) => ({ slotKey, ...slot }))
    .sort((a, b) => (a.slotKey < b.slotKey ? -1 : 1));
};
