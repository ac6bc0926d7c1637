import { expect } from 'chai';
import type { Redis } from 'ioredis';
import { firstValueFrom, timeout } from 'rxjs';
import { availabilityProjection } from '../../projections/availability/project.ts';
import {
  availabilityRedisProjection,
  readAvailabilityHash,
} from '../../projections/availability/redisChanges.ts';
import { availableOf, type SlotAvailability } from '../../projections/availability/evolve.ts';
import { getPostgresEventStore } from '../eventStore/postgres/postgresEventStore.ts';
import { comparePostgresCheckpoints } from '../eventStore/postgres/subscription.ts';
import { createTestDatabase, type TestDatabase } from '../postgres/testing.ts';
import { redisKeys } from '../redisKeys.ts';
import { createProjectionRunner, type ProjectionRunner } from './projectionRunner.ts';
import { applyRedisBatch, loadRedisCheckpoint, whenReady } from './redisProjector.ts';
import { createFastFailRedis, createRedisServer, freePort } from './testing/redisServer.ts';
import { readAllVisible, sampleLog } from './testing/sampleLog.ts';

type RedisServer = Awaited<ReturnType<typeof createRedisServer>>;
const NOW = Date.parse('2026-11-01T08:20:00.000Z');
const keys = redisKeys('test:redis-projection:');
const AVAIL_PATTERN = `${keys.readModel('avail:')}*`;

/** Every slot's available count, from Postgres rows and from the Redis hashes. */
const availabilityFromPostgres = async (db: TestDatabase) => {
  const { rows } = await db.pool.query<{ state: SlotAvailability }>(
    'SELECT state FROM availability_slots_v1 ORDER BY id',
  );
  return Object.fromEntries(
    rows.map(({ state }) => [`${state.resourceId}.${state.slotKey}`, availableOf(state, NOW)]),
  );
};
const availabilityFromRedis = async (redis: Redis) => {
  const out: Record<string, number> = {};
  for (const key of (await redis.keys(AVAIL_PATTERN)).sort()) {
    const resourceId = key.slice(AVAIL_PATTERN.length - 1).split(':')[0] ?? '';
    for (const slot of readAvailabilityHash(await redis.hgetall(key), NOW)) {
      out[`${resourceId}.${slot.slotKey}`] = slot.closed
        ? 0
        : Math.max(0, slot.capacity - slot.booked - slot.held);
    }
  }
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : 1)));
};

describe('Redis availability projection', function () {
  this.timeout(60_000);
  let db: TestDatabase;
  let server: RedisServer;
  let redis: Redis;
  let runner: ProjectionRunner | undefined;
  const append = async (prefix: string) => {
    const store = getPostgresEventStore(db.pool, {
      schema: db.schema,
      connectionString: db.connectionString,
    });
    const log = sampleLog({ prefix, resources: 2, nightsPerResource: 4, reservations: 0 });
    return (await store.append(log)).position;
  };

  before(async () => {
    db = await createTestDatabase({ max: 5 });
    server = await createRedisServer();
    await server.start();
    redis = createFastFailRedis(server.port);
  });
  afterEach(async () => {
    await runner?.stop();
    runner = undefined;
  });
  after(async () => {
    redis.disconnect();
    await server.dispose();
    await db.dispose();
  });

  it('applies each event with a compare-and-set per key: redelivery changes nothing', async () => {
    await append('r');
    const events = await readAllVisible(db.pool, 8 * 7, { categories: ['slot'] });
    expect(events.length).to.be.at.least(8 * 7);
    await redis.flushall();
    for (const event of events)
      await applyRedisBatch(redis, keys, availabilityRedisProjection, [event]);
    const once = await availabilityFromRedis(redis);
    const dump = async () => {
      const found = (await redis.keys(AVAIL_PATTERN)).sort();
      return Promise.all(found.map(async (key) => [key, await redis.hgetall(key)]));
    };
    const before = await dump();
    // every event again, then the whole log again out of order: nothing moves
    for (const event of events)
      await applyRedisBatch(redis, keys, availabilityRedisProjection, [event]);
    await applyRedisBatch(redis, keys, availabilityRedisProjection, [...events].reverse());
    expect(await dump()).to.deep.equal(before);
    expect(Object.keys(once)).to.have.length(8);
    expect(await loadRedisCheckpoint(redis, keys, 'availability.redis')).to.equal(
      events.at(-1)?.checkpoint,
    );
  });

  it('keeps Postgres going while Redis is down, then catches Redis up from its own checkpoint', async () => {
    await redis.flushall();
    runner = createProjectionRunner({
      pool: db.pool,
      connectionString: db.connectionString,
      schema: db.schema,
      postgres: [availabilityProjection],
      redisProjections: [availabilityRedisProjection],
      redis,
      redisKeys: keys,
      leaseRetryMs: 100,
      pollIntervalMs: 50,
    });
    runner.start();
    const first = await append('s');
    for (const name of ['availability', 'availability.redis']) {
      expect((await runner.waitForPosition(name, first, 10_000)).reached, name).to.equal(true);
    }
    expect(await availabilityFromRedis(redis)).to.deep.equal(await availabilityFromPostgres(db));

    await server.kill();
    const second = await append('t');
    expect((await runner.waitForPosition('availability', second, 10_000)).reached).to.equal(true);
    const readiness = await runner.projectionReadiness();
    expect(readiness.ready).to.equal(true);
    expect(readiness.checks['projection:availability.redis']?.ok).to.equal(true);

    await server.start();
    // the checkpoint survived in Redis (AOF), so the catch-up starts there, not at the start
    await firstValueFrom(whenReady(redis).pipe(timeout(10_000)));
    const resumedFrom = await loadRedisCheckpoint(redis, keys, 'availability.redis');
    expect(resumedFrom, 'checkpoint kept in Redis').to.be.a('string');
    expect(comparePostgresCheckpoints(resumedFrom ?? '0:0', first)).to.be.at.least(0);
    expect((await runner.waitForPosition('availability.redis', second, 15_000)).reached).to.equal(
      true,
    );
    expect(await availabilityFromRedis(redis)).to.deep.equal(await availabilityFromPostgres(db));
  });

  it('runs the Postgres side when Redis was never reachable (an unused port)', async () => {
    const port = await freePort();
    const dead = createFastFailRedis(port);
    const warnings: string[] = [];
    try {
      runner = createProjectionRunner({
        pool: db.pool,
        connectionString: db.connectionString,
        schema: db.schema,
        postgres: [{ ...availabilityProjection, name: 'availability-no-redis' }],
        redisProjections: [{ ...availabilityRedisProjection, name: 'availability.dead-redis' }],
        redis: dead,
        redisKeys: keys,
        leaseRetryMs: 100,
        pollIntervalMs: 50,
        logger: {
          warn: (details, message) => warnings.push(`${message} ${JSON.stringify(details)}`),
        },
      });
      runner.start();
      const position = await append('u');
      const wait = await runner.waitForPosition('availability-no-redis', position, 10_000);
      expect(wait.reached).to.equal(true);
      expect((await runner.projectionReadiness()).ready).to.equal(true);
      // It waits for Redis instead of sending commands that fail ("Stream isn't writeable").
      expect(warnings).to.deep.equal([]);
    } finally {
      await runner?.stop();
      runner = undefined;
      dead.disconnect();
    }
  });
});
