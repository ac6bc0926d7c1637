import { expect } from 'chai';
import { UnauthenticatedError } from '../../domain/shared/errors.ts';
import { createTestDatabase, type TestDatabase } from '../postgres/testing.ts';
import { createAuthService } from './authService.ts';

describe('API key cache (int)', () => {
  let db: TestDatabase;
  let clock: Date;
  before(async () => {
    db = await createTestDatabase();
  });
  after(() => db.dispose());

  const service = (apiKeyCacheTtlMs?: number) =>
    createAuthService({
      pool: db.pool,
      jwtSecret: new Uint8Array(32).fill(7),
      now: () => clock,
      ...(apiKeyCacheTtlMs === undefined ? {} : { apiKeyCacheTtlMs }),
    });
  const revoke = (id: string) =>
    db.pool.query('UPDATE api_keys SET revoked_at = now() WHERE id = $1', [id]);
  const refused = async (promise: Promise<unknown>) => {
    try {
      await promise;
    } catch (error) {
      return error;
    }
    return undefined;
  };

  it('keeps a revoked key working only until the cache TTL has passed', async () => {
    clock = new Date('2026-03-01T10:00:00Z');
    const auth = service(5000);
    const { id, apiKey } = await auth.createApiKey({
      role: 'partner',
      label: 'c',
      partnerId: 'p1',
    });
    expect(await auth.authenticate(`Bearer ${apiKey}`)).to.deep.equal({
      id,
      role: 'partner',
      partnerId: 'p1',
    });
    await revoke(id);
    clock = new Date('2026-03-01T10:00:04.999Z');
    expect((await auth.authenticate(`Bearer ${apiKey}`))?.id).to.equal(id);
    clock = new Date('2026-03-01T10:00:05Z');
    expect(await refused(auth.authenticate(`Bearer ${apiKey}`))).to.be.instanceOf(
      UnauthenticatedError,
    );
  });

  it('refuses a revoked key at once when the cache is off', async () => {
    clock = new Date('2026-03-01T10:00:00Z');
    const auth = service(0);
    const { id, apiKey } = await auth.createApiKey({ role: 'admin', label: 'off' });
    expect((await auth.authenticate(`Bearer ${apiKey}`))?.id).to.equal(id);
    await revoke(id);
    expect(await refused(auth.authenticate(`Bearer ${apiKey}`))).to.be.instanceOf(
      UnauthenticatedError,
    );
  });

  it('never caches an unknown key, so it works as soon as it exists', async () => {
    clock = new Date('2026-03-01T10:00:00Z');
    const auth = service();
    expect(await refused(auth.authenticate('Bearer bl_not-yet-a-key'))).to.be.instanceOf(
      UnauthenticatedError,
    );
    await db.pool.query(
      `INSERT INTO api_keys (id, key_hash, role, label) VALUES ('key_later', encode(sha256('bl_not-yet-a-key'), 'hex'), 'admin', 'later')`,
    );
    expect((await auth.authenticate('Bearer bl_not-yet-a-key'))?.id).to.equal('key_later');
  });
});
