import { noShowFee, refundFor, type RefundDecision } from '../pricing/cancellationPolicy.ts';
import type { CancellationPolicy } from '../pricing/rules.ts';
import type { CancelledBy } from '../reservation/eventParts.ts';
import type { Money } from '../shared/money.ts';

/** Cancellations the guest's side asked for follow the policy tiers; the vendor's, an admin's or the system's refund everything. */
const GUEST_SIDE: ReadonlySet<CancelledBy> = new Set(['guest', 'requester', 'partner']);

/**
 * The refund of a cancellation: per the policy in force at booking (its tiers
 * by hours before the start) for the guest's side, in full otherwise — always
 * out of `paid`, what the guest has paid net of refunds, never more.
 * The HTTP answer and the saga use this one function, so the refund a
 * cancellation announces is the refund the gateway makes.
 */
export const cancellationRefund = (
  policy: CancellationPolicy,
  paid: Money,
  startsAt: string,
  cancelledAt: string,
  cancelledBy: CancelledBy,
): RefundDecision => {
  const byPolicy = refundFor(policy, paid, startsAt, cancelledAt);
  return GUEST_SIDE.has(cancelledBy) ? byPolicy : { ...byPolicy, refund: paid };
};

/** The refund of a no-show: all that was paid but the policy's no-show fee. */
export const noShowRefund = (policy: CancellationPolicy, paid: Money): Money => ({
  amount: paid.amount - noShowFee(policy, paid).amount,
  currency: paid.currency,
});
