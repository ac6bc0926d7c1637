import { ValidationError } from '../shared/errors.ts';

/**
 * The saga's units of outbound work. Names double as the idempotency-key
 * prefix, matching seed 004 (`vendor-auth-{reservationId}-{attempt}`).
 */
export const PAYMENT_STEPS = [
  'vendor-notify',
  'vendor-auth',
  'requester-auth',
  'revalidate',
  'vendor-capture',
  'requester-capture',
  'vendor-auth-cancel',
  'requester-auth-cancel',
  'vendor-refund',
  'requester-refund',
  'release-hold',
  'payout',
  // Settlement of changes after the commit (sagaSettleChanges.ts): a second
  // authorization for an increase, its capture or release, and refunds of decreases.
  'settle-auth',
  'settle-capture',
  'settle-auth-cancel',
  'settle-refund',
] as const;

export type PaymentStep = (typeof PAYMENT_STEPS)[number];

export const SETTLE_STEPS = [
  'settle-auth',
  'settle-capture',
  'settle-auth-cancel',
  'settle-refund',
] as const;
export type SettleStep = (typeof SETTLE_STEPS)[number];
export const isSettleStep = (step: PaymentStep): step is SettleStep =>
  (SETTLE_STEPS as readonly string[]).includes(step);

/** Deterministic key `{step}-{reservationId}-{attempt}`: a retry of the same attempt can never charge twice. */
export const idempotencyKey = (step: PaymentStep, reservationId: string, attempt: number): string =>
  `${step}-${reservationId}-${attempt}`;

/** Seed 004 "Retry Strategy": bounded exponential backoff with jitter. */
export interface RetryPolicy {
  /** Attempts in total, the first included (seed 004: 5). */
  readonly maxAttempts: number;
  /** Delay before the second attempt, milliseconds (seed 004: 1 000). */
  readonly initialDelayMs: number;
  /** Upper bound of any delay before jitter, milliseconds (seed 004: 60 000). */
  readonly maxDelayMs: number;
  /** Jitter as a fraction of the delay, ± (seed 004: 0.2). */
  readonly jitterRatio: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 5,
  initialDelayMs: 1_000,
  maxDelayMs: 60_000,
  jitterRatio: 0.2,
};

/**
 * Delay before attempt `failedAttempt + 1`. `jitter` is a number in [0, 1)
 * supplied by the caller (the domain has no randomness): 0 → −20%, 0.5 → 0, → +20%.
 */
export const retryDelayMs = (
  failedAttempt: number,
  jitter: number,
  policy: RetryPolicy = DEFAULT_RETRY_POLICY,
): number => {
  if (!(jitter >= 0 && jitter < 1))
    throw new ValidationError(`jitter must be in [0, 1) (got ${jitter}).`);
  const base = Math.min(policy.initialDelayMs * 2 ** (failedAttempt - 1), policy.maxDelayMs);
  return Math.round(base * (1 + policy.jitterRatio * (2 * jitter - 1)));
};

export const canRetry = (
  attempt: number,
  retryable: boolean,
  policy: RetryPolicy = DEFAULT_RETRY_POLICY,
): boolean => retryable && attempt < policy.maxAttempts;
