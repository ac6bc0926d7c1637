import { Counter, type Registry } from 'prom-client';
import type { RateLimitDecision } from '../http/ports.ts';
import {
  DEFAULT_RATE_LIMITS,
  principalWindow,
  type RateLimiter,
  type WindowLimit,
} from './rateLimiter.ts';

interface WindowState {
  /** Index of the current fixed window. */
  w: number;
  /** Count in the current window. */
  c: number;
  /** Count in the previous window. */
  p: number;
  /** Window length the state was counted in, ms (state is dropped after two of them). */
  windowMs: number;
}

/**
 * One step of the sliding-window counter of `slidingWindow.ts` (the same
 * arithmetic as its Lua script), on a state held in memory.
 */
export const slidingWindowStep = (
  state: WindowState | undefined,
  now: number,
  limit: number,
  windowMs: number,
): { readonly state: WindowState; readonly reply: readonly [number, number, number, number] } => {
  const index = Math.floor(now / windowMs);
  const elapsed = now - index * windowMs;
  let c = state?.c ?? 0;
  let p = state?.p ?? 0;
  if (state === undefined || state.windowMs !== windowMs || state.w < index - 1) {
    c = 0;
    p = 0;
  } else if (state.w === index - 1) {
    p = c;
    c = 0;
  }
  const estimate = (p * (windowMs - elapsed)) / windowMs + c;
  const reset = windowMs - elapsed;
  if (estimate + 1 > limit) {
    const retry =
      c + 1 > limit
        ? reset + Math.max(0, windowMs * (1 - (limit - 1) / c))
        : Math.max(1, windowMs - elapsed - ((limit - 1 - c) * windowMs) / p);
    return { state: { w: index, c, p, windowMs }, reply: [0, 0, reset, Math.ceil(retry)] };
  }
  c += 1;
  return {
    state: { w: index, c, p, windowMs },
    reply: [1, Math.max(0, Math.floor(limit - estimate - 1)), reset, 0],
  };
};

export interface MemoryRateLimiterOptions {
  readonly registry?: Registry;
  /** Default 100 per 60 s (seed 001). */
  readonly perPrincipal?: WindowLimit;
  /** Default 1000 per 60 s (seed 001). */
  readonly perIp?: WindowLimit;
  /**
   * Most subjects tracked at once (default 100 000). Beyond it, windows that
   * ended are dropped first, then the least recently counted subjects.
   */
  readonly maxSubjects?: number;
  /** Epoch ms (tests move it). */
  readonly now?: () => number;
}

/**
 * Rate limits counted in this process's memory, for a process without Redis
 * (the embedded default): the same windows, headers and 429 as the Redis
 * limiter, but per instance — N API instances admit up to N times the limit.
 */
export const createMemoryRateLimiter = (
  options: MemoryRateLimiterOptions = {},
): RateLimiter & { trackedSubjects(): number } => {
  const perPrincipal = options.perPrincipal ?? DEFAULT_RATE_LIMITS.perPrincipal;
  const perIp = options.perIp ?? DEFAULT_RATE_LIMITS.perIp;
  const maxSubjects = options.maxSubjects ?? 100_000;
  const now = options.now ?? Date.now;
  const windows = new Map<string, WindowState>();
  const refused =
    options.registry &&
    ((options.registry.getSingleMetric('rate_limit_refused_total') as Counter | undefined) ??
      new Counter({
        name: 'rate_limit_refused_total',
        help: 'Requests refused by a rate limit, by kind.',
        labelNames: ['kind'],
        registers: [options.registry],
      }));

  const evict = (at: number) => {
    for (const [key, state] of windows) {
      if (state.w < Math.floor(at / state.windowMs) - 1) windows.delete(key);
    }
    // Map order is insertion order and every hit re-inserts: the first keys are
    // the least recent. Dropping a tenth at once keeps the sweep's cost amortised.
    const target = Math.floor(maxSubjects * 0.9);
    for (const key of windows.keys()) {
      if (windows.size <= target) break;
      windows.delete(key);
    }
  };

  const hit = (kind: string, subject: string, window: WindowLimit): RateLimitDecision => {
    const at = now();
    const key = `${kind}:${subject}`;
    const previous = windows.get(key);
    windows.delete(key);
    if (previous === undefined && windows.size >= maxSubjects) evict(at);
    const { state, reply } = slidingWindowStep(
      previous,
      at,
      window.limit,
      window.windowSeconds * 1000,
    );
    windows.set(key, state);
    const [allowed, remaining, resetMs, retryMs] = reply;
    if (allowed !== 1) refused?.inc({ kind });
    return {
      allowed: allowed === 1,
      limit: window.limit,
      remaining,
      resetSeconds: Math.ceil(resetMs / 1000),
      retryAfterSeconds: Math.max(1, Math.ceil(retryMs / 1000)),
    };
  };

  return {
    checkIp: (ip) => Promise.resolve(hit('ip', ip, perIp)),
    checkPrincipal: (principalId, overridePerMinute) =>
      Promise.resolve(
        hit('principal', principalId, principalWindow(perPrincipal, overridePerMinute)),
      ),
    acquire: (key, limit, windowSeconds) =>
      Promise.resolve(hit('custom', key, { limit, windowSeconds })),
    trackedSubjects: () => windows.size,
  };
};
