import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import type { Redis } from 'ioredis';
import { getAuthRoutes } from './auth/authRoutes.ts';
import { createAuthService } from './auth/authService.ts';
import { ensureAdminApiKey } from './auth/credentialStore.ts';
import type { Config } from './config/config.ts';
import { openDatabase } from './database.ts';
import { getPostgresEventStore } from './eventStore/postgres/postgresEventStore.ts';
import { registerStoreMetrics } from './eventStore/postgres/storeMetrics.ts';
import { createHttpApp } from './http/app.ts';
import { createReadinessCheck } from './http/readiness.ts';
import { createIdempotency } from './idempotency/idempotency.ts';
import { createRedisResponseCache } from './idempotency/redisResponseCache.ts';
import type { Logger } from './observability/logger.ts';
import { createMetricsRegistry } from './observability/metrics.ts';
import { createRedisRateLimiter, createUnlimitedRateLimiter } from './rateLimit/rateLimiter.ts';
import { createRedisClient } from './redis.ts';

export interface RunningServer {
  readonly url: string;
  close(): Promise<void>;
}

const IDEMPOTENCY_PURGE_INTERVAL_MS = 10 * 60_000;

/**
 * The composition root: every client is built once here and injected; nothing
 * below reads the environment or holds a module-level singleton.
 */
export const startServer = async (config: Config, logger: Logger): Promise<RunningServer> => {
  const database = await openDatabase(config, logger);
  const { pool } = database;
  const registry = createMetricsRegistry();
  const stopStoreMetrics = registerStoreMetrics(registry, pool);
  const redis: Redis | undefined = config.REDIS_URL
    ? createRedisClient(config.REDIS_URL, logger)
    : undefined;
  const store = getPostgresEventStore(pool, {
    schema: database.schema,
    connectionString: database.connectionString,
    registry,
  });
  void store;

  if (!config.JWT_SECRET) {
    logger.warn('JWT_SECRET is not set: access tokens are signed with a per-process secret');
  }
  const auth = createAuthService({
    pool,
    jwtSecret: config.JWT_SECRET ? Buffer.from(config.JWT_SECRET) : randomBytes(32),
  });
  if (config.ADMIN_API_KEY) await ensureAdminApiKey(pool, config.ADMIN_API_KEY);
  const idempotency = createIdempotency({
    pool,
    cache: redis && createRedisResponseCache({ redis, logger, prefix: 'idem:' }),
  });
  const purgeTimer = setInterval(() => {
    idempotency.purgeExpired().catch((error: unknown) => {
      logger.warn({ err: error }, 'purging expired idempotency keys failed');
    });
  }, IDEMPOTENCY_PURGE_INTERVAL_MS);
  purgeTimer.unref();
  const rateLimiter = redis
    ? createRedisRateLimiter({ redis, logger, registry, prefix: 'rl:' })
    : createUnlimitedRateLimiter();

  const app = createHttpApp({
    logger,
    registry,
    routes: [...getAuthRoutes(auth)],
    auth,
    idempotency,
    rateLimiter,
    readiness: createReadinessCheck({ db: pool, redis }),
  });
  const server = app.listen(config.PORT, config.HOST);
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const url = `http://${config.HOST}:${port}`;
  logger.info({ url, embeddedDatabase: database.embedded, redis: Boolean(redis) }, 'serving');
  return {
    url,
    close: async () => {
      clearInterval(purgeTimer);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      stopStoreMetrics();
      redis?.disconnect();
      await database.close();
    },
  };
};
