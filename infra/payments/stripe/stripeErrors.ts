import Stripe from 'stripe';
import {
  PaymentDeclinedError,
  PaymentIdempotencyMismatchError,
  PaymentInvalidRequestError,
  PaymentProviderUnavailableError,
  type InvalidRequestReason,
  type PaymentOperation,
} from '../../../commands/payments/paymentGateway.ts';

type StripeError = InstanceType<typeof Stripe.errors.StripeError>;

/** Stripe's `code` for refusals the saga distinguishes; anything else is a bad parameter. */
const INVALID_REASONS: Readonly<Record<string, InvalidRequestReason>> = {
  amount_too_large: 'amount_too_large',
  amount_too_small: 'invalid_amount',
  payment_intent_unexpected_state: 'unexpected_state',
  charge_already_captured: 'unexpected_state',
  charge_already_refunded: 'already_refunded',
  charge_expired_for_capture: 'unexpected_state',
  resource_missing: 'not_found',
};

const isStripeError = (error: unknown): error is StripeError =>
  error instanceof Stripe.errors.StripeError;

const isTimeout = (error: StripeError): boolean => {
  const detail = error.detail;
  return typeof detail === 'object' && (detail as { code?: unknown }).code === 'ETIMEDOUT';
};

/**
 * Translates whatever the Stripe SDK threw into the port's error family, at the
 * boundary, so nothing past the adapter knows Stripe's classes. Errors that are
 * not Stripe's (a bug in this adapter) pass through unchanged.
 */
export const toPaymentError = (
  operation: PaymentOperation,
  idempotencyKey: string,
  error: unknown,
): Error => {
  if (!isStripeError(error)) return error instanceof Error ? error : new Error(String(error));
  const details = {
    provider: 'stripe',
    stripeType: error.type,
    ...(error.code === undefined ? {} : { stripeCode: error.code }),
    ...(error.requestId === undefined ? {} : { requestId: error.requestId }),
    ...(error.statusCode === undefined ? {} : { statusCode: error.statusCode }),
  };
  const unavailable = (reason: ConstructorParameters<typeof PaymentProviderUnavailableError>[1]) =>
    new PaymentProviderUnavailableError(
      operation,
      reason,
      `Stripe did not complete ${operation} (${reason}: ${error.message}); retry with the same idempotency key.`,
      details,
    );
  switch (error.type) {
    case 'StripeCardError': {
      const declineCode = error.decline_code || error.code || 'card_declined';
      return new PaymentDeclinedError(
        operation,
        declineCode,
        `Stripe declined ${operation}: ${error.message}`,
        details,
      );
    }
    case 'StripeIdempotencyError':
      return new PaymentIdempotencyMismatchError(operation, idempotencyKey);
    case 'StripeInvalidRequestError':
      return new PaymentInvalidRequestError(
        operation,
        INVALID_REASONS[error.code ?? ''] ?? 'invalid_parameter',
        `Stripe refused ${operation}: ${error.message}`,
        { ...details, ...(error.param === undefined ? {} : { param: error.param }) },
      );
    case 'StripeConnectionError':
      return unavailable(isTimeout(error) ? 'timeout' : 'network');
    case 'StripeRateLimitError':
      return unavailable('rate_limited');
    // A wrong or revoked key does not heal by itself, but cancelling bookings over
    // it would be worse: the saga retries, then dead-letters for an operator.
    case 'StripeAuthenticationError':
    case 'StripePermissionError':
      return unavailable('authentication');
    default:
      return unavailable('server_error');
  }
};
