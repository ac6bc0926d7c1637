import { expect } from 'chai';
import { sampleTimed } from '../../domain/resource/testing/sampleResources.ts';
import { request } from '../../infra/readSide/testing/http.ts';
import { startReadTestApp, type ReadTestApp } from '../../infra/readSide/testing/readTestApp.ts';

interface Slot {
  startTime: string;
  isAvailable: boolean;
  reasons: string[];
}

describe('HTTP caching of vendor availability (ETag, 304, answer cache keyed by log position)', function () {
  this.timeout(30_000);
  let app: ReadTestApp;
  let partner: { key: string };
  const vendorId = 'vendor-etag';
  const resourceId = 'svc-etag';
  let registeredAt: string;

  before(async () => {
    app = await startReadTestApp();
    partner = await app.createPartnerKey();
    const registered = await request(app.expressUrl, 'POST', '/api/v1/resources', app.adminKey, {
      ...sampleTimed({ vendorId, taxJurisdiction: { country: 'DE', eilatDealer: false } }),
      resourceId,
    });
    expect(registered.status).to.equal(201);
    registeredAt = String(registered.body['position']);
  });
  after(async () => app.close());

  const path = `/api/v1/vendors/${vendorId}/availability?startTime=2026-12-03T14:00:00Z&endTime=2026-12-03T17:00:00Z`;
  const get = (headers: Record<string, string> = {}, key = partner.key) =>
    request(app.expressUrl, 'GET', path, key, undefined, headers);
  const nine = (body: Record<string, unknown>) =>
    (body['slots'] as Slot[]).find((s) => s.startTime === '2026-12-03T14:00:00.000Z');

  it('same request twice → same strong ETag (second from the cache); If-None-Match → 304 without a body', async () => {
    const first = await get({ 'x-min-position': registeredAt });
    expect(first.status).to.equal(200);
    const etag = first.headers.get('etag');
    expect(etag).to.match(/^"[0-9a-f]+"$/);
    expect(first.headers.get('cache-control')).to.equal('private, no-cache');
    const second = await get();
    expect(second.status).to.equal(200);
    expect(second.headers.get('etag')).to.equal(etag);
    expect(second.headers.get('x-answer-cache')).to.equal('hit');
    expect(second.body['slots']).to.deep.equal(first.body['slots']);
    const notModified = await get({ 'if-none-match': String(etag) });
    expect(notModified.status).to.equal(304);
    expect(notModified.headers.get('etag')).to.equal(etag);
    expect(notModified.body).to.deep.equal({});
    const other = await get({ 'if-none-match': '"something-else"' });
    expect(other.status).to.equal(200);
  });

  it('a hold (read with X-Min-Position) → new ETag and 200; its expiry with the clock → new answer, never a 304', async () => {
    const before = await get();
    const oldTag = String(before.headers.get('etag'));
    const held = await request(app.expressUrl, 'POST', '/api/v1/reservations', partner.key, {
      resourceId,
      slotStart: '2026-12-03T14:00:00Z',
      slotEnd: '2026-12-03T15:00:00Z',
      guest: { name: 'Ada Lovelace', email: 'ada@example.test' },
      requesterId: 'req-etag',
    });
    expect(held.status, JSON.stringify(held.body)).to.equal(201);
    const afterHold = await get({
      'x-min-position': String(held.body['position']),
      'if-none-match': oldTag,
    });
    expect(afterHold.status).to.equal(200);
    expect(String(afterHold.headers.get('etag'))).to.not.equal(oldTag);
    expect(nine(afterHold.body)).to.include({ isAvailable: false });
    // The other read models (Redis, the resources projection) may still move after the
    // position the read waited for, and each move is a new validator: wait until it rests.
    let heldTag = String(afterHold.headers.get('etag'));
    for (let deadline = Date.now() + 10_000; ;) {
      const next = String((await get()).headers.get('etag'));
      if (next === heldTag) break;
      heldTag = next;
      expect(Date.now(), 'the validator never settled').to.be.below(deadline);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    // Then, without X-Min-Position, the same (cached) answer and validator.
    const again = await get({ 'if-none-match': heldTag });
    expect(again.status).to.equal(304);

    // The hold expires with the clock; no event is appended (no HoldExpired yet).
    const expiresAt = Date.parse(String(held.body['expiresAt']));
    expect(expiresAt).to.be.greaterThan(app.clock.now().getTime());
    app.clock.set(new Date(expiresAt + 1).toISOString());
    const expired = await get({ 'if-none-match': heldTag });
    expect(expired.status).to.equal(200);
    expect(expired.headers.get('etag')).to.not.equal(heldTag);
    expect(nine(expired.body)).to.include({ isAvailable: true });
  });

  it("a vendor never gets another vendor's cached answer (access is checked before the cache)", async () => {
    const warm = await get();
    expect(warm.status).to.equal(200);
    const created = await request(app.expressUrl, 'POST', '/api/v1/admin/api-keys', app.adminKey, {
      role: 'vendor',
      vendorId: 'vendor-other',
      label: 'other vendor',
    });
    expect(created.status, JSON.stringify(created.body)).to.equal(201);
    const otherVendor = String(created.body['apiKey']);
    const refused = await get({ 'if-none-match': String(warm.headers.get('etag')) }, otherVendor);
    expect(refused.status).to.equal(403);
    expect(refused.headers.get('etag')).to.equal(null);
  });

  it('inventory: principals that see different things never share an answer; equal ones share the validator', async () => {
    const vendorKey = async (owner: string) => {
      const created = await request(
        app.expressUrl,
        'POST',
        '/api/v1/admin/api-keys',
        app.adminKey,
        {
          role: 'vendor',
          vendorId: owner,
          label: `vendor ${owner}`,
        },
      );
      expect(created.status, JSON.stringify(created.body)).to.equal(201);
      return String(created.body['apiKey']);
    };
    const inventory = (key: string, headers: Record<string, string> = {}) =>
      request(
        app.expressUrl,
        'GET',
        `/api/v1/inventory/query?sku=${resourceId}&dates=2026-12-03`,
        key,
        undefined,
        headers,
      );
    const owner = await inventory(await vendorKey(vendorId));
    expect(owner.status).to.equal(200);
    const etag = String(owner.headers.get('etag'));
    const stranger = await inventory(await vendorKey('vendor-stranger'), { 'if-none-match': etag });
    expect(stranger.status).to.equal(403);
    expect(stranger.body['items']).to.equal(undefined);
    const asPartner = await inventory(partner.key);
    expect(asPartner.status).to.equal(200);
    expect(asPartner.body['items']).to.deep.equal(owner.body['items']);
    const revalidated = await inventory(app.adminKey, {
      'if-none-match': String(asPartner.headers.get('etag')),
    });
    expect(revalidated.status).to.equal(304);
  });
});
