import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import { pino } from 'pino';
import { loadConfig } from './config/config.ts';
import { DEMO_RESOURCES } from './composition/demoCatalog.ts';
import { startServer, type RunningServer } from './main.ts';
import { createPool, quoteIdentifier } from './postgres/pool.ts';
import { TEST_DATABASE_URL } from './postgres/testing.ts';

describe('the composed server (serve)', () => {
  const schema = `main_${randomBytes(5).toString('hex')}`;
  const adminKey = randomBytes(24).toString('base64url');
  let server: RunningServer;

  before(async () => {
    const config = loadConfig({
      DATABASE_URL: TEST_DATABASE_URL,
      DATABASE_SCHEMA: schema,
      DATABASE_POOL_SIZE: '4',
      REDIS_URL: 'redis://127.0.0.1:6379',
      ADMIN_API_KEY: adminKey,
      PORT: '0',
    });
    server = await startServer(config, pino({ level: 'silent' }));
  });

  after(async () => {
    await server.close();
    const pool = createPool({ connectionString: TEST_DATABASE_URL, max: 1 });
    await pool.query(`DROP SCHEMA IF EXISTS ${quoteIdentifier(schema)} CASCADE`);
    await pool.end();
  });

  it('answers health and readiness once migrated', async () => {
    expect((await fetch(`${server.url}/health`)).status).to.equal(200);
    const ready = await fetch(`${server.url}/ready`);
    expect(ready.status).to.equal(200);
  });

  it('publishes the OpenAPI document', async () => {
    const response = await fetch(`${server.url}/api/v1/openapi.json`);
    const document = (await response.json()) as { openapi: string; paths: Record<string, unknown> };
    expect(document.openapi).to.match(/^3\.1/);
    expect(document.paths).to.have.property('/api/v1/auth/login');
  });

  it('registers ADMIN_API_KEY as an admin credential', async () => {
    const create = (authorization: string) =>
      fetch(`${server.url}/api/v1/admin/api-keys`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization },
        body: JSON.stringify({ role: 'partner', partnerId: 'p-1', label: 'test partner' }),
      });
    const accepted = await create(`Bearer ${adminKey}`);
    expect(accepted.status, await accepted.clone().text()).to.equal(201);
    const refused = await create('Bearer not-a-key');
    expect(refused.status).to.equal(401);
    const body = (await refused.json()) as { error: { code: string } };
    expect(body.error.code).to.equal('UNAUTHENTICATED');
  });
});

describe('the composed server end to end (every role in one process)', function () {
  this.timeout(30_000);
  const schema = `main_${randomBytes(5).toString('hex')}`;
  const adminKey = randomBytes(24).toString('base64url');
  let server: RunningServer;
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${adminKey}` };

  before(async () => {
    const config = loadConfig({
      DATABASE_URL: TEST_DATABASE_URL,
      DATABASE_SCHEMA: schema,
      DATABASE_POOL_SIZE: '6',
      ADMIN_API_KEY: adminKey,
      PORT: '0',
    });
    server = await startServer(config, pino({ level: 'silent' }));
  });
  after(async () => {
    await server.close();
    const pool = createPool({ connectionString: TEST_DATABASE_URL, max: 1 });
    await pool.query(`DROP SCHEMA IF EXISTS ${quoteIdentifier(schema)} CASCADE`);
    await pool.end();
  });

  it('registers a resource, holds it, and reads the hold back through the projections', async () => {
    const resourceId = `r-${randomBytes(4).toString('hex')}`;
    const otherId = `r-${randomBytes(4).toString('hex')}`;
    for (const id of [resourceId, otherId]) {
      const registered = await fetch(`${server.url}/api/v1/resources`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ resourceId: id, ...DEMO_RESOURCES['demo-ber-loft'] }),
      });
      expect(registered.status, await registered.clone().text()).to.equal(201);
    }
    const hold = await fetch(`${server.url}/api/v1/reservations`, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        resourceId,
        checkIn: '2027-03-10',
        checkOut: '2027-03-12',
        quantity: 2,
        guest: { name: 'Ada', guestId: 'ada' },
        requesterId: 'ada',
      }),
    });
    expect(hold.status, await hold.clone().text()).to.equal(201);
    const { reservationId, position } = (await hold.json()) as {
      reservationId: string;
      position: string;
    };
    const read = await fetch(`${server.url}/api/v1/bookings/${reservationId}`, {
      headers: { ...headers, 'x-min-position': position },
    });
    expect(read.status).to.equal(200);
    expect(await read.json()).to.include({ id: reservationId, status: 'HELD', stale: false });

    const search = await fetch(
      `${server.url}/api/v1/search?checkIn=2027-03-10&checkOut=2027-03-12&quantity=1`,
      { headers: { ...headers, 'x-min-position': position } },
    );
    expect(search.status, await search.clone().text()).to.equal(200);
    const { results } = (await search.json()) as { results: { resourceId: string }[] };
    const found = results.map((r) => r.resourceId);
    expect(found, 'the other loft is free').to.include(otherId);
    expect(found, 'the held loft is full for those nights').to.not.include(resourceId);
  });

  it('search shows the total a hold of the same stay for the same guest gets (price model with overrides)', async () => {
    const resourceId = `r-${randomBytes(4).toString('hex')}`;
    const demo = DEMO_RESOURCES['demo-ber-loft'];
    if (demo === undefined) throw new Error('The demo catalog lost demo-ber-loft.');
    const vendorId = `v-${randomBytes(4).toString('hex')}`;
    const registered = await fetch(`${server.url}/api/v1/resources`, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        ...demo,
        resourceId,
        vendorId,
        pricingRules: {
          ...demo.pricingRules,
          dateOverrides: [
            { date: '2027-04-02', price: 31_700 },
            { date: '2027-05-01', price: 99_000 },
          ],
        },
      }),
    });
    expect(registered.status, await registered.clone().text()).to.equal(201);
    const { position } = (await registered.json()) as { position: string };
    const search = await fetch(
      `${server.url}/api/v1/search?checkIn=2027-04-01&checkOut=2027-04-04&quantity=1&sort=price&vendorId=${vendorId}`,
      { headers: { ...headers, 'x-min-position': position } },
    );
    expect(search.status, await search.clone().text()).to.equal(200);
    const { results } = (await search.json()) as {
      results: { resourceId: string; totalPrice: { amount: number; currency: string } }[];
    };
    expect(results.map((r) => r.resourceId)).to.deep.equal([resourceId]);
    const hold = await fetch(`${server.url}/api/v1/reservations`, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        resourceId,
        checkIn: '2027-04-01',
        checkOut: '2027-04-04',
        quantity: 1,
        guest: { name: 'Ada', guestId: 'ada' },
        requesterId: 'ada',
      }),
    });
    expect(hold.status, await hold.clone().text()).to.equal(201);
    const held = (await hold.json()) as { quote: { total: unknown } };
    expect(results[0]?.totalPrice).to.deep.equal(held.quote.total);
  });

  it('answers the hottest reads with the same error envelope', async () => {
    const response = await fetch(
      `${server.url}/api/v1/vendors/nobody/availability?startTime=2027-03-10T08:00:00Z&endTime=2027-03-10T18:00:00Z`,
      { headers },
    );
    expect(response.status).to.equal(404);
    const body = (await response.json()) as { error: { code: string; retryable: boolean } };
    expect(body.error).to.include({ code: 'VENDOR_NOT_FOUND', retryable: false });
  });
});
