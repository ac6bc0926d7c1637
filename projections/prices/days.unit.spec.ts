import { expect } from 'chai';
import fc from 'fast-check';
import { addDays, localDateOf } from '../../domain/shared/time.ts';
import { localDayOf, plusDays } from './days.ts';

const ZONES = [
  'UTC',
  'Europe/Berlin',
  'Asia/Jerusalem',
  'America/New_York',
  'Pacific/Kiritimati',
  'Pacific/Pago_Pago',
  'Australia/Lord_Howe',
];

describe('price model day arithmetic', () => {
  it('plusDays equals addDays', () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date('2000-01-01T00:00:00Z'),
          max: new Date('2090-12-31T00:00:00Z'),
          noInvalidDate: true,
        }),
        fc.integer({ min: -800, max: 800 }),
        (day, days) => {
          const date = day.toISOString().slice(0, 10);
          expect(plusDays(date, days)).to.equal(addDays(date, days));
        },
      ),
    );
  });

  it('localDayOf equals localDateOf in every zone, DST and date-line zones included', () => {
    fc.assert(
      fc.property(
        fc.integer({
          min: Date.parse('2000-01-01T00:00:00Z'),
          max: Date.parse('2090-12-31T00:00:00Z'),
        }),
        fc.constantFrom(...ZONES),
        (millis, zone) => {
          expect(localDayOf(millis, zone)).to.equal(localDateOf(millis, zone));
        },
      ),
    );
  });
});
