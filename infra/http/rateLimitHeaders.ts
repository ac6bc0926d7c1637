import type { NextFunction, Request, Response } from 'express';
import { RateLimitedError } from '../../domain/shared/errors.ts';
import type { RateLimitDecision, RequestRateLimiter } from './ports.ts';
import type { RequestContext, RequestContexts } from './requestContext.ts';

/**
 * Counts one window's decision: the tightest window so far is advertised in
 * X-RateLimit-*; a refusal throws RateLimitedError (429 + Retry-After).
 * An undefined decision means the limiter could not check and failed open.
 */
export const applyRateLimit = (
  res: Response,
  context: RequestContext,
  decision: RateLimitDecision | undefined,
  scope: 'ip' | 'principal',
): void => {
  if (!decision) return;
  if (
    !context.rateLimit ||
    decision.remaining <= context.rateLimit.remaining ||
    !decision.allowed
  ) {
    context.rateLimit = decision;
    res.setHeader('X-RateLimit-Limit', String(decision.limit));
    res.setHeader('X-RateLimit-Remaining', String(decision.remaining));
    res.setHeader('X-RateLimit-Reset', String(decision.resetSeconds));
  }
  if (!decision.allowed) {
    throw new RateLimitedError(
      `Too many requests: the limit is ${decision.limit} per window for this ${scope === 'ip' ? 'address' : 'caller'}; retry after ${decision.retryAfterSeconds} s.`,
      decision.retryAfterSeconds,
      { scope, limit: decision.limit },
    );
  }
};

/** Per-IP limit in front of authentication, so guessing keys or passwords is throttled too. */
export const createIpRateLimit =
  (deps: { readonly rateLimiter: RequestRateLimiter; readonly contexts: RequestContexts }) =>
  async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const decision = await deps.rateLimiter.checkIp(
      req.ip ?? req.socket.remoteAddress ?? 'unknown',
    );
    applyRateLimit(res, deps.contexts.get(res), decision, 'ip');
    next();
  };
