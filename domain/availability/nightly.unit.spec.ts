import { expect } from 'chai';
import { sampleNightly } from '../resource/testing/sampleResources.ts';
import { fold } from '../shared/decider.ts';
import type { SlotCommand } from '../slot/commands.ts';
import { slotDecider } from '../slot/slotDecider.ts';
import type { SlotState } from '../slot/state.ts';
import { toEpochMillis } from '../shared/time.ts';
import { checkStay } from './nightly.ts';

const NOW = '2026-12-01T10:00:00.000Z';
const resource = sampleNightly({ capacity: 2 });
const target = (slotKey: string) => ({ resourceId: 'room-1', slotKey, resourceCapacity: 2 });
const stateAfter = (...commands: SlotCommand[]): SlotState =>
  commands.reduce(
    (state, c) => fold(slotDecider, slotDecider.decide(c, state), state),
    slotDecider.initialState(),
  );
const hold = (slotKey: string, reservationId: string, quantity: number): SlotCommand => ({
  type: 'PlaceHold',
  ...target(slotKey),
  reservationId,
  quantity,
  expiresAt: '2026-12-01T10:15:00.000Z',
  now: NOW,
});

const stay = (overrides: Partial<Parameters<typeof checkStay>[0]> = {}) =>
  checkStay({
    resource,
    checkIn: '2026-12-24',
    checkOut: '2026-12-27',
    quantity: 1,
    now: toEpochMillis(NOW),
    slotOf: () => slotDecider.initialState(),
    ...overrides,
  });

describe('nightly availability', () => {
  it('is bookable when every night has room', () => {
    const result = stay();
    expect(result.bookable).to.equal(true);
    expect(result.nights.map((n) => [n.date, n.available])).to.deep.equal([
      ['2026-12-24', 2],
      ['2026-12-25', 2],
      ['2026-12-26', 2],
    ]);
  });

  it('names the night that is full, closed, or held by others, but not by the asker', () => {
    const slots: Record<string, SlotState> = {
      '2026-12-24': stateAfter(hold('2026-12-24', 'a', 2), {
        type: 'BookHold',
        reservationId: 'a',
        now: NOW,
      }),
      '2026-12-25': stateAfter({
        type: 'CloseSlot',
        ...target('2026-12-25'),
        reason: 'renovation',
        now: NOW,
      }),
      '2026-12-26': stateAfter(hold('2026-12-26', 'b', 2)),
    };
    const result = stay({ slotOf: (d) => slots[d] ?? slotDecider.initialState() });
    expect(result.bookable).to.equal(false);
    expect(result.nights.map((n) => n.reasons)).to.deep.equal([
      ['BUSY_BOOKING'],
      ['CLOSED'],
      ['HELD'],
    ]);
    const mine = stay({
      slotOf: (d) => slots[d] ?? slotDecider.initialState(),
      forReservationId: 'b',
    });
    expect(mine.nights[2]?.reasons).to.deep.equal([]);
    const later = stay({
      slotOf: (d) => slots[d] ?? slotDecider.initialState(),
      now: toEpochMillis('2026-12-01T10:15:00Z'),
    });
    expect(later.nights[2]?.available).to.equal(2);
  });

  it('applies min/max nights and closed-to-arrival/departure', () => {
    const restricted = sampleNightly({
      stayRestrictions: {
        minNights: 2,
        maxNights: 3,
        closedToArrival: { dates: ['2026-12-24'], weekdays: [] },
        closedToDeparture: { dates: [], weekdays: ['sun'] },
      },
    });
    expect(
      stay({ resource: restricted, checkIn: '2026-12-24', checkOut: '2026-12-27' }).reasons,
    ).to.deep.equal(['CLOSED_TO_ARRIVAL', 'CLOSED_TO_DEPARTURE']);
    expect(
      stay({ resource: restricted, checkIn: '2026-12-22', checkOut: '2026-12-23' }).reasons,
    ).to.deep.equal(['MIN_NIGHTS']);
    expect(
      stay({ resource: restricted, checkIn: '2026-12-21', checkOut: '2026-12-25' }).reasons,
    ).to.deep.equal(['MAX_NIGHTS']);
    expect(
      stay({ resource: restricted, checkIn: '2026-12-21', checkOut: '2026-12-24' }).bookable,
    ).to.equal(true);
  });

  it('applies the advance window in the resource zone', () => {
    // 23:30 in Berlin on Dec 24 is still Dec 24: same-day arrival allowed, not with 60 min notice.
    const lateEvening = toEpochMillis('2026-12-24T22:30:00Z');
    expect(stay({ now: lateEvening }).reasons).to.deep.equal([]);
    expect(
      stay({ now: lateEvening, resource: sampleNightly({ minimumNoticeMinutes: 60 }) }).reasons,
    ).to.deep.equal(['MIN_NOTICE']);
    expect(stay({ now: toEpochMillis('2026-12-25T00:30:00Z') }).reasons).to.deep.equal([
      'MIN_NOTICE',
    ]);
    expect(stay({ resource: sampleNightly({ horizonDays: 24 }) }).reasons).to.deep.equal([
      'BEYOND_HORIZON',
    ]);
    expect(
      stay({ resource: sampleNightly({ horizonDays: 24 }), checkOut: '2026-12-26' }).reasons,
    ).to.deep.equal([]);
  });

  it('refuses bad requests', () => {
    expect(() => stay({ checkOut: '2026-12-24' })).to.throw(/checkOut must be after checkIn/);
    expect(() => stay({ quantity: 0 })).to.throw(/quantity/);
  });

  it('says EXCEEDS_CAPACITY, not BUSY_BOOKING, when more units are asked than a night has at all', () => {
    const booked = stateAfter(hold('2026-12-24', 'a', 1), {
      type: 'BookHold',
      reservationId: 'a',
      now: NOW,
    });
    const result = stay({
      quantity: 3,
      slotOf: (d) => (d === '2026-12-24' ? booked : slotDecider.initialState()),
    });
    expect(result.bookable).to.equal(false);
    expect(result.nights.map((n) => n.reasons)).to.deep.equal([
      ['EXCEEDS_CAPACITY'],
      ['EXCEEDS_CAPACITY'],
      ['EXCEEDS_CAPACITY'],
    ]);
    expect(stay({ quantity: 2, slotOf: () => booked }).nights[0]?.reasons).to.deep.equal([
      'BUSY_BOOKING',
    ]);
  });
});
