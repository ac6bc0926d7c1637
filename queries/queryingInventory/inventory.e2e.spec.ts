import { expect } from 'chai';
import { sampleNightly, sampleTimed } from '../../domain/resource/testing/sampleResources.ts';
import { request, type JsonAnswer } from '../../infra/readSide/testing/http.ts';
import { startReadTestApp, type ReadTestApp } from '../../infra/readSide/testing/readTestApp.ts';
import { startInventoryServer } from './testing/inventoryServer.ts';
import type { InventoryUnit } from './units.ts';

type Counts = Pick<InventoryUnit, 'capacity' | 'held' | 'booked' | 'available' | 'closed'>;
const counts = (answer: JsonAnswer): Counts[] =>
  (answer.body['items'] as InventoryUnit[]).map(
    ({ capacity, held, booked, available, closed }) => ({
      capacity,
      held,
      booked,
      available,
      closed,
    }),
  );
const free = (capacity: number): Counts => ({
  capacity,
  held: 0,
  booked: 0,
  available: capacity,
  closed: false,
});

describe('GET /api/v1/inventory/query (seed 000, read-your-writes over HTTP)', function () {
  this.timeout(60_000);
  let app: ReadTestApp;
  let inventory: Awaited<ReturnType<typeof startInventoryServer>>;
  let partner: { key: string };
  const room = 'inv-room';
  const service = 'inv-svc';
  let holdExpiresAt = '';

  before(async () => {
    app = await startReadTestApp();
    inventory = await startInventoryServer(app);
    partner = await app.createPartnerKey();
    for (const [resourceId, config] of [
      [room, sampleNightly({ vendorId: 'vendor-inv', capacity: 3 })],
      [
        service,
        sampleTimed({
          vendorId: 'vendor-inv',
          taxJurisdiction: { country: 'DE', eilatDealer: false },
        }),
      ],
    ] as const) {
      const registered = await request(app.expressUrl, 'POST', '/api/v1/resources', app.adminKey, {
        ...config,
        resourceId,
      });
      expect(registered.status, JSON.stringify(registered.body)).to.equal(201);
    }
  });
  after(async () => {
    await inventory.close();
    await app.close();
  });

  const query = (params: string, credential = partner.key, minPosition?: string) =>
    request(
      inventory.url,
      'GET',
      `/api/v1/inventory/query?${params}`,
      credential,
      undefined,
      minPosition === undefined ? {} : { 'x-min-position': minPosition },
    );
  const hold = (body: object) =>
    request(app.expressUrl, 'POST', '/api/v1/reservations', partner.key, {
      guest: { name: 'Ada Lovelace', email: 'ada@example.test' },
      requesterId: 'req-inv',
      ...body,
    });

  it('a hold shows at once, per night, for a client that sends X-Min-Position', async () => {
    const held = await hold({
      resourceId: room,
      checkIn: '2026-12-24',
      checkOut: '2026-12-26',
      quantity: 2,
    });
    expect(held.status, JSON.stringify(held.body)).to.equal(201);
    holdExpiresAt = String(held.body['expiresAt']);
    const answer = await query(
      `sku=${room}&dates=2026-12-23/2026-12-27`,
      partner.key,
      String(held.body['position']),
    );
    expect(answer.status, JSON.stringify(answer.body)).to.equal(200);
    expect(answer.body).to.include({ sku: room, kind: 'nightly', unit: 'night', stale: false });
    expect(answer.headers.get('x-projection-position')).to.match(/^\d+:\d+$/);
    expect((answer.body['items'] as InventoryUnit[]).map((i) => i.date)).to.deep.equal([
      '2026-12-23',
      '2026-12-24',
      '2026-12-25',
      '2026-12-26',
    ]);
    const heldNight = { capacity: 3, held: 2, booked: 0, available: 1, closed: false };
    expect(counts(answer)).to.deep.equal([free(3), heldNight, heldNight, free(3)]);
  });

  it('answers the same from Redis and, with Redis stopped, from Postgres; expired holds drop out at read time', async () => {
    const deadline = Date.now() + 10_000;
    while (!inventory.hot.isWarm() && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const heldNight = { capacity: 3, held: 2, booked: 0, available: 1, closed: false };
    const fromRedis = await query(`sku=${room}&dates=2026-12-24`);
    expect(fromRedis.body['source']).to.equal('redis');
    expect(counts(fromRedis)).to.deep.equal([heldNight]);

    // The hold is still in the read models (no HoldExpired was written): only the clock moved.
    app.clock.set(holdExpiresAt);
    const expiredInRedis = await query(`sku=${room}&dates=2026-12-24/2026-12-26`);
    expect(expiredInRedis.body['source']).to.equal('redis');
    expect(expiredInRedis.body['asOf']).to.equal(new Date(holdExpiresAt).toISOString());
    expect(counts(expiredInRedis)).to.deep.equal([free(3), free(3)]);

    await app.redis.stop();
    const expiredInPostgres = await query(`sku=${room}&dates=2026-12-24/2026-12-26`);
    expect(expiredInPostgres.status).to.equal(200);
    expect(expiredInPostgres.body['source']).to.equal('postgres');
    expect(counts(expiredInPostgres)).to.deep.equal([free(3), free(3)]);
    app.clock.set('2026-12-01T09:00:00.000Z');
    const stillHeld = await query(`sku=${room}&dates=2026-12-24`);
    expect(counts(stillHeld)).to.deep.equal([heldNight]);
  });

  it('lists a timed resource per slot of its opening hours, with its hold', async () => {
    const held = await hold({
      resourceId: service,
      slotStart: '2026-12-03T15:00:00Z',
      slotEnd: '2026-12-03T16:00:00Z',
    });
    expect(held.status, JSON.stringify(held.body)).to.equal(201);
    const answer = await query(
      `sku=${service}&dates=2026-12-03`,
      partner.key,
      String(held.body['position']),
    );
    expect(answer.status).to.equal(200);
    expect(answer.body).to.include({ kind: 'timed', unit: 'slot', zone: 'America/New_York' });
    const items = answer.body['items'] as InventoryUnit[];
    // Thursday 09:00–17:00 in New York (UTC−5): eight one-hour slots.
    expect(items.map((i) => i.slotKey)).to.deep.equal(
      ['09', '10', '11', '12', '13', '14', '15', '16'].map((h) => `2026-12-03T${h}:00`),
    );
    expect(items[1]).to.deep.include({
      startTime: '2026-12-03T15:00:00.000Z',
      endTime: '2026-12-03T16:00:00.000Z',
      capacity: 1,
      held: 1,
      available: 0,
    });
    expect(items.filter((i) => i.held > 0)).to.have.length(1);
    const weekend = await query(`sku=${service}&dates=2026-12-05/2026-12-07`);
    expect(weekend.body['items']).to.deep.equal([]);
  });

  it('refuses bad sku and dates with the error envelope, and another vendor with 403', async () => {
    const unknown = await query('sku=no-such-room&dates=2026-12-24');
    expect(unknown.status).to.equal(404);
    expect(unknown.body['error']).to.include({ code: 'RESOURCE_NOT_FOUND', retryable: false });
    for (const params of [
      `sku=${room}&dates=2026-12-27/2026-12-24`,
      `sku=${room}&dates=tomorrow`,
      `sku=${room}&dates=2026-02-30`,
      `sku=${room}&dates=2026-01-01/2027-06-01`,
      `sku=bad%20sku&dates=2026-12-24`,
      `sku=${room}`,
    ]) {
      const bad = await query(params);
      expect(bad.status, params).to.equal(400);
      expect(bad.body['error'], params).to.include({ code: 'INVALID_REQUEST' });
      expect((bad.body['error'] as { message: string }).message, params).to.match(/\.$/);
    }
    expect((await query(`sku=${room}&dates=2026-12-24`, partner.key, 'soon')).status).to.equal(400);
    expect((await query(`sku=${room}&dates=2026-12-24`, 'not-a-key')).status).to.equal(401);

    const vendorToken = async (vendorId: string) => {
      const email = `${vendorId}@example.test`;
      const password = 'a long password 1';
      await request(app.expressUrl, 'POST', '/api/v1/admin/users', app.adminKey, {
        email,
        password,
        role: 'vendor',
        vendorId,
      });
      const login = await fetch(`${inventory.url}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email, password }),
      });
      return ((await login.json()) as { accessToken: string }).accessToken;
    };
    expect(
      (await query(`sku=${room}&dates=2026-12-24`, await vendorToken('vendor-inv'))).status,
    ).to.equal(200);
    const other = await query(`sku=${room}&dates=2026-12-24`, await vendorToken('vendor-other'));
    expect(other.status).to.equal(403);
    expect(other.body['error']).to.include({ code: 'FORBIDDEN' });
  });
});
