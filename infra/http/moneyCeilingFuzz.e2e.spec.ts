import { expect } from 'chai';
import fc from 'fast-check';
import { sampleNightly } from '../../domain/resource/testing/sampleResources.ts';
import type { ResourceConfig } from '../../domain/resource/schema.ts';
import { MAX_MONEY_AMOUNT } from '../../domain/shared/moneyLimits.ts';
import { startWriteTestApp, type WriteTestApp } from '../testing/writeTestApp.ts';
import { bearer, postJson } from './testing.ts';

/** Puts `amount` into one money field of a valid configuration. */
const MONEY_FIELDS: Record<string, (amount: number) => Partial<ResourceConfig>> = {
  basePrice: (amount) => ({ pricingRules: { ...sampleNightly().pricingRules, basePrice: amount } }),
  dateOverride: (amount) => ({
    pricingRules: {
      ...sampleNightly().pricingRules,
      dateOverrides: [{ date: '2027-01-05', price: amount }],
    },
  }),
  maxPrice: (amount) => ({ pricingRules: { ...sampleNightly().pricingRules, maxPrice: amount } }),
  promo: (amount) => ({
    pricingRules: {
      ...sampleNightly().pricingRules,
      promoCodes: [{ code: 'FUZZ', discount: { kind: 'fixed', amount } }],
    },
  }),
  cleaning: (amount) => ({
    pricingRules: {
      ...sampleNightly().pricingRules,
      fees: { commissionBasisPoints: 0, insuranceBasisPoints: 0, cleaningPerStay: amount },
    },
  }),
  cityTax: (amount) => ({
    taxJurisdiction: {
      country: 'DE',
      eilatDealer: false,
      cityTax: { kind: 'perPersonPerNight', amount },
    },
  }),
  noShowFee: (amount) => ({
    cancellationPolicy: { tiers: [], noShowFee: { kind: 'fixed', amount } },
  }),
  deposit: (amount) => ({ vendorDeposit: { amount, currency: 'EUR' } }),
};

/**
 * The write-API fuzz for money (issue 9): amounts past the ceiling in every
 * money field of registration, change and pricing rules are a 4xx in the
 * envelope and append nothing; at the ceiling they are accepted.
 */
describe('write API fuzz: money at and past the ceiling', function () {
  this.timeout(120_000);
  let app: WriteTestApp;
  before(async () => {
    app = await startWriteTestApp({
      perPrincipal: { limit: 1_000_000, windowSeconds: 60 },
      perIp: { limit: 1_000_000, windowSeconds: 60 },
    });
    await postJson(
      `${app.baseUrl}/api/v1/resources`,
      { resourceId: 'fz-money', ...sampleNightly() },
      bearer(app.adminKey),
    );
  });
  after(async () => app.close());

  const eventCount = async (): Promise<number> => {
    const result = await app.db.pool.query<{ n: string }>(
      `SELECT count(*) AS n FROM "${app.db.schema}".events`,
    );
    return Number(result.rows[0]?.n);
  };
  const send = (route: string, field: string, amount: number, id: number) => {
    const overrides = (MONEY_FIELDS[field] ?? MONEY_FIELDS['basePrice'])!(amount);
    const url = `${app.baseUrl}/api/v1/resources`;
    if (route === 'register')
      return postJson(
        url,
        { resourceId: `fz-m-${id}`, ...sampleNightly(overrides) },
        bearer(app.adminKey),
      );
    if (route === 'change')
      return postJson(`${url}/fz-money`, overrides, bearer(app.adminKey), 'PATCH');
    return postJson(
      `${url}/fz-money/pricing-rules`,
      { ...sampleNightly().pricingRules, basePrice: amount },
      bearer(app.adminKey),
      'PUT',
    );
  };
  const over = fc.oneof(
    fc.constantFrom(
      MAX_MONEY_AMOUNT + 1,
      Number.MAX_SAFE_INTEGER,
      2 ** 53,
      1e20,
      -MAX_MONEY_AMOUNT - 1,
    ),
    fc.integer({ min: MAX_MONEY_AMOUNT + 1, max: Number.MAX_SAFE_INTEGER }),
  );

  it('refuses every amount past the ceiling with a 4xx envelope and appends nothing', async () => {
    let id = 0;
    const before = await eventCount();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('register', 'change', 'pricing-rules'),
        fc.constantFrom(...Object.keys(MONEY_FIELDS)),
        over,
        async (route, field, amount) => {
          const response = await send(route, field, amount, (id += 1));
          const text = await response.text();
          const label = `${route} ${field} ${amount} → ${response.status} ${text.slice(0, 300)}`;
          expect(response.status, label).to.be.within(400, 499);
          const error = (JSON.parse(text) as { error?: Record<string, unknown> }).error;
          expect(error?.['code'], label).to.be.a('string');
          expect(error?.['message'], label).to.be.a('string');
          expect(error?.['details'], label).to.be.an('object');
          expect(error?.['retryable'], label).to.equal(false);
        },
      ),
      { numRuns: 60 },
    );
    expect(await eventCount()).to.equal(before);
  });

  it('accepts every money field at exactly the ceiling', async () => {
    let id = 1000;
    for (const field of Object.keys(MONEY_FIELDS)) {
      const response = await send('register', field, MAX_MONEY_AMOUNT, (id += 1));
      expect(response.status, `${field}: ${await response.clone().text()}`).to.equal(201);
    }
  });
});
