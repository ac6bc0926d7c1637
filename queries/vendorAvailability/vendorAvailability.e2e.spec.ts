import { expect } from 'chai';
import { sampleTimed } from '../../domain/resource/testing/sampleResources.ts';
import { request } from '../../infra/readSide/testing/http.ts';
import { startReadTestApp, type ReadTestApp } from '../../infra/readSide/testing/readTestApp.ts';

interface Slot {
  resourceId: string;
  startTime: string;
  isAvailable: boolean;
  confidence?: number;
  reasons: string[];
  computedAt: string;
  computedVersion: string;
}

describe('GET /api/v1/vendors/{id}/availability (read-your-writes over HTTP)', function () {
  this.timeout(30_000);
  let app: ReadTestApp;
  let partner: { key: string };
  const vendorId = 'vendor-ryw';
  let resourceId: string;
  let registeredAt: string;

  before(async () => {
    app = await startReadTestApp();
    partner = await app.createPartnerKey();
    const registered = await request(app.expressUrl, 'POST', '/api/v1/resources', app.adminKey, {
      ...sampleTimed({ vendorId, taxJurisdiction: { country: 'DE', eilatDealer: false } }),
      resourceId: 'svc-ryw',
    });
    expect(registered.status).to.equal(201);
    resourceId = 'svc-ryw';
    registeredAt = String(registered.body['position']);
  });
  after(async () => app.close());

  // Thursday 2026-12-03, 09:00–12:00 in New York (UTC−5).
  const window =
    '?startTime=2026-12-03T14:00:00Z&endTime=2026-12-03T17:00:00Z&includeConfidence=true';
  const availability = (minPosition: string) =>
    request(
      app.expressUrl,
      'GET',
      `/api/v1/vendors/${vendorId}/availability${window}`,
      partner.key,
      undefined,
      {
        'x-min-position': minPosition,
      },
    );
  const nineOClock = (slots: Slot[]) =>
    slots.find((s) => s.startTime === '2026-12-03T14:00:00.000Z');

  it('lists every slot of the window with reasons, confidence, computedAt, computedVersion and timing', async () => {
    const answer = await availability(registeredAt);
    expect(answer.status).to.equal(200);
    expect(answer.headers.get('x-projection-position')).to.be.a('string').and.not.equal('');
    expect(answer.body['stale']).to.equal(false);
    const slots = answer.body['slots'] as Slot[];
    expect(slots.map((s) => s.startTime)).to.deep.equal([
      '2026-12-03T14:00:00.000Z',
      '2026-12-03T15:00:00.000Z',
      '2026-12-03T16:00:00.000Z',
    ]);
    for (const slot of slots) {
      expect(slot).to.include({
        resourceId,
        isAvailable: true,
        confidence: 1,
        computedAt: '2026-12-01T09:00:00.000Z',
      });
      expect(slot.reasons).to.deep.equal([]);
      expect(slot.computedVersion).to.be.a('string').with.length.greaterThan(0);
    }
    const metadata = answer.body['metadata'] as {
      computationTimeMs: number;
      confidenceThreshold: number;
    };
    expect(metadata.computationTimeMs).to.be.a('number').and.at.least(0);
    expect(metadata.confidenceThreshold).to.equal(0.8);
  });

  it('hold → the slot is unavailable at once for a client sending X-Min-Position; cancel → it is back', async () => {
    const held = await request(app.expressUrl, 'POST', '/api/v1/reservations', partner.key, {
      resourceId,
      slotStart: '2026-12-03T14:00:00Z',
      slotEnd: '2026-12-03T15:00:00Z',
      guest: { name: 'Ada Lovelace', email: 'ada@example.test' },
      requesterId: 'req-ryw',
    });
    expect(held.status, JSON.stringify(held.body)).to.equal(201);
    const afterHold = await availability(String(held.body['position']));
    expect(afterHold.body['stale']).to.equal(false);
    const blocked = nineOClock(afterHold.body['slots'] as Slot[]);
    expect(blocked).to.include({ isAvailable: false, confidence: 0.2 });
    expect(blocked?.reasons).to.deep.equal(['HELD']);

    const cancelled = await request(
      app.expressUrl,
      'POST',
      `/api/v1/bookings/${String(held.body['reservationId'])}/cancel`,
      partner.key,
      { reason: 'changed plans' },
    );
    expect(cancelled.status).to.equal(200);
    const afterCancel = await availability(String(cancelled.body['position']));
    const back = nineOClock(afterCancel.body['slots'] as Slot[]);
    expect(back).to.include({ isAvailable: true, confidence: 1 });
    expect(back?.reasons).to.deep.equal([]);
  });

  it('refuses a bad window, a bad X-Min-Position and an unknown vendor with the error envelope', async () => {
    const reversed = await request(
      app.expressUrl,
      'GET',
      `/api/v1/vendors/${vendorId}/availability?startTime=2026-12-03T17:00:00Z&endTime=2026-12-03T14:00:00Z`,
      partner.key,
    );
    expect(reversed.status).to.equal(400);
    expect((reversed.body['error'] as { code: string }).code).to.equal('INVALID_REQUEST');
    const badPosition = await availability('not-a-position');
    expect(badPosition.status).to.equal(400);
    const unknown = await request(
      app.expressUrl,
      'GET',
      `/api/v1/vendors/nobody/availability${window}`,
      partner.key,
    );
    expect(unknown.status).to.equal(404);
    expect((unknown.body['error'] as { code: string }).code).to.equal('VENDOR_NOT_FOUND');
  });
});
