import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { call, createGuestToken, guest } from '../../commands/shared/testing/httpClient.ts';
import { registerResource } from '../../commands/shared/testing/reservationFixtures.ts';
import { sampleNightly } from '../../domain/resource/testing/sampleResources.ts';
import { appendLifecycle } from './testing/lifecycle.ts';
import { startReceiver, type Receiver } from './testing/receiver.ts';
import { startWebhookTestBed, type WebhookTestBed } from './testing/webhookTestBed.ts';
import { createUrlGuard } from './urlGuard.ts';
import { createWebhookSender } from './sender.ts';
import { verifyWebhook } from './verifyWebhook.ts';

describe('webhooks: access control, SSRF and a hold’s webhookUrl', function () {
  this.timeout(60_000);
  let bed: WebhookTestBed;
  let a: { key: string; partnerId: string };
  let b: { key: string; partnerId: string };
  const receivers: Receiver[] = [];
  const receiver = async () => {
    const started = await startReceiver();
    receivers.push(started);
    bed.allowedHosts.push(started.hostPort);
    return started;
  };
  const lifecycle = (partnerId: string, vendorId = 'vendor-x') =>
    appendLifecycle(
      bed.app.store,
      { reservationId: `r-${randomUUID().slice(0, 8)}`, partnerId, vendorId },
      'CANCELLED',
    );

  before(async () => {
    bed = await startWebhookTestBed();
    a = await bed.app.createPartnerKey();
    b = await bed.app.createPartnerKey();
    bed.startRole();
  });
  after(async () => {
    await bed.close();
    await Promise.all(receivers.map((r) => r.close()));
  });

  it('refuses private, loopback and link-local targets and plain http unless allow-listed', async () => {
    for (const url of [
      'https://127.0.0.1/hook',
      'https://localhost/hook',
      'https://10.0.0.8/hook',
      'https://169.254.169.254/latest',
      'https://[::1]/hook',
      'https://[fe80::1]/hook',
      'http://127.0.0.1:1/hook',
    ]) {
      const refused = await bed.register(a.key, { url, events: ['*'] });
      expect(refused.status, url).to.equal(400);
      expect((refused.body['error'] as { code: string }).code, url).to.equal('WEBHOOK_URL_REFUSED');
    }
    const hook = await receiver();
    expect((await bed.register(a.key, { url: hook.url, events: ['*'] })).status).to.equal(201);
  });

  it('refuses at delivery time a host that resolves to a blocked address', async () => {
    const send = createWebhookSender(createUrlGuard({ allowedHosts: [] }), { timeoutMs: 2_000 });
    const outcome = await send({ url: 'https://localhost:9/hook', body: '{}', headers: {} });
    expect(outcome.ok).to.equal(false);
    expect(outcome.error).to.match(/may not reach/);
  });

  it('refuses unknown event patterns, bad ids and roles without endpoints', async () => {
    const hook = await receiver();
    const bad = await bed.register(a.key, { url: hook.url, events: ['booking.deleted'] });
    expect(bad.status).to.equal(400);
    expect((await call(bed.app, 'GET', '/api/v1/webhooks/endpoints/nope', a.key)).status).to.equal(
      400,
    );
    const person = await createGuestToken(bed.app);
    const asGuest = await bed.register(person.token, { url: hook.url, events: ['*'] });
    expect(asGuest.status).to.equal(403);
  });

  it('keeps partners to their own endpoints and their own reservations’ events', async () => {
    const hookA = await receiver();
    const hookB = await receiver();
    const endpointA = String(
      (await bed.register(a.key, { url: hookA.url, events: ['*'] })).body['id'],
    );
    const endpointB = String(
      (await bed.register(b.key, { url: hookB.url, events: ['*'] })).body['id'],
    );
    for (const [method, path, body] of [
      ['GET', `/api/v1/webhooks/endpoints/${endpointA}`, undefined],
      ['PATCH', `/api/v1/webhooks/endpoints/${endpointA}`, { enabled: false }],
      ['DELETE', `/api/v1/webhooks/endpoints/${endpointA}`, undefined],
      ['POST', `/api/v1/webhooks/endpoints/${endpointA}/rotate-secret`, {}],
      ['POST', `/api/v1/webhooks/endpoints/${endpointA}/test`, undefined],
      ['GET', `/api/v1/webhooks/endpoints/${endpointA}/deliveries`, undefined],
    ] as const) {
      const response = await call(bed.app, method, path, b.key, body);
      expect(response.status, `${method} ${path}`).to.equal(404);
    }
    const listB = await call(bed.app, 'GET', '/api/v1/webhooks/endpoints', b.key);
    const idsB = (listB.body['endpoints'] as { id: string }[]).map((e) => e.id);
    expect(idsB).to.include(endpointB).and.not.to.include(endpointA);
    const listAdmin = await call(
      bed.app,
      'GET',
      '/api/v1/webhooks/endpoints?limit=100',
      bed.app.adminKey,
    );
    const idsAdmin = (listAdmin.body['endpoints'] as { id: string }[]).map((e) => e.id);
    expect(idsAdmin).to.include(endpointA).and.to.include(endpointB);

    await lifecycle(b.partnerId);
    await lifecycle(a.partnerId);
    await hookA.waitFor((r) => r.some((x) => x.event.type === 'booking.cancelled'));
    await hookB.waitFor((r) => r.some((x) => x.event.type === 'booking.cancelled'));
    const partnersSeenByA = new Set(
      hookA.accepted.map(
        (x) => (JSON.parse(x.body) as { data: { partnerId: string } }).data.partnerId,
      ),
    );
    expect([...partnersSeenByA]).to.deep.equal([a.partnerId]);
    const eventOfA = hookA.accepted[0]?.id ?? '';
    const seenByB = await call(
      bed.app,
      'GET',
      `/api/v1/webhooks/events/${encodeURIComponent(eventOfA)}/deliveries`,
      b.key,
    );
    expect(seenByB.body['deliveries']).to.deep.equal([]);
  });

  it('gives a vendor the events of its resources only', async () => {
    const vendor = await bed.app.createVendorToken();
    const hook = await receiver();
    const created = await bed.register(vendor.token, { url: hook.url, events: ['reservation.*'] });
    expect(created.status).to.equal(201);
    await lifecycle(a.partnerId, 'someone-else');
    await lifecycle(a.partnerId, vendor.vendorId);
    await hook.waitFor((r) => r.some((x) => x.event.type === 'reservation.cancelled'));
    const vendors = new Set(
      hook.accepted.map(
        (x) => (JSON.parse(x.body) as { data: { vendorId: string } }).data.vendorId,
      ),
    );
    expect([...vendors]).to.deep.equal([vendor.vendorId]);
  });

  it('registers a hold’s webhookUrl as a one-off endpoint for that reservation only', async () => {
    const hook = await receiver();
    const resourceId = await registerResource(bed.app.writeSide, sampleNightly());
    const hold = (extra: Record<string, unknown>) =>
      call(bed.app, 'POST', '/api/v1/reservations', a.key, {
        resourceId,
        checkIn: '2026-12-24',
        checkOut: '2026-12-25',
        guest,
        requesterId: 'req-1',
        ...extra,
      });
    const refused = await hold({ webhookUrl: 'https://10.0.0.9/hook' });
    expect(refused.status).to.equal(400);
    const placed = await hold({ webhookUrl: hook.url });
    expect(placed.status, JSON.stringify(placed.body)).to.equal(201);
    const webhook = placed.body['webhook'] as { endpointId: string; secret: string };
    const reservationId = String(placed.body['reservationId']);
    await hold({});
    const cancel = await call(bed.app, 'POST', `/api/v1/bookings/${reservationId}/cancel`, a.key, {
      reason: 'changed plans',
    });
    expect(cancel.status, JSON.stringify(cancel.body)).to.be.oneOf([200, 201]);
    await hook.waitFor((r) => r.some((x) => x.event.type === 'booking.cancelled'));
    expect(new Set(hook.accepted.map((x) => x.event.reservationId))).to.deep.equal(
      new Set([reservationId]),
    );
    expect(hook.accepted.map((x) => x.event.type)).to.include.members([
      'reservation.created',
      'reservation.cancelled',
    ]);
    for (const x of hook.accepted)
      expect(verifyWebhook(x.body, x.signature, webhook.secret)).to.equal(true);
    const text = hook.accepted.map((x) => x.body).join('');
    expect(text).not.to.include('Ada Lovelace');
    expect(text).not.to.include('changed plans');
  });

  it('serves the public event schemas without credentials', async () => {
    const response = await fetch(`${bed.app.baseUrl}/api/v1/events/schema`);
    expect(response.status).to.equal(200);
    const body = (await response.json()) as { types: string[]; schemas: Record<string, unknown> };
    expect(body.types).to.include('booking.status_changed');
    expect(body.schemas).to.have.property('reservation.committed');
  });
});
