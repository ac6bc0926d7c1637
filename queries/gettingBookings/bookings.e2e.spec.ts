import { expect } from 'chai';
import { bookingsProjection } from '../../projections/bookings/project.ts';
import { getPostgresEventStore } from '../../infra/eventStore/postgres/postgresEventStore.ts';
import { bearer, startTestApp, type TestApp } from '../../infra/http/testing.ts';
import {
  createProjectionRunner,
  type ProjectionRunner,
} from '../../infra/projections/projectionRunner.ts';
import { createLiveTableResolver } from '../../infra/projections/readSide.ts';
import { sampleLog } from '../../infra/projections/testing/sampleLog.ts';
import { toSql } from '../../infra/projections/versions.ts';
import { getBookingReadRoutes } from './route.ts';

describe('GET /api/v1/bookings/… (read side)', function () {
  this.timeout(30_000);
  let app: TestApp;
  let runner: ProjectionRunner;
  let position = '';
  let guestToken = '';

  before(async () => {
    app = await startTestApp({
      redis: 'none',
      routes: (db) => {
        runner = createProjectionRunner({
          pool: db.pool,
          connectionString: db.connectionString,
          schema: db.schema,
          postgres: [bookingsProjection],
          leaseRetryMs: 100,
          pollIntervalMs: 50,
        });
        const liveTable = createLiveTableResolver(db.pool, bookingsProjection);
        return getBookingReadRoutes({
          sql: toSql(db.pool),
          liveTable,
          waitForPosition: (name, at, timeoutMs) => runner.waitForPosition(name, at, timeoutMs),
        });
      },
    });
    const store = getPostgresEventStore(app.db.pool, {
      schema: app.db.schema,
      connectionString: app.db.connectionString,
    });
    // Written before the projector runs: only X-Min-Position makes the reads below fresh.
    position = (await store.append(sampleLog({ prefix: 'h', resources: 0, reservations: 8 })))
      .position;
    runner.start();
    await app.auth.createUser({
      email: 'g0@example.com',
      password: 'a long password 1',
      role: 'guest',
      guestId: 'h-guest-0',
    });
    guestToken = (await app.auth.login('g0@example.com', 'a long password 1')).accessToken;
  });
  after(async () => {
    await runner.stop();
    await app.close();
  });

  const get = (path: string, credential: string, minPosition?: string) =>
    fetch(`${app.baseUrl}/api/v1/bookings/${path}`, {
      headers: { ...bearer(credential), ...(minPosition ? { 'x-min-position': minPosition } : {}) },
    });

  it('waits for X-Min-Position and answers by id with the projection position', async () => {
    const response = await get('h-res-0', app.adminKey, position);
    expect(response.status).to.equal(200);
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).to.include({
      reservationId: 'h-res-0',
      id: 'h-res-0',
      status: 'HELD',
      guestId: 'h-guest-0',
      stale: false,
    });
    expect(body['total']).to.deep.equal({ amount: 40_000, currency: 'EUR' });
    expect(response.headers.get('x-projection-position')).to.match(/^\d+:\d+$/);
  });

  it('finds by reference, guest and venue', async () => {
    const byRef = await get('reference/BR-20261201-H000001', app.adminKey, position);
    expect(((await byRef.json()) as { id: string }).id).to.equal('h-res-1');
    const byGuest = (await (await get('guest/h-guest-0', app.adminKey, position)).json()) as {
      bookings: { id: string }[];
    };
    expect(byGuest.bookings.map((b) => b.id).sort()).to.deep.equal(['h-res-0', 'h-res-4']);
    const byVenue = (await (await get('venue/room-1', app.adminKey, position)).json()) as {
      bookings: unknown[];
    };
    expect(byVenue.bookings).to.have.length(8);
  });

  it('answers the same at the documented paths, and documents only those (no ambiguous path)', async () => {
    const read = async (path: string) =>
      (await fetch(`${app.baseUrl}/api/v1/${path}`, {
        headers: { ...bearer(app.adminKey), 'x-min-position': position },
      }).then((r) => r.json())) as Record<string, unknown>;
    expect(await read('booking-references/BR-20261201-H000001')).to.deep.equal(
      await read('bookings/reference/BR-20261201-H000001'),
    );
    expect(await read('guests/h-guest-0/bookings')).to.deep.equal(
      await read('bookings/guest/h-guest-0'),
    );
    expect(await read('venues/room-1/bookings')).to.deep.equal(await read('bookings/venue/room-1'));
    const doc = (await fetch(`${app.baseUrl}/api/v1/openapi.json`).then((r) => r.json())) as {
      paths: Record<string, unknown>;
      servers: unknown[];
    };
    const bookingPaths = Object.keys(doc.paths).filter((p) => p.includes('booking'));
    expect(bookingPaths).to.include.members([
      '/api/v1/bookings/{id}',
      '/api/v1/booking-references/{reference}',
      '/api/v1/guests/{guestId}/bookings',
      '/api/v1/venues/{venueId}/bookings',
    ]);
    expect(
      bookingPaths.filter((p) => /\/bookings\/(reference|guest|venue)\/|\{value\}/.test(p)),
    ).to.deep.equal([]);
    expect(doc.servers).to.have.length(1);
  });

  it('shows a guest only their own bookings', async () => {
    expect((await get('h-res-0', guestToken, position)).status).to.equal(200);
    expect((await get('h-res-1', guestToken, position)).status).to.equal(404);
    const venue = (await (await get('venue/room-1', guestToken, position)).json()) as {
      bookings: { guestId: string }[];
    };
    expect(venue.bookings.map((b) => b.guestId)).to.deep.equal(['h-guest-0', 'h-guest-0']);
  });

  it('says stale when the projection cannot reach the position in time', async () => {
    const [xid = '0', gpos = '0'] = position.split(':');
    const future = `${BigInt(xid) + 1_000_000n}:${BigInt(gpos) + 1n}`;
    const started = Date.now();
    const response = await get('guest/h-guest-0', app.adminKey, future);
    expect(Date.now() - started).to.be.at.least(1_900);
    expect(response.status).to.equal(200);
    expect(((await response.json()) as { stale: boolean }).stale).to.equal(true);
  });

  it('refuses a malformed X-Min-Position with 400', async () => {
    expect((await get('h-res-0', app.adminKey, 'yesterday')).status).to.equal(400);
  });
});
