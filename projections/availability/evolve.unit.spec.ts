import { expect } from 'chai';
import type { SlotEvent } from '../../domain/slot/events.ts';
import { availabilityRedisChanges, readAvailabilityHash } from './redisChanges.ts';
import { availableOf, evolveAvailability, type SlotAvailability } from './evolve.ts';

const slot = { resourceId: 'room-1', slotKey: '2026-12-24' };
const at = '2026-12-01T10:00:00.000Z';
const events: SlotEvent[] = [
  { type: 'SlotOpened', data: { ...slot, capacity: 3, openedAt: at } },
  {
    type: 'SlotHeld',
    data: {
      ...slot,
      reservationId: 'a',
      quantity: 1,
      heldAt: at,
      expiresAt: '2026-12-01T10:10:00.000Z',
    },
  },
  {
    type: 'SlotHeld',
    data: {
      ...slot,
      reservationId: 'b',
      quantity: 1,
      heldAt: at,
      expiresAt: '2026-12-01T10:30:00.000Z',
    },
  },
  { type: 'SlotBooked', data: { ...slot, reservationId: 'b', quantity: 1, bookedAt: at } },
];
const fold = (list: readonly SlotEvent[]) =>
  list.reduce<SlotAvailability | undefined>((row, e) => evolveAvailability(row, e), undefined);

describe('availability evolve', () => {
  it('counts bookings and discounts holds that expired by read time', () => {
    const row = fold(events);
    expect(row).to.not.equal(undefined);
    if (!row) return;
    expect(availableOf(row, Date.parse('2026-12-01T10:05:00Z'))).to.equal(1);
    expect(availableOf(row, Date.parse('2026-12-01T10:11:00Z'))).to.equal(2);
    const closed = evolveAvailability(row, {
      type: 'SlotClosed',
      data: { ...slot, reason: 'x', closedAt: at },
    });
    expect(availableOf(closed, Date.parse('2026-12-01T10:11:00Z'))).to.equal(0);
  });

  it('is idempotent: every event applied twice gives the same row', () => {
    expect(fold(events.flatMap((e) => [e, e]))).to.deep.equal(fold(events));
  });

  it('the Redis hash read back agrees with the Postgres row', () => {
    const hash: Record<string, string> = {};
    for (const e of events) {
      const change = availabilityRedisChanges(e);
      Object.assign(hash, change.set);
      for (const field of change.del) delete hash[field];
    }
    const [day] = readAvailabilityHash(hash, Date.parse('2026-12-01T10:05:00Z'));
    expect(day).to.deep.equal({
      slotKey: '2026-12-24',
      capacity: 3,
      closed: false,
      booked: 1,
      held: 1,
      holds: [{ quantity: 1, expiresAt: Date.parse('2026-12-01T10:10:00Z') }],
    });
  });
});
