import { expect } from 'chai';
import type { ResourceConfig } from '../../domain/resource/schema.ts';
import { sampleNightly, sampleTimed } from '../../domain/resource/testing/sampleResources.ts';
import { postJson, bearer } from '../../infra/http/testing.ts';
import { request } from '../../infra/readSide/testing/http.ts';
import { startReadTestApp, type ReadTestApp } from '../../infra/readSide/testing/readTestApp.ts';

describe('GET /api/v1/resources (the catalogue)', function () {
  this.timeout(30_000);
  let app: ReadTestApp;
  let partner: string;
  let position = '';
  const register = async (resourceId: string, config: ResourceConfig) => {
    const answer = await request(app.expressUrl, 'POST', '/api/v1/resources', app.adminKey, {
      ...config,
      resourceId,
    });
    expect(answer.status, JSON.stringify(answer.body)).to.equal(201);
    position = String(answer.body['position']);
  };
  const list = (query: string, credential = partner) =>
    request(app.expressUrl, 'GET', `/api/v1/resources?${query}`, credential, undefined, {
      'x-min-position': position,
    });
  const ids = (body: Record<string, unknown>) =>
    (body['resources'] as { resourceId: string }[]).map((r) => r.resourceId);
  const key = async (role: string, extra: Record<string, string>) => {
    const response = await postJson(
      `${app.expressUrl}/api/v1/admin/api-keys`,
      { role, label: role, ...extra },
      bearer(app.adminKey),
    );
    return ((await response.json()) as { apiKey: string }).apiKey;
  };

  before(async () => {
    app = await startReadTestApp();
    partner = (await app.createPartnerKey()).key;
    const base = sampleNightly();
    for (let i = 0; i < 5; i++) {
      await register(`cat-room-${i}`, {
        ...base,
        vendorId: i < 3 ? 'cat-v1' : 'cat-v2',
        listing: {
          ...base.listing,
          name: i === 4 ? 'Sea view suite' : `Room ${i}`,
          location: { ...base.listing.location, city: i % 2 === 0 ? 'Berlin' : 'Haifa' },
        },
      });
    }
    await register('cat-walk', sampleTimed({ vendorId: 'cat-v1' }));
    const retire = await request(
      app.expressUrl,
      'POST',
      '/api/v1/resources/cat-room-0/retire',
      app.adminKey,
      {
        reason: 'Sold.',
      },
    );
    expect(retire.status, JSON.stringify(retire.body)).to.be.oneOf([200, 201]);
    position = String(retire.body['position']);
  });
  after(async () => app.close());

  it('lists active resources with their pricing rules, policies and version; filters narrow it', async () => {
    const all = await list('limit=100');
    expect(all.status).to.equal(200);
    expect(ids(all.body)).to.deep.equal([
      'cat-room-1',
      'cat-room-2',
      'cat-room-3',
      'cat-room-4',
      'cat-walk',
    ]);
    const first = (all.body['resources'] as Record<string, unknown>[])[0] ?? {};
    expect(first).to.include({
      resourceId: 'cat-room-1',
      vendorId: 'cat-v1',
      kind: 'nightly',
      status: 'active',
      version: 1,
    });
    expect(first['pricingRules']).to.deep.include({ basePrice: 20_000, currency: 'EUR' });
    expect(first['cancellationPolicy']).to.have.property('tiers');
    expect(ids((await list('kind=timed')).body)).to.deep.equal(['cat-walk']);
    expect(ids((await list('vendorId=cat-v2')).body)).to.deep.equal(['cat-room-3', 'cat-room-4']);
    expect(ids((await list('city=haifa')).body)).to.deep.equal(['cat-room-1', 'cat-room-3']);
    expect(ids((await list('q=sea%20view')).body)).to.deep.equal(['cat-room-4']);
    expect(ids((await list('currency=USD')).body)).to.deep.equal(['cat-walk']);
  });

  it('pages with a cursor, bounded', async () => {
    const seen: string[] = [];
    let cursor = '';
    for (let page = 0; page < 10; page++) {
      const answer = await list(`limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...ids(answer.body));
      if (answer.body['nextCursor'] === null) break;
      cursor = answer.body['nextCursor'] as string;
    }
    expect(seen).to.deep.equal([
      'cat-room-1',
      'cat-room-2',
      'cat-room-3',
      'cat-room-4',
      'cat-walk',
    ]);
    expect((await list('limit=101')).status).to.equal(400);
    expect((await list('cursor=%%%')).status).to.equal(400);
  });

  it('one resource by id; retired ones only for their vendor and admins', async () => {
    const one = await request(app.expressUrl, 'GET', '/api/v1/resources/cat-room-4', partner);
    expect(one.status).to.equal(200);
    expect(one.body).to.include({ resourceId: 'cat-room-4', version: 1 });
    expect(
      (await request(app.expressUrl, 'GET', '/api/v1/resources/cat-room-0', partner)).status,
    ).to.equal(404);
    expect(
      (await request(app.expressUrl, 'GET', '/api/v1/resources/nope', partner)).status,
    ).to.equal(404);
    const admin = await request(
      app.expressUrl,
      'GET',
      '/api/v1/resources/cat-room-0',
      app.adminKey,
    );
    expect(admin.body).to.include({ status: 'retired' });
    const retiredList = await list('includeRetired=true&vendorId=cat-v1', app.adminKey);
    expect(ids(retiredList.body)).to.include('cat-room-0');
    expect((await list('includeRetired=true')).status).to.equal(403);
    const otherVendor = await key('vendor', { vendorId: 'cat-v2' });
    expect((await list('includeRetired=true&vendorId=cat-v1', otherVendor)).status).to.equal(403);
    expect(
      (await request(app.expressUrl, 'GET', '/api/v1/resources/cat-room-0', otherVendor)).status,
    ).to.equal(404);
  });

  it('bad input is a 400 and analysts are not bookers', async () => {
    for (const query of [
      'kind=boat',
      'currency=eur',
      'q=a%00b',
      'vendorId=a%20b',
      'includeRetired=yes',
    ]) {
      expect((await list(query)).status, query).to.equal(400);
    }
    expect(
      (await request(app.expressUrl, 'GET', '/api/v1/resources/a%00b', partner)).status,
    ).to.equal(400);
    const analyst = await key('analyst', {});
    expect((await list('', analyst)).status).to.equal(403);
  });
});
