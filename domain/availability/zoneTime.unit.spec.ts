import { expect } from 'chai';
import fc from 'fast-check';
import type { WeeklyHours } from '../resource/schema.ts';
import { sampleNightly, sampleTimed } from '../resource/testing/sampleResources.ts';
import { addDays, MINUTE_MS } from '../shared/time.ts';

const HOUR_MS = 60 * MINUTE_MS;
import { checkStay } from './nightly.ts';
import { timedAvailability } from './timed.ts';
import { createZoneTimeMemo } from './zoneTime.ts';

// DST both ways, a half-hour zone, a 30-minute DST shift (Lord Howe) and no DST at all.
const ZONES = [
  'Europe/Berlin',
  'America/New_York',
  'Asia/Kolkata',
  'Australia/Lord_Howe',
  'Asia/Jerusalem',
  'UTC',
];
const everyDay = (opens: string, closes: string): WeeklyHours =>
  (['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const).map((day) => ({
    day,
    opens,
    closes,
  }));
// Around 2026's spring-forward and fall-back weekends in both hemispheres.
const ANCHORS = [
  '2026-03-08',
  '2026-03-29',
  '2026-04-05',
  '2026-10-04',
  '2026-10-25',
  '2026-11-01',
];

describe('memoized zone conversions', () => {
  it('give the timed pipeline exactly the answers of the plain ones, DST days included, hit or miss', () => {
    const memo = createZoneTimeMemo();
    fc.assert(
      fc.property(
        fc.constantFrom(...ZONES),
        fc.constantFrom(...ANCHORS),
        fc.integer({ min: -36, max: 36 }),
        fc.integer({ min: 1, max: 72 }),
        fc.constantFrom(15, 30, 60, 90),
        fc.constantFrom(['00:00', '24:00'], ['01:00', '04:00'], ['09:00', '17:30']),
        (zone, anchor, offsetHours, hours, slotMinutes, [opens = '', closes = '']) => {
          const from = Date.parse(`${anchor}T00:00:00Z`) + offsetHours * HOUR_MS;
          const input = {
            resource: sampleTimed({
              zone,
              weeklyHours: everyDay(opens, closes),
              slotMinutes,
              horizonDays: 365,
              minimumNoticeMinutes: 0,
            }),
            from,
            to: from + hours * HOUR_MS,
            now: from - 7 * 24 * HOUR_MS + 17 * MINUTE_MS + 3,
            bookings: [],
            holds: [],
            calendars: [],
          };
          const plain = timedAvailability(input);
          expect(timedAvailability({ ...input, zoneTime: memo })).to.deep.equal(plain);
          expect(timedAvailability({ ...input, zoneTime: memo })).to.deep.equal(plain);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('give the nightly stay check exactly the answers of the plain ones', () => {
    const memo = createZoneTimeMemo();
    fc.assert(
      fc.property(
        fc.constantFrom(...ZONES),
        fc.constantFrom(...ANCHORS),
        fc.integer({ min: -3, max: 400 }),
        fc.integer({ min: 1, max: 9 }),
        fc.integer({ min: 0, max: 36 * 60 }),
        fc.subarray(['mon', 'fri', 'sat'] as const),
        (zone, anchor, ahead, nights, noticeMinutes, weekdays) => {
          const checkIn = addDays(anchor, ahead);
          const base = sampleNightly();
          const input = {
            resource: sampleNightly({
              zone,
              minimumNoticeMinutes: noticeMinutes,
              horizonDays: 365,
              stayRestrictions: {
                ...base.stayRestrictions,
                minNights: 2,
                maxNights: 7,
                closedToArrival: { dates: [], weekdays: [...weekdays] },
                closedToDeparture: { dates: [addDays(checkIn, 3)], weekdays: [] },
              },
            }),
            checkIn,
            checkOut: addDays(checkIn, nights),
            quantity: 1,
            now: Date.parse(`${anchor}T21:47:13.5Z`),
            slotOf: () => ({ status: 'Empty' }) as const,
          };
          const plain = checkStay(input);
          expect(checkStay({ ...input, zoneTime: memo })).to.deep.equal(plain);
          expect(checkStay({ ...input, zoneTime: memo })).to.deep.equal(plain);
        },
      ),
      { numRuns: 300 },
    );
  });
});
