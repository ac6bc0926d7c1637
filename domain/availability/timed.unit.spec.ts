import { expect } from 'chai';
import { sampleTimed } from '../resource/testing/sampleResources.ts';
import { ValidationError } from '../shared/errors.ts';
import { toEpochMillis } from '../shared/time.ts';
import { checkTimedSlot, timedAvailability } from './timed.ts';
import type { TimedAvailabilityInput } from './timedInput.ts';

const ms = toEpochMillis;
// Monday 2026-12-07 in New York (UTC−5): hours 09:00–17:00 = 14:00Z–22:00Z.
const base: TimedAvailabilityInput = {
  resource: sampleTimed({ horizonDays: 60 }),
  from: ms('2026-12-07T05:00:00Z'),
  to: ms('2026-12-08T05:00:00Z'),
  now: ms('2026-12-01T12:00:00Z'),
  bookings: [],
  holds: [],
  calendars: [],
};
const bySlot = (input: TimedAvailabilityInput) =>
  Object.fromEntries(timedAvailability(input).slots.map((s) => [s.slotKey.slice(11), s]));

describe('timed availability', () => {
  it('cuts the opening hours into slots, all available at full confidence', () => {
    const result = timedAvailability(base);
    expect(result.slots.map((s) => s.slotKey)).to.deep.equal(
      ['09', '10', '11', '12', '13', '14', '15', '16'].map((h) => `2026-12-07T${h}:00`),
    );
    expect(result.slots[0]).to.deep.include({
      startTime: '2026-12-07T14:00:00.000Z',
      endTime: '2026-12-07T15:00:00.000Z',
      isAvailable: true,
      confidence: 1,
    });
    expect(
      result.slots.every(
        (s) => s.reasons.length === 0 && s.computedAt === '2026-12-01T12:00:00.000Z',
      ),
    ).to.equal(true);
  });

  it('blocks booked, held and calendar-busy slots with their reasons and confidence', () => {
    const slots = bySlot({
      ...base,
      bookings: [
        {
          reservationId: 'b1',
          start: ms('2026-12-07T15:00:00Z'),
          end: ms('2026-12-07T16:00:00Z'),
          quantity: 1,
        },
      ],
      holds: [
        {
          reservationId: 'h1',
          start: ms('2026-12-07T17:00:00Z'),
          end: ms('2026-12-07T18:00:00Z'),
          quantity: 1,
          expiresAt: ms('2026-12-01T12:10:00Z'),
        },
        {
          reservationId: 'h2',
          start: ms('2026-12-07T18:00:00Z'),
          end: ms('2026-12-07T19:00:00Z'),
          quantity: 1,
          expiresAt: ms('2026-12-01T12:00:00Z'),
        },
      ],
      calendars: [
        {
          sourceId: 'g',
          status: 'fresh',
          blocks: [
            { start: ms('2026-12-07T19:30:00Z'), end: ms('2026-12-07T19:45:00Z') },
            { start: ms('2026-12-07T21:00:00Z'), end: ms('2026-12-07T22:00:00Z'), tentative: true },
          ],
        },
      ],
    });
    expect(slots['10:00']).to.deep.include({
      isAvailable: false,
      confidence: 0,
      reasons: ['BUSY_BOOKING'],
    });
    expect(slots['12:00']).to.deep.include({
      isAvailable: false,
      confidence: 0.2,
      reasons: ['HELD'],
    });
    expect(slots['13:00'], 'an expired hold blocks nothing').to.deep.include({ isAvailable: true });
    expect(slots['14:00']).to.deep.include({
      isAvailable: false,
      confidence: 0,
      reasons: ['BUSY_CALENDAR'],
    });
    expect(slots['16:00']).to.deep.include({
      isAvailable: false,
      confidence: 0.2,
      reasons: ['BUSY_CALENDAR'],
    });
  });

  it('stacks buffers: after-buffer of a booking plus before-buffer of the next slot', () => {
    const resource = sampleTimed({
      horizonDays: 60,
      bufferBeforeMinutes: 15,
      bufferAfterMinutes: 30,
    });
    const slots = bySlot({
      ...base,
      resource,
      bookings: [
        {
          reservationId: 'b1',
          start: ms('2026-12-07T17:00:00Z'),
          end: ms('2026-12-07T18:00:00Z'),
          quantity: 1,
        },
      ],
    });
    expect(slots['11:00']?.reasons).to.deep.equal(['BUFFER']);
    expect(slots['12:00']?.reasons).to.deep.equal(['BUSY_BOOKING']);
    expect(slots['13:00']?.reasons).to.deep.equal(['BUFFER']);
    expect(slots['14:00']).to.deep.include({
      isAvailable: true,
      confidence: 0.8,
      reasons: ['NEAR_BUFFER'],
    });
    expect(slots['09:00']).to.deep.include({ isAvailable: true, confidence: 1 });
  });

  it('counts capacity: a second table is still free', () => {
    const slots = bySlot({
      ...base,
      resource: sampleTimed({ horizonDays: 60, capacity: 2 }),
      bookings: [
        {
          reservationId: 'b1',
          start: ms('2026-12-07T15:00:00Z'),
          end: ms('2026-12-07T16:00:00Z'),
          quantity: 1,
        },
      ],
    });
    expect(slots['10:00']?.isAvailable).to.equal(true);
    expect(
      bySlot({
        ...base,
        quantity: 2,
        resource: sampleTimed({ horizonDays: 60, capacity: 2 }),
        bookings: [
          {
            reservationId: 'b1',
            start: ms('2026-12-07T15:00:00Z'),
            end: ms('2026-12-07T16:00:00Z'),
            quantity: 1,
          },
        ],
      })['10:00']?.reasons,
    ).to.deep.equal(['BUSY_BOOKING']);
  });

  it('ignores the asking reservation’s own hold and booking', () => {
    const holds = [
      {
        reservationId: 'me',
        start: ms('2026-12-07T15:00:00Z'),
        end: ms('2026-12-07T16:00:00Z'),
        quantity: 1,
        expiresAt: ms('2026-12-02T00:00:00Z'),
      },
    ];
    expect(bySlot({ ...base, holds })['10:00']?.isAvailable).to.equal(false);
    expect(bySlot({ ...base, holds, forReservationId: 'me' })['10:00']?.isAvailable).to.equal(true);
  });

  it('applies minimum notice and horizon', () => {
    const now = ms('2026-12-07T15:30:00Z');
    const slots = bySlot({
      ...base,
      now,
      resource: sampleTimed({ horizonDays: 60, minimumNoticeMinutes: 120 }),
    });
    expect(slots['11:00']).to.deep.include({
      isAvailable: false,
      confidence: 0.6,
      reasons: ['MIN_NOTICE'],
    });
    expect(slots['12:00']?.reasons).to.deep.equal(['MIN_NOTICE']);
    expect(slots['13:00']?.isAvailable).to.equal(true);
    const far = bySlot({ ...base, resource: sampleTimed({ horizonDays: 5 }) });
    expect(far['09:00']).to.deep.include({ isAvailable: false, reasons: ['BEYOND_HORIZON'] });
    expect(
      bySlot({ ...base, resource: sampleTimed({ horizonDays: 6 }) })['16:00']?.isAvailable,
    ).to.equal(true);
  });

  it('lowers confidence when a calendar source is stale or failed', () => {
    const stale = bySlot({ ...base, calendars: [{ sourceId: 'g', status: 'stale', blocks: [] }] });
    expect(stale['09:00']).to.deep.include({
      isAvailable: true,
      confidence: 0.8,
      reasons: ['CALENDAR_STALE'],
    });
    const failed = bySlot({
      ...base,
      calendars: [{ sourceId: 'g', status: 'failed', blocks: [] }],
    });
    expect(failed['09:00']).to.deep.include({
      isAvailable: true,
      confidence: 0.6,
      reasons: ['CALENDAR_FAILED'],
    });
  });

  it('closes slots by slot key and by date override', () => {
    expect(
      bySlot({ ...base, closedSlotKeys: ['2026-12-07T09:00'] })['09:00']?.reasons,
    ).to.deep.equal(['CLOSED']);
    const resource = sampleTimed({
      horizonDays: 60,
      dateOverrides: [{ date: '2026-12-07', hours: [{ opens: '13:00', closes: '15:00' }] }],
    });
    expect(Object.keys(bySlot({ ...base, resource }))).to.deep.equal(['13:00', '14:00']);
  });

  it('checks one requested slot, including OUTSIDE_HOURS and a closed day', () => {
    expect(checkTimedSlot(base, ms('2026-12-07T14:00:00Z'))).to.deep.include({
      isAvailable: true,
      slotKey: '2026-12-07T09:00',
    });
    expect(checkTimedSlot(base, ms('2026-12-07T23:00:00Z'))).to.deep.include({
      isAvailable: false,
      confidence: 0.4,
      reasons: ['OUTSIDE_HOURS'],
    });
    const closedDay = {
      ...base,
      resource: sampleTimed({
        horizonDays: 60,
        dateOverrides: [{ date: '2026-12-07', hours: [] }],
      }),
    };
    expect(checkTimedSlot(closedDay, ms('2026-12-07T14:00:00Z')).reasons).to.deep.equal(['CLOSED']);
  });

  it('versions the computation deterministically', () => {
    const a = timedAvailability(base);
    expect(timedAvailability(base).computedVersion).to.equal(a.computedVersion);
    expect(a.computedVersion).to.match(/^[0-9a-f]{16}$/);
    expect(
      timedAvailability({
        ...base,
        bookings: [{ reservationId: 'x', start: 0, end: 1, quantity: 1 }],
      }).computedVersion,
    ).not.to.equal(a.computedVersion);
    expect(a.slots.every((s) => s.computedVersion === a.computedVersion)).to.equal(true);
  });

  it('refuses an empty window or a bad slot length', () => {
    expect(() => timedAvailability({ ...base, to: base.from })).to.throw(ValidationError);
    expect(() => timedAvailability({ ...base, slotMinutes: 3 })).to.throw(ValidationError);
  });

  it('refuses a window to the year 9999 from its length, before walking its days', function () {
    this.timeout(1_000);
    expect(() => timedAvailability({ ...base, to: ms('9999-12-31T00:00:00Z') }))
      .to.throw(ValidationError)
      .with.property('code', 'RANGE_TOO_LONG');
  });

  it('says EXCEEDS_CAPACITY when more units are asked than a slot has at all, booked or not', () => {
    const capacity = base.resource.capacity;
    const booking = {
      reservationId: 'b1',
      start: ms('2026-12-07T15:00:00Z'),
      end: ms('2026-12-07T16:00:00Z'),
      quantity: 1,
    };
    const slots = bySlot({ ...base, quantity: capacity + 1, bookings: [booking] });
    expect(slots['10:00']?.reasons).to.deep.equal(['EXCEEDS_CAPACITY']);
    expect(slots['11:00']?.reasons).to.deep.equal(['EXCEEDS_CAPACITY']);
    expect(slots['11:00']?.isAvailable).to.equal(false);
  });
});
