import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { sampleNightly } from '../../domain/resource/testing/sampleResources.ts';
import { guestStream } from '../../domain/guest/guestEvents.ts';
import type { SealedPersonalData } from '../../domain/guest/sealedPersonalData.ts';
import { reservationStream } from '../../domain/shared/streams.ts';
import { POSTGRES_PROJECTIONS } from '../../projections/catalog.ts';
import { getBookingReadRoutes } from '../../queries/gettingBookings/route.ts';
import { getPostgresCheckpointStore } from '../../infra/eventStore/postgres/checkpointStore.ts';
import { verifyLog } from '../../infra/eventStore/postgres/verify.ts';
import { bearer, postJson } from '../../infra/http/testing.ts';
import { dataKeyAad, openBytes, unpackSealed } from '../../infra/pii/envelope.ts';
import { openSealed } from '../../infra/pii/personalDataStore.ts';
import { checksumProjection } from '../../infra/projections/checksum.ts';
import {
  createProjectionRunner,
  type ProjectionRunner,
} from '../../infra/projections/projectionRunner.ts';
import { createLiveTableResolver } from '../../infra/projections/readSide.ts';
import { rebuildProjection } from '../../infra/projections/rebuild.ts';
import { readVersion, toSql } from '../../infra/projections/versions.ts';
import { startWriteTestApp, type WriteTestApp } from '../../infra/testing/writeTestApp.ts';
import { call, createGuestToken } from '../shared/testing/httpClient.ts';
import { registerResource, timedResource } from '../shared/testing/reservationFixtures.ts';

const NAME = 'Zelda Quixotic-Hargreaves';
const EMAIL = 'zelda.quixotic@example.test';
const PHONE = '+972 54 987 6543';
const REQUEST = 'Ground floor, hypoallergenic pillows';

describe('Guest personal data: recorded sealed, read by role, erased by crypto-shredding', function () {
  this.timeout(60_000);
  let app: WriteTestApp;
  let runner: ProjectionRunner;
  let partner: { key: string; partnerId: string };
  let guest: { token: string; guestId: string };
  const ids: string[] = [];
  let vendorResource = '';

  const userToken = async (role: 'auditor' | 'analyst'): Promise<string> => {
    const email = `${role}-${randomUUID().slice(0, 8)}@example.test`;
    const password = `pw-${randomUUID()}`;
    await postJson(
      `${app.baseUrl}/api/v1/admin/users`,
      { email, password, role },
      bearer(app.adminKey),
    );
    const login = await postJson(`${app.baseUrl}/api/v1/auth/login`, { email, password });
    return ((await login.json()) as { accessToken: string }).accessToken;
  };

  let vendorToken: Promise<{ token: string }> | undefined;
  /** The vendor of the sample resources (vendor-1); one user, logged in once. */
  const vendorOfResource = () => (vendorToken ??= app.createVendorToken('vendor-1'));

  before(async () => {
    app = await startWriteTestApp({
      extraRoutes: (writeSide, db) => {
        runner = createProjectionRunner({
          pool: db.pool,
          connectionString: db.connectionString,
          schema: db.schema,
          postgres: POSTGRES_PROJECTIONS,
          leaseRetryMs: 100,
          pollIntervalMs: 50,
        });
        const liveTable = createLiveTableResolver(
          db.pool,
          POSTGRES_PROJECTIONS.find((p) => p.name === 'bookings')!,
        );
        return getBookingReadRoutes({
          sql: toSql(db.pool),
          liveTable,
          waitForPosition: (name, at, timeoutMs) => runner.waitForPosition(name, at, timeoutMs),
          guestDirectory: writeSide.guestDirectory,
        });
      },
    });
    runner.start();
    partner = await app.createPartnerKey();
    guest = await createGuestToken(app);
    const nightly = await registerResource(app.writeSide, sampleNightly());
    const second = await registerResource(app.writeSide, sampleNightly());
    const third = await registerResource(app.writeSide, sampleNightly());
    vendorResource = nightly;

    const seed004 = await call(app, 'POST', '/api/v1/reservations', partner.key, {
      resourceId: nightly,
      checkIn: '2026-12-24',
      checkOut: '2026-12-26',
      guest: {
        guestId: guest.guestId,
        name: NAME,
        email: EMAIL,
        phone: PHONE,
        language: 'he',
      },
      requesterId: guest.guestId,
      specialRequests: REQUEST,
      notes: 'VIP',
      source: 'partner-app',
      metadata: { campaign: 'winter', loyalty: 'gold-7781' },
    });
    expect(seed004.status, JSON.stringify(seed004.body)).to.equal(201);
    const seed002 = await call(app, 'POST', '/api/v1/bookings', partner.key, {
      venue_id: second,
      guest_id: guest.guestId,
      guest_name: NAME,
      guest_email: EMAIL,
      guest_phone: PHONE,
      party_size: 2,
      booking_date: '2026-12-24',
      end_date: '2026-12-25',
      special_requests: REQUEST,
      internal_notes: 'repeat guest',
      source: 'web',
      metadata: { ref: 'a-1' },
    });
    expect(seed002.status, JSON.stringify(seed002.body)).to.equal(201);
    const seed000 = await call(app, 'POST', '/api/v1/inventory/reserve', partner.key, {
      sku: third,
      dates: '2026-12-24/2026-12-25',
      customer_id: guest.guestId,
      customer_name: NAME,
      customer_email: EMAIL,
    });
    expect(seed000.status, JSON.stringify(seed000.body)).to.equal(201);
    for (const r of [seed004, seed002, seed000]) ids.push(String(r.body['reservationId']));
  });
  after(async () => {
    await runner.stop();
    await app.close();
  });

  const personalOf = async (id: string, credential: string) => {
    const response = await call(app, 'GET', `/api/v1/reservations/${id}`, credential);
    return {
      status: response.status,
      body: response.body,
      personal: response.body['personalData'],
    };
  };

  it('records the guest, contact, requests, source and metadata on every hold route, sealed in the log', async () => {
    const [viaReservations, viaBookings, viaInventory] = ids;
    expect((await personalOf(viaReservations!, partner.key)).personal).to.deep.equal({
      recorded: true,
      erased: false,
      guestId: guest.guestId,
      name: NAME,
      email: EMAIL,
      phone: PHONE,
      language: 'he',
      specialRequests: REQUEST,
      notes: 'VIP',
      source: 'partner-app',
      metadata: { campaign: 'winter', loyalty: 'gold-7781' },
    });
    expect((await personalOf(viaBookings!, partner.key)).personal).to.deep.equal({
      recorded: true,
      erased: false,
      guestId: guest.guestId,
      name: NAME,
      email: EMAIL,
      phone: PHONE,
      specialRequests: REQUEST,
      notes: 'repeat guest',
      source: 'web',
      metadata: { ref: 'a-1' },
    });
    expect((await personalOf(viaInventory!, partner.key)).personal).to.deep.equal({
      recorded: true,
      erased: false,
      guestId: guest.guestId,
      name: NAME,
      email: EMAIL,
    });
    const [requested] = await app.store.readStream(reservationStream(viaReservations!));
    expect(requested?.schemaVersion).to.equal(4);
    const sealed = (requested?.data as { personalData: SealedPersonalData }).personalData;
    expect(sealed).to.include({ guestId: guest.guestId, algorithm: 'AES-256-GCM' });
  });

  it('answers seed 004 estimatedConfirmationTime: the vendor deadline, or null for instant resources', async () => {
    const timed = await registerResource(app.writeSide, timedResource());
    const instant = await registerResource(
      app.writeSide,
      sampleNightly({ confirmationPolicy: 'instant' }),
    );
    const vendorHold = await call(app, 'POST', '/api/v1/reservations', partner.key, {
      resourceId: timed,
      slotStart: '2026-12-03T14:00:00Z',
      slotEnd: '2026-12-03T15:00:00Z',
      guest: { name: 'V' },
      requesterId: `r-${randomUUID().slice(0, 8)}`,
    });
    expect(vendorHold.status, JSON.stringify(vendorHold.body)).to.equal(201);
    expect(vendorHold.body['vendorConfirmationRequired']).to.equal(true);
    expect(vendorHold.body['estimatedConfirmationTime']).to.equal(vendorHold.body['expiresAt']);
    const instantHold = await call(app, 'POST', '/api/v1/reservations', partner.key, {
      resourceId: instant,
      checkIn: '2026-12-20',
      checkOut: '2026-12-21',
      guest: { name: 'I' },
      requesterId: `r-${randomUUID().slice(0, 8)}`,
    });
    expect(instantHold.status, JSON.stringify(instantHold.body)).to.equal(201);
    expect(instantHold.body['estimatedConfirmationTime']).to.equal(null);
  });

  it('refuses bad personal data with a 400 and records nothing', async () => {
    const before = await app.db.pool.query('SELECT count(*)::int AS n FROM events');
    const bad = [
      { guest: { name: NAME, email: 'not-an-email' } },
      { guest: { name: NAME, phone: 'call me maybe' } },
      { guest: { name: 'x'.repeat(201) } },
      { guest: { name: NAME, language: 'english please' } },
      { guest: { name: NAME }, specialRequests: 'y'.repeat(2001) },
      {
        guest: { name: NAME },
        metadata: Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`k${i}`, 'v'])),
      },
      { guest: { name: NAME }, metadata: { k: 'v'.repeat(501) } },
      { guest: { name: NAME }, metadata: { k: 1 } },
    ];
    for (const extra of bad) {
      const response = await call(app, 'POST', '/api/v1/reservations', partner.key, {
        resourceId: vendorResource,
        checkIn: '2026-12-10',
        checkOut: '2026-12-11',
        requesterId: 'r-bad',
        ...extra,
      });
      expect(response.status, JSON.stringify(extra).slice(0, 80)).to.equal(400);
      expect(response.body.error?.code).to.be.a('string');
    }
    const after = await app.db.pool.query('SELECT count(*)::int AS n FROM events');
    expect(after.rows[0]).to.deep.equal(before.rows[0]);
  });

  it('shows personal data to the guest, the booking partner, the vendor and admins; auditors see only that it exists; analysts and others nothing', async () => {
    const id = ids[0]!;
    const vendor = await vendorOfResource();
    const otherVendor = await app.createVendorToken(`vendor-${randomUUID().slice(0, 6)}`);
    const otherPartner = await app.createPartnerKey();
    const otherGuest = await createGuestToken(app);
    const auditor = await userToken('auditor');
    const analyst = await userToken('analyst');
    for (const [who, credential] of [
      ['guest', guest.token],
      ['booking partner', partner.key],
      ['vendor of the resource', vendor.token],
      ['admin', app.adminKey],
    ] as const) {
      const read = await personalOf(id, credential);
      expect(read.status, who).to.equal(200);
      expect(read.personal, who).to.include({ name: NAME, email: EMAIL, phone: PHONE });
    }
    const audited = await personalOf(id, auditor);
    expect(audited.status).to.equal(200);
    expect(audited.personal).to.deep.equal({ recorded: true, erased: false });
    const analysed = await personalOf(id, analyst);
    expect(analysed.status).to.equal(200);
    expect(analysed.body).to.not.have.property('personalData');
    expect(JSON.stringify(analysed.body)).to.not.include(EMAIL);
    for (const [who, credential] of [
      ['other guest', otherGuest.token],
      ['other partner', otherPartner.key],
      ['other vendor', otherVendor.token],
    ] as const) {
      const read = await personalOf(id, credential);
      expect(read.status, who).to.equal(403);
      expect(JSON.stringify(read.body), who).to.not.include(NAME);
    }
    // The seed 002 read of one booking follows the same rules.
    const head = (await app.store.readStream(reservationStream(id)))[0]?.checkpoint ?? '';
    const byId = (credential: string) =>
      call(app, 'GET', `/api/v1/bookings/${id}`, credential, undefined, {
        'x-min-position': head,
      });
    expect((await byId(vendor.token)).body['personalData']).to.include({ email: EMAIL });
    expect((await byId(auditor)).body['personalData']).to.deep.equal({
      recorded: true,
      erased: false,
    });
    expect(await byId(analyst).then((r) => r.body)).to.not.have.property('personalData');
    expect((await byId(otherPartner.key)).status).to.equal(404);
  });

  it('erasure: only the guest or an admin; then every read shows erased, the log verifies, projections rebuild the same, and no key opens the ciphertext', async () => {
    const erasePath = `/api/v1/guests/${guest.guestId}/personal-data`;
    const otherGuest = await createGuestToken(app);
    expect((await call(app, 'DELETE', erasePath, otherGuest.token)).status).to.equal(403);
    expect((await call(app, 'DELETE', erasePath, partner.key)).status).to.equal(403);
    expect(
      (await call(app, 'DELETE', erasePath, (await vendorOfResource()).token)).status,
    ).to.equal(403);
    expect(
      (
        await call(
          app,
          'DELETE',
          `/api/v1/guests/never-booked-${randomUUID().slice(0, 6)}/personal-data`,
          app.adminKey,
        )
      ).status,
    ).to.equal(404);

    // Every projection caught up before the erasure: its checksum is the reference.
    const headBefore = (await app.store.readAll({ maxCount: 10_000 })).at(-1)?.checkpoint ?? '';
    const checksumsBefore: Record<string, string> = {};
    for (const projection of POSTGRES_PROJECTIONS) {
      const wait = await runner.waitForPosition(projection.name, headBefore, 20_000);
      expect(wait.reached, projection.name).to.equal(true);
      const version = (await readVersion(app.db.pool, projection.name))?.liveVersion ?? 1;
      checksumsBefore[projection.name] = (
        await checksumProjection(app.db.pool, projection, version)
      ).checksum;
    }

    const first = await call(app, 'DELETE', erasePath, guest.token);
    expect(first.status, JSON.stringify(first.body)).to.equal(200);
    expect(first.body).to.include({ guestId: guest.guestId, erased: true });
    const erasedAt = String(first.body['erasedAt']);
    expect(erasedAt).to.equal(app.clock.now().toISOString());
    app.clock.advance(60_000);
    const second = await call(app, 'DELETE', erasePath, app.adminKey);
    expect(second.status, JSON.stringify(second.body)).to.equal(200);
    expect(second.body).to.deep.equal(first.body);

    // The fact is recorded once, without personal data.
    const facts = await app.store.readStream(guestStream(guest.guestId));
    expect(facts.map((e) => e.type)).to.deep.equal(['GuestPersonalDataErased']);
    expect(facts[0]?.data).to.include({ guestId: guest.guestId, erasedAt });

    for (const id of ids) {
      for (const credential of [guest.token, partner.key, app.adminKey]) {
        expect((await personalOf(id, credential)).personal).to.deep.equal({
          recorded: true,
          erased: true,
          erasedAt,
        });
      }
    }
    const auditor = await userToken('auditor');
    expect((await personalOf(ids[0]!, auditor)).personal).to.deep.equal({
      recorded: true,
      erased: true,
      erasedAt,
    });
    const head = facts[0]?.checkpoint ?? '';
    const booking = await call(app, 'GET', `/api/v1/bookings/${ids[1]}`, partner.key, undefined, {
      'x-min-position': head,
    });
    expect(booking.body['personalData']).to.deep.equal({ recorded: true, erased: true, erasedAt });

    // The hash chain is intact: nothing in the log changed.
    expect(await verifyLog(app.db.pool)).to.include({ ok: true });

    // Projections: unchanged by the erasure, and a rebuild from the log equals them.
    const checkpoints = getPostgresCheckpointStore(app.db.pool);
    for (const projection of POSTGRES_PROJECTIONS) {
      const wait = await runner.waitForPosition(projection.name, head, 20_000);
      expect(wait.reached, projection.name).to.equal(true);
      const live = (await readVersion(app.db.pool, projection.name))?.liveVersion ?? 1;
      const liveSum = await checksumProjection(app.db.pool, projection, live);
      expect(liveSum.checksum, `${projection.name} changed by the erasure`).to.equal(
        checksumsBefore[projection.name],
      );
      const rebuilt = await rebuildProjection(app.db.pool, checkpoints, projection, {
        batchSize: 50,
      });
      const rebuiltSum = await checksumProjection(app.db.pool, projection, rebuilt.version);
      expect(rebuiltSum.checksum, `${projection.name} rebuilt`).to.equal(liveSum.checksum);
    }

    // The ciphertext stays in the log, and no key left in the store opens it.
    const { rows: keys } = await app.db.pool.query<{
      key_id: string;
      guest_id: string;
      wrapped_key: Buffer | null;
    }>('SELECT key_id, guest_id, wrapped_key FROM pii_guest_keys');
    const erasedKeys = keys.filter((k) => k.guest_id === guest.guestId);
    expect(erasedKeys.length).to.be.greaterThan(0);
    expect(erasedKeys.every((k) => k.wrapped_key === null)).to.equal(true);
    const remaining = keys
      .filter((k) => k.wrapped_key !== null)
      .map((k) =>
        openBytes(
          app.pii.masterKey.key,
          unpackSealed(k.wrapped_key!),
          dataKeyAad(k.guest_id, k.key_id),
        ),
      );
    expect(remaining.length).to.be.greaterThan(0);
    for (const id of ids) {
      const [requested] = await app.store.readStream(reservationStream(id));
      const sealed = (requested?.data as { personalData: SealedPersonalData }).personalData;
      expect(sealed.ciphertext.length).to.be.greaterThan(0);
      for (const key of [...remaining, app.pii.masterKey.key]) {
        expect(() => openSealed(key, sealed, id)).to.throw();
      }
    }

    // A later booking of the same guest is recorded again, under a fresh key.
    const again = await call(app, 'POST', '/api/v1/reservations', partner.key, {
      resourceId: vendorResource,
      checkIn: '2026-12-27',
      checkOut: '2026-12-28',
      guest: { guestId: guest.guestId, name: NAME },
      requesterId: guest.guestId,
    });
    expect(again.status).to.equal(201);
    expect(
      (await personalOf(String(again.body['reservationId']), guest.token)).personal,
    ).to.include({ name: NAME, erased: false });
    expect((await personalOf(ids[0]!, guest.token)).personal).to.include({ erased: true });
  });

  it('keeps names, emails and phones out of the events table and the logs', async () => {
    const { rows } = await app.db.pool.query<{ row: string }>(
      'SELECT data::text || metadata::text AS row FROM events',
    );
    expect(rows.length).to.be.greaterThan(0);
    const log = rows.map((r) => r.row).join('\n');
    const logs = app.logs.join('\n');
    expect(logs).to.include('request completed');
    for (const secret of [NAME, 'Zelda', EMAIL, PHONE, '987 6543', REQUEST, 'gold-7781']) {
      expect(log, `events: ${secret}`).to.not.include(secret);
      expect(logs, `logs: ${secret}`).to.not.include(secret);
    }
  });

  it('keeps personal data, even sealed, out of every read model and the analytics schema', async () => {
    const [requested] = await app.store.readStream(reservationStream(ids[0]!));
    const sealed = (requested?.data as { personalData: SealedPersonalData }).personalData;
    const { rows: tables } = await app.db.pool.query<{ schema: string; name: string }>(
      `SELECT table_schema AS schema, table_name AS name FROM information_schema.tables
        WHERE table_schema IN ($1::text, $1::text || '_analytics')
          AND table_name NOT IN ('events', 'pii_guest_keys')`,
      [app.db.schema],
    );
    expect(tables.map((t) => t.name)).to.include.members(['bookings_v1']);
    expect(tables.some((t) => t.schema.endsWith('_analytics'))).to.equal(true);
    for (const table of tables) {
      const { rows } = await app.db.pool.query<{ row: string }>(
        `SELECT t::text AS row FROM "${table.schema}"."${table.name}" t`,
      );
      const text = rows.map((r) => r.row).join('\n');
      for (const secret of [NAME, EMAIL, PHONE, REQUEST, sealed.ciphertext.slice(0, 24)]) {
        expect(text, `${table.schema}.${table.name}`).to.not.include(secret);
      }
    }
  });
});
