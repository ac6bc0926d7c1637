import type { Redis } from 'ioredis';
import type { Queryable } from '../postgres/pool.ts';
import type { Readiness } from './ports.ts';

const check = async (probe: () => Promise<unknown>, timeoutMs: number) => {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      probe(),
      new Promise((_resolve, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    return { ok: true };
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : String(error) };
  } finally {
    clearTimeout(timer);
  }
};

/**
 * Ready when Postgres answers. Redis is reported but never makes the API
 * unready: it is a cache and a rate-limit store, and both fail open.
 */
export const createReadinessCheck =
  (deps: {
    readonly db: Queryable;
    readonly redis?: Redis | undefined;
    readonly timeoutMs?: number;
  }) =>
  async (): Promise<Readiness> => {
    const timeoutMs = deps.timeoutMs ?? 1000;
    const { redis } = deps;
    const postgres = await check(() => deps.db.query('SELECT 1'), timeoutMs);
    const checks: Record<string, { ok: boolean; message?: string }> = { postgres };
    if (redis) checks['redis'] = await check(() => redis.ping(), timeoutMs);
    return { ready: postgres.ok, checks };
  };
