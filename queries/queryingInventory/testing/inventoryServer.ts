import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { getAuthRoutes } from '../../../infra/auth/authRoutes.ts';
import { createAuthService } from '../../../infra/auth/authService.ts';
import { createHttpApp } from '../../../infra/http/app.ts';
import { createIdempotency } from '../../../infra/idempotency/idempotency.ts';
import { createUnlimitedRateLimiter } from '../../../infra/rateLimit/rateLimiter.ts';
import { createReadSide } from '../../../infra/readSide/readSide.ts';
import type { ReadTestApp } from '../../../infra/readSide/testing/readTestApp.ts';
import { getInventoryReadRoutes } from '../route.ts';

/**
 * The inventory routes on a server of their own beside a read test app (which
 * has its own database, projection runner and redis-server, and mounts the
 * write routes): same database, so the admin and partner API keys work here;
 * people log in here, since JWTs are signed per auth service.
 */
export const startInventoryServer = async (app: ReadTestApp) => {
  const readSide = createReadSide({
    pool: app.db.pool,
    redis: app.readRedis,
    redisKeys: app.redisKeys,
    store: app.store,
    clock: app.clock,
    redisCheckIntervalMs: 100,
    catalogCacheMs: 0,
  });
  readSide.start();
  const auth = createAuthService({
    pool: app.db.pool,
    jwtSecret: randomBytes(32),
    passwordCost: { N: 1024, r: 8, p: 1 },
    now: () => app.clock.now(),
  });
  const server = createHttpApp({
    logger: pino({ level: 'silent' }),
    registry: new Registry(),
    routes: [...getAuthRoutes(auth), ...getInventoryReadRoutes(readSide.deps)],
    auth,
    idempotency: createIdempotency({ pool: app.db.pool }),
    rateLimiter: createUnlimitedRateLimiter(),
    readiness: () => Promise.resolve({ ready: true, checks: {} }),
  }).listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    hot: readSide.deps.hot,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      readSide.stop();
    },
  };
};
