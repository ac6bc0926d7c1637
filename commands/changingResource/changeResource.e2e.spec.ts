import { expect } from 'chai';
import { resourceStream } from '../../domain/shared/streams.ts';
import { sampleNightly } from '../../domain/resource/testing/sampleResources.ts';
import { startWriteTestApp, type WriteTestApp } from '../../infra/testing/writeTestApp.ts';
import { resourceClient } from '../shared/testing/resourceRequests.ts';

const code = (body: Record<string, unknown>) => (body['error'] as { code: string }).code;

describe('PATCH /api/v1/resources/{id}, PUT …/pricing-rules, POST …/retire', () => {
  let app: WriteTestApp;
  let admin: ReturnType<typeof resourceClient>;
  before(async () => {
    app = await startWriteTestApp();
    admin = resourceClient(app.baseUrl, app.adminKey);
  });
  after(async () => app.close());

  it('applies partial changes as one event per changed group and answers the new version', async () => {
    await admin.register(sampleNightly(), 'room-c1');
    const changed = await admin.change('room-c1', { capacity: 5, horizonDays: 30 });
    expect(changed.status).to.equal(200);
    expect(changed.body).to.include({ version: 3 });
    expect(changed.body['changes']).to.deep.equal([
      'ResourceCapacityChanged',
      'ResourceBookingWindowChanged',
    ]);
    expect(changed.headers.get('etag')).to.equal('"3"');
    const unchanged = await admin.change('room-c1', { capacity: 5 });
    expect(unchanged.body).to.include({ version: 3, position: changed.body['position'] });
  });

  it('checks an expected version from the body or If-Match: a stale one is 409 VERSION_MISMATCH', async () => {
    await admin.register(sampleNightly(), 'room-c2');
    const ok = await admin.change('room-c2', { capacity: 3, version: 1 });
    expect(ok.status).to.equal(200);
    const stale = await admin.change('room-c2', { capacity: 4, version: 1 });
    expect(stale.status).to.equal(409);
    expect(code(stale.body)).to.equal('VERSION_MISMATCH');
    const staleHeader = await admin.change('room-c2', { capacity: 4 }, { 'if-match': '"1"' });
    expect(code(staleHeader.body)).to.equal('VERSION_MISMATCH');
    const viaHeader = await admin.change('room-c2', { capacity: 4 }, { 'if-match': 'W/"2"' });
    expect(viaHeader.body).to.include({ version: 3 });
    const disagree = await admin.change(
      'room-c2',
      { capacity: 5, version: 3 },
      { 'if-match': '"2"' },
    );
    expect(disagree.status).to.equal(400);
    const garbage = await admin.change('room-c2', { capacity: 5 }, { 'if-match': 'yesterday' });
    expect(garbage.status).to.equal(400);
  });

  it('two concurrent changes with the same version: one wins, the other gets 409', async () => {
    await admin.register(sampleNightly(), 'room-c3');
    const results = await Promise.all(
      [6, 7].map((capacity) => admin.change('room-c3', { capacity, version: 1 })),
    );
    expect(results.map((r) => r.status).sort()).to.deep.equal([200, 409]);
    expect(await app.store.readStream(resourceStream('room-c3'))).to.have.length(2);
  });

  it('refuses fixed fields and unknown fields (400), unknown resources (404) and other vendors (403)', async () => {
    await admin.register(sampleNightly(), 'room-c4');
    expect((await admin.change('room-c4', { zone: 'Asia/Tokyo' })).status).to.equal(400);
    expect((await admin.change('room-c4', { colour: 'red' })).status).to.equal(400);
    expect((await admin.change('room-c4', { capacity: -1 })).status).to.equal(400);
    const missing = await admin.change('nope', { capacity: 1 });
    expect(missing.status).to.equal(404);
    expect(code(missing.body)).to.equal('RESOURCE_NOT_FOUND');
    const { token } = await app.createVendorToken();
    const other = resourceClient(app.baseUrl, token);
    expect((await other.change('room-c4', { capacity: 1 })).status).to.equal(403);
    expect((await other.retire('room-c4')).status).to.equal(403);
    expect(await app.store.readStream(resourceStream('room-c4'))).to.have.length(1);
  });

  it('replaces the pricing rules with PUT …/pricing-rules, checking currency and If-Match', async () => {
    await admin.register(sampleNightly(), 'room-c5');
    const rules = { ...sampleNightly().pricingRules, version: 'v2', basePrice: 12_345 };
    const put = await admin.call('/room-c5/pricing-rules', rules, 'PUT', { 'if-match': '"1"' });
    expect(put.status).to.equal(200);
    expect(put.body['changes']).to.deep.equal(['ResourcePricingRulesChanged']);
    const [, event] = await app.store.readStream(resourceStream('room-c5'));
    expect(
      (event?.data as { pricingRules: { basePrice: number } }).pricingRules.basePrice,
    ).to.equal(12_345);
    const usd = await admin.call('/room-c5/pricing-rules', { ...rules, currency: 'USD' }, 'PUT');
    expect(usd.status).to.equal(400);
    const stale = await admin.call('/room-c5/pricing-rules', rules, 'PUT', { 'if-match': '"1"' });
    expect(stale.status).to.equal(409);
  });

  it('retires once; a retired resource refuses changes with 409 RESOURCE_RETIRED', async () => {
    const { token, vendorId } = await app.createVendorToken();
    const vendor = resourceClient(app.baseUrl, token);
    await vendor.register(sampleNightly({ vendorId }), 'room-c6');
    const retired = await vendor.retire('room-c6');
    expect(retired.body).to.include({ status: 'Retired', version: 2 });
    const again = await vendor.retire('room-c6');
    expect(again.body).to.include({ status: 'Retired', version: 2 });
    const change = await vendor.change('room-c6', { capacity: 3 });
    expect(change.status).to.equal(409);
    expect(code(change.body)).to.equal('RESOURCE_RETIRED');
    expect((await vendor.call('/room-c6/retire', { reason: ' ' })).status).to.equal(400);
    expect((await vendor.retire('nope')).status).to.equal(404);
  });
});
