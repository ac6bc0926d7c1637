import { expect } from 'chai';
import { z } from 'zod';
import { defineRoute } from '../../commands/shared/route.ts';
import { bearer, postJson, startTestApp, type TestApp } from '../http/testing.ts';
import { apiKeyView } from './apiKeyRoutes.ts';
import { createAuthService } from './authService.ts';

const listBody = z.strictObject({
  apiKeys: z.array(apiKeyView.strict()),
  nextCursor: z.string().nullable(),
});
const rotatedBody = apiKeyView.extend({ apiKey: z.string() }).strict();
const errorBody = z.strictObject({
  error: z.strictObject({
    code: z.string(),
    message: z.string(),
    details: z.unknown(),
    retryable: z.boolean(),
    retryAfter: z.number().nullable().optional(),
  }),
});

const whoamiRoute = defineRoute({
  method: 'get',
  path: '/api/v1/test/whoami',
  summary: 'Returns the principal.',
  auth: ['admin', 'partner', 'guest'],
  responses: { 200: { description: 'The principal.' } },
  handler: ({ principal }) => Promise.resolve({ status: 200, body: principal }),
});

interface Created {
  id: string;
  apiKey: string;
}

describe('API key management (e2e)', () => {
  let app: TestApp;
  const keys: Record<string, Created> = {};

  const url = (path: string) => `${app.baseUrl}/api/v1/admin/api-keys${path}`;
  const as = (credential: string, path: string, method = 'GET') =>
    fetch(url(path), { method, headers: bearer(credential) });
  const whoami = (credential: string) =>
    fetch(`${app.baseUrl}/api/v1/test/whoami`, { headers: bearer(credential) });
  const create = async (name: string, body: object) => {
    const res = await postJson(url(''), body, bearer(app.adminKey));
    expect(res.status, await res.clone().text()).to.equal(201);
    keys[name] = (await res.json()) as Created;
  };
  const expectError = async (res: Response, status: number, code?: string) => {
    const text = await res.text();
    expect(res.status, text).to.equal(status);
    const body = errorBody.parse(JSON.parse(text));
    if (code) expect(body.error.code).to.equal(code);
  };

  before(async () => {
    app = await startTestApp({ routes: [whoamiRoute], redis: 'none' });
    await create('acme1', { role: 'partner', partnerId: 'acme', label: 'Acme one' });
    await create('acme2', { role: 'partner', partnerId: 'acme', label: 'Acme two' });
    await create('acme3', { role: 'partner', partnerId: 'acme', label: 'Acme three' });
    await create('globex', { role: 'partner', partnerId: 'globex', label: 'Globex' });
    // An admin key carrying acme's partner id must stay out of acme's reach.
    await create('acmeAdmin', { role: 'admin', partnerId: 'acme', label: 'ops' });
  });
  after(() => app.close());

  it('lists keys for an admin (every tenant, filterable) without secrets or digests', async () => {
    const res = await as(app.adminKey, '?limit=100');
    expect(res.status).to.equal(200);
    const text = await res.text();
    const page = listBody.parse(JSON.parse(text));
    const ids = page.apiKeys.map((k) => k.id);
    for (const key of Object.values(keys)) {
      expect(ids).to.include(key.id);
      expect(text).not.to.include(key.apiKey);
    }
    expect(text).not.to.match(/[0-9a-f]{64}/);
    expect(text).not.to.match(/key_?hash/i);
    const globexOnly = listBody.parse(await (await as(app.adminKey, '?partnerId=globex')).json());
    expect(globexOnly.apiKeys.map((k) => k.id)).to.deep.equal([keys['globex']?.id]);
  });

  it('lists only its own partner keys for a partner, and refuses another tenant’s list', async () => {
    const page = listBody.parse(await (await as(keys['acme1']?.apiKey ?? '', '')).json());
    expect(page.apiKeys.map((k) => k.id).sort()).to.deep.equal(
      [keys['acme1']?.id, keys['acme2']?.id, keys['acme3']?.id].sort(),
    );
    expect(page.apiKeys.every((k) => k.partnerId === 'acme' && k.role === 'partner')).to.equal(
      true,
    );
    await expectError(await as(keys['acme1']?.apiKey ?? '', '?partnerId=globex'), 403, 'FORBIDDEN');
  });

  it('pages in bounded steps with a cursor', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    for (let i = 0; i < 10; i++) {
      const path: string = `?limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const page = listBody.parse(await (await as(app.adminKey, path)).json());
      expect(page.apiKeys.length).to.be.at.most(2);
      seen.push(...page.apiKeys.map((k) => k.id));
      cursor = page.nextCursor;
      if (cursor === null) break;
    }
    expect(cursor).to.equal(null);
    expect(seen).to.deep.equal([...seen].sort());
    expect(new Set(seen).size).to.equal(seen.length);
    expect(seen).to.include.members(Object.values(keys).map((k) => k.id));
    for (const bad of ['?limit=0', '?limit=101', '?limit=1e9', '?includeRevoked=yes']) {
      await expectError(await as(app.adminKey, bad), 400);
    }
  });

  it('answers 400 for garbage and NUL-byte ids and queries, never a 500', async () => {
    for (const path of ['/%00', '/key_%00abc', `/${'a'.repeat(65)}`, '/a%20b', '/key.1']) {
      await expectError(await as(app.adminKey, path, 'DELETE'), 400);
      await expectError(await as(app.adminKey, `${path}/rotate`, 'POST'), 400);
    }
    await expectError(await as(app.adminKey, '?cursor=%00'), 400);
    await expectError(await as(app.adminKey, '?partnerId=a%00b'), 400);
  });

  it('refuses other roles (403) and another tenant’s keys (404, nothing changes)', async () => {
    await create('vendor', { role: 'vendor', vendorId: 'v-1', label: 'a vendor key' });
    await expectError(await as(keys['vendor']?.apiKey ?? '', ''), 403, 'FORBIDDEN');
    const acme = keys['acme1']?.apiKey ?? '';
    for (const target of ['globex', 'acmeAdmin']) {
      await expectError(await as(acme, `/${keys[target]?.id}`), 404, 'API_KEY_NOT_FOUND');
      await expectError(await as(acme, `/${keys[target]?.id}`, 'DELETE'), 404, 'API_KEY_NOT_FOUND');
      await expectError(
        await as(acme, `/${keys[target]?.id}/rotate`, 'POST'),
        404,
        'API_KEY_NOT_FOUND',
      );
      expect((await whoami(keys[target]?.apiKey ?? '')).status).to.equal(200);
    }
    await expectError(await as(acme, '/env-admin', 'DELETE'), 404);
    const patch = await fetch(url(`/${keys['acme1']?.id}`), {
      method: 'PATCH',
      headers: { ...bearer(acme), 'content-type': 'application/json' },
      body: JSON.stringify({ rateLimitPerMinute: 1_000_000 }),
    });
    await expectError(patch, 403, 'FORBIDDEN');
  });

  it('revokes a partner’s own key at once on this instance, even though it was cached', async () => {
    const victim = keys['acme2'] as Created;
    expect((await whoami(victim.apiKey)).status).to.equal(200); // now cached for 5 s
    const res = await as(keys['acme1']?.apiKey ?? '', `/${victim.id}`, 'DELETE');
    expect(res.status).to.equal(200);
    const revoked = apiKeyView.strict().parse(await res.json());
    expect(revoked.revokedAt).to.be.a('string');
    expect((await whoami(victim.apiKey)).status).to.equal(401);
    // Revoking again answers the same record; the revoked key leaves the default list.
    const again = apiKeyView
      .strict()
      .parse(await (await as(app.adminKey, `/${victim.id}`, 'DELETE')).json());
    expect(again.revokedAt).to.equal(revoked.revokedAt);
    const listed = listBody.parse(await (await as(app.adminKey, '?partnerId=acme')).json());
    expect(listed.apiKeys.map((k) => k.id)).not.to.include(victim.id);
    const all = listBody.parse(
      await (await as(app.adminKey, '?partnerId=acme&includeRevoked=true')).json(),
    );
    expect(all.apiKeys.map((k) => k.id)).to.include(victim.id);
  });

  it('rotates: the new secret once, the same owner, and the old key refused at once', async () => {
    const old = keys['acme3'] as Created;
    expect((await whoami(old.apiKey)).status).to.equal(200);
    const res = await as(old.apiKey, `/${old.id}/rotate`, 'POST');
    expect(res.status).to.equal(201);
    const rotated = rotatedBody.parse(await res.json());
    expect(rotated).to.include({
      role: 'partner',
      partnerId: 'acme',
      label: 'Acme three',
      rotatedFrom: old.id,
      revokedAt: null,
    });
    expect(rotated.id).not.to.equal(old.id);
    expect(rotated.apiKey).not.to.equal(old.apiKey);
    expect((await whoami(old.apiKey)).status).to.equal(401);
    const location = res.headers.get('location') ?? '';
    expect(location).to.equal(`/api/v1/admin/api-keys/${rotated.id}`);
    const shown = apiKeyView
      .strict()
      .parse(
        await (
          await fetch(`${app.baseUrl}${location}`, { headers: bearer(rotated.apiKey) })
        ).json(),
      );
    const { apiKey: secret, ...view } = rotated;
    expect(shown).to.deep.equal(view);
    expect(secret).to.be.a('string');
    expect(JSON.stringify(shown)).not.to.include(rotated.apiKey);
    expect(await (await whoami(rotated.apiKey)).json()).to.deep.equal({
      id: rotated.id,
      role: 'partner',
      partnerId: 'acme',
    });
    await expectError(await as(app.adminKey, `/${old.id}/rotate`, 'POST'), 409, 'API_KEY_REVOKED');
    // Lists never show the new secret either.
    expect(await (await as(app.adminKey, '?limit=100')).text()).not.to.include(rotated.apiKey);
  });

  it('keeps ADMIN_API_KEY (env-admin) out of reach of revocation and rotation', async () => {
    await expectError(
      await as(app.adminKey, '/env-admin', 'DELETE'),
      409,
      'API_KEY_FROM_ENVIRONMENT',
    );
    await expectError(
      await as(app.adminKey, '/env-admin/rotate', 'POST'),
      409,
      'API_KEY_FROM_ENVIRONMENT',
    );
    expect((await whoami(app.adminKey)).status).to.equal(200);
  });

  it('a key revoked through one instance stops on another within its key cache time', async () => {
    let clock = new Date('2026-03-01T10:00:00Z');
    const other = createAuthService({
      pool: app.db.pool,
      jwtSecret: new Uint8Array(32).fill(3),
      now: () => clock,
    });
    const key = keys['globex'] as Created;
    expect((await other.authenticate(`Bearer ${key.apiKey}`))?.id).to.equal(key.id);
    expect((await as(app.adminKey, `/${key.id}`, 'DELETE')).status).to.equal(200);
    clock = new Date('2026-03-01T10:00:04.999Z');
    expect((await other.authenticate(`Bearer ${key.apiKey}`))?.id).to.equal(key.id);
    clock = new Date('2026-03-01T10:00:05Z');
    let refused = false;
    await other.authenticate(`Bearer ${key.apiKey}`).catch(() => {
      refused = true;
    });
    expect(refused).to.equal(true);
  });
});
