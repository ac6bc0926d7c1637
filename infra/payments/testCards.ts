/**
 * Stripe's documented test payment methods that decline, with their decline
 * codes. The simulated gateway honours them as Stripe test mode does, so the
 * same card declines in the demo, in the local Stripe double and at Stripe.
 */
export const DECLINING_TEST_CARDS: Readonly<Record<string, string>> = {
  pm_card_chargeDeclined: 'generic_decline',
  pm_card_chargeDeclinedInsufficientFunds: 'insufficient_funds',
  pm_card_chargeDeclinedFraudulent: 'fraudulent',
  pm_card_chargeDeclinedExpiredCard: 'expired_card',
};
