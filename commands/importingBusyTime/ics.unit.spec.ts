import { expect } from 'chai';
import { ValidationError } from '../../domain/shared/errors.ts';
import { toEpochMillis } from '../../domain/shared/time.ts';
import { MAX_OCCURRENCES_PER_UPLOAD, parseIcsBusyTime } from './ics.ts';

const window = {
  from: toEpochMillis('2026-12-01T00:00:00Z'),
  to: toEpochMillis('2026-12-02T00:00:00Z'),
  zone: 'UTC',
};

/** `count` hourly events starting `hoursBefore` hours before the window: all iterated, none kept. */
const calendar = (count: number, hoursBefore: number): string => {
  const start = new Date(window.from - hoursBefore * 3_600_000)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
  const events = Array.from({ length: count }, (_, i) =>
    [
      'BEGIN:VEVENT',
      `UID:e${i}`,
      `DTSTART:${start}`,
      'DURATION:PT1M',
      'RRULE:FREQ=HOURLY;UNTIL=20261130T235900Z',
      'END:VEVENT',
    ].join('\r\n'),
  );
  return ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//t//EN', ...events, 'END:VCALENDAR'].join(
    '\r\n',
  );
};

describe('parseIcsBusyTime bounds its work per upload', () => {
  it('expands occurrences that end before the window without keeping them', () => {
    expect(parseIcsBusyTime(calendar(2, 100), window)).to.deep.equal([]);
  });

  // Each event alone stays under the bound; before the fix only each one was bounded,
  // so many such events in one upload multiplied the work without limit.
  it('refuses an upload whose events recur more than the bound in all', function () {
    this.timeout(20_000);
    const perEvent = Math.ceil(MAX_OCCURRENCES_PER_UPLOAD / 3);
    expect(() => parseIcsBusyTime(calendar(4, perEvent), window))
      .to.throw(ValidationError)
      .with.property('code', 'TOO_MANY_OCCURRENCES');
  });
});
