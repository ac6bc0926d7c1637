import { expect } from 'chai';
import type { WeeklyHours } from '../resource/schema.ts';
import { sampleTimed } from '../resource/testing/sampleResources.ts';
import { toEpochMillis } from '../shared/time.ts';
import { timedAvailability } from './timed.ts';

/**
 * DST matrix: the grid lives in real time, slot keys in local time. Expected
 * instants are written out by hand from the zones' published rules.
 */
const ms = toEpochMillis;
const everyDay = (opens: string, closes: string): WeeklyHours =>
  (['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const).map((day) => ({
    day,
    opens,
    closes,
  }));

const grid = (
  zone: string,
  hours: WeeklyHours,
  from: string,
  to: string,
  extra: { now?: string; minimumNoticeMinutes?: number; slotMinutes?: number } = {},
) =>
  timedAvailability({
    resource: sampleTimed({
      zone,
      weeklyHours: hours,
      horizonDays: 365,
      minimumNoticeMinutes: extra.minimumNoticeMinutes ?? 0,
      slotMinutes: extra.slotMinutes ?? 60,
    }),
    from: ms(from),
    to: ms(to),
    now: ms(extra.now ?? '2026-01-01T00:00:00Z'),
    bookings: [],
    holds: [],
    calendars: [],
  }).slots;
const pairs = (slots: ReturnType<typeof grid>) =>
  slots.map((s) => [s.slotKey, s.startTime.slice(0, 16)]);

describe('timed availability across DST', () => {
  it('America/New_York spring forward: 00:00–06:00 has five real hours', () => {
    const slots = grid(
      'America/New_York',
      everyDay('00:00', '06:00'),
      '2026-03-08T05:00:00Z',
      '2026-03-08T12:00:00Z',
    );
    expect(pairs(slots)).to.deep.equal([
      ['2026-03-08T00:00', '2026-03-08T05:00'],
      ['2026-03-08T01:00', '2026-03-08T06:00'],
      ['2026-03-08T03:00', '2026-03-08T07:00'],
      ['2026-03-08T04:00', '2026-03-08T08:00'],
      ['2026-03-08T05:00', '2026-03-08T09:00'],
    ]);
  });

  it('America/New_York fall back: 00:00–04:00 has five real hours and the repeated hour has its own key', () => {
    const slots = grid(
      'America/New_York',
      everyDay('00:00', '04:00'),
      '2026-11-01T04:00:00Z',
      '2026-11-01T12:00:00Z',
    );
    expect(pairs(slots)).to.deep.equal([
      ['2026-11-01T00:00', '2026-11-01T04:00'],
      ['2026-11-01T01:00', '2026-11-01T05:00'],
      ['2026-11-01T01:00-05:00', '2026-11-01T06:00'],
      ['2026-11-01T02:00', '2026-11-01T07:00'],
      ['2026-11-01T03:00', '2026-11-01T08:00'],
    ]);
  });

  it('Europe/Berlin: 09:00 moves from 08:00Z to 07:00Z over spring forward and back over fall back', () => {
    const hours = everyDay('09:00', '11:00');
    expect(
      pairs(grid('Europe/Berlin', hours, '2026-03-28T00:00:00Z', '2026-03-30T00:00:00Z')).map(
        (p) => p[1],
      ),
    ).to.deep.equal([
      '2026-03-28T08:00',
      '2026-03-28T09:00',
      '2026-03-29T07:00',
      '2026-03-29T08:00',
    ]);
    expect(
      pairs(grid('Europe/Berlin', hours, '2026-10-24T00:00:00Z', '2026-10-26T00:00:00Z')).map(
        (p) => p[1],
      ),
    ).to.deep.equal([
      '2026-10-24T07:00',
      '2026-10-24T08:00',
      '2026-10-25T08:00',
      '2026-10-25T09:00',
    ]);
  });

  it('Asia/Kolkata (UTC+05:30): slots after 13:00 land on half hours in UTC', () => {
    const slots = grid(
      'Asia/Kolkata',
      everyDay('13:00', '15:00'),
      '2026-12-24T00:00:00Z',
      '2026-12-25T00:00:00Z',
      { slotMinutes: 30 },
    );
    expect(pairs(slots)).to.deep.equal([
      ['2026-12-24T13:00', '2026-12-24T07:30'],
      ['2026-12-24T13:30', '2026-12-24T08:00'],
      ['2026-12-24T14:00', '2026-12-24T08:30'],
      ['2026-12-24T14:30', '2026-12-24T09:00'],
    ]);
  });

  it('Asia/Jerusalem: Friday-before-last-Sunday spring forward, afternoon slots', () => {
    const hours = everyDay('13:00', '15:00');
    // Israel moves to IDT (UTC+3) on Friday 2026-03-27 at 02:00.
    expect(
      pairs(grid('Asia/Jerusalem', hours, '2026-03-26T00:00:00Z', '2026-03-28T00:00:00Z')),
    ).to.deep.equal([
      ['2026-03-26T13:00', '2026-03-26T11:00'],
      ['2026-03-26T14:00', '2026-03-26T12:00'],
      ['2026-03-27T13:00', '2026-03-27T10:00'],
      ['2026-03-27T14:00', '2026-03-27T11:00'],
    ]);
  });

  it('minimum notice counts real hours across a DST change', () => {
    // Saturday 20:00 EST + 12 h of notice = Sunday 09:00 EDT (a wall-clock sum would say 08:00).
    const slots = grid(
      'America/New_York',
      everyDay('06:00', '12:00'),
      '2026-03-08T05:00:00Z',
      '2026-03-08T17:00:00Z',
      {
        now: '2026-03-08T01:00:00Z',
        minimumNoticeMinutes: 12 * 60,
      },
    );
    expect(slots.map((s) => [s.slotKey.slice(11), s.isAvailable])).to.deep.equal([
      ['06:00', false],
      ['07:00', false],
      ['08:00', false],
      ['09:00', true],
      ['10:00', true],
      ['11:00', true],
    ]);
  });
});
