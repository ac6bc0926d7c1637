import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import { pino } from 'pino';
import { loadConfig } from './config/config.ts';
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
