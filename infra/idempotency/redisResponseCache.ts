import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Logger } from '../observability/logger.ts';
import type { RedisKeys } from '../redisKeys.ts';
import type { HttpResponse } from '../http/errorResponse.ts';

export interface CachedResponse {
  readonly requestHash: string;
  readonly response: HttpResponse;
}

const withTimeout = <T>(promise: Promise<T>, ms: number): Promise<T> => {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`Redis did not answer within ${ms} ms.`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
};

/**
 * Completed responses in Redis, a fast path in front of Postgres. Redis is a
 * cache here: every failure is swallowed (and logged) and Postgres answers.
 */
export const createRedisResponseCache = (options: {
  readonly redis: Redis;
  readonly logger: Logger;
  /** The install's Redis keys. */
  readonly keys: RedisKeys;
  /** Per-command timeout in milliseconds (default 100). */
  readonly timeoutMs?: number;
}) => {
  const timeoutMs = options.timeoutMs ?? 100;
  const keyOf = (scope: string, key: string) =>
    options.keys.idempotency(createHash('sha256').update(`${scope}\n${key}`).digest('hex'));
  const warn = (error: unknown) =>
    options.logger.warn({ err: error }, 'Redis idempotency cache unavailable; using Postgres only');

  return {
    get: async (scope: string, key: string): Promise<CachedResponse | undefined> => {
      try {
        const raw = await withTimeout(options.redis.get(keyOf(scope, key)), timeoutMs);
        return raw === null ? undefined : (JSON.parse(raw) as CachedResponse);
      } catch (error) {
        warn(error);
        return undefined;
      }
    },
    set: async (
      scope: string,
      key: string,
      value: CachedResponse,
      ttlSeconds: number,
    ): Promise<void> => {
      try {
        await withTimeout(
          options.redis.set(keyOf(scope, key), JSON.stringify(value), 'EX', ttlSeconds),
          timeoutMs,
        );
      } catch (error) {
        warn(error);
      }
    },
  };
};

export type RedisResponseCache = ReturnType<typeof createRedisResponseCache>;
