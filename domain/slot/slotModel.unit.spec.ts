import { expect } from 'chai';
import fc from 'fast-check';
import { fold } from '../shared/decider.ts';
import { DomainError } from '../shared/errors.ts';
import { toIsoInstant } from '../shared/time.ts';
import type { SlotCommand } from './commands.ts';
import type { SlotEvent } from './events.ts';
import { slotDecider } from './slotDecider.ts';
import type { SlotState } from './state.ts';
import { activeHeldQuantity, bookedQuantity } from './state.ts';

/**
 * Model-based test: random commands and clock moves on several slots, checked
 * against a deliberately naive model (plain objects and counters). After
 * every step: no slot is overbooked at `now`, the model predicted accept or
 * refuse, both agree on every hold and booking, and folding the stream's
 * whole history equals the incrementally evolved state.
 */
const SLOTS = ['2026-12-24', '2026-12-25', '2026-12-26'];
const RESERVATIONS = ['a', 'b', 'c', 'd'];
const RESOURCE_CAPACITY = 3;
const START = Date.UTC(2026, 11, 1, 10);

type Step =
  | { kind: 'hold'; slot: number; res: string; qty: number; ttlMin: number }
  | { kind: 'release' | 'book' | 'releaseBooking'; slot: number; res: string }
  | { kind: 'expire' | 'close' | 'open'; slot: number }
  | { kind: 'override'; slot: number; capacity: number }
  | { kind: 'clock'; minutes: number };

const slotArb = fc.nat({ max: SLOTS.length - 1 });
const resArb = fc.constantFrom(...RESERVATIONS);
const stepArb: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('hold' as const),
      slot: slotArb,
      res: resArb,
      qty: fc.integer({ min: 1, max: 3 }),
      ttlMin: fc.integer({ min: 1, max: 20 }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constantFrom('release' as const, 'book' as const, 'releaseBooking' as const),
      slot: slotArb,
      res: resArb,
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constantFrom('expire' as const, 'close' as const, 'open' as const),
      slot: slotArb,
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('override' as const),
      slot: slotArb,
      capacity: fc.nat({ max: 5 }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('clock' as const),
      minutes: fc.integer({ min: 0, max: 15 }),
    }),
  },
);

interface ModelSlot {
  capacity: number;
  closed: boolean;
  holds: Map<string, { qty: number; expiresAt: number }>;
  bookings: Map<string, number>;
}
const newModelSlot = (): ModelSlot => ({
  capacity: RESOURCE_CAPACITY,
  closed: false,
  holds: new Map(),
  bookings: new Map(),
});
const used = (slot: ModelSlot, now: number, except?: string): number => {
  let total = 0;
  for (const [res, hold] of slot.holds)
    if (res !== except && hold.expiresAt > now) total += hold.qty;
  for (const qty of slot.bookings.values()) total += qty;
  return total;
};

/** The model's verdict: `true` accepted (and applied to the model), `false` refused. */
const applyToModel = (
  step: Exclude<Step, { kind: 'clock' }>,
  m: ModelSlot,
  now: number,
): boolean => {
  switch (step.kind) {
    case 'hold': {
      const expiresAt = now + step.ttlMin * 60_000;
      if (m.bookings.has(step.res)) return false;
      const own = m.holds.get(step.res);
      if (own && own.expiresAt > now && own.qty === step.qty && own.expiresAt === expiresAt)
        return true;
      if (m.closed || step.qty > m.capacity - used(m, now, step.res)) return false;
      m.holds.set(step.res, { qty: step.qty, expiresAt });
      return true;
    }
    case 'release':
      if (!m.holds.has(step.res) && m.bookings.has(step.res)) return false;
      m.holds.delete(step.res);
      return true;
    case 'book': {
      if (m.bookings.has(step.res)) return true;
      const hold = m.holds.get(step.res);
      if (!hold || hold.expiresAt <= now) return false;
      m.holds.delete(step.res);
      m.bookings.set(step.res, hold.qty);
      return true;
    }
    case 'releaseBooking':
      if (!m.bookings.has(step.res) && m.holds.has(step.res)) return false;
      m.bookings.delete(step.res);
      return true;
    case 'expire':
      for (const [res, hold] of m.holds) if (hold.expiresAt <= now) m.holds.delete(res);
      return true;
    case 'close':
    case 'open':
      m.closed = step.kind === 'close';
      return true;
    case 'override':
      if (step.capacity < used(m, now)) return false;
      m.capacity = step.capacity;
      return true;
  }
};

const toCommand = (step: Exclude<Step, { kind: 'clock' }>, now: string): SlotCommand => {
  const target = {
    resourceId: 'room-1',
    slotKey: SLOTS[step.slot] ?? '',
    resourceCapacity: RESOURCE_CAPACITY,
  };
  switch (step.kind) {
    case 'hold': {
      const expiresAt = toIsoInstant(Date.parse(now) + step.ttlMin * 60_000);
      return {
        type: 'PlaceHold',
        ...target,
        reservationId: step.res,
        quantity: step.qty,
        expiresAt,
        now,
      };
    }
    case 'release':
      return { type: 'ReleaseHold', reservationId: step.res, reason: 'test', now };
    case 'book':
      return { type: 'BookHold', reservationId: step.res, now };
    case 'releaseBooking':
      return { type: 'ReleaseBooking', reservationId: step.res, reason: 'test', now };
    case 'expire':
      return { type: 'ExpireHolds', now };
    case 'close':
      return { type: 'CloseSlot', ...target, reason: 'test', now };
    case 'open':
      return { type: 'OpenSlot', ...target, now };
    case 'override':
      return { type: 'OverrideCapacity', ...target, capacity: step.capacity, now };
  }
};

const assertAgrees = (state: SlotState, m: ModelSlot, now: number): void => {
  const capacity = state.status === 'Empty' ? RESOURCE_CAPACITY : state.capacity;
  expect(activeHeldQuantity(state, now) + bookedQuantity(state)).to.be.at.most(capacity);
  expect(capacity).to.equal(m.capacity);
  expect(activeHeldQuantity(state, now)).to.equal(
    used(m, now) - [...m.bookings.values()].reduce((a, b) => a + b, 0),
  );
  expect(bookedQuantity(state)).to.equal([...m.bookings.values()].reduce((a, b) => a + b, 0));
  expect(state.status === 'Closed').to.equal(m.closed);
};

describe('Slot decider (model-based)', () => {
  it('never overbooks, agrees with the model, and fold(events) equals the state', () => {
    fc.assert(
      fc.property(fc.array(stepArb, { minLength: 1, maxLength: 60 }), (steps) => {
        let now = START;
        const histories = SLOTS.map((): SlotEvent[] => []);
        const states = SLOTS.map((): SlotState => slotDecider.initialState());
        const models = SLOTS.map(newModelSlot);
        for (const step of steps) {
          if (step.kind === 'clock') {
            now += step.minutes * 60_000;
          } else {
            const i = step.slot;
            const before = states[i] as SlotState;
            const model = models[i] as ModelSlot;
            const predicted = applyToModel(step, model, now);
            let events: SlotEvent[] | undefined;
            try {
              events = slotDecider.decide(toCommand(step, toIsoInstant(now)), before);
            } catch (error) {
              expect(error).to.be.instanceOf(DomainError);
            }
            expect(events !== undefined, `accepted? ${JSON.stringify(step)}`).to.equal(predicted);
            if (events) {
              histories[i]?.push(...events);
              states[i] = fold(slotDecider, events, before);
            }
            expect(fold(slotDecider, histories[i] ?? [])).to.deep.equal(states[i]);
          }
          SLOTS.forEach((_, i) =>
            assertAgrees(states[i] as SlotState, models[i] as ModelSlot, now),
          );
        }
      }),
      { numRuns: 300 },
    );
  });
});
