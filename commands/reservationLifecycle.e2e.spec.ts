import { expect } from 'chai';
import { sampleNightly } from '../domain/resource/testing/sampleResources.ts';
import { reservationStream, slotStream } from '../domain/shared/streams.ts';
import { startWriteTestApp, type WriteTestApp } from '../infra/testing/writeTestApp.ts';
import { call, createGuestToken } from './shared/testing/httpClient.ts';
import { holdNights, typesIn } from './shared/testing/lifecycle.ts';
import {
  commitAsSaga,
  registerResource,
  timedResource,
} from './shared/testing/reservationFixtures.ts';

describe('the reservation lifecycle over HTTP', function () {
  this.timeout(60_000);
  let app: WriteTestApp;
  let partner: { key: string; partnerId: string };
  let vendor: { token: string; vendorId: string };
  let resourceId: string;
  before(async () => {
    app = await startWriteTestApp();
    partner = await app.createPartnerKey();
    vendor = await app.createVendorToken();
    resourceId = await registerResource(
      app.writeSide,
      sampleNightly({ vendorId: vendor.vendorId, capacity: 2 }),
    );
  });
  after(async () => app.close());

  const confirmKey = () => ({ 'idempotency-key': `k-${Math.random()}` });
  const authorize = (id: string, key = partner.key) =>
    call(
      app,
      'POST',
      `/api/v1/reservations/${id}/confirm`,
      key,
      { paymentMethod: 'pm_card_visa' },
      confirmKey(),
    );
  const committed = async (checkIn: string, checkOut: string) => {
    const id = await holdNights(app, partner.key, resourceId, checkIn, checkOut);
    expect((await authorize(id)).status).to.equal(202);
    await commitAsSaga(app.writeSide, id);
    return id;
  };

  describe('GET /reservations/{id}', () => {
    it('shows state, history, quote, payment state and version; 404 unknown; 403 for strangers', async () => {
      const id = await holdNights(app, partner.key, resourceId, '2026-12-10', '2026-12-11');
      const got = await call(app, 'GET', `/api/v1/reservations/${id}`, partner.key);
      expect(got.status).to.equal(200);
      expect(got.body['state']).to.equal('HELD');
      expect(got.body['version']).to.equal(1);
      expect(got.body['stateHistory']).to.deep.equal([
        {
          event: 'ReservationRequested',
          fromState: null,
          toState: 'HELD',
          at: '2026-12-01T09:00:00.000Z',
        },
      ]);
      expect(got.body['paymentState']).to.equal(null);
      expect(got.headers.get('etag')).to.equal('"1"');
      expect((await call(app, 'GET', `/api/v1/reservations/${id}`, vendor.token)).status).to.equal(
        200,
      );
      const other = await app.createPartnerKey();
      expect((await call(app, 'GET', `/api/v1/reservations/${id}`, other.key)).status).to.equal(
        403,
      );
      expect((await call(app, 'GET', '/api/v1/reservations/nope', partner.key)).status).to.equal(
        404,
      );
      expect((await call(app, 'GET', '/api/v1/reservations/a.b', partner.key)).status).to.equal(
        400,
      );
    });
  });

  describe('vendor confirmation', () => {
    it('confirms: notified + confirmed, slot holds moved to the new deadline; declines release the slots', async () => {
      const timed = await registerResource(
        app.writeSide,
        timedResource({ vendorId: vendor.vendorId }),
      );
      const place = (slotStart: string, slotEnd: string) =>
        call(app, 'POST', '/api/v1/reservations', partner.key, {
          resourceId: timed,
          slotStart,
          slotEnd,
          guest: { name: 'G' },
          requesterId: 'r',
        });
      const a = String(
        (await place('2026-12-03T14:00:00Z', '2026-12-03T15:00:00Z')).body['reservationId'],
      );
      app.clock.advance(60_000);
      const answer = (id: string, body: unknown, token = vendor.token) =>
        call(app, 'POST', `/api/v1/reservations/${id}/vendor-confirmation`, token, body);
      const otherVendor = await app.createVendorToken();
      expect((await answer(a, { decision: 'confirm' }, otherVendor.token)).status).to.equal(403);
      expect((await answer(a, { decision: 'confirm' }, partner.key)).status).to.equal(403);
      const ok = await answer(a, { decision: 'confirm' });
      expect(ok.status).to.equal(200);
      expect(ok.body['state']).to.equal('CONFIRMED_BY_VENDOR');
      expect(ok.body['expiresAt']).to.equal('2026-12-01T09:31:00.000Z');
      expect(await typesIn(app, reservationStream(a))).to.deep.equal([
        'ReservationRequested',
        'VendorNotified',
        'VendorConfirmed',
      ]);
      const slot = await app.store.readStream(slotStream(timed, '2026-12-03T09:00'));
      expect(slot.at(-1)?.type).to.equal('SlotHeld');
      expect(slot.at(-1)?.data).to.include({
        reservationId: a,
        expiresAt: '2026-12-01T09:31:00.000Z',
      });
      expect((await answer(a, { decision: 'confirm' })).status).to.equal(409);
      const b = String(
        (await place('2026-12-03T16:00:00Z', '2026-12-03T17:00:00Z')).body['reservationId'],
      );
      const no = await answer(b, { decision: 'decline', reason: 'Closed for a private event.' });
      expect(no.body['state']).to.equal('FAILED_VENDOR_DECLINED');
      expect(await typesIn(app, slotStream(timed, '2026-12-03T11:00'))).to.deep.equal([
        'SlotOpened',
        'SlotHeld',
        'HoldReleased',
      ]);
      expect((await answer(b, { decision: 'maybe' })).status).to.equal(400);
    });
  });

  describe('authorize and confirm', () => {
    it('authorize records the payment method on the reservation (202, state unchanged, version and position); the token is not shown', async () => {
      const id = await holdNights(app, partner.key, resourceId, '2026-12-11', '2026-12-12');
      const provide = (paymentMethod: string, key = partner.key) =>
        call(app, 'POST', `/api/v1/reservations/${id}/authorize`, key, { paymentMethod });
      const response = await provide('pm_card_visa');
      expect(response.status).to.equal(202);
      expect(response.body['state']).to.equal('HELD');
      expect(response.body['version']).to.equal(2);
      expect(response.body['position']).to.be.a('string');
      expect(response.body['paymentMethodProvided']).to.equal(true);
      const events = await app.store.readStream(reservationStream(id));
      expect(events.map((e) => e.type)).to.deep.equal([
        'ReservationRequested',
        'PaymentMethodProvided',
      ]);
      expect(events[1]?.data).to.deep.include({ paymentMethod: 'pm_card_visa' });
      const same = await provide('pm_card_visa');
      expect(same.status).to.equal(202);
      expect(same.body['version']).to.equal(2);
      const replaced = await provide('pm_card_amex');
      expect(replaced.body['version']).to.equal(3);
      const got = await call(app, 'GET', `/api/v1/reservations/${id}`, partner.key);
      expect(got.body['paymentMethodProvided']).to.equal(true);
      expect(JSON.stringify(got.body)).not.to.match(/pm_card/);
      expect((await provide('pm_x12', vendor.token)).status).to.equal(403);
      expect((await provide('4242 4242 4242 4242')).status).to.equal(400);
    });

    it('once the requester authorization started, another payment method is refused (409)', async () => {
      const id = await holdNights(app, partner.key, resourceId, '2026-12-09', '2026-12-10');
      expect((await authorize(id)).status).to.equal(202);
      await commitAsSaga(app.writeSide, id);
      const other = await call(
        app,
        'POST',
        `/api/v1/reservations/${id}/confirm`,
        partner.key,
        { paymentMethod: 'pm_card_amex' },
        confirmKey(),
      );
      expect(other.status).to.equal(409);
    });

    it('confirm needs an Idempotency-Key; a retry with the key replays and records one payment method', async () => {
      const id = await holdNights(app, partner.key, resourceId, '2026-12-12', '2026-12-13');
      const path = `/api/v1/reservations/${id}/confirm`;
      const noKey = await call(app, 'POST', path, partner.key, { paymentMethod: 'pm_card_visa' });
      expect(noKey.status).to.equal(400);
      expect(noKey.body.error?.code).to.equal('IDEMPOTENCY_KEY_REQUIRED');
      const key = { 'idempotency-key': `confirm-${id}` };
      const results = await Promise.all(
        Array.from({ length: 5 }, () =>
          call(app, 'POST', path, partner.key, { paymentMethod: 'pm_card_visa' }, key),
        ),
      );
      const again = await call(
        app,
        'POST',
        path,
        partner.key,
        { paymentMethod: 'pm_card_visa' },
        key,
      );
      for (const r of [...results, again]) {
        expect([202, 409]).to.include(r.status);
        if (r.status === 409) expect(r.body.error?.code).to.equal('IDEMPOTENCY_IN_PROGRESS');
      }
      expect(again.status).to.equal(202);
      expect(again.headers.get('idempotent-replayed')).to.equal('true');
      expect(again.body['position']).to.equal(
        results.find((r) => r.status === 202)?.body['position'],
      );
      const types = await typesIn(app, reservationStream(id));
      expect(types.filter((t) => t === 'PaymentMethodProvided')).to.have.length(1);
      const other = await call(app, 'POST', path, partner.key, { paymentMethod: 'pm_other1' }, key);
      expect(other.status).to.equal(422);
    });

    it('retries of a hold with one key create one reservation', async () => {
      const body = {
        resourceId,
        checkIn: '2026-12-13',
        checkOut: '2026-12-14',
        guest: { name: 'G' },
        requesterId: 'r',
      };
      const key = { 'idempotency-key': `hold-${Math.random()}` };
      const responses = await Promise.all(
        Array.from({ length: 5 }, () =>
          call(app, 'POST', '/api/v1/reservations', partner.key, body, key),
        ),
      );
      const replay = await call(app, 'POST', '/api/v1/reservations', partner.key, body, key);
      const ids = new Set(
        [...responses, replay].filter((r) => r.status === 201).map((r) => r.body['reservationId']),
      );
      expect(ids.size).to.equal(1);
      const night = await app.store.readStream(slotStream(resourceId, '2026-12-13'));
      expect(night.filter((e) => e.type === 'SlotHeld')).to.have.length(1);
    });
  });

  describe('cancel', () => {
    it('POST and PATCH cancel, release the slots in the same write, and record the refund', async () => {
      const held = await holdNights(app, partner.key, resourceId, '2026-12-14', '2026-12-16');
      const cancelled = await call(app, 'POST', `/api/v1/bookings/${held}/cancel`, partner.key, {
        reason: 'Plans changed.',
      });
      expect(cancelled.status).to.equal(200);
      expect(cancelled.body['state']).to.equal('CANCELLED');
      expect(cancelled.body['refund']).to.deep.include({ refund: { amount: 0, currency: 'EUR' } });
      const events = await app.store.readStream(slotStream(resourceId, '2026-12-15'));
      expect(events.at(-1)?.type).to.equal('HoldReleased');
      // One Postgres transaction: the release and the cancellation share the transaction id of the position.
      const txOf = (checkpoint: unknown) => String(checkpoint).split(':')[0];
      expect(txOf(events.at(-1)?.checkpoint)).to.equal(txOf(cancelled.body['position']));
      const again = await call(app, 'PATCH', `/api/v1/bookings/${held}/cancel`, partner.key, {
        reason: 'Again.',
      });
      expect(again.status).to.equal(409);
      const booked = await committed('2026-12-16', '2026-12-17');
      const viaPatch = await call(app, 'PATCH', `/api/v1/bookings/${booked}/cancel`, vendor.token, {
        reason: 'Overbooked by phone.',
      });
      expect(viaPatch.status).to.equal(200);
      expect(await typesIn(app, slotStream(resourceId, '2026-12-16'))).to.include(
        'BookingReleased',
      );
      expect(
        (await call(app, 'POST', `/api/v1/bookings/${booked}/cancel`, partner.key, {})).status,
      ).to.equal(400);
      expect(
        (await call(app, 'POST', '/api/v1/bookings/nope/cancel', partner.key, { reason: 'x' }))
          .status,
      ).to.equal(404);
    });
  });

  describe('status', () => {
    it('the vendor checks in and completes; guests and partners may not; illegal moves are 409', async () => {
      const id = await committed('2026-12-17', '2026-12-18');
      const noShow = await committed('2026-12-18', '2026-12-19');
      const set = (status: string, token = vendor.token) =>
        call(app, 'POST', `/api/v1/bookings/${id}/status`, token, { status });
      // Weeks before the stay (docs/lifecycle-windows.md): refused, nothing recorded.
      for (const status of ['CHECKED_IN', 'COMPLETED', 'NO_SHOW']) {
        const early = await set(status);
        expect(early.status, status).to.equal(409);
        expect(early.body.error?.code, status).to.equal('OUTSIDE_STATUS_WINDOW');
      }
      const before = app.clock.now().toISOString();
      try {
        // Noon (Berlin, 13:00) of the stay's only night: inside check-in and completion.
        // The vendor's access token has expired by then; the admin's API key has not.
        app.clock.set('2026-12-17T12:00:00.000Z');
        expect((await set('CHECKED_IN', partner.key)).status).to.equal(403);
        expect((await set('CHECKED_IN', app.adminKey)).body['state']).to.equal('CHECKED_IN');
        expect((await set('NO_SHOW', app.adminKey)).status).to.equal(409);
        expect((await set('COMPLETED', app.adminKey)).body['state']).to.equal('COMPLETED');
        expect((await set('PENDING', app.adminKey)).status).to.equal(400);
        const markNoShow = () =>
          call(app, 'POST', `/api/v1/bookings/${noShow}/status`, app.adminKey, {
            status: 'NO_SHOW',
          });
        // Still the arrival day in Berlin (23:30): the guest may yet come.
        app.clock.set('2026-12-18T22:30:00.000Z');
        expect((await markNoShow()).body.error?.code).to.equal('OUTSIDE_STATUS_WINDOW');
        app.clock.set('2026-12-18T23:00:00.000Z');
        const marked = await markNoShow();
        expect(marked.body['state']).to.equal('NO_SHOW');
        expect(marked.body['noShowFee']).to.have.property('amount').that.is.greaterThan(0);
      } finally {
        app.clock.set(before);
      }
    });
  });

  describe('modify and extend', () => {
    it('PUT moves the stay: new nights booked, old released, re-priced; version via body or If-Match', async () => {
      const id = await committed('2026-12-20', '2026-12-22');
      const put = (body: unknown, headers: Record<string, string> = {}) =>
        call(app, 'PUT', `/api/v1/bookings/${id}`, partner.key, body, headers);
      const current = Number(
        (await call(app, 'GET', `/api/v1/reservations/${id}`, partner.key)).body['version'],
      );
      const moved = await put({ version: current, checkIn: '2026-12-21', checkOut: '2026-12-24' });
      expect(moved.status, JSON.stringify(moved.body)).to.equal(200);
      expect(moved.body['slots']).to.deep.equal(['2026-12-21', '2026-12-22', '2026-12-23']);
      expect(moved.body['version']).to.equal(current + 1);
      expect(await typesIn(app, slotStream(resourceId, '2026-12-20'))).to.include(
        'BookingReleased',
      );
      expect(await typesIn(app, slotStream(resourceId, '2026-12-23'))).to.include('SlotBooked');
      const stale = await put({ version: current, checkIn: '2026-12-21', checkOut: '2026-12-22' });
      expect(stale.status).to.equal(409);
      expect(stale.body.error?.code).to.equal('VERSION_MISMATCH');
      const viaHeader = await put(
        { checkIn: '2026-12-21', checkOut: '2026-12-23' },
        { 'if-match': `"${current + 1}"` },
      );
      expect(viaHeader.status).to.equal(200);
      expect(
        (await put({ checkIn: '2026-12-21', checkOut: '2026-12-23' })).body.error?.code,
      ).to.equal('VERSION_REQUIRED');
    });

    it('two concurrent modifications with the same version: one 200, one 409', async () => {
      const id = await committed('2026-12-25', '2026-12-26');
      const version = Number(
        (await call(app, 'GET', `/api/v1/reservations/${id}`, partner.key)).body['version'],
      );
      const [a, b] = await Promise.all([
        call(app, 'PUT', `/api/v1/bookings/${id}`, partner.key, {
          version,
          checkIn: '2026-12-26',
          checkOut: '2026-12-27',
        }),
        call(app, 'PUT', `/api/v1/bookings/${id}`, partner.key, {
          version,
          checkIn: '2026-12-27',
          checkOut: '2026-12-28',
        }),
      ]);
      expect([a?.status, b?.status].sort()).to.deep.equal([200, 409]);
      const loser = a?.status === 409 ? a : b;
      expect(loser?.body.error?.code).to.equal('VERSION_MISMATCH');
      const types = await typesIn(app, reservationStream(id));
      expect(types.filter((t) => t === 'ReservationModified')).to.have.length(1);
    });

    it('extends by free nights and refuses taken ones', async () => {
      const id = await committed('2026-12-28', '2026-12-29');
      const extended = await call(app, 'POST', `/api/v1/bookings/${id}/extend`, partner.key, {
        checkOut: '2026-12-31',
      });
      expect(extended.status, JSON.stringify(extended.body)).to.equal(200);
      expect(extended.body['slots']).to.deep.equal(['2026-12-28', '2026-12-29', '2026-12-30']);
      expect(extended.body['extensionQuotes']).to.have.length(1);
      await holdNights(app, partner.key, resourceId, '2026-12-31', '2027-01-01', { quantity: 2 });
      const taken = await call(app, 'POST', `/api/v1/bookings/${id}/extend`, partner.key, {
        checkOut: '2027-01-01',
      });
      expect(taken.status).to.equal(409);
      expect(taken.body.error?.code).to.equal('SLOT_UNAVAILABLE');
      const guestToken = await createGuestToken(app);
      expect(
        (
          await call(app, 'POST', `/api/v1/bookings/${id}/extend`, guestToken.token, {
            checkOut: '2027-01-02',
          })
        ).status,
      ).to.equal(403);
    });
  });
});
