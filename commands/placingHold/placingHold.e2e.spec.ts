import { expect } from 'chai';
import { sampleNightly } from '../../domain/resource/testing/sampleResources.ts';
import { reservationStream, slotStream } from '../../domain/shared/streams.ts';
import { startWriteTestApp, type WriteTestApp } from '../../infra/testing/writeTestApp.ts';
import { call, createGuestToken, guest } from '../shared/testing/httpClient.ts';
import {
  registerResource,
  retireResource,
  timedResource,
} from '../shared/testing/reservationFixtures.ts';

describe('POST /api/v1/reservations (and the seed aliases)', () => {
  let app: WriteTestApp;
  let partner: { key: string; partnerId: string };
  before(async () => {
    app = await startWriteTestApp();
    partner = await app.createPartnerKey();
  });
  after(async () => app.close());

  const hold = (resourceId: string, extra: Record<string, unknown> = {}, key = partner.key) =>
    call(app, 'POST', '/api/v1/reservations', key, {
      resourceId,
      checkIn: '2026-12-24',
      checkOut: '2026-12-26',
      quantity: 1,
      guest,
      requesterId: 'req-1',
      ...extra,
    });

  it('holds a two-night stay: 201 with id, reference, HELD, expiresAt, quote, version and position', async () => {
    const resourceId = await registerResource(app.writeSide, sampleNightly());
    const response = await hold(resourceId);
    expect(response.status).to.equal(201);
    const body = response.body;
    expect(body['status']).to.equal('HELD');
    expect(body['bookingReference']).to.match(/^BR-20261201-[2-9A-Z]{6}$/);
    expect(body['expiresAt']).to.equal('2026-12-01T09:15:00.000Z');
    expect(body['version']).to.equal(1);
    expect(body['position']).to.be.a('string');
    expect(body['slots']).to.deep.equal(['2026-12-24', '2026-12-25']);
    expect((body['quote'] as { total: { amount: number } }).total.amount).to.be.greaterThan(0);
    expect(body['partnerId']).to.equal(partner.partnerId);
    const id = String(body['reservationId']);
    const events = await app.store.readStream(reservationStream(id));
    expect(events.map((e) => e.type)).to.deep.equal(['ReservationRequested']);
    expect(events[0]?.metadata.actor).to.deep.equal({
      principal: events[0]?.metadata.actor?.principal,
      role: 'partner',
    });
    expect(events[0]?.metadata.correlationId).to.be.a('string');
    const night = await app.store.readStream(slotStream(resourceId, '2026-12-24'));
    expect(night.map((e) => e.type)).to.deep.equal(['SlotOpened', 'SlotHeld']);
    expect(night[1]?.data).to.include({ reservationId: id, expiresAt: '2026-12-01T09:15:00.000Z' });
  });

  it('holds consecutive timed slots given as instants', async () => {
    const resourceId = await registerResource(app.writeSide, timedResource());
    // Thursday 2026-12-03, 09:00–11:00 in New York (UTC−5).
    const response = await call(app, 'POST', '/api/v1/reservations', partner.key, {
      resourceId,
      slotStart: '2026-12-03T14:00:00Z',
      slotEnd: '2026-12-03T16:00:00Z',
      guest,
      requesterId: 'req-2',
    });
    expect(response.status).to.equal(201);
    expect(response.body['slots']).to.deep.equal(['2026-12-03T09:00', '2026-12-03T10:00']);
    expect(response.body['vendorConfirmationRequired']).to.equal(true);
    expect(response.body['expiresAt']).to.equal('2026-12-01T09:10:00.000Z');
  });

  it('refuses timed slots off the grid (400), outside hours (409) and the wrong period shape (400)', async () => {
    const resourceId = await registerResource(app.writeSide, timedResource());
    const timed = (slotStart: string, slotEnd: string) =>
      call(app, 'POST', '/api/v1/reservations', partner.key, {
        resourceId,
        slotStart,
        slotEnd,
        guest,
        requesterId: 'r',
      });
    const offGrid = await timed('2026-12-03T14:30:00Z', '2026-12-03T15:30:00Z');
    expect(offGrid.status).to.equal(400);
    expect(offGrid.body.error?.code).to.equal('SLOT_NOT_ALIGNED');
    const night = await timed('2026-12-03T03:00:00Z', '2026-12-03T04:00:00Z');
    expect(night.status).to.equal(409);
    expect(night.body.error?.details['reasons']).to.include('OUTSIDE_HOURS');
    const dates = await hold(resourceId);
    expect(dates.status).to.equal(400);
    expect(dates.body.error?.code).to.equal('WRONG_RESOURCE_KIND');
    const both = await hold(resourceId, {
      slotStart: '2026-12-03T14:00:00Z',
      slotEnd: '2026-12-03T15:00:00Z',
    });
    expect(both.status).to.equal(400);
  });

  it('answers 404 for an unknown resource, 409 for a retired one, 400 for bad input', async () => {
    expect((await hold('nope')).body.error?.code).to.equal('RESOURCE_NOT_FOUND');
    const retired = await registerResource(app.writeSide, sampleNightly());
    await retireResource(app.writeSide, retired);
    const gone = await hold(retired);
    expect(gone.status).to.equal(409);
    expect(gone.body.error?.code).to.equal('RESOURCE_RETIRED');
    const resourceId = await registerResource(app.writeSide, sampleNightly());
    for (const bad of [
      { checkOut: '2026-12-23' },
      { quantity: 0 },
      { quantity: -1 },
      { checkIn: '2026-02-30' },
      { unknown: true },
      { guest: { name: '' } },
      { resourceId: 'a.b' },
    ]) {
      const response = await hold(resourceId, bad);
      expect(response.status, JSON.stringify(bad)).to.equal(400);
    }
    expect(await app.store.streamRevision(slotStream(resourceId, '2026-12-24'))).to.equal(
      undefined,
    );
  });

  it('refuses when capacity, restrictions or the booking window do not allow it (409 SLOT_UNAVAILABLE)', async () => {
    const resourceId = await registerResource(app.writeSide, sampleNightly({ capacity: 1 }));
    expect((await hold(resourceId)).status).to.equal(201);
    const full = await hold(resourceId, { checkIn: '2026-12-25', checkOut: '2026-12-27' });
    expect(full.status).to.equal(409);
    expect(full.body.error?.code).to.equal('SLOT_UNAVAILABLE');
    expect(full.body.error?.details['reasons']).to.include('HELD');
    const strict = await registerResource(
      app.writeSide,
      sampleNightly({
        stayRestrictions: {
          minNights: 3,
          maxNights: null,
          closedToArrival: { dates: [], weekdays: [] },
          closedToDeparture: { dates: [], weekdays: [] },
        },
      }),
    );
    const short = await hold(strict);
    expect(short.status).to.equal(409);
    expect(short.body.error?.details['reasons']).to.include('MIN_NIGHTS');
    const far = await hold(resourceId, { checkIn: '2028-01-01', checkOut: '2028-01-02' });
    expect(far.body.error?.details['reasons']).to.include('BEYOND_HORIZON');
  });

  it('lets a guest hold only for themselves, and refuses vendors', async () => {
    const resourceId = await registerResource(app.writeSide, sampleNightly());
    const me = await createGuestToken(app);
    const own = await hold(resourceId, {}, me.token);
    expect(own.status).to.equal(201);
    expect(own.body['guestId']).to.equal(me.guestId);
    expect(own.body['partnerId']).to.equal('direct');
    const other = await hold(
      resourceId,
      { guest: { ...guest, guestId: 'someone-else' } },
      me.token,
    );
    expect(other.status).to.equal(403);
    const vendor = await app.createVendorToken();
    expect((await hold(resourceId, {}, vendor.token)).status).to.equal(403);
  });

  it('caps a partner’s active holds when a cap is configured (409 HOLD_LIMIT_REACHED)', async () => {
    const capped = await startWriteTestApp({
      holdCap: { maxActiveHoldsPerPartner: 2, activeHolds: () => Promise.resolve(2) },
    });
    try {
      const key = await capped.createPartnerKey();
      const resourceId = await registerResource(capped.writeSide, sampleNightly());
      const response = await call(capped, 'POST', '/api/v1/reservations', key.key, {
        resourceId,
        checkIn: '2026-12-24',
        checkOut: '2026-12-25',
        guest,
        requesterId: 'r',
      });
      expect(response.status).to.equal(409);
      expect(response.body.error?.code).to.equal('HOLD_LIMIT_REACHED');
    } finally {
      await capped.close();
    }
  });

  it('POST /bookings (seed 002) and POST /inventory/reserve (seed 000) place the same kind of hold', async () => {
    const nightly = await registerResource(app.writeSide, sampleNightly());
    const booking = await call(app, 'POST', '/api/v1/bookings', partner.key, {
      venue_id: nightly,
      guest_id: 'g-7',
      guest_name: 'Grace',
      party_size: 2,
      booking_date: '2026-12-24',
      end_date: '2026-12-27',
    });
    expect(booking.status).to.equal(201);
    expect(booking.body['booking_reference']).to.equal(booking.body['bookingReference']);
    expect(booking.body['slots']).to.have.length(3);
    const timed = await registerResource(app.writeSide, timedResource());
    const local = await call(app, 'POST', '/api/v1/bookings', partner.key, {
      venue_id: timed,
      guest_id: 'g-8',
      guest_name: 'Alan',
      party_size: 1,
      booking_date: '2026-12-03',
      booking_time: '10:00',
      duration_minutes: 60,
    });
    expect(local.status).to.equal(201);
    expect(local.body['slots']).to.deep.equal(['2026-12-03T10:00']);
    const reserve = await call(app, 'POST', '/api/v1/inventory/reserve', partner.key, {
      sku: nightly,
      dates: '2026-12-28/2026-12-29',
      quantity: 2,
      customer_id: 'c-1',
    });
    expect(reserve.status).to.equal(201);
    expect(reserve.body['quantity']).to.equal(2);
    const badDates = await call(app, 'POST', '/api/v1/inventory/reserve', partner.key, {
      sku: nightly,
      dates: 'tomorrow',
      customer_id: 'c-1',
    });
    expect(badDates.status).to.equal(400);
  });
});
