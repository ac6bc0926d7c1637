import { randomBytes, randomUUID } from 'node:crypto';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { getWriteRoutes } from '../../../commands/routes.ts';
import { domainEventCodec } from '../../../commands/shared/eventCodec.ts';
import { createManualClock, testIds } from '../../../commands/shared/testing/fixedIds.ts';
import type { WriteSide } from '../../../commands/shared/writeSide.ts';
import { POSTGRES_PROJECTIONS, REDIS_PROJECTIONS } from '../../../projections/catalog.ts';
import { getReadRoutes } from '../../../queries/routes.ts';
import { getAuthRoutes } from '../../auth/authRoutes.ts';
import { createAuthService } from '../../auth/authService.ts';
import { ensureAdminApiKey } from '../../auth/credentialStore.ts';
import { getPostgresEventStore } from '../../eventStore/postgres/postgresEventStore.ts';
import { createHttpApp } from '../../http/app.ts';
import { answerClientErrorsWithEnvelope } from '../../http/clientError.ts';
import { createReadinessCheck } from '../../http/readiness.ts';
import { bearer, postJson, TEST_REDIS_URL } from '../../http/testing.ts';
import { createIdempotency } from '../../idempotency/idempotency.ts';
import { createProjectionRunner } from '../../projections/projectionRunner.ts';
import { createFastFailRedis, createRedisServer } from '../../projections/testing/redisServer.ts';
import {
  createRedisRateLimiter,
  createUnlimitedRateLimiter,
  type WindowLimit,
} from '../../rateLimit/rateLimiter.ts';
import { redisKeys } from '../../redisKeys.ts';
import { createReadSide } from '../readSide.ts';
import { createOwnDatabase } from './ownDatabase.ts';

export interface ReadTestAppOptions {
  /** Per-IP window of the rate limiter (on the machine's Redis); default generous. */
  readonly perIp?: WindowLimit;
  readonly start?: string;
  /** Reused config/calendar cache, ms (see ReadSideDeps.catalogCacheMs). */
  readonly catalogCacheMs?: number;
  /** pino level of the app's in-memory log (default 'info'); benchmarks use 'warn'. */
  readonly logLevel?: string;
  /** No rate limiter at all (benchmarks measure the read path, not the limiter). */
  readonly unlimited?: boolean;
}

/**
 * The whole read side over HTTP: write and read routes on one Express app,
 * served by Express (`expressUrl`; the one HTTP layer) over a database of its own, the projection runner (Postgres
 * and Redis read models) and a redis-server the test can stop and start.
 */
export const startReadTestApp = async (options: ReadTestAppOptions = {}) => {
  const db = await createOwnDatabase(5);
  const ownRedis = await createRedisServer({ persistence: 'none' });
  await ownRedis.start();
  const runnerRedis = createFastFailRedis(ownRedis.port);
  const readRedis = createFastFailRedis(ownRedis.port);
  const keys = redisKeys(`test:${randomBytes(6).toString('hex')}:`);
  const limiterRedis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1 });
  limiterRedis.on('error', () => undefined);
  const clock = createManualClock(options.start ?? '2026-12-01T09:00:00.000Z');
  const store = getPostgresEventStore(db.pool, {
    schema: db.schema,
    connectionString: db.connectionString,
  });
  const writeSide: WriteSide = { store, codec: domainEventCodec, ids: testIds, clock };
  const runner = createProjectionRunner({
    pool: db.pool,
    connectionString: db.connectionString,
    schema: db.schema,
    postgres: POSTGRES_PROJECTIONS,
    redisProjections: REDIS_PROJECTIONS,
    redis: runnerRedis,
    redisKeys: keys,
    flushMs: 5,
    pollIntervalMs: 50,
    leaseRetryMs: 100,
  });
  runner.start();
  const readSide = createReadSide({
    pool: db.pool,
    redis: readRedis,
    redisKeys: keys,
    store,
    clock,
    redisCheckIntervalMs: 100,
    ...(options.catalogCacheMs === undefined ? {} : { catalogCacheMs: options.catalogCacheMs }),
  });
  readSide.start();
  const logs: string[] = [];
  const logger = pino(
    { level: options.logLevel ?? 'info' },
    { write: (line: string) => void logs.push(line) },
  );
  const registry = new Registry();
  const auth = createAuthService({
    pool: db.pool,
    jwtSecret: randomBytes(32),
    passwordCost: { N: 1024, r: 8, p: 1 },
  });
  const adminKey = `admin-${randomBytes(24).toString('base64url')}`;
  await ensureAdminApiKey(db.pool, adminKey);
  const rateLimiter = options.unlimited
    ? createUnlimitedRateLimiter()
    : createRedisRateLimiter({
        redis: limiterRedis,
        logger,
        registry,
        keys,
        perIp: options.perIp ?? { limit: 1_000_000, windowSeconds: 60 },
        perPrincipal: { limit: 1_000_000, windowSeconds: 60 },
      });
  const readRoutes = getReadRoutes(readSide.deps);
  const app = createHttpApp({
    checkResponses: true,
    logger,
    registry,
    routes: [...getAuthRoutes(auth), ...getWriteRoutes(writeSide), ...readRoutes],
    auth,
    idempotency: createIdempotency({ pool: db.pool }),
    rateLimiter,
    readiness: createReadinessCheck({ db: db.pool, redis: readRedis }),
  });
  const expressServer = app.listen(0, '127.0.0.1');
  answerClientErrorsWithEnvelope(expressServer, logger);
  await once(expressServer, 'listening');
  const expressUrl = `http://127.0.0.1:${(expressServer.address() as AddressInfo).port}`;
  return {
    expressUrl,
    db,
    store,
    clock,
    writeSide,
    adminKey,
    logs,
    redis: ownRedis,
    readRedis,
    redisKeys: keys,
    hot: readSide.deps.hot,
    /** A fresh partner API key. */
    createPartnerKey: async (partnerId = `partner-${randomUUID().slice(0, 8)}`) => {
      const response = await postJson(
        `${expressUrl}/api/v1/admin/api-keys`,
        { role: 'partner', partnerId, label: `test ${partnerId}` },
        bearer(adminKey),
      );
      return { key: ((await response.json()) as { apiKey: string }).apiKey, partnerId };
    },
    close: async () => {
      expressServer.closeAllConnections();
      await new Promise<void>((resolve) => expressServer.close(() => resolve()));
      readSide.stop();
      await runner.stop();
      runnerRedis.disconnect();
      readRedis.disconnect();
      limiterRedis.disconnect();
      await ownRedis.dispose();
      await db.dispose();
    },
  };
};

export type ReadTestApp = Awaited<ReturnType<typeof startReadTestApp>>;
