import type { Principal } from '../../domain/access/principal.ts';
import type { HttpResponse } from './errorResponse.ts';

/** A principal as authentication found it, with what only the HTTP layer uses. */
export type AuthenticatedPrincipal = Principal & {
  /** The API key's own requests-per-minute limit (set by an admin), replacing the default. */
  readonly rateLimitPerMinute?: number;
};

/** Resolves the Authorization header; the HTTP layer's view of infra/auth. */
export interface Authenticator {
  /** Undefined when no header was sent; throws UnauthenticatedError when it is invalid. */
  authenticate(authorization: string | undefined): Promise<AuthenticatedPrincipal | undefined>;
}

/** One rate-limit window after counting a hit. */
export interface RateLimitDecision {
  readonly allowed: boolean;
  readonly limit: number;
  readonly remaining: number;
  /** Seconds until the current window resets. */
  readonly resetSeconds: number;
  /** Seconds to wait before a refused request may succeed. */
  readonly retryAfterSeconds: number;
}

/** Per-request limits; undefined means "could not check" (Redis down: fail open). */
export interface RequestRateLimiter {
  checkIp(ip: string): Promise<RateLimitDecision | undefined>;
  /** `overridePerMinute`: the caller's own limit (an API key's), replacing the default window. */
  checkPrincipal(
    principalId: string,
    overridePerMinute?: number,
  ): Promise<RateLimitDecision | undefined>;
}

export interface IdempotentRequest {
  /** Whose key it is (the principal id); keys never collide across principals. */
  readonly scope: string;
  readonly key: string;
  /** sha256 of method, path, principal and canonical body. */
  readonly requestHash: string;
  /**
   * Runs the request once. Returning stores the response for replay; throwing
   * (a 5xx) releases the key so a retry executes again.
   */
  readonly run: () => Promise<HttpResponse>;
}

export interface IdempotencyOutcome {
  readonly response: HttpResponse;
  readonly replayed: boolean;
}

export interface Idempotency {
  /**
   * Throws IdempotencyKeyReusedError (422) when the key was used for another
   * request, ConflictError IDEMPOTENCY_IN_PROGRESS (409, retryable) when the
   * first request with this key is still running.
   */
  execute(request: IdempotentRequest): Promise<IdempotencyOutcome>;
}

export interface Readiness {
  readonly ready: boolean;
  /** Parts stopped on their own (a subscriber stalled on an event) while the instance still serves. */
  readonly degraded?: readonly string[];
  readonly checks: Readonly<Record<string, { readonly ok: boolean; readonly message?: string }>>;
}
