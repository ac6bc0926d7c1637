import { expect } from 'chai';
import fc from 'fast-check';
import {
  MAX_MONEY_AMOUNT,
  MAX_MONEY_TOTAL,
  MoneyLimitExceededError,
} from '../shared/moneyLimits.ts';
import type { PricedResource, QuoteContext } from './quote.ts';
import { quote } from './quote.ts';
import { pricingRulesSchema, taxJurisdictionSchema } from './rules.ts';

const resourceWith = (rules: object): PricedResource => ({
  kind: 'nightly',
  timeZone: 'Europe/Berlin',
  pricingRules: pricingRulesSchema.parse({
    version: 'r1',
    currency: 'EUR',
    basePrice: 1,
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
const nights = ['2026-03-05', '2026-03-06', '2026-03-07'];

describe('quote: the money ceiling', () => {
  it('refuses the reported case (2^53 − 1 a night, 3 nights × 3) instead of writing totals past 2^53', () => {
    expect(() =>
      quote(resourceWith({ basePrice: Number.MAX_SAFE_INTEGER }), nights, 3, context),
    ).to.throw(MoneyLimitExceededError);
  });

  it('prices at the configured ceiling, and refuses multipliers that push a line past the total ceiling', () => {
    const atCeiling = quote(resourceWith({ basePrice: MAX_MONEY_AMOUNT }), nights, 3, context);
    expect(atCeiling.total.amount).to.be.at.most(MAX_MONEY_TOTAL);
    const surged = resourceWith({
      basePrice: MAX_MONEY_AMOUNT,
      seasons: [{ name: 'peak', from: '2026-01-01', to: '2026-12-31', basisPoints: 1_000_000 }],
      dayOfWeek: [{ days: [1, 2, 3, 4, 5, 6, 7], basisPoints: 1_000_000 }],
    });
    expect(() => quote(surged, nights, 1, context)).to.throw(MoneyLimitExceededError);
  });

  it('either answers a quote whose every amount is within MAX_MONEY_TOTAL, or refuses with MONEY_LIMIT_EXCEEDED', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.integer({ min: 0, max: 10_000 }),
        fc.integer({ min: 0, max: MAX_MONEY_AMOUNT }),
        fc.integer({ min: 1, max: 1000 }),
        fc.integer({ min: 1, max: 30 }),
        (basePrice, seasonBp, commission, cleaning, quantity, stay) => {
          const resource = resourceWith({
            basePrice,
            seasons: [{ name: 's', from: '2026-01-01', to: '2027-12-31', basisPoints: seasonBp }],
            fees: { commissionBasisPoints: commission, cleaningPerStay: cleaning },
          });
          const slots = Array.from({ length: stay }, (_, i) =>
            new Date(Date.UTC(2026, 2, 5 + i)).toISOString().slice(0, 10),
          );
          let priced: ReturnType<typeof quote>;
          try {
            priced = quote(resource, slots, quantity, context);
          } catch (error) {
            expect(error).to.be.instanceOf(MoneyLimitExceededError);
            return;
          }
          for (const money of [priced.subtotal, priced.fees, priced.taxes, priced.total]) {
            expect(Number.isSafeInteger(money.amount)).to.equal(true);
            expect(money.amount).to.be.at.most(MAX_MONEY_TOTAL);
          }
          for (const line of priced.lines)
            expect(line.amount.amount).to.be.at.most(MAX_MONEY_TOTAL);
        },
      ),
      { numRuns: 300 },
    );
  });
});
