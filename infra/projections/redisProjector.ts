import type { ChainableCommander, Redis } from 'ioredis';
import {
  bufferTime,
  concatMap,
  defer,
  filter,
  from,
  fromEvent,
  map,
  type Observable,
  of,
  switchMap,
  take,
} from 'rxjs';
import type { Checkpoint, RecordedEvent } from '../../commands/shared/eventStore.ts';
import type { RedisChange, RedisProjection } from '../../projections/shared/projection.ts';
import { StalledOnEventError } from '../subscribers/stalls.ts';
import type { RedisKeys } from '../redisKeys.ts';
import { logOf, type ProjectorDeps } from './postgresProjector.ts';

// Positions "<xid>:<gpos>" compared as (xid, gpos) pairs of unbounded integers:
// Lua numbers are doubles, so digits are compared as strings (length first).
const COMPARE = `
local function cmpint(a, b)
  if #a ~= #b then return #a < #b and -1 or 1 end
  if a == b then return 0 end
  return a < b and -1 or 1
end
local function newer(a, b)
  if not b then return true end
  local ax, ap = string.match(a, '^(%d+):(%d+)$')
  local bx, bp = string.match(b, '^(%d+):(%d+)$')
  if not ax or not bx then return redis.error_reply('bad position') end
  local c = cmpint(ax, bx)
  if c == 0 then c = cmpint(ap, bp) end
  return c > 0
end`;

/** KEYS[1] hash, ARGV[1] position, ARGV[2] number of set pairs, then pairs, then fields to delete. */
const APPLY = `${COMPARE}
local last = redis.call('HGET', KEYS[1], '_pos')
if not newer(ARGV[1], last or nil) then return 0 end
local sets = tonumber(ARGV[2])
for i = 0, sets - 1 do
  redis.call('HSET', KEYS[1], ARGV[3 + 2 * i], ARGV[4 + 2 * i])
end
for i = 3 + 2 * sets, #ARGV do
  redis.call('HDEL', KEYS[1], ARGV[i])
end
redis.call('HSET', KEYS[1], '_pos', ARGV[1])
return 1`;

/** KEYS[1] checkpoint key, ARGV[1] position: only ever moves forward. */
const CHECKPOINT = `${COMPARE}
local last = redis.call('GET', KEYS[1])
if newer(ARGV[1], last or nil) then redis.call('SET', KEYS[1], ARGV[1]) return 1 end
return 0`;

interface ProjectionCommands {
  blProjectionApply(key: string, ...args: string[]): Promise<number>;
  blProjectionCheckpoint(key: string, position: string): Promise<number>;
}
type Commander = ChainableCommander & {
  blProjectionApply(key: string, ...args: string[]): ChainableCommander;
  blProjectionCheckpoint(key: string, position: string): ChainableCommander;
};

/** The scripts as commands on this client (idempotent: defining twice is harmless). */
export const withProjectionCommands = (redis: Redis): Redis & ProjectionCommands => {
  redis.defineCommand('blProjectionApply', { numberOfKeys: 1, lua: APPLY });
  redis.defineCommand('blProjectionCheckpoint', { numberOfKeys: 1, lua: CHECKPOINT });
  return redis as Redis & ProjectionCommands;
};

/**
 * Applies a batch: every change compare-and-set on its key, then the
 * checkpoint, in one pipeline. An event whose changes cannot be computed (it
 * does not decode) stops the batch there: the events before it are applied,
 * and StalledOnEventError names it.
 */
export const applyRedisBatch = async (
  redis: Redis,
  keys: RedisKeys,
  projection: RedisProjection,
  events: readonly RecordedEvent[],
): Promise<Checkpoint | undefined> => {
  const changes: (readonly RedisChange[])[] = [];
  for (const event of events) {
    try {
      changes.push(projection.changesFor(event));
    } catch (error) {
      await applyRedisChanges(redis, keys, projection, events.slice(0, changes.length), changes);
      throw new StalledOnEventError(event, error);
    }
  }
  return applyRedisChanges(redis, keys, projection, events, changes);
};

const applyRedisChanges = async (
  redis: Redis,
  keys: RedisKeys,
  projection: RedisProjection,
  events: readonly RecordedEvent[],
  changes: readonly (readonly RedisChange[])[],
): Promise<Checkpoint | undefined> => {
  const last = events.at(-1);
  if (last === undefined) return undefined;
  withProjectionCommands(redis);
  const pipeline = redis.pipeline() as Commander;
  events.forEach((event, i) => {
    for (const change of changes[i] ?? []) {
      const pairs = Object.entries(change.set).flat();
      pipeline.blProjectionApply(
        keys.readModel(change.key),
        event.checkpoint,
        String(pairs.length / 2),
        ...pairs,
        ...change.del,
      );
    }
  });
  pipeline.blProjectionCheckpoint(keys.projectionCheckpoint(projection.name), last.checkpoint);
  const results = (await pipeline.exec()) ?? [];
  const failed = results.find(([error]) => error !== null);
  if (failed?.[0]) throw failed[0];
  return last.checkpoint;
};

/**
 * Emits once the client is connected: a client without an offline queue
 * refuses commands before then ("Stream isn't writeable"), so the projection
 * waits for Redis instead of failing and restarting while it connects or
 * while it is down (the client keeps reconnecting on its own).
 */
export const whenReady = (redis: Redis): Observable<void> =>
  defer(() =>
    redis.status === 'ready'
      ? of(undefined)
      : fromEvent(redis, 'ready').pipe(
          take(1),
          map(() => undefined),
        ),
  );

export const loadRedisCheckpoint = async (
  redis: Redis,
  keys: RedisKeys,
  name: string,
): Promise<Checkpoint | undefined> =>
  (await redis.get(keys.projectionCheckpoint(name))) ?? undefined;

/**
 * Runs a Redis projection from the checkpoint kept in Redis itself: a Redis
 * that lost its data lost its checkpoint too and is rebuilt from the start.
 * Any Redis error ends the stream; the runner retries with backoff and
 * resumes from that checkpoint (per-key compare-and-set absorbs the overlap).
 */
export const projectRedis = (
  deps: Pick<
    ProjectorDeps,
    'pool' | 'connectionString' | 'schema' | 'batchSize' | 'flushMs' | 'pollIntervalMs' | 'log'
  >,
  redis: Redis,
  keys: RedisKeys,
  projection: RedisProjection,
): Observable<Checkpoint> =>
  whenReady(redis).pipe(
    switchMap(() => loadRedisCheckpoint(redis, keys, projection.name)),
    switchMap((start) =>
      logOf(deps).subscribe(`projection:${projection.name}`, start, projection.filter),
    ),
    bufferTime(deps.flushMs ?? 20, null, deps.batchSize ?? 500),
    filter((batch) => batch.length > 0),
    concatMap((batch) =>
      from(applyRedisBatch(redis, keys, projection, batch).then((cp) => cp ?? '')),
    ),
  );
