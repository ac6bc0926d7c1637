/**
 * When a failed webhook delivery is tried again: exponential backoff with
 * jitter, for at most `giveUpAfterMs` after the first attempt, then a dead
 * letter. Pure: the caller brings the clock reading and the random number.
 */
export interface RetryPolicy {
  /** Delay after the first failure, ms. Default 30 s. */
  readonly firstDelayMs: number;
  /** Each further failure multiplies the delay by this. Default 2. */
  readonly factor: number;
  /** Longest delay between two attempts, ms. Default 6 h. */
  readonly maxDelayMs: number;
  /** No attempt is made later than this after the first one, ms. Default 3 days. */
  readonly giveUpAfterMs: number;
  /** ± this fraction of the delay is random (0…1). Default 0.2. */
  readonly jitter: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  firstDelayMs: 30_000,
  factor: 2,
  maxDelayMs: 6 * 3_600_000,
  giveUpAfterMs: 3 * 24 * 3_600_000,
  jitter: 0.2,
};

export type NextAttempt =
  { readonly kind: 'retry'; readonly atMs: number } | { readonly kind: 'dead-letter' };

/**
 * After `failures` failed attempts (≥ 1), the first of them at `firstAttemptMs`:
 * retry at a jittered exponential delay from `nowMs` (capped so the last try
 * lands on the give-up deadline), or dead-letter once the deadline has passed.
 * `random` is uniform in [0, 1).
 */
export const nextAttempt = (
  policy: RetryPolicy,
  failures: number,
  firstAttemptMs: number,
  nowMs: number,
  random: number,
): NextAttempt => {
  const deadline = firstAttemptMs + policy.giveUpAfterMs;
  if (nowMs >= deadline) return { kind: 'dead-letter' };
  const base = Math.min(
    policy.maxDelayMs,
    policy.firstDelayMs * policy.factor ** Math.max(0, failures - 1),
  );
  const jittered = base * (1 - policy.jitter + 2 * policy.jitter * random);
  return { kind: 'retry', atMs: Math.min(deadline, nowMs + Math.max(1, Math.round(jittered))) };
};
