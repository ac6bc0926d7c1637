import { expect } from 'chai';
import fc from 'fast-check';
import { addDays } from '../shared/time.ts';
import {
  diffOverrides,
  pricingRulesFor,
  rulesWithoutOverrides,
  unitPriceOn,
  type DateOverride,
} from './priceModel.ts';
import { quote } from './quote.ts';
import { pricingRulesSchema, taxJurisdictionSchema } from './rules.ts';

const FIRST = '2027-03-01';

const rulesWith = (overrides: readonly DateOverride[], weekend: number) =>
  pricingRulesSchema.parse({
    version: 'p1',
    currency: 'EUR',
    basePrice: 20_000,
    dateOverrides: overrides,
    seasons: [{ name: 'spring', from: '2027-03-10', to: '2027-03-20', basisPoints: 11_000 }],
    dayOfWeek: [{ days: [5, 6], basisPoints: weekend }],
    lengthOfStay: [{ minUnits: 3, discountBasisPoints: 500 }],
    fees: { commissionBasisPoints: 300, cleaningPerStay: 1_500, insuranceBasisPoints: 0 },
  });

describe('price model', () => {
  it('prices one unit per date through the quote’s unit line (weekend factor, override)', () => {
    const rules = rulesWith([{ date: '2027-03-03', price: 9_000 }], 12_500);
    // 2027-03-05 is a Friday: 20 000 × 1.25; 2027-03-04 a Thursday.
    expect(unitPriceOn(rules, '2027-03-05')).to.equal(25_000);
    expect(unitPriceOn(rules, '2027-03-04')).to.equal(20_000);
    expect(unitPriceOn(rules, '2027-03-03')).to.equal(9_000);
  });

  it('a pricing change writes only the overrides it added, changed or removed', () => {
    const before = [
      { date: '2027-03-01', price: 1 },
      { date: '2027-03-02', price: 2 },
      { date: '2027-03-03', price: 3 },
    ];
    const after = [
      { date: '2027-03-02', price: 2 },
      { date: '2027-03-03', price: 30 },
      { date: '2027-03-04', price: 4 },
    ];
    expect(diffOverrides(before, after)).to.deep.equal({
      removed: ['2027-03-01'],
      written: [
        { date: '2027-03-03', price: 30 },
        { date: '2027-03-04', price: 4 },
      ],
    });
    expect(diffOverrides(after, after)).to.deep.equal({ removed: [], written: [] });
  });

  it('a quote from the rules row + the stay’s overrides equals the quote from the full rules', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(
          fc.record({ day: fc.integer({ min: 0, max: 40 }), price: fc.nat({ max: 90_000 }) }),
          { selector: (o) => o.day, maxLength: 12 },
        ),
        fc.integer({ min: 0, max: 35 }),
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 5_000, max: 20_000 }),
        (raw, start, nights, weekend) => {
          const overrides = raw.map((o) => ({ date: addDays(FIRST, o.day), price: o.price }));
          const full = rulesWith(overrides, weekend);
          const slots = Array.from({ length: nights }, (_, i) => addDays(FIRST, start + i));
          const first = slots[0] ?? FIRST;
          const last = slots.at(-1) ?? FIRST;
          const inStay = overrides.filter((o) => o.date >= first && o.date <= last);
          const model = { resourceId: 'r', version: 1, rules: rulesWithoutOverrides(full) };
          const context = {
            now: '2027-02-20T10:00:00Z',
            persons: 2,
            promoCode: null,
            bookingPaceBasisPoints: 10_000,
            surgeEnabled: false,
            occupancyBasisPoints: {},
            guest: { citizenships: ['DE'], israeliVisa: null },
          };
          const resource = {
            kind: 'nightly' as const,
            timeZone: 'Europe/Berlin',
            taxJurisdiction: taxJurisdictionSchema.parse({ country: 'DE' }),
          };
          expect(
            quote({ ...resource, pricingRules: pricingRulesFor(model, inStay) }, slots, 1, context),
          ).to.deep.equal(quote({ ...resource, pricingRules: full }, slots, 1, context));
        },
      ),
    );
  });
});
