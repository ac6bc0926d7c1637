import { expect } from 'chai';
import { sampleNightly, sampleTimed } from '../../domain/resource/testing/sampleResources.ts';
import { request, type JsonAnswer } from '../../infra/readSide/testing/http.ts';
import { startReadTestApp, type ReadTestApp } from '../../infra/readSide/testing/readTestApp.ts';

interface Unit {
  slot: string;
  available: boolean;
  reasons: string[];
}

describe('POST /api/v1/bookings/availability/check (seed 002 fields)', function () {
  this.timeout(30_000);
  let app: ReadTestApp;
  let partner: string;
  let position = '';
  const check = (body: unknown): Promise<JsonAnswer> =>
    request(app.expressUrl, 'POST', '/api/v1/bookings/availability/check', partner, body, {
      'x-min-position': position,
    });
  const stay = { venue_id: 'room-check', booking_date: '2026-12-10', end_date: '2026-12-12' };
  const register = async (resourceId: string, config: unknown) => {
    const answer = await request(app.expressUrl, 'POST', '/api/v1/resources', app.adminKey, {
      ...(config as object),
      resourceId,
    });
    expect(answer.status, JSON.stringify(answer.body)).to.equal(201);
    position = String(answer.body['position']);
  };

  before(async () => {
    app = await startReadTestApp();
    partner = (await app.createPartnerKey()).key;
    const base = sampleNightly();
    await register(
      'room-check',
      sampleNightly({
        capacity: 1,
        zone: 'Asia/Jerusalem',
        currency: 'ILS',
        taxJurisdiction: { country: 'IL', eilatDealer: false },
        pricingRules: { ...base.pricingRules, currency: 'ILS', basePrice: 30_000 },
      }),
    );
    await register('svc-check', sampleTimed({ vendorId: 'vendor-check' }));
  });
  after(async () => app.close());

  it('says available with every night and the estimate a quote gives; a tourist pays no VAT', async () => {
    const answer = await check(stay);
    expect(answer.status, JSON.stringify(answer.body)).to.equal(200);
    expect(answer.body).to.include({ venue_id: 'room-check', available: true, quantity: 1 });
    expect(answer.body['reasons']).to.deep.equal([]);
    expect(answer.body['slots']).to.deep.equal([
      { slot: '2026-12-10', available: true, remaining: 1, reasons: [] },
      { slot: '2026-12-11', available: true, remaining: 1, reasons: [] },
    ]);
    // 2 × 300.00 + 18 % VAT.
    expect(answer.body['estimated_price']).to.deep.equal({ amount: 70_800, currency: 'ILS' });
    const tourist = await check({ ...stay, guest_nationality: 'US', guest_visa_type: 'B/2' });
    expect(tourist.body['estimated_price']).to.deep.equal({ amount: 60_000, currency: 'ILS' });
  });

  it('says unavailable after a hold, with the reason on the held night only', async () => {
    const held = await request(app.expressUrl, 'POST', '/api/v1/reservations', partner, {
      resourceId: 'room-check',
      checkIn: '2026-12-11',
      checkOut: '2026-12-12',
      guest: { name: 'Ada Lovelace', email: 'ada@example.test' },
      requesterId: 'req-check',
    });
    expect(held.status, JSON.stringify(held.body)).to.equal(201);
    position = String(held.body['position']);
    const answer = await check(stay);
    expect(answer.status).to.equal(200);
    expect(answer.body).to.include({ available: false, stale: false, estimated_price: null });
    expect(answer.body['reasons']).to.deep.equal(['HELD']);
    const nights = answer.body['slots'] as Unit[];
    expect(nights.map((n) => [n.slot, n.available, n.reasons])).to.deep.equal([
      ['2026-12-10', true, []],
      ['2026-12-11', false, ['HELD']],
    ]);
    const before = await check({ ...stay, end_date: '2026-12-11' });
    expect(before.body['available']).to.equal(true);
  });

  it('checks a timed booking by local time and duration, outside the hours too', async () => {
    const timed = { venue_id: 'svc-check', booking_date: '2026-12-03', duration_minutes: 60 };
    const open = await check({ ...timed, booking_time: '10:00' });
    expect(open.status, JSON.stringify(open.body)).to.equal(200);
    expect(open.body['available']).to.equal(true);
    expect((open.body['slots'] as Unit[]).map((s) => s.slot)).to.deep.equal(['2026-12-03T10:00']);
    const night = await check({ ...timed, booking_time: '20:00' });
    expect(night.body['available']).to.equal(false);
    expect(night.body['reasons']).to.include('OUTSIDE_HOURS');
  });

  it('answers bad input with a 400 envelope, and an unknown venue with 404', async () => {
    for (const body of [
      { booking_date: '2026-12-10', end_date: '2026-12-12' },
      { ...stay, booking_time: '10:00', duration_minutes: 60 },
      { ...stay, quantity: 0 },
      { ...stay, booking_date: '10/12/2026' },
      { ...stay, venue_id: 'svc-check' },
    ]) {
      const answer = await check(body);
      expect(answer.status, JSON.stringify(body)).to.equal(400);
      expect(answer.body['error'], JSON.stringify(body)).to.include.keys('code', 'message');
    }
    const wrongKind = await check({ ...stay, venue_id: 'svc-check' });
    expect((wrongKind.body['error'] as { code: string }).code).to.equal('WRONG_RESOURCE_KIND');
    const unknown = await check({ ...stay, venue_id: 'no-such-room' });
    expect(unknown.status).to.equal(404);
  });
});
