import { expect } from 'chai';
import { loadMigrations, migrate } from './migrate.ts';
import { withTransaction } from './pool.ts';
import { createTestDatabase, type TestDatabase } from './testing.ts';

describe('migrations and transactions (PostgreSQL)', () => {
  let db: TestDatabase;
  before(async () => {
    db = await createTestDatabase({ max: 4 });
  });
  after(async () => db.dispose());

  it('records every migration once and re-running applies nothing', async () => {
    const all = await loadMigrations();
    const { rows } = await db.pool.query<{ version: string }>(
      'SELECT version FROM schema_migrations ORDER BY version',
    );
    expect(rows.map((row) => row.version)).to.deep.equal(all.map((m) => m.version));
    expect(await migrate(db.pool, db.schema)).to.deep.equal([]);
  });

  it('concurrent migrators do not race (advisory lock)', async () => {
    const results = await Promise.all([migrate(db.pool, db.schema), migrate(db.pool, db.schema)]);
    expect(results.flat()).to.deep.equal([]);
  });

  it('withTransaction commits on success and rolls back on error', async () => {
    await db.pool.query('CREATE TABLE tx_probe (n int)');
    await withTransaction(db.pool, (client) => client.query('INSERT INTO tx_probe VALUES (1)'));
    const failing = withTransaction(db.pool, async (client) => {
      await client.query('INSERT INTO tx_probe VALUES (2)');
      throw new Error('boom');
    });
    await failing.then(
      () => expect.fail('should have thrown'),
      (error: Error) => expect(error.message).to.equal('boom'),
    );
    const { rows } = await db.pool.query<{ n: number }>('SELECT n FROM tx_probe');
    expect(rows.map((row) => row.n)).to.deep.equal([1]);
  });
});
