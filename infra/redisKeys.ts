import { createHash } from 'node:crypto';
import type { Queryable } from './postgres/pool.ts';

/**
 * Every Redis key this install reads or writes, under one install prefix, so two
 * installs (two databases, or two schemas of one database) can share a Redis
 * without reading each other's data. Nothing else spells a Redis key.
 */
export interface RedisKeys {
  /** The install prefix every key starts with, e.g. `bl:3f9a0c1d2e4b:`. */
  readonly prefix: string;
  /** A read model's key as its projection names it (e.g. `avail:{resourceId}:{date}`). */
  readModel(logicalKey: string): string;
  /** Where a Redis projection keeps its checkpoint. */
  projectionCheckpoint(projection: string): string;
  /** One rate-limit window hash (`kind` is ip, principal or custom). */
  rateLimit(kind: string, subject: string): string;
  /** A completed idempotent response (`digest` hashes the principal and the key). */
  idempotency(digest: string): string;
}

/** The keys that go with a Redis client, or an error naming who forgot them. */
export const keysFor = (
  redis: unknown,
  keys: RedisKeys | undefined,
  who: string,
): RedisKeys | undefined => {
  if (redis !== undefined && keys === undefined) {
    throw new Error(`${who} was given Redis without its RedisKeys (infra/redisKeys.ts).`);
  }
  return keys;
};

const SAFE_PREFIX = /^[\x21-\x7e]{1,64}$/;

/** The key builder for one install prefix (from `resolveRedisKeyPrefix`, or a test's own). */
export const redisKeys = (prefix: string): RedisKeys => {
  if (!SAFE_PREFIX.test(prefix)) {
    throw new Error(
      `Redis key prefix ${JSON.stringify(prefix)} must be 1 to 64 visible ASCII characters.`,
    );
  }
  return {
    prefix,
    readModel: (logicalKey) => `${prefix}rm:${logicalKey}`,
    projectionCheckpoint: (projection) => `${prefix}projection:checkpoint:${projection}`,
    rateLimit: (kind, subject) => `${prefix}rl:${kind}:${subject}`,
    idempotency: (digest) => `${prefix}idem:${digest}`,
  };
};

/**
 * The identity of the install: the PostgreSQL cluster (`system_identifier`, or
 * the server address where `pg_control_system()` is not allowed), the database
 * and the schema. Every process of one install derives the same text.
 */
export const installIdentity = async (db: Queryable, schema: string): Promise<string> => {
  let cluster: string;
  try {
    const { rows } = await db.query<{ id: string }>(
      'SELECT system_identifier::text AS id FROM pg_control_system()',
    );
    cluster = rows[0]?.id ?? '';
  } catch {
    const { rows } = await db.query<{ id: string }>(
      `SELECT coalesce(host(inet_server_addr()), 'local') || ':' || coalesce(inet_server_port(), 0)::text AS id`,
    );
    cluster = rows[0]?.id ?? '';
  }
  const { rows } = await db.query<{ name: string }>('SELECT current_database() AS name');
  return `${cluster}/${rows[0]?.name ?? ''}/${schema}`;
};

/**
 * `REDIS_KEY_PREFIX` when set, else `bl:` and 12 hex digits of the sha256 of
 * the install's identity (cluster, database, schema).
 */
export const resolveRedisKeyPrefix = async (
  configured: string | undefined,
  db: Queryable,
  schema: string,
): Promise<string> => {
  if (configured !== undefined) return configured;
  const identity = await installIdentity(db, schema);
  return `bl:${createHash('sha256').update(identity).digest('hex').slice(0, 12)}:`;
};
