import { expect } from 'chai';
import { bookingsProjection } from '../../projections/bookings/project.ts';
import { createTestDatabase, type TestDatabase } from '../postgres/testing.ts';
import { createProjectionRunner, type ProjectionRunner } from './projectionRunner.ts';

/**
 * Two installs in two schemas of one database (as tests and staging setups do)
 * must each get their projector lease: advisory locks span the whole database,
 * so a lease keyed by projection name alone would starve one of them forever.
 */
describe('projection leases are scoped by schema', function () {
  this.timeout(20_000);
  const dbs: TestDatabase[] = [];
  const runners: ProjectionRunner[] = [];
  after(async () => {
    await Promise.all(runners.map((runner) => runner.stop()));
    await Promise.all(dbs.map((db) => db.dispose()));
  });

  it('runs the same projection in two schemas at once', async () => {
    for (const prefix of ['lsa', 'lsb']) {
      const db = await createTestDatabase({ max: 3, prefix });
      dbs.push(db);
      const runner = createProjectionRunner({
        pool: db.pool,
        connectionString: db.connectionString,
        schema: db.schema,
        postgres: [bookingsProjection],
        leaseRetryMs: 100,
        pollIntervalMs: 50,
      });
      runners.push(runner);
      runner.start();
    }
    const deadline = Date.now() + 10_000;
    while (runners.some((r) => r.leasesHeld().length === 0) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(runners.map((r) => r.leasesHeld())).to.deep.equal([['bookings'], ['bookings']]);
  });
});
