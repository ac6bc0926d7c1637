import { expect } from 'chai';
import fc from 'fast-check';
import {
  availabilityOf,
  usageOfSlotState,
  type AvailabilityPeriod,
  type SlotUsageSummary,
} from '../../domain/availability/availability.ts';
import { sampleNightly, sampleTimed } from '../../domain/resource/testing/sampleResources.ts';
import { DomainError } from '../../domain/shared/errors.ts';
import { timedSlotKey } from '../../domain/shared/streams.ts';
import { MINUTE_MS, toEpochMillis, toIsoInstant } from '../../domain/shared/time.ts';
import type { SlotCommand } from '../../domain/slot/commands.ts';
import type { SlotEvent } from '../../domain/slot/events.ts';
import { slotDecider } from '../../domain/slot/slotDecider.ts';
import type { SlotState } from '../../domain/slot/state.ts';
import {
  evolveAvailability,
  type SlotAvailability,
} from '../../projections/availability/evolve.ts';
import {
  availabilityRedisChanges,
  readAvailabilityHash,
} from '../../projections/availability/redisChanges.ts';
import { usageOfRow } from './slotUsage.ts';

/**
 * The write side and the read side answer availability with the same
 * `availabilityOf`; they differ only in how they build its usage input: the
 * write side from slot states folded by the slot decider, the read side from
 * the projected rows (PostgreSQL) or hashes (Redis). For random slot
 * histories and clocks, all three views give the same answer.
 */
const T0 = toEpochMillis('2026-12-07T14:00:00Z'); // Monday 09:00 in New York
const at = (minutes: number): string => toIsoInstant(T0 + minutes * MINUTE_MS);

const opArb = fc.record({
  kind: fc.constantFrom('hold', 'release', 'book', 'unbook', 'close', 'open', 'capacity', 'expire'),
  reservation: fc.constantFrom('a', 'b', 'c', 'd'),
  quantity: fc.integer({ min: 1, max: 3 }),
  minute: fc.integer({ min: 0, max: 120 }),
  ttl: fc.integer({ min: 1, max: 60 }),
  capacity: fc.integer({ min: 0, max: 4 }),
});
type Op = typeof opArb extends fc.Arbitrary<infer T> ? T : never;

const commandOf = (op: Op, resourceId: string, slotKey: string, capacity: number): SlotCommand => {
  const target = { resourceId, slotKey, resourceCapacity: capacity };
  const now = at(op.minute);
  const reservationId = op.reservation;
  switch (op.kind) {
    case 'hold':
      return {
        type: 'PlaceHold',
        ...target,
        reservationId,
        quantity: op.quantity,
        expiresAt: at(op.minute + op.ttl),
        now,
      };
    case 'release':
      return { type: 'ReleaseHold', reservationId, reason: 'x', now };
    case 'book':
      return { type: 'BookHold', reservationId, now };
    case 'unbook':
      return { type: 'ReleaseBooking', reservationId, reason: 'x', now };
    case 'close':
      return { type: 'CloseSlot', ...target, reason: 'x', now };
    case 'open':
      return { type: 'OpenSlot', ...target, now };
    case 'capacity':
      return { type: 'OverrideCapacity', ...target, capacity: op.capacity, now };
    case 'expire':
      return { type: 'ExpireHolds', now };
  }
};

/** A slot's events from random commands, each decided against the state so far (refusals skipped). */
const historyOf = (ops: readonly Op[], resourceId: string, slotKey: string, capacity: number) => {
  let state: SlotState = slotDecider.initialState();
  const events: SlotEvent[] = [];
  for (const op of ops) {
    try {
      const decided = slotDecider.decide(commandOf(op, resourceId, slotKey, capacity), state);
      state = decided.reduce((s, e) => slotDecider.evolve(s, e), state);
      events.push(...decided);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
    }
  }
  return { state, events };
};

interface Views {
  readonly write: Map<string, SlotUsageSummary>;
  readonly postgres: Map<string, SlotUsageSummary>;
  readonly redis: Map<string, SlotUsageSummary>;
}

const viewsOf = (
  histories: readonly { slotKey: string; state: SlotState; events: readonly SlotEvent[] }[],
  now: number,
): Views => {
  const views: Views = { write: new Map(), postgres: new Map(), redis: new Map() };
  for (const { slotKey, state, events } of histories) {
    const written = usageOfSlotState(state);
    if (written !== undefined) views.write.set(slotKey, written);
    let row: SlotAvailability | undefined;
    const hash: Record<string, string> = {};
    for (const event of events) {
      row = evolveAvailability(row, event);
      const change = availabilityRedisChanges(event);
      Object.assign(hash, change.set);
      for (const field of change.del) delete hash[field];
    }
    if (row !== undefined) views.postgres.set(slotKey, usageOfRow(row, now));
    for (const { slotKey: key, ...slot } of readAvailabilityHash(hash, now))
      views.redis.set(key, slot);
  }
  return views;
};

const agree = (
  config: ReturnType<typeof sampleTimed>,
  period: AvailabilityPeriod,
  quantity: number,
  now: number,
  views: Views,
): void => {
  const answer = (usage: Map<string, SlotUsageSummary>) =>
    availabilityOf({ config, period, quantity, now, usage, calendars: [] });
  const written = answer(views.write);
  expect(answer(views.postgres)).to.deep.equal(written);
  expect(answer(views.redis)).to.deep.equal(written);
};

describe('availability: the write side and the read side agree (property)', () => {
  it('timed: slot states, projected rows and Redis hashes give the same slots, units left, reasons and confidence', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(opArb, { maxLength: 8 }), { minLength: 4, maxLength: 4 }),
        fc.integer({ min: -60, max: 240 }),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 0, max: 30 }),
        (perSlot, clock, quantity, buffer) => {
          const config = sampleTimed({
            capacity: 2,
            bufferBeforeMinutes: buffer,
            bufferAfterMinutes: buffer,
          });
          const histories = perSlot.map((ops, i) => {
            const slotKey = timedSlotKey(T0 + i * 60 * MINUTE_MS, config.zone);
            return { slotKey, ...historyOf(ops, 'r1', slotKey, config.capacity) };
          });
          const now = T0 + clock * MINUTE_MS - 180 * MINUTE_MS;
          const period = { kind: 'timed' as const, from: T0, to: T0 + 4 * 60 * MINUTE_MS };
          agree(config, period, quantity, now, viewsOf(histories, now));
        },
      ),
      { numRuns: 150 },
    );
  });

  it('nightly: slot states, projected rows and Redis hashes give the same nights and reasons', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(opArb, { maxLength: 8 }), { minLength: 3, maxLength: 3 }),
        fc.integer({ min: -60, max: 240 }),
        fc.integer({ min: 1, max: 3 }),
        (perNight, clock, quantity) => {
          const config = sampleNightly({ capacity: 2, zone: 'Asia/Kolkata' });
          const nights = ['2026-12-20', '2026-12-21', '2026-12-22'];
          const histories = perNight.map((ops, i) => {
            const slotKey = nights[i]!;
            return { slotKey, ...historyOf(ops, 'r1', slotKey, config.capacity) };
          });
          const now = T0 + clock * MINUTE_MS;
          const period = {
            kind: 'nightly' as const,
            checkIn: '2026-12-20',
            checkOut: '2026-12-23',
          };
          agree(config, period, quantity, now, viewsOf(histories, now));
        },
      ),
      { numRuns: 150 },
    );
  });
});
