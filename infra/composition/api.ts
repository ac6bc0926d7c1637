import type { Tracer } from '@opentelemetry/api';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Redis } from 'ioredis';
import type { Registry } from 'prom-client';
import { getWriteRoutes } from '../../commands/routes.ts';
import type { WriteSide } from '../../commands/shared/writeSide.ts';
import { getReadRoutes } from '../../queries/routes.ts';
import { getAuthRoutes } from '../auth/authRoutes.ts';
import { createAuthService } from '../auth/authService.ts';
import { ensureAdminApiKey } from '../auth/credentialStore.ts';
import type { Config } from '../config/config.ts';
import { createHttpApp } from '../http/app.ts';
import { answerClientErrorsWithEnvelope } from '../http/clientError.ts';
import type { RouteModule } from '../../commands/shared/route.ts';
import { createReadinessCheck } from '../http/readiness.ts';
import { createIdempotency } from '../idempotency/idempotency.ts';
import { createRedisResponseCache } from '../idempotency/redisResponseCache.ts';
import type { Logger } from '../observability/logger.ts';
import type { Pool } from '../postgres/pool.ts';
import type { ProjectionLog } from '../projections/projectionLog.ts';
import type { ProjectionRunner } from '../projections/projectionRunner.ts';
import { createReadSide } from '../readSide/readSide.ts';
import { createMemoryRateLimiter } from '../rateLimit/memoryRateLimiter.ts';
import { createRedisRateLimiter } from '../rateLimit/rateLimiter.ts';
import type { RedisKeys } from '../redisKeys.ts';
import { combineReadiness } from './readiness.ts';
import { getOperatorRoutes } from '../console/operatorRoutes.ts';
import { createStallStore } from '../subscribers/stalls.ts';

const IDEMPOTENCY_PURGE_INTERVAL_MS = 10 * 60_000;

export interface ApiDeps {
  readonly config: Config;
  readonly logger: Logger;
  readonly pool: Pool;
  readonly redis: Redis | undefined;
  /** The install's Redis keys; required with `redis`. */
  readonly redisKeys: RedisKeys | undefined;
  /** Where read-your-writes waits read the log; undefined → the PostgreSQL events table. */
  readonly projectionLog?: ProjectionLog | undefined;
  readonly registry: Registry;
  readonly writeSide: WriteSide;
  readonly projections: ProjectionRunner;
  /** Routes of other modules (payments) mounted beside the write and read APIs. */
  readonly extraRoutes: readonly RouteModule[];
  /** Traces every Express request (docs/tracing.md). */
  readonly tracer?: Tracer | undefined;
}

/** The api role: the HTTP write and read APIs on PORT. */
export const startApi = async (
  deps: ApiDeps,
): Promise<{ readonly url: string; close(): Promise<void> }> => {
  const { config, logger, pool, redis, redisKeys, registry } = deps;
  const redisWithKeys = redis && redisKeys ? { redis, keys: redisKeys } : undefined;
  if (redis && !redisKeys) throw new Error('startApi was given Redis without its RedisKeys.');
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
    cache: redisWithKeys && createRedisResponseCache({ ...redisWithKeys, logger }),
  });
  const purgeTimer = setInterval(() => {
    idempotency.purgeExpired().catch((error: unknown) => {
      logger.warn({ err: error }, 'purging expired idempotency keys failed');
    });
  }, IDEMPOTENCY_PURGE_INTERVAL_MS);
  purgeTimer.unref();
  const readSide = createReadSide({
    pool,
    redis,
    redisKeys,
    log: deps.projectionLog,
    store: deps.writeSide.store,
    clock: deps.writeSide.clock,
    surgeEnabled: config.SURGE_ENABLED,
  });
  readSide.start();
  const readRoutes = getReadRoutes({
    ...readSide.deps,
    guestDirectory: deps.writeSide.guestDirectory,
  });
  const limits = {
    perPrincipal: { limit: config.RATE_LIMIT_PER_PRINCIPAL, windowSeconds: 60 },
    perIp: { limit: config.RATE_LIMIT_PER_IP, windowSeconds: 60 },
  };
  // Without Redis the limits are counted per instance, in memory.
  const rateLimiter = redisWithKeys
    ? createRedisRateLimiter({ ...redisWithKeys, logger, registry, ...limits })
    : createMemoryRateLimiter({ registry, ...limits });
  const app = createHttpApp({
    logger,
    registry,
    routes: [
      ...getAuthRoutes(auth),
      ...getWriteRoutes(deps.writeSide),
      ...readRoutes,
      ...deps.extraRoutes,
      ...getOperatorRoutes({
        db: pool,
        projections: deps.projections,
        stalls: createStallStore(pool),
        writeSide: deps.writeSide,
      }),
    ],
    auth,
    idempotency,
    rateLimiter,
    readiness: combineReadiness(createReadinessCheck({ db: pool, redis }), () =>
      deps.projections.projectionReadiness(),
    ),
    tracer: deps.tracer,
  });
  // One HTTP layer: a second, node:http lane for the hottest reads measured no
  // faster than Express on the same queries (docs/benchmarks.md), so it went.
  const server = createServer(app);
  answerClientErrorsWithEnvelope(server, logger);
  server.listen(config.PORT, config.HOST);
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const url = `http://${config.HOST}:${port}`;
  logger.info({ url }, 'api is serving');
  return {
    url,
    close: async () => {
      clearInterval(purgeTimer);
      readSide.stop();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
};
