import { expect } from 'chai';
import fc from 'fast-check';
import { sampleTimed } from '../resource/testing/sampleResources.ts';
import { MINUTE_MS, toEpochMillis } from '../shared/time.ts';
import { timedAvailability } from './timed.ts';
import type { BusyBooking } from './timedInput.ts';

const DAY_START = toEpochMillis('2026-12-07T05:00:00Z'); // Monday 00:00 in New York
const blockArb = fc
  .record({ startQ: fc.integer({ min: 0, max: 95 }), lengthQ: fc.integer({ min: 1, max: 12 }) })
  .map(({ startQ, lengthQ }) => ({
    start: DAY_START + startQ * 15 * MINUTE_MS,
    end: DAY_START + (startQ + lengthQ) * 15 * MINUTE_MS,
  }));

describe('timed availability (properties)', () => {
  it('an available slot never overlaps a busy block widened by the stacked buffers, and the sweep matches a brute-force check', () => {
    fc.assert(
      fc.property(
        fc.array(blockArb, { maxLength: 12 }),
        fc.array(blockArb, { maxLength: 6 }),
        fc.integer({ min: 0, max: 45 }),
        fc.integer({ min: 0, max: 45 }),
        fc.constantFrom(15, 30, 45, 60),
        (bookingBlocks, calendarBlocks, before, after, slotMinutes) => {
          const resource = sampleTimed({
            weeklyHours: [{ day: 'mon', opens: '06:00', closes: '20:00' }],
            bufferBeforeMinutes: before,
            bufferAfterMinutes: after,
            slotMinutes,
            horizonDays: 60,
          });
          const bookings: BusyBooking[] = bookingBlocks.map((b, i) => ({
            ...b,
            reservationId: `b${i}`,
            quantity: 1,
          }));
          const result = timedAvailability({
            resource,
            from: DAY_START,
            to: DAY_START + 24 * 60 * MINUTE_MS,
            now: DAY_START - 24 * 60 * MINUTE_MS,
            bookings,
            holds: [],
            calendars: [{ sourceId: 'c', status: 'fresh', blocks: calendarBlocks }],
          });
          const pad = (before + after) * MINUTE_MS;
          const all = [...bookingBlocks, ...calendarBlocks];
          expect(result.slots.length).to.equal(((14 * 60) / slotMinutes) | 0);
          for (const slot of result.slots) {
            const start = Date.parse(slot.startTime);
            const end = Date.parse(slot.endTime);
            const clashes = all.some((b) => start < b.end + pad && b.start - pad < end);
            expect(slot.isAvailable, `${slot.slotKey} ${slot.reasons.join(',')}`).to.equal(
              !clashes,
            );
            if (!slot.isAvailable) expect(slot.confidence).to.equal(0);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
