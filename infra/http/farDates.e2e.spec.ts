import { expect } from 'chai';
import { sampleNightly } from '../../domain/resource/testing/sampleResources.ts';
import { registerResource } from '../../commands/shared/testing/reservationFixtures.ts';
import { startReadTestApp, type ReadTestApp } from '../readSide/testing/readTestApp.ts';
import { bearer } from './testing.ts';

const FAR = '9999-12-31';

/**
 * Issue 9 item 11: a stay ending 9999-12-31 used to list ~2.9 million nights
 * on the event loop (~22 s idle, over a minute on a busy machine) before its
 * 400, freezing every other request. Each such request must now be refused
 * from the range's length alone, and `/health`, polled meanwhile, must keep
 * answering. The bounds are an order of magnitude above what the fixed code
 * needs and below what the old code took.
 */
describe('far dates are refused before any work that grows with them', () => {
  let app: ReadTestApp;
  let partnerKey: string;
  let resourceId: string;
  let heldId: string;

  before(async () => {
    app = await startReadTestApp();
    partnerKey = (await app.createPartnerKey()).key;
    resourceId = await registerResource(app.writeSide, sampleNightly());
    const held = await fetch(`${app.expressUrl}/api/v1/reservations`, {
      method: 'POST',
      headers: { ...bearer(partnerKey), 'content-type': 'application/json' },
      body: JSON.stringify({
        resourceId,
        checkIn: '2026-12-24',
        checkOut: '2026-12-26',
        guest: { name: 'Ada' },
        requesterId: 'req-far',
      }),
    });
    expect(held.status).to.equal(201);
    heldId = String(((await held.json()) as { reservationId: string }).reservationId);
  });
  after(async () => app.close());

  const requests = (): [string, string, string, unknown?][] => [
    [
      'POST',
      '/api/v1/reservations',
      partnerKey,
      {
        resourceId,
        checkIn: '2026-12-24',
        checkOut: FAR,
        guest: { name: 'Ada' },
        requesterId: 'r',
      },
    ],
    [
      'POST',
      '/api/v1/bookings',
      partnerKey,
      {
        venue_id: resourceId,
        guest_name: 'Ada',
        party_size: 1,
        booking_date: '2026-12-24',
        end_date: FAR,
      },
    ],
    [
      'POST',
      '/api/v1/inventory/reserve',
      partnerKey,
      { sku: resourceId, dates: `2026-12-24/${FAR}`, customer_id: 'c-1' },
    ],
    [
      'POST',
      '/api/v1/bookings/availability/check',
      partnerKey,
      { venue_id: resourceId, booking_date: '2026-12-24', end_date: FAR },
    ],
    [
      'GET',
      `/api/v1/pricing/quote?resourceId=${resourceId}&checkIn=2026-12-24&checkOut=${FAR}`,
      partnerKey,
    ],
    ['GET', `/api/v1/search?checkIn=2026-12-24&checkOut=${FAR}`, partnerKey],
    ['GET', `/api/v1/inventory/query?sku=${resourceId}&dates=2026-12-24/${FAR}`, partnerKey],
    ['PATCH', `/api/v1/bookings/${heldId}`, partnerKey, { version: 1, checkOut: FAR }],
    ['POST', `/api/v1/bookings/${heldId}/extend`, partnerKey, { checkOut: FAR }],
    [
      'POST',
      `/api/v1/resources/${resourceId}/slots/close`,
      app.adminKey,
      { dates: { from: '2026-12-24', to: FAR }, reason: 'far' },
    ],
  ];

  for (const base of ['expressUrl'] as const) {
    it(`answers each with a 4xx envelope at once while /health keeps answering (${base})`, async function () {
      this.timeout(60_000);
      const url = app[base];
      const started = Date.now();
      let inFlight = true;
      let slowestHealthMs = 0;
      const poll = (async () => {
        while (inFlight) {
          const asked = Date.now();
          expect((await fetch(`${url}/health`)).status).to.equal(200);
          slowestHealthMs = Math.max(slowestHealthMs, Date.now() - asked);
        }
      })();
      const answers = await Promise.all(
        requests().map(async ([method, path, key, body]) => {
          const response = await fetch(`${url}${path}`, {
            method,
            headers: { ...bearer(key), 'content-type': 'application/json' },
            ...(body === undefined ? {} : { body: JSON.stringify(body) }),
          });
          const envelope = (await response.json()) as { error?: { code: string } };
          return { route: `${method} ${path}`, status: response.status, envelope };
        }),
      );
      inFlight = false;
      await poll;
      const elapsedMs = Date.now() - started;
      for (const answer of answers) {
        expect(answer.status, answer.route).to.be.within(400, 499);
        expect(answer.envelope.error?.code, answer.route).to.be.a('string');
      }
      expect(elapsedMs, 'all far-date requests together').to.be.below(8_000);
      expect(slowestHealthMs, 'slowest /health while they ran').to.be.below(3_000);
    });
  }
});
