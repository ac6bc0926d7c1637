import type { Redis } from 'ioredis';
import type { Checkpoint } from '../../commands/shared/eventStore.ts';
import type { HotAvailability } from '../../queries/shared/ports.ts';
import { comparePostgresCheckpoints } from '../eventStore/postgres/subscription.ts';
import { loadRedisCheckpoint } from '../projections/redisProjector.ts';
import { keysFor, type RedisKeys } from '../redisKeys.ts';

export interface HotAvailabilityOptions {
  /** Absent: no Redis configured, every read goes to Postgres. */
  readonly redis: Redis | undefined;
  /** The install's Redis keys; required with `redis`. */
  readonly redisKeys?: RedisKeys | undefined;
  /** The Postgres availability projection's checkpoint, which Redis must keep up with. */
  postgresCheckpoint(): Promise<Checkpoint | undefined>;
  /** How often warmth is re-judged, ms. Default 500. */
  readonly checkIntervalMs?: number;
  /** A Redis read slower than this falls back to Postgres, ms. Default 250. */
  readonly readTimeoutMs?: number;
}

const REDIS_PROJECTION = 'availability.redis';

/**
 * The Redis side of hot availability. Redis is warm when it is connected and
 * its projection's checkpoint has reached where the Postgres projection was
 * one check ago (so ordinary lag under load does not flip reads to Postgres,
 * but a Redis that lost its data — its checkpoint with it — is not read until
 * rebuilt). Any error or a slow answer turns it cold at once.
 */
export const createRedisHotAvailability = (
  options: HotAvailabilityOptions,
): HotAvailability & { start(): void; stop(): void } => {
  const { redis } = options;
  const keys = keysFor(redis, options.redisKeys, 'Hot availability');
  const timeoutMs = options.readTimeoutMs ?? 250;
  let warm = false;
  let previous: Checkpoint | undefined;
  let timer: NodeJS.Timeout | undefined;
  let stopped = true;

  const judge = async (): Promise<boolean> => {
    if (redis === undefined || keys === undefined || redis.status !== 'ready') return false;
    const [own, postgres] = await Promise.all([
      loadRedisCheckpoint(redis, keys, REDIS_PROJECTION),
      options.postgresCheckpoint(),
    ]);
    const target = previous ?? postgres;
    previous = postgres;
    if (own === undefined) return false;
    return target === undefined || comparePostgresCheckpoints(own, target) >= 0;
  };

  const tick = () => {
    void judge()
      .catch(() => false)
      .then((value) => {
        warm = value;
      })
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, options.checkIntervalMs ?? 500);
      });
  };

  return {
    isWarm: () => warm,
    readHashes: async (logicalKeys) => {
      if (redis === undefined || keys === undefined || !warm) return undefined;
      const pipeline = redis.pipeline(logicalKeys.map((key) => ['hgetall', keys.readModel(key)]));
      let timeout: NodeJS.Timeout | undefined;
      const late = new Promise<undefined>((resolve) => {
        timeout = setTimeout(() => resolve(undefined), timeoutMs);
      });
      try {
        const results = await Promise.race([pipeline.exec(), late]);
        if (!results || results.some(([error]) => error !== null)) {
          warm = false;
          return undefined;
        }
        return results.map(([, value]) => value as Record<string, string>);
      } catch {
        warm = false;
        return undefined;
      } finally {
        clearTimeout(timeout);
      }
    },
    start: () => {
      if (!stopped) return;
      stopped = false;
      tick();
    },
    stop: () => {
      stopped = true;
      clearTimeout(timer);
    },
  };
};
