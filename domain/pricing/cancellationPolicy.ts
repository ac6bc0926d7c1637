import { ValidationError } from '../shared/errors.ts';
import type { Money } from '../shared/money.ts';
import { roundHalfUp } from '../shared/money.ts';
import type { CancellationPolicy, RefundRule } from './rules.ts';

export interface RefundDecision {
  readonly refund: Money;
  /** The tier that applied (its `minHoursBefore`), or null when none did and nothing is refunded. */
  readonly tierMinHoursBefore: number | null;
  /** Whole hours from cancellation to start, rounded down: 47h59m is 47 hours. */
  readonly hoursBeforeStart: number;
}

const applyRule = (rule: RefundRule, paid: Money): number => {
  switch (rule.kind) {
    case 'percent':
      return roundHalfUp(BigInt(paid.amount) * BigInt(rule.basisPoints), 10_000n);
    case 'fixed':
      return rule.amount;
    default: {
      const _never: never = rule;
      return _never;
    }
  }
};

const capped = (amount: number, paid: Money): Money => ({
  amount: Math.max(0, Math.min(amount, paid.amount)),
  currency: paid.currency,
});

const instantMillis = (iso: string, field: string): number => {
  const millis = Date.parse(iso);
  if (Number.isNaN(millis))
    throw new ValidationError(`${field} must be an ISO 8601 instant (got "${iso}").`);
  return millis;
};

/**
 * The refund for cancelling at `now` a booking that starts at `startsAt`:
 * the tier with the largest `minHoursBefore` the cancellation still meets,
 * a percentage of (or a fixed amount out of) what was paid, never more than
 * was paid. Cancelling after the start matches no tier with hours ≥ 0.
 */
export const refundFor = (
  policy: CancellationPolicy,
  paid: Money,
  startsAt: string,
  now: string,
): RefundDecision => {
  const hoursBeforeStart = Math.floor(
    (instantMillis(startsAt, 'startsAt') - instantMillis(now, 'now')) / 3_600_000,
  );
  const tier = policy.tiers
    .filter((t) => hoursBeforeStart >= t.minHoursBefore)
    .reduce<CancellationPolicy['tiers'][number] | undefined>(
      (best, t) => (best === undefined || t.minHoursBefore > best.minHoursBefore ? t : best),
      undefined,
    );
  return {
    refund: tier === undefined ? capped(0, paid) : capped(applyRule(tier.refund, paid), paid),
    tierMinHoursBefore: tier?.minHoursBefore ?? null,
    hoursBeforeStart,
  };
};

/** The fee kept when the guest does not show up, capped at what was paid; the rest is refunded. */
export const noShowFee = (policy: CancellationPolicy, paid: Money): Money =>
  capped(applyRule(policy.noShowFee, paid), paid);
