import { expect } from 'chai';
import { ValidationError } from '../../shared/errors.ts';
import type { PricedResource, QuoteContext } from '../quote.ts';
import { quote } from '../quote.ts';
import { pricingRulesSchema, taxJurisdictionSchema } from '../rules.ts';
import type { GuestTaxStatus } from './guestTaxStatus.ts';
import { isIsraeliTouristExempt } from './guestTaxStatus.ts';

const rules = pricingRulesSchema.parse({ version: 'r1', currency: 'ILS', basePrice: 100_000 });
const resource = (jurisdiction: object, kind: 'nightly' | 'timed' = 'nightly'): PricedResource => ({
  kind,
  timeZone: 'Asia/Jerusalem',
  pricingRules: {
    ...rules,
    fees: { commissionBasisPoints: 1000, cleaningPerStay: 0, insuranceBasisPoints: 0 },
  },
  taxJurisdiction: taxJurisdictionSchema.parse(jurisdiction),
});
const israeli: GuestTaxStatus = { citizenships: ['IL'], israeliVisa: null };
const tourist: GuestTaxStatus = { citizenships: ['US'], israeliVisa: 'B/2' };
const context = (guest: GuestTaxStatus, persons = 2): QuoteContext => ({
  now: '2024-12-01T10:00:00Z',
  guest,
  persons,
  promoCode: null,
  occupancyBasisPoints: {},
  bookingPaceBasisPoints: 10_000,
  surgeEnabled: true,
});
const vatOf = (q: ReturnType<typeof quote>, lineId: string) =>
  q.lines.find((l) => l.id === `vat:${lineId}`)?.amount.amount;

describe('taxes per line (jurisdiction, component, guest status, effective date)', () => {
  it('Israel VAT is 17% until 2024-12-31 and 18% from 2025-01-01, per night, on a stay spanning the change', () => {
    const q = quote(resource({ country: 'IL' }), ['2024-12-31', '2025-01-01'], 1, context(israeli));
    expect(vatOf(q, 'unit:2024-12-31')).to.equal(17_000);
    expect(vatOf(q, 'unit:2025-01-01')).to.equal(18_000);
  });

  it('zero-rates accommodation for a tourist on B/2, B/3 or B/4, but never the platform fee', () => {
    for (const visa of ['B/2', 'B/3', 'B/4']) {
      const q = quote(
        resource({ country: 'IL' }),
        ['2025-03-01'],
        1,
        context({ citizenships: ['FR'], israeliVisa: visa }),
      );
      expect(vatOf(q, 'unit:2025-03-01'), visa).to.equal(0);
      expect(vatOf(q, 'fee:commission'), visa).to.equal(1_800);
    }
  });

  it('does not exempt a dual Israeli citizen, nor a foreigner on a work visa', () => {
    expect(isIsraeliTouristExempt({ citizenships: ['US', 'IL'], israeliVisa: 'B/2' })).to.equal(
      false,
    );
    expect(isIsraeliTouristExempt({ citizenships: ['US'], israeliVisa: 'B/1' })).to.equal(false);
    const q = quote(
      resource({ country: 'IL' }),
      ['2025-03-01'],
      1,
      context({ citizenships: ['US', 'IL'], israeliVisa: 'B/2' }),
    );
    expect(vatOf(q, 'unit:2025-03-01')).to.equal(18_000);
  });

  it('does not zero-rate a timed service for a tourist (the exemption is for hotel stays)', () => {
    const q = quote(
      resource({ country: 'IL' }, 'timed'),
      ['2025-03-01T09:00'],
      1,
      context(tourist),
    );
    expect(vatOf(q, 'unit:2025-03-01T09:00')).to.equal(18_000);
  });

  it('exempts an Eilat dealer for everyone, Israeli guests included', () => {
    const q = quote(
      resource({ country: 'IL', eilatDealer: true }),
      ['2025-03-01'],
      1,
      context(israeli),
    );
    expect(vatOf(q, 'unit:2025-03-01')).to.equal(0);
  });

  it('applies EU reduced accommodation rates and standard rates to the platform fee', () => {
    const cases: [string, number, number][] = [
      ['DE', 7_000, 1_900],
      ['FR', 10_000, 2_000],
      ['IT', 10_000, 2_200],
      ['ES', 10_000, 2_100],
      ['NL', 9_000, 2_100],
    ];
    for (const [country, room, fee] of cases) {
      const q = quote(resource({ country }), ['2025-03-01'], 1, context(tourist));
      expect(vatOf(q, 'unit:2025-03-01'), country).to.equal(room);
      expect(vatOf(q, 'fee:commission'), country).to.equal(fee);
    }
  });

  it('moves Dutch accommodation to 21% for nights from 2026-01-01', () => {
    const q = quote(resource({ country: 'NL' }), ['2025-12-31', '2026-01-01'], 1, context(israeli));
    expect([vatOf(q, 'unit:2025-12-31'), vatOf(q, 'unit:2026-01-01')]).to.deep.equal([
      9_000, 21_000,
    ]);
  });

  it('refuses a date with no known rate instead of guessing', () => {
    const old = { ...context(israeli), now: '2010-01-01T10:00:00Z' };
    expect(() => quote(resource({ country: 'IL' }), ['2010-02-01'], 1, old)).to.throw(
      ValidationError,
      /vatTable/,
    );
  });

  it('levies city tax as a percentage of the room price', () => {
    const q = quote(
      resource({ country: 'FR', cityTax: { kind: 'percentOfRoom', basisPoints: 500 } }),
      ['2025-03-01', '2025-03-02'],
      1,
      context(israeli),
    );
    expect(
      q.lines.filter((l) => l.component === 'cityTax').map((l) => l.amount.amount),
    ).to.deep.equal([5_000, 5_000]);
  });

  it('levies city tax per person per night, without VAT on it', () => {
    const q = quote(
      resource({ country: 'DE', cityTax: { kind: 'perPersonPerNight', amount: 350 } }),
      ['2025-03-01', '2025-03-02', '2025-03-03'],
      1,
      context(israeli, 3),
    );
    const city = q.lines.filter((l) => l.component === 'cityTax');
    expect(city.map((l) => l.amount.amount)).to.deep.equal([1_050, 1_050, 1_050]);
    expect(q.lines.some((l) => l.appliesTo?.startsWith('cityTax'))).to.equal(false);
  });
});
