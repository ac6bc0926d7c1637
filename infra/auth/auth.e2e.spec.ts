import { expect } from 'chai';
import { z } from 'zod';
import { defineRoute } from '../../commands/shared/route.ts';
import { bearer, postJson, startTestApp, type TestApp } from '../http/testing.ts';
import { assertCanAccess } from '../../domain/access/principal.ts';

type Tokens = { accessToken: string; refreshToken: string; expiresIn: number };

let clock = new Date('2026-03-01T10:00:00Z');

const routes = [
  defineRoute({
    method: 'get',
    path: '/api/v1/test/whoami',
    summary: 'Returns the principal.',
    auth: ['admin', 'partner', 'guest', 'vendor'],
    responses: { 200: { description: 'The principal.' } },
    handler: ({ principal }) => Promise.resolve({ status: 200, body: principal }),
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/test/guests/{guestId}/bookings',
    summary: 'Only the guest themselves (or an admin).',
    auth: ['guest', 'admin', 'auditor'],
    params: z.object({ guestId: z.string() }),
    responses: { 200: { description: 'ok' } },
    handler: ({ principal, params }) => {
      assertCanAccess(principal, { guestId: params.guestId }, 'read', 'these bookings');
      return Promise.resolve({ status: 200, body: { guestId: params.guestId } });
    },
  }),
];

describe('auth (e2e)', () => {
  let app: TestApp;
  const email = 'Guest.One@example.org';
  const password = 'correct horse battery staple';

  const login = async (): Promise<Tokens> => {
    const res = await postJson(`${app.baseUrl}/api/v1/auth/login`, {
      email: email.toLowerCase(),
      password,
    });
    expect(res.status).to.equal(200);
    return (await res.json()) as Tokens;
  };
  const refresh = (refreshToken: string) =>
    postJson(`${app.baseUrl}/api/v1/auth/token_refresh`, { refreshToken });
  const whoami = (credential: string) =>
    fetch(`${app.baseUrl}/api/v1/test/whoami`, { headers: bearer(credential) });

  before(async () => {
    app = await startTestApp({ routes, now: () => clock });
    const res = await postJson(
      `${app.baseUrl}/api/v1/admin/users`,
      { email, password, role: 'guest', guestId: 'g-1' },
      bearer(app.adminKey),
    );
    expect(res.status).to.equal(201);
  });
  after(() => app.close());

  it('logs in (email case-insensitive) and the access token resolves to the principal', async () => {
    const tokens = await login();
    expect(tokens.expiresIn).to.equal(900);
    const res = await whoami(tokens.accessToken);
    expect(res.status).to.equal(200);
    expect(await res.json()).to.deep.include({ role: 'guest', guestId: 'g-1' });
  });

  it('refuses a wrong password and an unknown email alike (401)', async () => {
    for (const body of [
      { email, password: 'wrong password!' },
      { email: 'nobody@example.org', password },
    ]) {
      const res = await postJson(`${app.baseUrl}/api/v1/auth/login`, body);
      expect(res.status).to.equal(401);
      expect(res.headers.get('www-authenticate')).to.equal('Bearer');
      expect(((await res.json()) as { error: { code: string } }).error.code).to.equal(
        'UNAUTHENTICATED',
      );
    }
  });

  it('rotates refresh tokens and revokes the family when a rotated token is reused', async () => {
    const first = await login();
    const second = (await (await refresh(first.refreshToken)).json()) as Tokens;
    expect(second.refreshToken).to.be.a('string').and.not.equal(first.refreshToken);
    expect((await whoami(second.accessToken)).status).to.equal(200);
    const third = (await (await refresh(second.refreshToken)).json()) as Tokens;

    const reuse = await refresh(first.refreshToken);
    expect(reuse.status).to.equal(401);
    expect(
      ((await reuse.json()) as { error: { details: { reason: string } } }).error.details.reason,
    ).to.equal('reused');
    // The legitimate holder's newest token died with the family.
    expect((await refresh(third.refreshToken)).status).to.equal(401);
    // Another login session is untouched.
    const other = await login();
    expect((await refresh(other.refreshToken)).status).to.equal(200);
  });

  it('expires access tokens after 15 minutes', async () => {
    const tokens = await login();
    clock = new Date(clock.getTime() + 14 * 60_000);
    expect((await whoami(tokens.accessToken)).status).to.equal(200);
    clock = new Date(clock.getTime() + 2 * 60_000);
    try {
      expect((await whoami(tokens.accessToken)).status).to.equal(401);
    } finally {
      clock = new Date(clock.getTime() - 16 * 60_000);
    }
  });

  it('refuses a forged token, an unknown key and a malformed header (401)', async () => {
    const tokens = await login();
    const [header, payload] = tokens.accessToken.split('.');
    const forgedPayload = Buffer.from(JSON.stringify({ sub: 'x', role: 'admin' })).toString(
      'base64url',
    );
    for (const authorization of [
      `Bearer ${header}.${forgedPayload}.${tokens.accessToken.split('.')[2]}`,
      `Bearer ${header}.${payload}.AAAA`,
      'Bearer bl_unknown_key_1234567890',
      'Basic dXNlcjpwYXNz',
    ]) {
      const res = await fetch(`${app.baseUrl}/api/v1/test/whoami`, { headers: { authorization } });
      expect(res.status, authorization).to.equal(401);
    }
    expect((await fetch(`${app.baseUrl}/api/v1/test/whoami`)).status).to.equal(401);
  });

  it('authenticates partner API keys created by an admin, shown once and stored hashed', async () => {
    const res = await postJson(
      `${app.baseUrl}/api/v1/admin/api-keys`,
      { role: 'partner', partnerId: 'p-9', label: 'Acme' },
      bearer(app.adminKey),
    );
    expect(res.status).to.equal(201);
    const { apiKey, id } = (await res.json()) as { apiKey: string; id: string };
    expect(await (await whoami(apiKey)).json()).to.deep.equal({
      id,
      role: 'partner',
      partnerId: 'p-9',
    });
    const { rows } = await app.db.pool.query<{ key_hash: string }>(
      'SELECT key_hash FROM api_keys WHERE id = $1',
      [id],
    );
    expect(rows[0]?.key_hash)
      .to.match(/^[0-9a-f]{64}$/)
      .and.not.include(apiKey);
  });

  it('enforces roles (403) and ownership (403 for another guest)', async () => {
    const keyRes = await postJson(
      `${app.baseUrl}/api/v1/admin/api-keys`,
      { role: 'partner', partnerId: 'p-1', label: 'P' },
      bearer(app.adminKey),
    );
    const { apiKey } = (await keyRes.json()) as { apiKey: string };
    const asPartner = await postJson(
      `${app.baseUrl}/api/v1/admin/users`,
      { email: 'x@example.org', password: 'long enough pw', role: 'guest', guestId: 'g' },
      bearer(apiKey),
    );
    expect(asPartner.status).to.equal(403);
    expect(((await asPartner.json()) as { error: { code: string } }).error.code).to.equal(
      'FORBIDDEN',
    );

    const { accessToken } = await login();
    const own = await fetch(`${app.baseUrl}/api/v1/test/guests/g-1/bookings`, {
      headers: bearer(accessToken),
    });
    expect(own.status).to.equal(200);
    const other = await fetch(`${app.baseUrl}/api/v1/test/guests/g-2/bookings`, {
      headers: bearer(accessToken),
    });
    expect(other.status).to.equal(403);
    const admin = await fetch(`${app.baseUrl}/api/v1/test/guests/g-2/bookings`, {
      headers: bearer(app.adminKey),
    });
    expect(admin.status).to.equal(200);
  });

  it('refuses a duplicate email (409) and a vendor without vendorId (400)', async () => {
    const dup = await postJson(
      `${app.baseUrl}/api/v1/admin/users`,
      { email: email.toUpperCase(), password, role: 'guest', guestId: 'g-3' },
      bearer(app.adminKey),
    );
    expect(dup.status).to.equal(409);
    const vendor = await postJson(
      `${app.baseUrl}/api/v1/admin/users`,
      { email: 'v@example.org', password, role: 'vendor' },
      bearer(app.adminKey),
    );
    expect(vendor.status).to.equal(400);
  });
});
