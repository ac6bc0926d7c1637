import { expect } from 'chai';
import { ConcurrencyError } from '../../../domain/shared/errors.ts';
import { withTransaction } from '../../postgres/pool.ts';
import { createTestDatabase, type TestDatabase } from '../../postgres/testing.ts';
import {
  CheckpointFromAnotherClusterError,
  getPostgresCheckpointStore,
} from './checkpointStore.ts';

describe('Postgres checkpoint store', () => {
  let db: TestDatabase;
  before(async () => {
    db = await createTestDatabase({ max: 4 });
    await db.pool.query('CREATE TABLE read_model (id int PRIMARY KEY)');
  });
  after(() => db.dispose());

  it('starts empty, then moves only from the expected checkpoint', async () => {
    const store = getPostgresCheckpointStore(db.pool);
    expect(await store.load('cas')).to.equal(undefined);
    await store.store('cas', undefined, '10:1');
    await store.store('cas', '10:1', '12:7');
    expect(await store.load('cas')).to.equal('12:7');

    const stale = await store.store('cas', '10:1', '13:9').catch((error: unknown) => error);
    expect(stale).to.be.instanceOf(ConcurrencyError);
    expect((stale as ConcurrencyError).actual).to.equal('12:7');
    const again = await store.store('cas', undefined, '1:1').catch((error: unknown) => error);
    expect(again).to.be.instanceOf(ConcurrencyError);
    expect(await store.load('cas')).to.equal('12:7');
  });

  it('lets exactly one of two concurrent writers win', async () => {
    const store = getPostgresCheckpointStore(db.pool);
    await store.store('race', undefined, '1:1');
    const results = await Promise.allSettled([
      store.store('race', '1:1', '2:2'),
      store.store('race', '1:1', '3:3'),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).to.have.length(1);
    const rejected = results.find((r) => r.status === 'rejected');
    expect(rejected?.reason).to.be.instanceOf(ConcurrencyError);
  });

  it('commits or rolls back with the read model rows of the caller’s transaction', async () => {
    const store = getPostgresCheckpointStore(db.pool);
    await withTransaction(db.pool, async (client) => {
      await client.query('INSERT INTO read_model (id) VALUES (1)');
      await store.store('projection', undefined, '5:5', client);
    });
    const failed = await withTransaction(db.pool, async (client) => {
      await client.query('INSERT INTO read_model (id) VALUES (2)');
      await store.store('projection', '5:5', '6:6', client);
      throw new Error('projection failed after writing');
    }).catch((error: unknown) => error);
    expect(failed).to.be.instanceOf(Error);
    expect(await store.load('projection')).to.equal('5:5');
    const { rows } = await db.pool.query<{ id: number }>('SELECT id FROM read_model ORDER BY id');
    expect(rows.map((row) => row.id)).to.deep.equal([1]);
  });

  it('refuses a checkpoint taken on another cluster, naming both identifiers', async () => {
    const store = getPostgresCheckpointStore(db.pool);
    await store.store('restored', undefined, '7:7');
    const { rows } = await db.pool.query<{ id: string }>(
      'SELECT system_identifier::text AS id FROM pg_control_system()',
    );
    const current = rows[0]!.id;
    await db.pool.query(
      `UPDATE subscription_checkpoints SET system_identifier = '1234567890' WHERE name = 'restored'`,
    );
    const error = await store.load('restored').catch((e: unknown) => e);
    expect(error).to.be.instanceOf(CheckpointFromAnotherClusterError);
    expect((error as Error).message)
      .to.include('1234567890')
      .and.to.include(current);
    const moved = await store.store('restored', '7:7', '8:8').catch((e: unknown) => e);
    expect(moved).to.be.instanceOf(CheckpointFromAnotherClusterError);
  });

  it('refuses a malformed next checkpoint', async () => {
    const store = getPostgresCheckpointStore(db.pool);
    const error = await store.store('bad', undefined, 'yesterday').catch((e: unknown) => e);
    expect((error as Error).message).to.match(/Invalid checkpoint "yesterday"/);
    expect(await store.load('bad')).to.equal(undefined);
  });
});
