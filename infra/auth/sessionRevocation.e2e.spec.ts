import { expect } from 'chai';
import { defineRoute } from '../../commands/shared/route.ts';
import { UnauthenticatedError } from '../../domain/shared/errors.ts';
import { bearer, postJson, startTestApp, type TestApp } from '../http/testing.ts';
import { createAuthService } from './authService.ts';

type Tokens = { accessToken: string; refreshToken: string };

const whoamiRoute = defineRoute({
  method: 'get',
  path: '/api/v1/test/whoami',
  summary: 'Returns the principal.',
  auth: ['guest', 'admin'],
  responses: { 200: { description: 'The principal.' } },
  handler: ({ principal }) => Promise.resolve({ status: 200, body: principal }),
});

describe('revoking a session reaches its access tokens (e2e)', () => {
  let app: TestApp;
  let clock = new Date('2026-03-01T10:00:00Z');
  const email = 'session.guest@example.org';
  const password = 'a long enough password';

  const login = async (): Promise<Tokens> => {
    const res = await postJson(`${app.baseUrl}/api/v1/auth/login`, { email, password });
    expect(res.status).to.equal(200);
    return (await res.json()) as Tokens;
  };
  const refresh = (refreshToken: string) =>
    postJson(`${app.baseUrl}/api/v1/auth/token_refresh`, { refreshToken });
  const whoami = (credential: string) =>
    fetch(`${app.baseUrl}/api/v1/test/whoami`, { headers: bearer(credential) });

  before(async () => {
    app = await startTestApp({ routes: [whoamiRoute], redis: 'none', now: () => clock });
    const res = await postJson(
      `${app.baseUrl}/api/v1/admin/users`,
      { email, password, role: 'guest', guestId: 'g-s' },
      bearer(app.adminKey),
    );
    expect(res.status).to.equal(201);
  });
  after(() => app.close());

  it('after refresh-token reuse, the newest access token is refused at once (same instance)', async () => {
    const first = await login();
    const second = (await (await refresh(first.refreshToken)).json()) as Tokens;
    expect((await whoami(second.accessToken)).status).to.equal(200);
    const reuse = await refresh(first.refreshToken);
    expect(reuse.status).to.equal(401);
    for (const token of [first.accessToken, second.accessToken]) {
      const res = await whoami(token);
      expect(res.status).to.equal(401);
      expect(((await res.json()) as { error: { message: string } }).error.message).to.match(
        /session .* revoked/,
      );
    }
    // Another login session of the same user is untouched.
    const other = await login();
    expect((await whoami(other.accessToken)).status).to.equal(200);
  });

  it('logout ends the access and the refresh token of that session only', async () => {
    const mine = await login();
    const other = await login();
    const out = await postJson(`${app.baseUrl}/api/v1/auth/logout`, {}, bearer(mine.accessToken));
    expect(out.status).to.equal(204);
    expect((await whoami(mine.accessToken)).status).to.equal(401);
    expect((await refresh(mine.refreshToken)).status).to.equal(401);
    expect((await whoami(other.accessToken)).status).to.equal(200);
    // An API key has no session to end.
    const withKey = await postJson(`${app.baseUrl}/api/v1/auth/logout`, {}, bearer(app.adminKey));
    expect(withKey.status).to.equal(400);
  });

  it('another instance stops the tokens within its session cache time (5 s)', async () => {
    // A second API instance on the same database (its own JWT secret, so it logs in itself).
    const elsewhere = createAuthService({
      pool: app.db.pool,
      jwtSecret: new Uint8Array(32).fill(9),
      now: () => clock,
    });
    const own = await elsewhere.login(email, password);
    const newest = (await elsewhere.refresh(own.refreshToken)).accessToken;
    expect((await elsewhere.authenticate(`Bearer ${newest}`))?.id).to.be.a('string');
    // The rotated refresh token is reused against the app: the session is revoked there.
    expect((await refresh(own.refreshToken)).status).to.equal(401);
    clock = new Date(clock.getTime() + 4_999);
    expect((await elsewhere.authenticate(`Bearer ${newest}`))?.id).to.be.a('string');
    clock = new Date(clock.getTime() + 1);
    let refused: unknown;
    try {
      await elsewhere.authenticate(`Bearer ${newest}`);
    } catch (error) {
      refused = error;
    }
    expect(refused).to.be.instanceOf(UnauthenticatedError);
  });

  it('a disabled user’s access tokens stop too', async () => {
    const tokens = await login();
    expect((await whoami(tokens.accessToken)).status).to.equal(200);
    await app.db.pool.query('UPDATE users SET disabled = true WHERE email = $1', [email]);
    try {
      clock = new Date(clock.getTime() + 5_000);
      expect((await whoami(tokens.accessToken)).status).to.equal(401);
    } finally {
      await app.db.pool.query('UPDATE users SET disabled = false WHERE email = $1', [email]);
    }
  });
});
