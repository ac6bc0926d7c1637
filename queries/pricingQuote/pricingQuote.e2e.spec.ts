import { expect } from 'chai';
import { sampleNightly } from '../../domain/resource/testing/sampleResources.ts';
import { request } from '../../infra/readSide/testing/http.ts';
import { startReadTestApp, type ReadTestApp } from '../../infra/readSide/testing/readTestApp.ts';

interface Line {
  id: string;
  component: string;
  amount: { amount: number; currency: string };
  factors: { name: string; input: string | number; value: number }[];
}
interface QuoteBody {
  lines: Line[];
  subtotal: { amount: number };
  fees: { amount: number };
  taxes: { amount: number };
  total: { amount: number; currency: string };
}

const base = sampleNightly();
// Every rule the quote knows, on an Israeli room (the clock starts 2026-12-01, so a
// stay on 10–12 December is 9–10 days ahead).
const jerusalemRoom = sampleNightly({
  vendorId: 'vendor-quote',
  zone: 'Asia/Jerusalem',
  currency: 'ILS',
  taxJurisdiction: {
    country: 'IL',
    eilatDealer: false,
    cityTax: { kind: 'perPersonPerNight', amount: 500 },
  },
  pricingRules: {
    ...base.pricingRules,
    currency: 'ILS',
    basePrice: 40_000,
    seasons: [{ name: 'Hanukkah', from: '2026-12-05', to: '2026-12-12', basisPoints: 11_000 }],
    dayOfWeek: [{ days: [5, 6], basisPoints: 12_500 }],
    occupancyTiers: [{ minOccupancyBasisPoints: 5_000, basisPoints: 13_000 }],
    leadTimeTiers: [{ minDaysBefore: 7, basisPoints: 9_500 }],
    lengthOfStay: [{ minUnits: 2, discountBasisPoints: 1_000 }],
    promoCodes: [{ code: 'WINTER', discount: { kind: 'percent', discountBasisPoints: 500 } }],
    fees: { commissionBasisPoints: 1_000, cleaningPerStay: 5_000, insuranceBasisPoints: 200 },
  },
});

describe('GET /api/v1/pricing/quote', function () {
  this.timeout(30_000);
  let app: ReadTestApp;
  let partner: string;
  let position = '';
  const quote = (query: string) =>
    request(app.expressUrl, 'GET', `/api/v1/pricing/quote?${query}`, partner, undefined, {
      'x-min-position': position,
    });
  const stay = 'resourceId=room-quote&checkIn=2026-12-10&checkOut=2026-12-12&persons=2';
  const line = (body: QuoteBody, id: string) => body.lines.find((l) => l.id === id);

  before(async () => {
    app = await startReadTestApp();
    partner = (await app.createPartnerKey()).key;
    const answer = await request(app.expressUrl, 'POST', '/api/v1/resources', app.adminKey, {
      ...jerusalemRoom,
      resourceId: 'room-quote',
    });
    expect(answer.status, JSON.stringify(answer.body)).to.equal(201);
    position = String(answer.body['position']);
  });
  after(async () => app.close());

  it('shows every factor, fee and tax line, computed by hand', async () => {
    const answer = await quote(`${stay}&promoCode=winter`);
    expect(answer.status, JSON.stringify(answer.body)).to.equal(200);
    expect(answer.headers.get('x-projection-position')).to.be.a('string');
    const body = answer.body['quote'] as QuoteBody;
    const thursday = line(body, 'unit:2026-12-10');
    expect(thursday?.factors.map((f) => f.name)).to.deep.equal([
      'base',
      'season',
      'dayOfWeek',
      'occupancy',
      'bookingPace',
      'leadTime',
      'quantity',
      'lengthOfStayDiscount',
      'promoPercent',
    ]);
    // Surge is off on this platform: occupancy and pace are shown at ×1.0.
    expect(thursday?.factors.find((f) => f.name === 'occupancy')).to.include({
      input: 'surge off',
      value: 10_000,
    });
    // Thu: 400.00 × 1.10 season × 0.95 lead time = 418.00; × 0.90 stay × 0.95 promo = 357.39.
    expect(thursday?.amount).to.deep.equal({ amount: 35_739, currency: 'ILS' });
    // Fri: 400.00 × 1.10 × 1.25 weekend × 0.95 = 522.50; × 0.855 = 446.7375 → 446.74.
    expect(line(body, 'unit:2026-12-11')?.amount.amount).to.equal(44_674);
    expect(body.subtotal.amount).to.equal(80_413);
    // Commission 10 % of 804.13 = 80.41; cleaning 50.00; insurance 2 % = 16.08.
    expect(body.fees.amount).to.equal(8_041 + 5_000 + 1_608);
    // Resident: 18 % VAT on the nights (64.33, 80.41); insurance exempt; city tax 5.00 × 2 persons a night.
    expect(line(body, 'vat:unit:2026-12-10')?.amount.amount).to.equal(6_433);
    expect(line(body, 'vat:unit:2026-12-11')?.amount.amount).to.equal(8_041);
    expect(line(body, 'vat:fee:insurance')?.amount.amount).to.equal(0);
    expect(line(body, 'cityTax:unit:2026-12-10')?.amount.amount).to.equal(1_000);
    const sum = body.lines.reduce((total, l) => total + l.amount.amount, 0);
    expect(body.total).to.deep.equal({ amount: sum, currency: 'ILS' });
    const explanation = answer.body['explanation'] as { lineId: string; text: string }[];
    expect(explanation.map((e) => e.lineId)).to.deep.equal(body.lines.map((l) => l.id));
  });

  it('zero-rates the nights for a B/2 tourist, visibly, and not for a dual Israeli citizen', async () => {
    const resident = (await quote(stay)).body['quote'] as QuoteBody;
    const tourist = (await quote(`${stay}&citizenships=US&israeliVisa=B/2`)).body[
      'quote'
    ] as QuoteBody;
    const vat = line(tourist, 'vat:unit:2026-12-10');
    expect(vat?.amount.amount).to.equal(0);
    expect(String(vat?.factors[0]?.input)).to.match(/tourist on B\/2/);
    expect(tourist.total.amount).to.be.lessThan(resident.total.amount);
    const dual = (await quote(`${stay}&citizenships=US,IL&israeliVisa=B/2`)).body[
      'quote'
    ] as QuoteBody;
    expect(dual.total).to.deep.equal(resident.total);
  });

  it('answers bad input with a 400 envelope', async () => {
    for (const query of [
      'resourceId=room-quote&checkIn=2026-12-10',
      `${stay}&quantity=0`,
      `${stay}&promoCode=NOPE`,
      'resourceId=room-quote&checkIn=2026-12-10&checkOut=2026-12-12&slotStart=2026-12-10T09:00:00Z&slotEnd=2026-12-10T10:00:00Z',
      'resourceId=bad id&checkIn=2026-12-10&checkOut=2026-12-12',
    ]) {
      const answer = await quote(query);
      expect(answer.status, query).to.equal(400);
      const error = answer.body['error'] as Record<string, unknown>;
      expect(error, query).to.include.keys('code', 'message', 'details', 'retryable');
      expect(error['retryable'], query).to.equal(false);
    }
    const promo = await quote(`${stay}&promoCode=NOPE`);
    expect((promo.body['error'] as { code: string }).code).to.equal('PROMO_CODE_INVALID');
  });

  it('answers an unknown resource with 404', async () => {
    const answer = await quote('resourceId=no-such-room&checkIn=2026-12-10&checkOut=2026-12-12');
    expect(answer.status).to.equal(404);
    expect((answer.body['error'] as { code: string }).code).to.equal('RESOURCE_NOT_FOUND');
  });
});
