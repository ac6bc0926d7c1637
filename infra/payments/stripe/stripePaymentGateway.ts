import Stripe from 'stripe';
import {
  PaymentDeclinedError,
  type PaymentGateway,
  type PaymentMetadata,
  type PaymentOperation,
  type ProviderPayment,
  type ProviderTransfer,
} from '../../../commands/payments/paymentGateway.ts';
import type { Money } from '../../../domain/shared/money.ts';
import { toPaymentError } from './stripeErrors.ts';

/** How to reach Stripe. Build the client once, in the composition root. */
export interface StripeClientOptions {
  /** Secret key (`sk_live_…`, `sk_test_…`); from configuration, never a default. */
  readonly secretKey: string;
  /** Per-request timeout in milliseconds (default 10 000); on expiry the call throws PaymentProviderUnavailableError. */
  readonly timeoutMs?: number;
  /** API host (default `api.stripe.com`); tests point it at the local Stripe test double. */
  readonly host?: string;
  /** API port (default 443). */
  readonly port?: number;
  /** `https` (default) or `http` for the local test double. */
  readonly protocol?: 'http' | 'https';
}

const DEFAULT_TIMEOUT_MS = 10_000;

/**
 * A Stripe client with SDK retries off: the saga owns retries (bounded backoff,
 * dead letter), and two layers retrying multiply the wait and hide failures.
 */
export const createStripeClient = (options: StripeClientOptions): Stripe =>
  new Stripe(options.secretKey, {
    maxNetworkRetries: 0,
    timeout: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    ...(options.host === undefined ? {} : { host: options.host }),
    ...(options.port === undefined ? {} : { port: options.port }),
    ...(options.protocol === undefined ? {} : { protocol: options.protocol }),
    appInfo: { name: 'booking-ledger' },
  });

const toStripeMetadata = (metadata: PaymentMetadata): Record<string, string> => ({
  reservation_id: metadata.reservationId,
  booking_id: metadata.bookingReference,
  partner_id: metadata.partnerId,
  attempt: String(metadata.attempt),
});

const toMoney = (amount: number, currency: string): Money => ({
  amount,
  currency: currency.toUpperCase(),
});

const idOf = (value: string | { id: string } | null, fallback: string): string =>
  value === null ? fallback : typeof value === 'string' ? value : value.id;

/** Upper bound on objects read per list call: a booking has a handful. */
const LIST_LIMIT = 1_000;

const quoted = (value: string): string => value.replaceAll('\\', '\\\\').replaceAll("'", "\\'");

const STATUS: Readonly<Record<string, ProviderPayment['status']>> = {
  requires_capture: 'authorized',
  succeeded: 'captured',
  canceled: 'cancelled',
  requires_action: 'requires_action',
  requires_confirmation: 'requires_action',
  processing: 'requires_action',
  requires_payment_method: 'failed',
};

const toProviderPayment = (
  intent: Stripe.PaymentIntent,
  refunds: readonly Stripe.Refund[],
): ProviderPayment => {
  const counted = refunds.filter((r) => r.status !== 'failed' && r.status !== 'canceled');
  const reservationId = intent.metadata['reservation_id'];
  return {
    authorizationId: intent.id,
    status: STATUS[intent.status] ?? 'failed',
    amount: toMoney(intent.amount, intent.currency),
    captured: toMoney(intent.amount_received, intent.currency),
    captureId:
      intent.status === 'succeeded' && intent.latest_charge !== null
        ? idOf(intent.latest_charge, '')
        : null,
    refunded: toMoney(
      counted.reduce((sum, r) => sum + r.amount, 0),
      intent.currency,
    ),
    refunds: counted.map((r) => ({ refundId: r.id, amount: toMoney(r.amount, r.currency) })),
    ...(reservationId === undefined ? {} : { reservationId }),
  };
};

const toProviderTransfer = (transfer: Stripe.Transfer): ProviderTransfer => ({
  transferId: transfer.id,
  destinationAccount: idOf(transfer.destination, ''),
  transferGroup: transfer.transfer_group ?? '',
  amount: toMoney(transfer.amount, transfer.currency),
  reversed: toMoney(transfer.amount_reversed, transfer.currency),
});

/**
 * The Stripe adapter (DESIGN.md "Payments"): manual-capture PaymentIntents,
 * refunds by PaymentIntent, Connect transfers grouped by booking reference. Every
 * call sends the caller's idempotency key, so Stripe itself deduplicates retries.
 */
export const getStripePaymentGateway = (stripe: Stripe): PaymentGateway => {
  // Retries off per request as well, whatever the injected client was built with.
  const options = (idempotencyKey: string): Stripe.RequestOptions => ({
    idempotencyKey,
    maxNetworkRetries: 0,
  });
  const call = async <T>(
    operation: PaymentOperation,
    idempotencyKey: string,
    send: () => Promise<T>,
  ): Promise<T> => {
    try {
      return await send();
    } catch (error) {
      throw toPaymentError(operation, idempotencyKey, error);
    }
  };

  const refundsOf = (paymentIntent: string) =>
    call('retrieve', '', () =>
      stripe.refunds.list({ payment_intent: paymentIntent, limit: 100 }).autoPagingToArray({
        limit: LIST_LIMIT,
      }),
    );

  return {
    authorize: async (request) => {
      const intent = await call('authorize', request.idempotencyKey, () =>
        stripe.paymentIntents.create(
          {
            amount: request.amount.amount,
            currency: request.amount.currency.toLowerCase(),
            capture_method: 'manual',
            confirm: true,
            payment_method: request.paymentMethod,
            ...(request.customerRef === undefined ? {} : { customer: request.customerRef }),
            // Server-side confirmation without redirect flows. Off session (a vendor
            // deposit, a difference collected later) a card that needs its holder
            // fails now; on session the PaymentIntent waits in requires_action for
            // the payer's 3-D Secure, which the front end runs with the client secret.
            automatic_payment_methods: { enabled: true, allow_redirects: 'never' },
            ...(request.onSession === true ? {} : { error_on_requires_action: true }),
            transfer_group: request.metadata.bookingReference,
            metadata: toStripeMetadata(request.metadata),
          },
          options(request.idempotencyKey),
        ),
      );
      if (
        request.onSession === true &&
        intent.status === 'requires_action' &&
        intent.client_secret !== null
      ) {
        const next = intent.next_action;
        const redirectUrl = next?.redirect_to_url?.url ?? undefined;
        return {
          authorizationId: intent.id,
          status: 'requires_action',
          amount: toMoney(intent.amount, intent.currency),
          nextAction: {
            type: next?.type ?? 'use_stripe_sdk',
            clientSecret: intent.client_secret,
            ...(redirectUrl === undefined || redirectUrl === null ? {} : { redirectUrl }),
          },
        };
      }
      if (intent.status !== 'requires_capture') {
        throw new PaymentDeclinedError(
          'authorize',
          `status_${intent.status}`,
          `Stripe left PaymentIntent ${intent.id} in ${intent.status}, not requires_capture; nothing is held.`,
          { provider: 'stripe', authorizationId: intent.id },
        );
      }
      return {
        authorizationId: intent.id,
        status: 'authorized',
        amount: toMoney(intent.amount_capturable, intent.currency),
      };
    },

    capture: async ({ idempotencyKey, authorizationId, amount }) => {
      const intent = await call('capture', idempotencyKey, () =>
        stripe.paymentIntents.capture(
          authorizationId,
          amount === undefined ? {} : { amount_to_capture: amount.amount },
          options(idempotencyKey),
        ),
      );
      return {
        captureId: idOf(intent.latest_charge, intent.id),
        authorizationId: intent.id,
        status: 'captured',
        amount: toMoney(intent.amount_received, intent.currency),
      };
    },

    cancelAuthorization: async ({ idempotencyKey, authorizationId }) => {
      const intent = await call('cancelAuthorization', idempotencyKey, () =>
        stripe.paymentIntents.cancel(authorizationId, {}, options(idempotencyKey)),
      );
      return { authorizationId: intent.id, status: 'cancelled' };
    },

    refund: async ({ idempotencyKey, authorizationId, amount }) => {
      const refund = await call('refund', idempotencyKey, () =>
        stripe.refunds.create(
          {
            payment_intent: authorizationId,
            ...(amount === undefined ? {} : { amount: amount.amount }),
          },
          options(idempotencyKey),
        ),
      );
      if (refund.status === 'failed' || refund.status === 'canceled') {
        throw new PaymentDeclinedError(
          'refund',
          refund.failure_reason ?? `refund_${refund.status}`,
          `Stripe could not refund ${authorizationId} (refund ${refund.id} ${refund.status}).`,
          { provider: 'stripe', refundId: refund.id },
        );
      }
      return {
        refundId: refund.id,
        authorizationId,
        status: refund.status === 'succeeded' ? 'succeeded' : 'pending',
        amount: toMoney(refund.amount, refund.currency),
      };
    },

    retrievePayment: async (authorizationId) => {
      const intent = await call('retrieve', '', () =>
        stripe.paymentIntents.retrieve(authorizationId, {}, { maxNetworkRetries: 0 }),
      );
      return toProviderPayment(intent, await refundsOf(intent.id));
    },

    listPayments: async ({ reservationId, transferGroup }) => {
      const intents = await call('retrieve', '', () =>
        stripe.paymentIntents
          .search({ query: `metadata['reservation_id']:'${quoted(reservationId)}'`, limit: 100 })
          .autoPagingToArray({ limit: LIST_LIMIT }),
      );
      const payments = await Promise.all(
        intents.map(async (intent) => toProviderPayment(intent, await refundsOf(intent.id))),
      );
      const transfers = await call('retrieve', '', () =>
        stripe.transfers
          .list({ transfer_group: transferGroup, limit: 100 })
          .autoPagingToArray({ limit: LIST_LIMIT }),
      );
      return { payments, transfers: transfers.map(toProviderTransfer) };
    },

    transfer: async (request) => {
      const transfer = await call('transfer', request.idempotencyKey, () =>
        stripe.transfers.create(
          {
            amount: request.amount.amount,
            currency: request.amount.currency.toLowerCase(),
            destination: request.destinationAccount,
            transfer_group: request.transferGroup,
            metadata: toStripeMetadata(request.metadata),
          },
          options(request.idempotencyKey),
        ),
      );
      return {
        transferId: transfer.id,
        destinationAccount: request.destinationAccount,
        transferGroup: transfer.transfer_group ?? request.transferGroup,
        amount: toMoney(transfer.amount, transfer.currency),
      };
    },
  };
};
