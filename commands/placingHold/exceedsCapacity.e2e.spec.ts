import { expect } from 'chai';
import { sampleNightly } from '../../domain/resource/testing/sampleResources.ts';
import { bearer } from '../../infra/http/testing.ts';
import { startReadTestApp, type ReadTestApp } from '../../infra/readSide/testing/readTestApp.ts';
import { registerResource } from '../shared/testing/reservationFixtures.ts';

/**
 * Issue 9 item 14: asking for more units than a resource has at all is
 * EXCEEDS_CAPACITY on the write side (the hold's 409) and on the read side
 * (the availability check), not BUSY_BOOKING — even when a night is booked.
 */
describe('a quantity above capacity is refused as EXCEEDS_CAPACITY', () => {
  let app: ReadTestApp;
  let key: string;
  let resourceId: string;
  before(async () => {
    app = await startReadTestApp();
    key = (await app.createPartnerKey()).key;
    resourceId = await registerResource(app.writeSide, sampleNightly({ capacity: 2 }));
  });
  after(async () => app.close());

  const post = async (path: string, body: unknown, minPosition?: string) => {
    const response = await fetch(`${app.expressUrl}${path}`, {
      method: 'POST',
      headers: {
        ...bearer(key),
        'content-type': 'application/json',
        ...(minPosition === undefined ? {} : { 'x-min-position': minPosition }),
      },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  const hold = (quantity: number) =>
    post('/api/v1/reservations', {
      resourceId,
      checkIn: '2026-12-24',
      checkOut: '2026-12-26',
      quantity,
      guest: { name: 'Ada' },
      requesterId: 'r-cap',
    });

  it('on the hold (409) and on the availability check, beside an existing hold', async () => {
    const placed = await hold(1);
    expect(placed.status).to.equal(201);
    const refused = await hold(3);
    expect(refused.status).to.equal(409);
    const details = (refused.body['error'] as { details: { reasons: string[] } }).details;
    expect(details.reasons).to.deep.equal(['EXCEEDS_CAPACITY']);
    const check = await post(
      '/api/v1/bookings/availability/check',
      {
        venue_id: resourceId,
        booking_date: '2026-12-24',
        end_date: '2026-12-26',
        quantity: 3,
      },
      // Read after the hold: the projections may not have seen the resource yet.
      String(placed.body['position']),
    );
    expect(check.status).to.equal(200);
    expect(check.body['available']).to.equal(false);
    expect(check.body['reasons']).to.deep.equal(['EXCEEDS_CAPACITY']);
  });
});
