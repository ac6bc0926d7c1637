import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { getAuthRoutes } from '../auth/authRoutes.ts';
import { createAuthService, type AuthService } from '../auth/authService.ts';
import { ensureAdminApiKey } from '../auth/credentialStore.ts';
import { createIdempotency, type IdempotencyOptions } from '../idempotency/idempotency.ts';
import { createRedisResponseCache } from '../idempotency/redisResponseCache.ts';
import { createTestDatabase, type TestDatabase } from '../postgres/testing.ts';
import { createRedisRateLimiter, type WindowLimit } from '../rateLimit/rateLimiter.ts';
import { redisKeys } from '../redisKeys.ts';
import { createHttpApp } from './app.ts';
import { answerClientErrorsWithEnvelope } from './clientError.ts';
import { createReadinessCheck } from './readiness.ts';
import type { RouteModule } from '../../commands/shared/route.ts';

export const TEST_REDIS_URL = process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';

export interface TestAppOptions {
  /** Routes, or a factory given the test's database (for routes that need the event store). */
  readonly routes?: readonly RouteModule[] | ((db: TestDatabase) => readonly RouteModule[]);
  /** 'up' (default): the machine's Redis; 'down': an unused port; 'none': no Redis at all. */
  readonly redis?: 'up' | 'down' | 'none';
  readonly perPrincipal?: WindowLimit;
  readonly perIp?: WindowLimit;
  readonly idempotency?: Partial<
    Pick<IdempotencyOptions, 'waitMs' | 'leaseSeconds' | 'ttlSeconds'>
  >;
  readonly bodyLimit?: string;
  readonly now?: () => Date;
}

export interface TestApp {
  readonly baseUrl: string;
  readonly db: TestDatabase;
  readonly auth: AuthService;
  /** Registered as ADMIN_API_KEY. */
  readonly adminKey: string;
  /** Every log line the app wrote, as raw JSON text. */
  readonly logs: string[];
  readonly registry: Registry;
  readonly purgeExpiredKeys: () => Promise<number>;
  close(): Promise<void>;
}

const createTestRedis = (mode: 'up' | 'down'): Redis => {
  const redis =
    mode === 'up'
      ? new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1 })
      : new Redis({
          host: '127.0.0.1',
          port: 1,
          maxRetriesPerRequest: 0,
          enableOfflineQueue: false,
          retryStrategy: () => null,
          lazyConnect: true,
        });
  redis.on('error', () => undefined);
  return redis;
};

/** The whole HTTP stack on port 0 over a fresh schema and unique Redis prefixes. */
export const startTestApp = async (options: TestAppOptions = {}): Promise<TestApp> => {
  const db = await createTestDatabase({ max: 5, prefix: 'http' });
  const mode = options.redis ?? 'up';
  const redis = mode === 'none' ? undefined : createTestRedis(mode);
  const logs: string[] = [];
  // A plain pino without redaction: the test proves nothing sensitive is logged at all.
  const logger = pino({ level: 'debug' }, { write: (line: string) => void logs.push(line) });
  const registry = new Registry();
  const keys = redisKeys(`test:${randomBytes(6).toString('hex')}:`);
  const auth = createAuthService({
    pool: db.pool,
    jwtSecret: randomBytes(32),
    passwordCost: { N: 1024, r: 8, p: 1 },
    ...(options.now ? { now: options.now } : {}),
  });
  const adminKey = `admin-${randomBytes(24).toString('base64url')}`;
  await ensureAdminApiKey(db.pool, adminKey);
  const idempotency = createIdempotency({
    pool: db.pool,
    cache: redis && createRedisResponseCache({ redis, logger, keys }),
    ...options.idempotency,
  });
  const rateLimiter = redis
    ? createRedisRateLimiter({
        redis,
        logger,
        registry,
        keys,
        ...(options.perPrincipal ? { perPrincipal: options.perPrincipal } : {}),
        ...(options.perIp ? { perIp: options.perIp } : {}),
      })
    : {
        checkIp: () => Promise.resolve(undefined),
        checkPrincipal: () => Promise.resolve(undefined),
      };
  const app = createHttpApp({
    logger,
    registry,
    routes: [
      ...getAuthRoutes(auth),
      ...(typeof options.routes === 'function' ? options.routes(db) : (options.routes ?? [])),
    ],
    auth,
    idempotency,
    rateLimiter,
    readiness: createReadinessCheck({ db: db.pool, redis }),
    ...(options.bodyLimit ? { bodyLimit: options.bodyLimit } : {}),
  });
  const server = app.listen(0, '127.0.0.1');
  answerClientErrorsWithEnvelope(server, logger);
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    db,
    auth,
    adminKey,
    logs,
    registry,
    purgeExpiredKeys: () => idempotency.purgeExpired(),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      redis?.disconnect();
      await db.dispose();
    },
  };
};

/** fetch with a JSON body and, optionally, a bearer credential. */
export const postJson = (
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
  method = 'POST',
): Promise<Response> =>
  fetch(url, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });

export const bearer = (credential: string) => ({ authorization: `Bearer ${credential}` });
