import { expect } from 'chai';
import type { ResourceConfig } from '../../domain/resource/schema.ts';
import { sampleNightly } from '../../domain/resource/testing/sampleResources.ts';
import { request } from '../../infra/readSide/testing/http.ts';
import { startReadTestApp, type ReadTestApp } from '../../infra/readSide/testing/readTestApp.ts';

interface Result {
  resourceId: string;
  totalPrice: { amount: number; currency: string };
  price: { subtotal: number; fees: number; taxes: number };
}

const israeliRoom = (
  city: string,
  basePrice: number,
  rating: number | null,
  extra: Partial<ResourceConfig['pricingRules']> = {},
) => {
  const base = sampleNightly();
  return sampleNightly({
    vendorId: 'vendor-search',
    capacity: 1,
    zone: 'Asia/Jerusalem',
    currency: 'ILS',
    taxJurisdiction: { country: 'IL', eilatDealer: false },
    pricingRules: { ...base.pricingRules, currency: 'ILS', basePrice, ...extra },
    listing: {
      ...base.listing,
      name: `Room in ${city}`,
      location: { city, country: 'IL', latitude: null, longitude: null },
      rating,
    },
  });
};

describe('GET /api/v1/search', function () {
  this.timeout(30_000);
  let app: ReadTestApp;
  let partner: { key: string };
  let position = '';
  const register = async (resourceId: string, config: ResourceConfig) => {
    const answer = await request(app.expressUrl, 'POST', '/api/v1/resources', app.adminKey, {
      ...config,
      resourceId,
    });
    expect(answer.status, JSON.stringify(answer.body)).to.equal(201);
    position = String(answer.body['position']);
  };
  const search = (query: string, base = app.expressUrl) =>
    request(base, 'GET', `/api/v1/search?${query}`, partner.key, undefined, {
      'x-min-position': position,
    });

  before(async () => {
    app = await startReadTestApp();
    partner = await app.createPartnerKey();
  });
  after(async () => app.close());

  it('returns the total price of a 3-night stay with a weekend factor, a cleaning fee and VAT', async () => {
    await register(
      'room-weekend',
      israeliRoom('Haifa', 40_000, 4.5, {
        dayOfWeek: [{ days: [5, 6], basisPoints: 12_500 }],
        fees: { commissionBasisPoints: 0, cleaningPerStay: 5_000, insuranceBasisPoints: 0 },
      }),
    );
    // Thu 10, Fri 11, Sat 12 December 2026: 400.00 + 2 × 400.00 × 1.25 = 1400.00 ILS net,
    // + 50.00 cleaning = 1450.00; Israeli VAT 18 % (from 2025-01-01) on every line:
    // 72.00 + 90.00 + 90.00 + 9.00 = 261.00; total 1711.00 ILS.
    const answer = await search('checkIn=2026-12-10&checkOut=2026-12-13&city=Haifa');
    expect(answer.status).to.equal(200);
    expect(answer.body['stale']).to.equal(false);
    const [result] = answer.body['results'] as Result[];
    expect(result?.resourceId).to.equal('room-weekend');
    expect(result?.totalPrice).to.deep.equal({ amount: 171_100, currency: 'ILS' });
    expect(result?.price).to.include({ subtotal: 140_000, fees: 5_000, taxes: 26_100 });
  });

  it('filters on the total price of the stay', async () => {
    const cheap = await search('checkIn=2026-12-10&checkOut=2026-12-13&city=Haifa&maxPrice=171099');
    expect(cheap.body['results']).to.deep.equal([]);
    const exact = await search(
      'checkIn=2026-12-10&checkOut=2026-12-13&city=Haifa&minPrice=171100&maxPrice=171100',
    );
    expect((exact.body['results'] as Result[]).map((r) => r.resourceId)).to.deep.equal([
      'room-weekend',
    ]);
  });

  it('pages by an opaque cursor: stable, no duplicates or gaps even when a result disappears in between', async () => {
    const prices = [30_000, 20_000, 20_000, 50_000, 10_000, 40_000, 20_000];
    for (const [i, price] of prices.entries())
      await register(`page-${i}`, israeliRoom('Akko', price, i % 3));
    const query = 'checkIn=2026-12-20&checkOut=2026-12-22&city=Akko&sort=price';
    const all = (await search(`${query}&limit=100`)).body['results'] as Result[];
    expect(all.map((r) => r.resourceId)).to.deep.equal([
      'page-4',
      'page-1',
      'page-2',
      'page-6',
      'page-0',
      'page-5',
      'page-3',
    ]);

    const first = await search(`${query}&limit=3`);
    const cursor = String(first.body['nextCursor']);
    const again = await search(`${query}&limit=3&cursor=${cursor}`);
    expect((await search(`${query}&limit=3&cursor=${cursor}`)).body['results']).to.deep.equal(
      again.body['results'],
    );
    expect((again.body['results'] as Result[]).map((r) => r.resourceId)).to.deep.equal([
      'page-6',
      'page-0',
      'page-5',
    ]);

    // page-1 (already shown) is held away: the next pages neither repeat nor skip anything.
    const held = await request(app.expressUrl, 'POST', '/api/v1/reservations', partner.key, {
      resourceId: 'page-1',
      checkIn: '2026-12-20',
      checkOut: '2026-12-22',
      guest: { name: 'Ada Lovelace', email: 'ada@example.test' },
      requesterId: 'req-page',
    });
    expect(held.status, JSON.stringify(held.body)).to.equal(201);
    position = String(held.body['position']);
    const seen = (first.body['results'] as Result[]).map((r) => r.resourceId);
    let next: unknown = first.body['nextCursor'];
    while (typeof next === 'string') {
      const page = await search(`${query}&limit=3&cursor=${next}`);
      expect(page.status).to.equal(200);
      seen.push(...(page.body['results'] as Result[]).map((r) => r.resourceId));
      next = page.body['nextCursor'];
    }
    expect(seen).to.deep.equal([
      'page-4',
      'page-1',
      'page-2',
      'page-6',
      'page-0',
      'page-5',
      'page-3',
    ]);

    const otherFilters = await search(
      `checkIn=2026-12-20&checkOut=2026-12-23&city=Akko&sort=price&cursor=${cursor}`,
    );
    expect(otherFilters.status).to.equal(400);
    expect((otherFilters.body['error'] as { code: string }).code).to.equal('INVALID_CURSOR');
  });
});
