import { expect } from 'chai';
import fc from 'fast-check';
import { DateTime } from 'luxon';
import type { PricedResource, QuoteContext } from './quote.ts';
import { quote } from './quote.ts';
import { pricingRulesSchema, taxJurisdictionSchema } from './rules.ts';

const bp = fc.integer({ min: 0, max: 30_000 });
const discount = fc.integer({ min: 0, max: 10_000 });
const arbitraryRules = fc.record({
  basePrice: fc.integer({ min: 0, max: 5_000_000 }),
  season: bp,
  weekend: bp,
  occupancyTier: bp,
  lead: bp,
  los: discount,
  promo: discount,
  commission: discount,
  cleaning: fc.integer({ min: 0, max: 100_000 }),
  insurance: discount,
  country: fc.constantFrom('IL', 'DE', 'FR', 'IT', 'ES', 'NL'),
  cityTax: fc.option(
    fc.oneof(
      fc.record({ kind: fc.constant('percentOfRoom'), basisPoints: discount }),
      fc.record({
        kind: fc.constant('perPersonPerNight'),
        amount: fc.integer({ min: 0, max: 1_000 }),
      }),
    ),
  ),
});
const arbitraryInput = fc.record({
  rules: arbitraryRules,
  firstDay: fc.integer({ min: 0, max: 500 }),
  nights: fc.integer({ min: 1, max: 10 }),
  quantity: fc.integer({ min: 1, max: 5 }),
  occupancy: fc.integer({ min: 0, max: 10_000 }),
  pace: bp,
  surge: fc.boolean(),
  tourist: fc.boolean(),
});

type Input = typeof arbitraryInput extends fc.Arbitrary<infer T> ? T : never;

const build = (input: Input) => {
  const r = input.rules;
  const resource: PricedResource = {
    kind: 'nightly',
    timeZone: 'Asia/Jerusalem',
    pricingRules: pricingRulesSchema.parse({
      version: 'p1',
      currency: 'EUR',
      basePrice: r.basePrice,
      seasons: [{ name: 's', from: '2025-06-01', to: '2025-09-30', basisPoints: r.season }],
      dayOfWeek: [{ days: [5, 6], basisPoints: r.weekend }],
      occupancyTiers: [{ minOccupancyBasisPoints: 5_000, basisPoints: r.occupancyTier }],
      leadTimeTiers: [{ minDaysBefore: 30, basisPoints: r.lead }],
      lengthOfStay: [{ minUnits: 3, discountBasisPoints: r.los }],
      promoCodes: [{ code: 'PROMO', discount: { kind: 'percent', discountBasisPoints: r.promo } }],
      fees: {
        commissionBasisPoints: r.commission,
        cleaningPerStay: r.cleaning,
        insuranceBasisPoints: r.insurance,
      },
    }),
    taxJurisdiction: taxJurisdictionSchema.parse({
      country: r.country,
      ...(r.cityTax ? { cityTax: r.cityTax } : {}),
    }),
  };
  const first = DateTime.fromISO('2025-01-01', { zone: 'utc' }).plus({ days: input.firstDay });
  const slots = Array.from(
    { length: input.nights },
    (_, i) => first.plus({ days: i }).toISODate() ?? '',
  );
  const context: QuoteContext = {
    now: '2024-12-31T12:00:00Z',
    persons: 2,
    promoCode: 'PROMO',
    bookingPaceBasisPoints: input.pace,
    surgeEnabled: input.surge,
    occupancyBasisPoints: Object.fromEntries(slots.map((s) => [s, input.occupancy])),
    guest: input.tourist
      ? { citizenships: ['US'], israeliVisa: 'B/2' }
      : { citizenships: ['IL'], israeliVisa: null },
  };
  return { resource, slots, context };
};

describe('quote properties', () => {
  it('total = Σ lines = subtotal + fees + taxes, and no line is negative', () => {
    fc.assert(
      fc.property(arbitraryInput, (input) => {
        const { resource, slots, context } = build(input);
        const q = quote(resource, slots, input.quantity, context);
        expect(q.total.amount).to.equal(q.lines.reduce((s, l) => s + l.amount.amount, 0));
        expect(q.total.amount).to.equal(q.subtotal.amount + q.fees.amount + q.taxes.amount);
        for (const line of q.lines) expect(line.amount.amount, line.id).to.be.at.least(0);
      }),
    );
  });

  it('same inputs give the same quote', () => {
    fc.assert(
      fc.property(arbitraryInput, (input) => {
        const a = build(input);
        const b = build(input);
        expect(quote(a.resource, a.slots, input.quantity, a.context)).to.deep.equal(
          quote(b.resource, b.slots, input.quantity, b.context),
        );
      }),
    );
  });

  it('each unit line is within one minor unit of the exact product of its recorded factors', () => {
    fc.assert(
      fc.property(arbitraryInput, (input) => {
        const { resource, slots, context } = build(input);
        const q = quote(resource, slots, input.quantity, context);
        for (const line of q.lines.filter((l) => l.kind === 'charge')) {
          // Recompute from the quote alone, as an auditor would: exact rational, no rounding.
          let numerator = 1n;
          let denominator = 1n;
          let clamp: number | null = null;
          for (const f of line.factors) {
            if (f.name === 'base' || f.name === 'dateOverride') numerator *= BigInt(f.value);
            else if (f.name === 'clampMin' || f.name === 'clampMax') clamp = f.value;
            else if (f.name === 'quantity') numerator *= BigInt(f.value);
            else if (f.unit === 'basisPoints') {
              numerator *= BigInt(f.value);
              denominator *= 10_000n;
            }
          }
          expect(clamp).to.equal(null); // no min/max in these rules
          const exactTimes2 = (numerator * 2n) / denominator;
          const amountTimes2 = BigInt(line.amount.amount) * 2n;
          const diff =
            amountTimes2 > exactTimes2 ? amountTimes2 - exactTimes2 : exactTimes2 - amountTimes2;
          expect(Number(diff), line.id).to.be.at.most(2);
        }
      }),
    );
  });
});
