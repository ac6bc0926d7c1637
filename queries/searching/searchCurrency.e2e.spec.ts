import { expect } from 'chai';
import type { ResourceConfig } from '../../domain/resource/schema.ts';
import { sampleNightly } from '../../domain/resource/testing/sampleResources.ts';
import { request } from '../../infra/readSide/testing/http.ts';
import { startReadTestApp, type ReadTestApp } from '../../infra/readSide/testing/readTestApp.ts';

interface Result {
  resourceId: string;
  totalPrice: { amount: number; currency: string };
}

const room = (currency: string, basePrice: number): ResourceConfig => {
  const base = sampleNightly();
  return sampleNightly({
    vendorId: 'vendor-fx',
    currency,
    pricingRules: { ...base.pricingRules, currency, basePrice },
    listing: {
      ...base.listing,
      location: { city: 'Basel', country: 'CH', latitude: null, longitude: null },
    },
  });
};

describe('GET /api/v1/search across currencies', function () {
  this.timeout(30_000);
  let app: ReadTestApp;
  let partner: string;
  let position = '';
  const search = (query: string) =>
    request(
      app.expressUrl,
      'GET',
      `/api/v1/search?checkIn=2026-12-14&checkOut=2026-12-15&city=Basel&${query}`,
      partner,
      undefined,
      { 'x-min-position': position },
    );
  const ids = (answer: { body: Record<string, unknown> }) =>
    (answer.body['results'] as Result[]).map((r) => `${r.resourceId}:${r.totalPrice.currency}`);

  before(async () => {
    app = await startReadTestApp();
    partner = (await app.createPartnerKey()).key;
    // 90.00 EUR is less than 100.00 CHF as a number, not as money: they must never be ranked together.
    for (const [id, config] of [
      ['fx-chf-cheap', room('CHF', 8_000)],
      ['fx-eur', room('EUR', 9_000)],
      ['fx-chf', room('CHF', 10_000)],
    ] as const) {
      const answer = await request(app.expressUrl, 'POST', '/api/v1/resources', app.adminKey, {
        ...config,
        resourceId: id,
      });
      expect(answer.status, JSON.stringify(answer.body)).to.equal(201);
      position = String(answer.body['position']);
    }
  });
  after(async () => app.close());

  it('refuses a price range over matches in several currencies unless currency= says which', async () => {
    const mixed = await search('maxPrice=1000000');
    expect(mixed.status).to.equal(400);
    expect(mixed.body['error']).to.deep.include({ code: 'CURRENCY_REQUIRED' });
    const inChf = await search('currency=CHF&maxPrice=1000000&sort=price');
    expect(inChf.status).to.equal(200);
    expect(ids(inChf)).to.deep.equal(['fx-chf-cheap:CHF', 'fx-chf:CHF']);
  });

  it('filters on currency and groups a price sort by currency before amount', async () => {
    expect(ids(await search('currency=EUR'))).to.deep.equal(['fx-eur:EUR']);
    expect(ids(await search('sort=price'))).to.deep.equal([
      'fx-chf-cheap:CHF',
      'fx-chf:CHF',
      'fx-eur:EUR',
    ]);
    const bad = await search('currency=eur');
    expect(bad.status).to.equal(400);
  });

  it('shows the same total whether the page was priced for a price sort or only for the page', async () => {
    const byPrice = (await search('sort=price')).body['results'] as Result[];
    const byRating = (await search('sort=rating')).body['results'] as Result[];
    const totals = (results: Result[]) =>
      Object.fromEntries(results.map((r) => [r.resourceId, r.totalPrice]));
    expect(totals(byRating)).to.deep.equal(totals(byPrice));
    const quoted = await request(
      app.expressUrl,
      'GET',
      '/api/v1/pricing/quote?resourceId=fx-eur&checkIn=2026-12-14&checkOut=2026-12-15',
      partner,
    );
    expect(quoted.status).to.equal(200);
    expect((quoted.body['quote'] as { total: unknown }).total).to.deep.equal(
      totals(byPrice)['fx-eur'],
    );
  });
});
