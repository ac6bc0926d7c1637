import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { availabilityProjection } from '../projections/availability/project.ts';
import {
  availabilityKey,
  availabilityRedisProjection,
  readAvailabilityHash,
} from '../projections/availability/redisChanges.ts';
import { getPostgresEventStore } from './eventStore/postgres/postgresEventStore.ts';
import { TEST_REDIS_URL } from './http/testing.ts';
import { createRedisResponseCache } from './idempotency/redisResponseCache.ts';
import { createTestDatabase, type TestDatabase } from './postgres/testing.ts';
import { createProjectionRunner, type ProjectionRunner } from './projections/projectionRunner.ts';
import { loadRedisCheckpoint } from './projections/redisProjector.ts';
import { createRedisRateLimiter } from './rateLimit/rateLimiter.ts';
import { createRedisHotAvailability } from './readSide/redisHotAvailability.ts';
import { redisKeys, resolveRedisKeyPrefix, type RedisKeys } from './redisKeys.ts';

const RESOURCE = 'shared-room';
const NIGHT = '2026-12-20';
const logger = pino({ level: 'silent' });

interface Install {
  readonly db: TestDatabase;
  readonly keys: RedisKeys;
  readonly runner: ProjectionRunner;
  position: string;
}

/** Polls `check` every 25 ms until it holds, for at most `ms`. */
const eventually = async (check: () => Promise<boolean> | boolean, ms = 10_000) => {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`Condition not met within ${ms} ms.`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
};

describe('Redis keys are namespaced by install (int)', function () {
  this.timeout(60_000);
  let redis: Redis;
  const installs: Install[] = [];

  /** One install: its own schema, its derived key prefix, the real Redis projection runner. */
  const startInstall = async (capacity: number): Promise<Install> => {
    const db = await createTestDatabase({ max: 5, prefix: 'rk' });
    const keys = redisKeys(await resolveRedisKeyPrefix(undefined, db.pool, db.schema));
    const runner = createProjectionRunner({
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
    const store = getPostgresEventStore(db.pool, {
      schema: db.schema,
      connectionString: db.connectionString,
    });
    const { position } = await store.append([
      {
        stream: `slot-${RESOURCE}.${NIGHT}`,
        expectedRevision: 'no_stream',
        events: [
          {
            eventId: randomUUID(),
            type: 'SlotOpened',
            schemaVersion: 1,
            data: {
              resourceId: RESOURCE,
              slotKey: NIGHT,
              capacity,
              openedAt: '2026-11-01T08:00:00.000Z',
            },
          },
        ],
      },
    ]);
    const install = { db, keys, runner, position };
    installs.push(install);
    return install;
  };

  before(() => {
    redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1 });
  });
  after(async () => {
    for (const install of installs) {
      await install.runner.stop();
      const stale = await redis.keys(`${install.keys.prefix}*`);
      if (stale.length > 0) await redis.del(...stale);
      await install.db.dispose();
    }
    redis.disconnect();
  });

  it('derives one stable prefix per database and schema, and REDIS_KEY_PREFIX overrides it', async () => {
    const a = await createTestDatabase({ max: 2, prefix: 'rk' });
    const b = await createTestDatabase({ max: 2, prefix: 'rk' });
    try {
      const first = await resolveRedisKeyPrefix(undefined, a.pool, a.schema);
      expect(first).to.match(/^bl:[0-9a-f]{12}:$/);
      expect(await resolveRedisKeyPrefix(undefined, a.pool, a.schema)).to.equal(first);
      expect(await resolveRedisKeyPrefix(undefined, b.pool, b.schema)).not.to.equal(first);
      expect(await resolveRedisKeyPrefix('tenant-7:', a.pool, a.schema)).to.equal('tenant-7:');
      expect(() => redisKeys('has space')).to.throw(/visible ASCII/);
    } finally {
      await a.dispose();
      await b.dispose();
    }
  });

  it('two installs on one Redis each read only their own availability and checkpoint', async () => {
    const a = await startInstall(2);
    const b = await startInstall(7);
    expect(a.keys.prefix).not.to.equal(b.keys.prefix);
    for (const install of [a, b]) {
      const reached = await install.runner.waitForPosition(
        availabilityRedisProjection.name,
        install.position,
        15_000,
      );
      expect(reached.reached).to.equal(true);
    }
    expect(await loadRedisCheckpoint(redis, a.keys, availabilityRedisProjection.name)).to.equal(
      a.position,
    );
    expect(await loadRedisCheckpoint(redis, b.keys, availabilityRedisProjection.name)).to.equal(
      b.position,
    );

    const capacities: number[] = [];
    for (const install of [a, b]) {
      const hot = createRedisHotAvailability({
        redis,
        redisKeys: install.keys,
        postgresCheckpoint: () => Promise.resolve(install.position),
        checkIntervalMs: 25,
      });
      hot.start();
      try {
        await eventually(() => hot.isWarm());
        const [hash] = (await hot.readHashes([availabilityKey(RESOURCE, NIGHT)])) ?? [];
        const [slot] = readAvailabilityHash(hash ?? {}, Date.now());
        capacities.push(slot?.capacity ?? -1);
      } finally {
        hot.stop();
      }
    }
    expect(capacities).to.deep.equal([2, 7]);
    // Nothing left at the old shared, unprefixed names.
    expect(await redis.exists(availabilityKey(RESOURCE, NIGHT))).to.equal(0);
  });

  it('rate-limit counters and idempotency records of one install are invisible to the other', async () => {
    const [a, b] = [redisKeys(`test:${randomUUID()}:`), redisKeys(`test:${randomUUID()}:`)];
    try {
      const limiter = (keys: RedisKeys) =>
        createRedisRateLimiter({
          redis,
          logger,
          registry: new Registry(),
          keys,
          perPrincipal: { limit: 2, windowSeconds: 60 },
        });
      const [limitA, limitB] = [limiter(a), limiter(b)];
      const decisionsA = [];
      for (let i = 0; i < 3; i++) decisionsA.push((await limitA.checkPrincipal('key_1'))?.allowed);
      expect(decisionsA).to.deep.equal([true, true, false]);
      expect((await limitB.checkPrincipal('key_1'))?.allowed).to.equal(true);

      const cacheA = createRedisResponseCache({ redis, logger, keys: a });
      const cacheB = createRedisResponseCache({ redis, logger, keys: b });
      const stored = { requestHash: 'h', response: { status: 201, body: { id: 'from-a' } } };
      await cacheA.set('key_1', 'idem-1', stored, 60);
      expect(await cacheA.get('key_1', 'idem-1')).to.deep.equal(stored);
      expect(await cacheB.get('key_1', 'idem-1')).to.equal(undefined);
    } finally {
      for (const keys of [a, b]) {
        const stale = await redis.keys(`${keys.prefix}*`);
        if (stale.length > 0) await redis.del(...stale);
      }
    }
  });
});
