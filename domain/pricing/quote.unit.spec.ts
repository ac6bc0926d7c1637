import { expect } from 'chai';
import { ValidationError } from '../shared/errors.ts';
import type { PricedResource, QuoteContext } from './quote.ts';
import { quote } from './quote.ts';
import { pricingRulesSchema, taxJurisdictionSchema } from './rules.ts';

const resourceWith = (rules: object): PricedResource => ({
  kind: 'nightly',
  timeZone: 'Europe/Berlin',
  pricingRules: pricingRulesSchema.parse({
    version: 'r7',
    currency: 'EUR',
    basePrice: 10_000,
    ...rules,
  }),
  taxJurisdiction: taxJurisdictionSchema.parse({ country: 'DE' }),
});
const context: QuoteContext = {
  now: '2026-03-01T10:00:00Z',
  guest: { citizenships: ['DE'], israeliVisa: null },
  persons: 2,
  promoCode: null,
  occupancyBasisPoints: {},
  bookingPaceBasisPoints: 10_000,
  surgeEnabled: true,
};
const unit = (q: ReturnType<typeof quote>, key: string) =>
  q.lines.find((l) => l.id === `unit:${key}`);
const factor = (q: ReturnType<typeof quote>, key: string, name: string) =>
  unit(q, key)?.factors.find((f) => f.name === name);

describe('quote: per-unit factors', () => {
  it('applies the weekend factor by ISO weekday and records it', () => {
    // 2026-03-06 is a Friday, 2026-03-07 a Saturday.
    const q = quote(
      resourceWith({ dayOfWeek: [{ days: [5, 6], basisPoints: 12_500 }] }),
      ['2026-03-05', '2026-03-06', '2026-03-07'],
      1,
      context,
    );
    expect(q.lines.filter((l) => l.kind === 'charge').map((l) => l.amount.amount)).to.deep.equal([
      10_000, 12_500, 12_500,
    ]);
    expect(factor(q, '2026-03-07', 'dayOfWeek')).to.deep.equal({
      name: 'dayOfWeek',
      input: 6,
      value: 12_500,
      unit: 'basisPoints',
      ruleVersion: 'r7',
    });
  });

  it('uses a per-date override instead of the base, then season, occupancy, pace and lead time', () => {
    const q = quote(
      resourceWith({
        dateOverrides: [{ date: '2026-12-24', price: 20_000 }],
        seasons: [{ name: 'winter', from: '2026-12-01', to: '2027-01-06', basisPoints: 11_000 }],
        occupancyTiers: [{ minOccupancyBasisPoints: 8_000, basisPoints: 11_500 }],
        leadTimeTiers: [
          { minDaysBefore: 0, basisPoints: 10_000 },
          { minDaysBefore: 180, basisPoints: 9_000 },
        ],
      }),
      ['2026-12-24'],
      1,
      { ...context, occupancyBasisPoints: { '2026-12-24': 8_500 }, bookingPaceBasisPoints: 10_500 },
    );
    // 20 000 × 1.1 × 1.15 × 1.05 × 0.9 = 23 908.5 → 23 909 (half-up once).
    expect(unit(q, '2026-12-24')?.amount.amount).to.equal(23_909);
    expect(factor(q, '2026-12-24', 'dateOverride')?.value).to.equal(20_000);
    expect(factor(q, '2026-12-24', 'leadTime')?.input).to.equal(298);
  });

  it('neutralizes occupancy and pace when surge is switched off, and says so', () => {
    const rules = { occupancyTiers: [{ minOccupancyBasisPoints: 0, basisPoints: 15_000 }] };
    const q = quote(resourceWith(rules), ['2026-03-05'], 1, {
      ...context,
      bookingPaceBasisPoints: 13_000,
      surgeEnabled: false,
    });
    expect(unit(q, '2026-03-05')?.amount.amount).to.equal(10_000);
    expect(factor(q, '2026-03-05', 'occupancy')).to.include({ input: 'surge off', value: 10_000 });
  });

  it('clamps the unit price to min and max', () => {
    const high = quote(
      resourceWith({
        maxPrice: 11_000,
        seasons: [{ name: 'peak', from: '2026-03-01', to: '2026-03-31', basisPoints: 20_000 }],
      }),
      ['2026-03-05'],
      2,
      context,
    );
    expect(unit(high, '2026-03-05')?.amount.amount).to.equal(22_000);
    expect(factor(high, '2026-03-05', 'clampMax')?.value).to.equal(11_000);
    const low = quote(
      resourceWith({
        minPrice: 9_000,
        seasons: [{ name: 'low', from: '2026-03-01', to: '2026-03-31', basisPoints: 5_000 }],
      }),
      ['2026-03-05'],
      1,
      context,
    );
    expect(unit(low, '2026-03-05')?.amount.amount).to.equal(9_000);
  });

  it('takes the best length-of-stay tier the stay reaches', () => {
    const rules = {
      lengthOfStay: [
        { minUnits: 3, discountBasisPoints: 500 },
        { minUnits: 7, discountBasisPoints: 1_500 },
      ],
    };
    const three = quote(
      resourceWith(rules),
      ['2026-03-10', '2026-03-11', '2026-03-12'],
      1,
      context,
    );
    expect(three.subtotal.amount).to.equal(28_500);
    const two = quote(resourceWith(rules), ['2026-03-10', '2026-03-11'], 1, context);
    expect(two.subtotal.amount).to.equal(20_000);
  });

  it('applies a percent promo per line and a fixed promo spread over the lines', () => {
    const promoCodes = [
      { code: 'SPRING10', discount: { kind: 'percent', discountBasisPoints: 1_000 } },
      { code: 'TAKE50', discount: { kind: 'fixed', amount: 5_000 } },
      { code: 'OLD', discount: { kind: 'fixed', amount: 1 }, validTo: '2025-12-31' },
    ];
    const slots = ['2026-03-10', '2026-03-11', '2026-03-12'];
    const percent = quote(resourceWith({ promoCodes }), slots, 1, {
      ...context,
      promoCode: 'spring10',
    });
    expect(percent.subtotal.amount).to.equal(27_000);
    const fixed = quote(resourceWith({ promoCodes }), slots, 1, {
      ...context,
      promoCode: 'TAKE50',
    });
    expect(
      fixed.lines.filter((l) => l.kind === 'charge').map((l) => l.amount.amount),
    ).to.deep.equal([8_333, 8_333, 8_334]);
    expect(() =>
      quote(resourceWith({ promoCodes }), slots, 1, { ...context, promoCode: 'OLD' }),
    ).to.throw(ValidationError, /OLD/);
  });

  it('adds commission, cleaning per stay and insurance, each taxed on its own line', () => {
    const q = quote(
      resourceWith({
        fees: { commissionBasisPoints: 1_200, cleaningPerStay: 4_000, insuranceBasisPoints: 350 },
      }),
      ['2026-03-10', '2026-03-11'],
      1,
      context,
    );
    expect(
      q.lines.filter((l) => l.kind === 'fee').map((l) => [l.id, l.amount.amount]),
    ).to.deep.equal([
      ['fee:commission', 2_400],
      ['fee:cleaning', 4_000],
      ['fee:insurance', 700],
    ]);
    expect(q.lines.find((l) => l.id === 'vat:fee:insurance')?.amount.amount).to.equal(0);
    expect(q.lines.find((l) => l.id === 'vat:fee:cleaning')?.amount.amount).to.equal(280);
    expect(q.total.amount).to.equal(q.subtotal.amount + q.fees.amount + q.taxes.amount);
  });

  it('refuses slots before the booking date and duplicate slots', () => {
    expect(() => quote(resourceWith({}), ['2026-02-01'], 1, context)).to.throw(ValidationError);
    expect(() => quote(resourceWith({}), ['2026-03-05', '2026-03-05'], 1, context)).to.throw(
      ValidationError,
    );
  });
});
