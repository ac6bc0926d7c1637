import { expect } from 'chai';
import fc from 'fast-check';
import { ValidationError } from './errors.ts';
import {
  addDays,
  assertZone,
  dayOfWeek,
  epochMillisToLocal,
  isZone,
  localToEpochMillis,
  MAX_ENUMERATED_DAYS,
  nightsBetween,
  nightsOf,
  toEpochMillis,
  toIsoInstant,
} from './time.ts';

describe('time', () => {
  it('accepts IANA zones and refuses fixed offsets and unknown names', () => {
    expect(isZone('Asia/Kolkata')).to.equal(true);
    expect(isZone('UTC')).to.equal(true);
    expect(isZone('+02:00')).to.equal(false);
    expect(isZone('EST')).to.equal(false);
    expect(isZone('Etc/GMT+5')).to.equal(false);
    expect(isZone('Mars/Olympus')).to.equal(false);
    expect(() => assertZone('GMT+2')).to.throw(ValidationError, /IANA/);
  });

  it('does local date arithmetic across months, leap days and years', () => {
    expect(addDays('2028-02-28', 1)).to.equal('2028-02-29');
    expect(addDays('2026-12-31', 1)).to.equal('2027-01-01');
    expect(addDays('2026-03-01', -1)).to.equal('2026-02-28');
    expect(nightsBetween('2024-12-30', '2025-01-02')).to.equal(3);
    expect(nightsOf('2024-12-30', '2025-01-02')).to.deep.equal([
      '2024-12-30',
      '2024-12-31',
      '2025-01-01',
    ]);
    expect(dayOfWeek('2026-12-24')).to.equal('thu');
    expect(() => nightsBetween('2026-12-24', '2026-12-23')).to.throw(
      ValidationError,
      /checkOut must be after checkIn/,
    );
    expect(() => addDays('2026-02-30', 1)).to.throw(ValidationError);
  });

  it('counts nights independently of DST (a night is a date, not 24 hours)', () => {
    expect(nightsBetween('2026-03-07', '2026-03-09')).to.equal(2);
    expect(nightsBetween('2026-10-31', '2026-11-02')).to.equal(2);
  });

  it('maps local times to instants across spring-forward (gap moves forward)', () => {
    const ny = 'America/New_York';
    expect(toIsoInstant(localToEpochMillis('2026-03-08', 90, ny))).to.equal(
      '2026-03-08T06:30:00.000Z',
    );
    expect(toIsoInstant(localToEpochMillis('2026-03-08', 150, ny))).to.equal(
      '2026-03-08T07:30:00.000Z',
    );
    expect(toIsoInstant(localToEpochMillis('2026-03-08', 180, ny))).to.equal(
      '2026-03-08T07:00:00.000Z',
    );
  });

  it('maps a repeated fall-back time to its first occurrence', () => {
    const ny = 'America/New_York';
    expect(toIsoInstant(localToEpochMillis('2026-11-01', 90, ny))).to.equal(
      '2026-11-01T05:30:00.000Z',
    );
    expect(epochMillisToLocal(toEpochMillis('2026-11-01T06:30:00Z'), ny).time).to.equal('01:30');
  });

  it('handles half-hour zones', () => {
    const ms = localToEpochMillis('2026-12-24', 13 * 60 + 30, 'Asia/Kolkata');
    expect(toIsoInstant(ms)).to.equal('2026-12-24T08:00:00.000Z');
    expect(epochMillisToLocal(ms, 'Asia/Kolkata')).to.deep.include({
      dateTime: '2026-12-24T13:30',
      offsetMinutes: 330,
    });
  });

  it('refuses instants without an offset', () => {
    expect(() => toEpochMillis('2026-12-24T09:00')).to.throw(ValidationError, /offset/);
    expect(toEpochMillis('2026-12-24T09:00:00+02:00')).to.equal(Date.UTC(2026, 11, 24, 7));
  });

  it('round-trips every instant through local time (property)', () => {
    const zones = [
      'America/New_York',
      'Europe/Berlin',
      'Asia/Kolkata',
      'Asia/Jerusalem',
      'Australia/Lord_Howe',
    ];
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(2024, 0, 1) / 60_000, max: Date.UTC(2030, 0, 1) / 60_000 }),
        fc.constantFrom(...zones),
        (minute, zone) => {
          const ms = minute * 60_000;
          const local = epochMillisToLocal(ms, zone);
          const [h = 0, m = 0] = local.time.split(':').map(Number);
          const back = localToEpochMillis(local.date, h * 60 + m, zone);
          // A repeated (fall-back) local time maps to its first occurrence, at most one DST shift earlier.
          expect(ms - back).to.be.oneOf([0, 30 * 60_000, 60 * 60_000]);
          expect(epochMillisToLocal(back, zone).dateTime).to.equal(local.dateTime);
        },
      ),
    );
  });

  it('refuses to list more than MAX_ENUMERATED_DAYS nights, counting before listing', function () {
    this.timeout(1_000);
    expect(nightsOf('2026-01-01', addDays('2026-01-01', MAX_ENUMERATED_DAYS))).to.have.length(
      MAX_ENUMERATED_DAYS,
    );
    for (const checkOut of [addDays('2026-01-01', MAX_ENUMERATED_DAYS + 1), '9999-12-31']) {
      try {
        nightsOf('2026-01-01', checkOut);
        expect.fail(`expected ${checkOut} to be refused`);
      } catch (error) {
        expect(error).to.be.instanceOf(ValidationError);
        expect((error as ValidationError).code).to.equal('RANGE_TOO_LONG');
      }
    }
  });
});
