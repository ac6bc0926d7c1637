import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import { pino } from 'pino';
import { loadConfig } from '../config/config.ts';
import { startServer, type RunningServer } from '../main.ts';
import { createPool, quoteIdentifier } from '../postgres/pool.ts';
import { TEST_DATABASE_URL } from '../postgres/testing.ts';

interface ErrorBody {
  error: { code: string; retryable: boolean; retryAfter: number; details: unknown };
}

describe('rate limits of the composed server without REDIS_URL (per instance, in memory)', function () {
  this.timeout(30_000);
  const schema = `rl_${randomBytes(5).toString('hex')}`;
  const adminKey = randomBytes(24).toString('base64url');
  let server: RunningServer;
  const call = (key: string, init: RequestInit = {}, path = '/api/v1/admin/api-keys?limit=1') =>
    fetch(`${server.url}${path}`, {
      ...init,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    });
  const createKey = async (body: object) => {
    const res = await call(adminKey, { method: 'POST', body: JSON.stringify(body) });
    expect(res.status, await res.clone().text()).to.equal(201);
    return (await res.json()) as { id: string; apiKey: string; rateLimitPerMinute: number | null };
  };
  const statusesOf = async (key: string, count: number) => {
    const out: number[] = [];
    for (let i = 0; i < count; i++) out.push((await call(key)).status);
    return out;
  };

  before(async () => {
    const config = loadConfig({
      DATABASE_URL: TEST_DATABASE_URL,
      DATABASE_SCHEMA: schema,
      DATABASE_POOL_SIZE: '4',
      ADMIN_API_KEY: adminKey,
      RATE_LIMIT_PER_PRINCIPAL: '4',
      RATE_LIMIT_PER_IP: '500',
      ROLES: 'api',
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

  it('limits each principal to RATE_LIMIT_PER_PRINCIPAL with X-RateLimit-* and a 429 envelope', async () => {
    const plain = await createKey({ role: 'partner', partnerId: 'acme', label: 'plain' });
    expect(plain.rateLimitPerMinute).to.equal(null);
    const first = await call(plain.apiKey);
    expect(first.status).to.equal(200);
    expect(first.headers.get('x-ratelimit-limit')).to.equal('4');
    expect(first.headers.get('x-ratelimit-remaining')).to.equal('3');
    expect(Number(first.headers.get('x-ratelimit-reset'))).to.be.within(1, 60);
    expect(await statusesOf(plain.apiKey, 4)).to.deep.equal([200, 200, 200, 429]);
    const refused = await call(plain.apiKey);
    expect(refused.status).to.equal(429);
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).to.be.within(1, 120);
    const body = (await refused.json()) as ErrorBody;
    expect(Object.keys(body)).to.deep.equal(['error']);
    expect(body.error).to.include({ code: 'RATE_LIMITED', retryable: true, retryAfter });
  });

  it('gives an API key the rateLimitPerMinute an admin set on it, at creation or later', async () => {
    const big = await createKey({
      role: 'partner',
      partnerId: 'globex',
      label: 'contract',
      rateLimitPerMinute: 6,
    });
    expect(big.rateLimitPerMinute).to.equal(6);
    expect(await statusesOf(big.apiKey, 7)).to.deep.equal([200, 200, 200, 200, 200, 200, 429]);

    const later = await createKey({ role: 'partner', partnerId: 'initech', label: 'later' });
    expect(await statusesOf(later.apiKey, 5)).to.deep.equal([200, 200, 200, 200, 429]);
    const patched = await call(
      adminKey,
      {
        method: 'PATCH',
        body: JSON.stringify({ rateLimitPerMinute: 10 }),
      },
      `/api/v1/admin/api-keys/${later.id}`,
    );
    expect(patched.status, await patched.clone().text()).to.equal(200);
    expect(((await patched.json()) as { rateLimitPerMinute: number }).rateLimitPerMinute).to.equal(
      10,
    );
    // The serving instance forgot the cached key, so the new limit holds at once.
    const after = await call(later.apiKey);
    expect(after.status).to.equal(200);
    expect(after.headers.get('x-ratelimit-limit')).to.equal('10');
  });
});
