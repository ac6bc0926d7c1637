import { expect } from 'chai';
import fc from 'fast-check';
import { DateTime } from 'luxon';
import {
  addDays,
  dayOfWeek,
  daysBetween,
  epochMillisToLocal,
  localToEpochMillis,
  toEpochMillis,
  toIsoInstant,
  WEEKDAYS,
} from './time.ts';

/**
 * time.ts does its calendar arithmetic with integers and cached per-hour zone
 * offsets instead of a luxon DateTime per call. Here luxon is the reference:
 * for random dates, instants and the zones the DST tests use (plus southern
 * and half-hour ones), both give the same answers, DST days included.
 */
const ZONES = [
  'America/New_York',
  'Europe/Berlin',
  'Asia/Kolkata',
  'Asia/Jerusalem',
  'Australia/Lord_Howe',
  'America/Sao_Paulo',
  'Pacific/Chatham',
  'UTC',
];
const FROM = Date.UTC(1971, 0, 1);
const TO = Date.UTC(2060, 0, 1);
const dayArb = fc.integer({ min: FROM / 86_400_000, max: TO / 86_400_000 });
const dateOf = (day: number): string =>
  DateTime.fromMillis(day * 86_400_000, { zone: 'UTC' }).toISODate() ?? '';

const luxonLocalToEpoch = (date: string, minutes: number, zone: string): number => {
  const wall = DateTime.fromISO(date, { zone: 'UTC' }).plus({ minutes });
  const local = DateTime.fromObject(
    { year: wall.year, month: wall.month, day: wall.day, hour: wall.hour, minute: wall.minute },
    { zone },
  );
  const candidates = local.getPossibleOffsets().map((d) => d.toMillis());
  return candidates.length > 0 ? Math.min(...candidates) : local.toMillis();
};

describe('time arithmetic without luxon per call (luxon as the reference)', () => {
  it('addDays, daysBetween and dayOfWeek agree with luxon', () => {
    fc.assert(
      fc.property(dayArb, fc.integer({ min: -800, max: 800 }), (day, n) => {
        const date = dateOf(day);
        const ref = DateTime.fromISO(date, { zone: 'UTC' });
        expect(addDays(date, n)).to.equal(ref.plus({ days: n }).toISODate());
        expect(daysBetween(date, addDays(date, n))).to.equal(n);
        expect(dayOfWeek(date)).to.equal(WEEKDAYS[ref.weekday - 1]);
      }),
      { numRuns: 2000 },
    );
  });

  it('local date-time → instant agrees with luxon in every zone, gaps and repeats included', () => {
    fc.assert(
      fc.property(
        dayArb,
        fc.integer({ min: 0, max: 1440 }),
        fc.constantFrom(...ZONES),
        (day, minutes, zone) => {
          const date = dateOf(day);
          expect(localToEpochMillis(date, minutes, zone)).to.equal(
            luxonLocalToEpoch(date, minutes, zone),
          );
        },
      ),
      { numRuns: 4000 },
    );
  });

  it('every quarter hour of DST-change days converts like luxon', () => {
    const days = [
      ['America/New_York', '2026-03-08'],
      ['America/New_York', '2026-11-01'],
      ['Europe/Berlin', '2026-03-29'],
      ['Europe/Berlin', '2026-10-25'],
      ['Asia/Jerusalem', '2026-03-27'],
      ['Asia/Jerusalem', '2026-10-25'],
      ['Australia/Lord_Howe', '2026-04-05'],
      ['Australia/Lord_Howe', '2026-10-04'],
    ] as const;
    for (const [zone, date] of days) {
      for (let minutes = 0; minutes <= 1440; minutes += 15) {
        expect(localToEpochMillis(date, minutes, zone), `${zone} ${date} +${minutes}`).to.equal(
          luxonLocalToEpoch(date, minutes, zone),
        );
      }
    }
  });

  it('instant → local date, time and offset agree with luxon', () => {
    fc.assert(
      fc.property(fc.integer({ min: FROM, max: TO }), fc.constantFrom(...ZONES), (ms, zone) => {
        const ref = DateTime.fromMillis(ms, { zone });
        const local = epochMillisToLocal(ms, zone);
        expect(local.date).to.equal(ref.toISODate());
        expect(local.time).to.equal(ref.toFormat('HH:mm'));
        expect(local.offsetMinutes).to.equal(ref.offset);
      }),
      { numRuns: 4000 },
    );
  });

  it('ISO instants parse and print like luxon (offsets, fractions, the edges of the plain shape)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: FROM, max: TO }),
        fc.constantFrom('Z', '+02:00', '-05:30', '+0545', '+14:00'),
        fc.constantFrom('', '.5', '.123', '.123456789', ':59'),
        (ms, offset, tail) => {
          const base = DateTime.fromMillis(ms, { zone: 'UTC' }).toFormat("yyyy-MM-dd'T'HH:mm");
          const iso = `${base}${tail === ':59' ? ':59' : `:07${tail}`}${offset}`;
          expect(toEpochMillis(iso)).to.equal(DateTime.fromISO(iso, { setZone: true }).toMillis());
          expect(toIsoInstant(ms)).to.equal(DateTime.fromMillis(ms, { zone: 'UTC' }).toISO());
        },
      ),
      { numRuns: 3000 },
    );
    // Out of range for the plain shape: luxon decides, as before.
    for (const edge of [
      '2026-02-30T10:00:00Z',
      '2026-12-01T24:30:00Z',
      '2026-12-01T10:00:00+25:00',
    ]) {
      const ref = DateTime.fromISO(edge, { setZone: true });
      if (ref.isValid) expect(toEpochMillis(edge)).to.equal(ref.toMillis());
      else expect(() => toEpochMillis(edge)).to.throw();
    }
  });
});
