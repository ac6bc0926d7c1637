import { expect } from 'chai';
import { Registry } from 'prom-client';
import { NO_STREAM } from '../../../commands/shared/eventStore.ts';
import { ConcurrencyError } from '../../../domain/shared/errors.ts';
import { createTestDatabase, type TestDatabase } from '../../postgres/testing.ts';
import { describeEventStoreContract } from '../contract/eventStoreContract.ts';
import { events, rejectionOf, streamIn, uniqueCategory } from '../contract/support.ts';
import { APPEND_CONFLICTS, APPEND_SECONDS } from './appendMetrics.ts';
import { getPostgresEventStore, type PostgresEventStoreOptions } from './postgresEventStore.ts';

const postgresStore = async (options: Partial<PostgresEventStoreOptions> = {}) => {
  const db = await createTestDatabase({ max: 8, prefix: 'es' });
  const store = getPostgresEventStore(db.pool, {
    schema: db.schema,
    connectionString: db.connectionString,
    ...options,
  });
  return { db, store, dispose: () => db.dispose() };
};

describeEventStoreContract('postgres', () => postgresStore(), { propertyRuns: 25 });

describeEventStoreContract(
  'postgres, one transaction per stream',
  () => postgresStore({ atomicMultiStreamAppend: false }),
  { propertyRuns: 10 },
);

describe('PostgresEventStore', function () {
  this.timeout(60_000);
  let db: TestDatabase;
  before(async () => {
    db = await createTestDatabase({ max: 8, prefix: 'es' });
  });
  after(() => db.dispose());

  it('without atomic multi-stream appends, a conflict in the second stream keeps the first', async () => {
    const store = getPostgresEventStore(db.pool, {
      schema: db.schema,
      connectionString: db.connectionString,
      atomicMultiStreamAppend: false,
    });
    expect(store.capabilities.atomicMultiStreamAppend).to.equal(false);
    const [first, second] = [streamIn(uniqueCategory()), streamIn(uniqueCategory())];
    await store.append([{ stream: second, expectedRevision: NO_STREAM, events: events(1) }]);
    const error = await rejectionOf(
      store.append([
        { stream: first, expectedRevision: NO_STREAM, events: events(1) },
        { stream: second, expectedRevision: NO_STREAM, events: events(1) },
      ]),
    );
    expect(error).to.be.instanceOf(ConcurrencyError);
    expect(await store.streamRevision(first)).to.equal(0);
  });

  it('records append latency and conflicts in the registry', async () => {
    const registry = new Registry();
    const options = { schema: db.schema, connectionString: db.connectionString, registry };
    const store = getPostgresEventStore(db.pool, options);
    getPostgresEventStore(db.pool, options); // a second store on the same registry must not throw
    const stream = streamIn(uniqueCategory());
    await store.append([{ stream, expectedRevision: NO_STREAM, events: events(1) }]);
    await rejectionOf(store.append([{ stream, expectedRevision: NO_STREAM, events: events(1) }]));
    const metrics = await registry.getMetricsAsJSON();
    const seconds = metrics.find((metric) => metric.name === APPEND_SECONDS);
    const counts = seconds?.values.filter(
      (value) => (value as { metricName?: string }).metricName === `${APPEND_SECONDS}_count`,
    );
    expect(counts?.map((value) => [value.labels['outcome'], value.value])).to.have.deep.members([
      ['ok', 1],
      ['conflict', 1],
    ]);
    expect(metrics.find((metric) => metric.name === APPEND_CONFLICTS)?.values[0]?.value).to.equal(
      1,
    );
  });
});
