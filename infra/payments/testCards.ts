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

/**
 * Stripe's test payment methods whose issuer asks for 3-D Secure on every
 * authorization: on session the PaymentIntent answers `requires_action`; off
 * session it declines with `authentication_required`.
 */
export const AUTHENTICATION_TEST_CARDS: ReadonlySet<string> = new Set([
  'pm_card_threeDSecure2Required',
  'pm_card_authenticationRequired',
]);
