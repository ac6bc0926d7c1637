import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { Counter, type Registry } from 'prom-client';
import type { RateLimitDecision, RequestRateLimiter } from '../http/ports.ts';
import type { Logger } from '../observability/logger.ts';
import type { RedisKeys } from '../redisKeys.ts';
import { SLIDING_WINDOW_LUA } from './slidingWindow.ts';

export interface WindowLimit {
  /** Requests allowed per window. */
  readonly limit: number;
  readonly windowSeconds: number;
}

export interface RateLimiter extends RequestRateLimiter {
  /**
   * Counts one unit against `key` (e.g. `holds:partner-42`) and says whether it
   * fits `limit` per `windowSeconds`. Undefined when Redis could not be asked
   * (the caller fails open).
   */
  acquire(
    key: string,
    limit: number,
    windowSeconds: number,
  ): Promise<RateLimitDecision | undefined>;
}

/** Seed 001: 100 requests a minute per user (principal), 1000 a minute per IP. */
export const DEFAULT_RATE_LIMITS = {
  perPrincipal: { limit: 100, windowSeconds: 60 },
  perIp: { limit: 1000, windowSeconds: 60 },
} as const satisfies { perPrincipal: WindowLimit; perIp: WindowLimit };

/**
 * The principal's window: its own per-minute limit (an API key's override)
 * when it has one, else the default.
 */
export const principalWindow = (
  defaults: WindowLimit,
  overridePerMinute: number | undefined,
): WindowLimit =>
  overridePerMinute === undefined ? defaults : { limit: overridePerMinute, windowSeconds: 60 };

export interface RedisRateLimiterOptions {
  readonly redis: Redis;
  readonly logger: Logger;
  readonly registry: Registry;
  /** The install's Redis keys (tests use a unique prefix). */
  readonly keys: RedisKeys;
  /** Default 100 per 60 s (seed 001). */
  readonly perPrincipal?: WindowLimit;
  /** Default 1000 per 60 s (seed 001). */
  readonly perIp?: WindowLimit;
  /** Give up on Redis after this many ms and fail open (default 100). */
  readonly timeoutMs?: number;
}

const SCRIPT_SHA = createHash('sha1').update(SLIDING_WINDOW_LUA).digest('hex');
const WARN_EVERY_MS = 10_000;

const getCounter = (
  registry: Registry,
  name: string,
  help: string,
  labelNames: string[],
): Counter => {
  const existing = registry.getSingleMetric(name);
  if (existing instanceof Counter) return existing;
  return new Counter({ name, help, labelNames, registers: [registry] });
};

const withTimeout = <T>(promise: Promise<T>, ms: number): Promise<T> => {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`Redis did not answer within ${ms} ms.`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
};

/**
 * Rate limits in Redis. Redis trouble never refuses a request: the limiter
 * fails open, counts it in `rate_limit_fail_open_total` and warns (at most
 * every 10 s, so an outage does not flood the logs).
 */
export const createRedisRateLimiter = (options: RedisRateLimiterOptions): RateLimiter => {
  const perPrincipal = options.perPrincipal ?? DEFAULT_RATE_LIMITS.perPrincipal;
  const perIp = options.perIp ?? DEFAULT_RATE_LIMITS.perIp;
  const timeoutMs = options.timeoutMs ?? 100;
  const failOpen = getCounter(
    options.registry,
    'rate_limit_fail_open_total',
    'Rate-limit checks let through because Redis was unavailable.',
    [],
  );
  const refused = getCounter(
    options.registry,
    'rate_limit_refused_total',
    'Requests refused by a rate limit, by kind.',
    ['kind'],
  );
  let lastWarning = 0;

  const evaluate = async (key: string, limit: number, windowMs: number): Promise<unknown> => {
    try {
      return await options.redis.evalsha(SCRIPT_SHA, 1, key, limit, windowMs);
    } catch (error) {
      if (!(error instanceof Error) || !error.message.includes('NOSCRIPT')) throw error;
      return options.redis.eval(SLIDING_WINDOW_LUA, 1, key, limit, windowMs);
    }
  };

  const hit = async (
    kind: string,
    subject: string,
    window: WindowLimit,
  ): Promise<RateLimitDecision | undefined> => {
    let reply: unknown;
    try {
      reply = await withTimeout(
        evaluate(options.keys.rateLimit(kind, subject), window.limit, window.windowSeconds * 1000),
        timeoutMs,
      );
    } catch (error) {
      failOpen.inc();
      if (Date.now() - lastWarning >= WARN_EVERY_MS) {
        lastWarning = Date.now();
        options.logger.warn(
          { err: error },
          'Rate limiter cannot reach Redis; letting requests through (fail open)',
        );
      }
      return undefined;
    }
    const [allowed, remaining, resetMs, retryMs] = (reply as number[]).map(Number);
    if (allowed !== 1) refused.inc({ kind });
    return {
      allowed: allowed === 1,
      limit: window.limit,
      remaining: remaining ?? 0,
      resetSeconds: Math.ceil((resetMs ?? 0) / 1000),
      retryAfterSeconds: Math.max(1, Math.ceil((retryMs ?? 0) / 1000)),
    };
  };

  return {
    checkIp: (ip) => hit('ip', ip, perIp),
    checkPrincipal: (principalId, overridePerMinute) =>
      hit('principal', principalId, principalWindow(perPrincipal, overridePerMinute)),
    acquire: (key, limit, windowSeconds) => hit('custom', key, { limit, windowSeconds }),
  };
};

/** For a process without Redis: every check passes, nothing is counted. */
export const createUnlimitedRateLimiter = (): RateLimiter => ({
  checkIp: () => Promise.resolve(undefined),
  checkPrincipal: () => Promise.resolve(undefined),
  acquire: () => Promise.resolve(undefined),
});
