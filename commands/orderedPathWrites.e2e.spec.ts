import { expect } from 'chai';
import { sampleNightly } from '../domain/resource/testing/sampleResources.ts';
import { reservationStream, slotStream } from '../domain/shared/streams.ts';
import { startWriteTestApp, type WriteTestApp } from '../infra/testing/writeTestApp.ts';
import { call } from './shared/testing/httpClient.ts';
import { holdNights, typesIn } from './shared/testing/lifecycle.ts';
import { commitAsSaga, registerResource } from './shared/testing/reservationFixtures.ts';

describe('cancel and modify on a store without atomic multi-stream appends', function () {
  this.timeout(60_000);
  let app: WriteTestApp;
  let partner: { key: string };
  let resourceId: string;
  before(async () => {
    app = await startWriteTestApp({ atomicMultiStreamAppend: false });
    partner = await app.createPartnerKey();
    resourceId = await registerResource(app.writeSide, sampleNightly({ capacity: 1 }));
  });
  after(async () => app.close());

  it('cancel records the cancellation, then releases every night, which another guest can then hold', async () => {
    const id = await holdNights(app, partner.key, resourceId, '2026-12-24', '2026-12-27');
    const cancelled = await call(app, 'POST', `/api/v1/bookings/${id}/cancel`, partner.key, {
      reason: 'No longer needed.',
    });
    expect(cancelled.status).to.equal(200);
    for (const night of ['2026-12-24', '2026-12-25', '2026-12-26']) {
      expect(await typesIn(app, slotStream(resourceId, night))).to.deep.equal([
        'SlotOpened',
        'SlotHeld',
        'HoldReleased',
      ]);
    }
    await holdNights(app, partner.key, resourceId, '2026-12-24', '2026-12-27');
  });

  it('a modification that cannot claim its new nights leaves the booking and its old nights as they were', async () => {
    const id = await holdNights(app, partner.key, resourceId, '2026-12-28', '2026-12-29');
    await call(app, 'POST', `/api/v1/reservations/${id}/authorize`, partner.key, {
      paymentMethod: 'pm_card_visa',
    });
    await commitAsSaga(app.writeSide, id);
    await holdNights(app, partner.key, resourceId, '2026-12-30', '2026-12-31');
    const version = Number(
      (await call(app, 'GET', `/api/v1/reservations/${id}`, partner.key)).body['version'],
    );
    const refused = await call(app, 'PUT', `/api/v1/bookings/${id}`, partner.key, {
      version,
      checkIn: '2026-12-29',
      checkOut: '2026-12-31',
    });
    expect(refused.status).to.equal(409);
    expect(refused.body.error?.code).to.equal('SLOT_UNAVAILABLE');
    expect(await typesIn(app, reservationStream(id))).to.not.include('ReservationModified');
    expect(await typesIn(app, slotStream(resourceId, '2026-12-28'))).to.deep.equal([
      'SlotOpened',
      'SlotHeld',
      'SlotBooked',
    ]);
    const moved = await call(app, 'PUT', `/api/v1/bookings/${id}`, partner.key, {
      version,
      checkIn: '2026-12-29',
      checkOut: '2026-12-30',
    });
    expect(moved.status).to.equal(200);
    expect(await typesIn(app, slotStream(resourceId, '2026-12-28'))).to.include('BookingReleased');
  });
});
