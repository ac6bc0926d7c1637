import { Redis } from 'ioredis';
import type { Logger } from './observability/logger.ts';

/**
 * The one Redis client. Redis is a cache and a rate-limit store: commands fail
 * fast while it is down (no offline queue piling up requests) and the client
 * keeps reconnecting in the background so reads recover when it returns.
 */
export const createRedisClient = (url: string, logger: Logger): Redis => {
  const redis = new Redis(url, {
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    connectTimeout: 2000,
    retryStrategy: (attempt) => Math.min(attempt * 200, 5000),
  });
  let down = false;
  redis.on('error', (error: Error) => {
    if (!down) logger.warn({ err: error.message }, 'redis unavailable; serving without it');
    down = true;
  });
  redis.on('ready', () => {
    if (down) logger.info('redis is back');
    down = false;
  });
  return redis;
};
