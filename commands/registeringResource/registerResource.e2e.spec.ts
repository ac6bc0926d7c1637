import { expect } from 'chai';
import { resourceStream } from '../../domain/shared/streams.ts';
import { sampleNightly, sampleTimed } from '../../domain/resource/testing/sampleResources.ts';
import { startWriteTestApp, type WriteTestApp } from '../../infra/testing/writeTestApp.ts';
import { resourceClient } from '../shared/testing/resourceRequests.ts';

describe('POST /api/v1/resources', () => {
  let app: WriteTestApp;
  before(async () => {
    app = await startWriteTestApp();
  });
  after(async () => app.close());

  it('lets a vendor register their own resource: 201 with version and position, one event', async () => {
    const { token, vendorId } = await app.createVendorToken();
    const vendor = resourceClient(app.baseUrl, token);
    const created = await vendor.register(sampleTimed({ vendorId }), 'svc-a1');
    expect(created.status).to.equal(201);
    expect(created.body).to.include({ resourceId: 'svc-a1', status: 'Active', version: 1 });
    expect(created.body['position']).to.be.a('string').and.not.equal('');
    expect(created.headers.get('location')).to.equal('/api/v1/resources/svc-a1');
    const events = await app.store.readStream(resourceStream('svc-a1'));
    expect(events.map((e) => e.type)).to.deep.equal(['ResourceRegistered']);
    expect(events[0]?.metadata.actor).to.deep.include({ role: 'vendor' });
  });

  it('answers a repeated identical registration 200 with the same version, and a different one 409', async () => {
    const admin = resourceClient(app.baseUrl, app.adminKey);
    const first = await admin.register(sampleNightly(), 'room-a2');
    const again = await admin.register(sampleNightly(), 'room-a2');
    expect([first.status, again.status]).to.deep.equal([201, 200]);
    expect(again.body['version']).to.equal(1);
    expect(again.body['position']).to.equal(first.body['position']);
    const other = await admin.register(sampleNightly({ capacity: 9 }), 'room-a2');
    expect(other.status).to.equal(409);
    expect((other.body['error'] as { code: string }).code).to.equal('ALREADY_REGISTERED');
    expect(await app.store.readStream(resourceStream('room-a2'))).to.have.length(1);
  });

  it('makes an id when none is given', async () => {
    const admin = resourceClient(app.baseUrl, app.adminKey);
    const response = await admin.call('', sampleNightly());
    expect(response.status).to.equal(201);
    expect(response.body['resourceId']).to.match(/^[0-9a-f-]{36}$/);
  });

  it('refuses a vendor registering for another vendor, or taking another vendor’s id (403)', async () => {
    const { token } = await app.createVendorToken();
    const vendor = resourceClient(app.baseUrl, token);
    const foreign = await vendor.register(sampleNightly({ vendorId: 'someone-else' }));
    expect(foreign.status).to.equal(403);
    await resourceClient(app.baseUrl, app.adminKey).register(sampleNightly(), 'room-a3');
    const taken = await vendor.register(sampleNightly({ vendorId: 'vendor-1' }), 'room-a3');
    expect(taken.status).to.equal(403);
  });

  it('refuses partners (403), invalid and inconsistent configurations (400) without appending', async () => {
    const { key } = await app.createPartnerKey();
    expect((await resourceClient(app.baseUrl, key).register(sampleNightly())).status).to.equal(403);
    const admin = resourceClient(app.baseUrl, app.adminKey);
    const head = await app.store.headPosition();
    const bad = await admin.register(sampleNightly({ zone: '+02:00' }));
    expect(bad.status).to.equal(400);
    expect(JSON.stringify(bad.body['error'])).to.match(/body\.zone.*IANA time zone/);
    const inconsistent = await admin.register(sampleNightly({ currency: 'USD' }));
    expect(inconsistent.status).to.equal(400);
    expect((inconsistent.body['error'] as { message: string }).message).to.match(/currency/);
    expect(await app.store.headPosition()).to.equal(head);
  });
});
