import { AUTHENTICATION_TEST_CARDS, DECLINING_TEST_CARDS } from '../testCards.ts';
import { integerParam, stringMapParam, stringParam, type FormObject } from './localStripeForm.ts';

/**
 * Test support, not used in production: the resources behind the local Stripe
 * test double (localStripeServer.ts). In-memory PaymentIntents, refunds and
 * transfers with the state rules and error shapes of Stripe's API for the
 * subset the Stripe adapter calls.
 */

/** What an endpoint answers; `saved: false` marks a refusal before execution began (not stored for the idempotency key). */
export interface ApiResult {
  readonly status: number;
  readonly body: unknown;
  readonly saved: boolean;
}

interface PaymentIntent {
  id: string;
  object: 'payment_intent';
  amount: number;
  amount_capturable: number;
  amount_received: number;
  capture_method: string;
  currency: string;
  customer: string | null;
  latest_charge: string | null;
  metadata: Record<string, string>;
  payment_method: string | null;
  status: string;
  transfer_group: string | null;
  canceled_at: number | null;
  livemode: false;
  created: number;
  client_secret: string;
  next_action: { type: string; use_stripe_sdk?: Record<string, unknown> } | null;
}

const ok = (body: unknown): ApiResult => ({ status: 200, body, saved: true });
const failure = (status: number, error: Record<string, unknown>, saved = true): ApiResult => ({
  status,
  body: { error },
  saved,
});
const invalid = (message: string, extra: Record<string, unknown> = {}, saved = true) =>
  failure(400, { type: 'invalid_request_error', message, ...extra }, saved);
const missingParam = (param: string): ApiResult =>
  invalid(`Missing required param: ${param}.`, { code: 'parameter_missing', param }, false);
const noSuch = (kind: string, id: string, param: string): ApiResult =>
  failure(404, {
    type: 'invalid_request_error',
    code: 'resource_missing',
    message: `No such ${kind}: '${id}'`,
    param,
  });

export const createLocalStripeApi = () => {
  const intents = new Map<string, PaymentIntent>();
  const refunded = new Map<string, number>();
  const refunds: Record<string, unknown>[] = [];
  const transfers: Record<string, unknown>[] = [];
  const accounts = new Map<string, Record<string, unknown>>();
  const list = (url: string, data: unknown[]): ApiResult =>
    ok({ object: 'list', url, has_more: false, data });
  let counter = 0;
  const nextId = (prefix: string): string =>
    `${prefix}_local${String((counter += 1)).padStart(8, '0')}`;
  const now = (): number => Math.floor(Date.now() / 1000);

  const positiveAmount = (params: FormObject, name: string): number | ApiResult => {
    const amount = integerParam(params, name);
    if (amount === undefined) return missingParam(name);
    if (!Number.isSafeInteger(amount) || amount < 1) {
      return invalid(
        `Invalid integer: ${stringParam(params, name)}; ${name} must be a positive integer.`,
        { code: 'parameter_invalid_integer', param: name },
        false,
      );
    }
    return amount;
  };

  return {
    createPaymentIntent: (params: FormObject): ApiResult => {
      const amount = positiveAmount(params, 'amount');
      if (typeof amount !== 'number') return amount;
      const currency = stringParam(params, 'currency');
      if (currency === undefined) return missingParam('currency');
      const paymentMethod = stringParam(params, 'payment_method') ?? null;
      const confirm = stringParam(params, 'confirm') === 'true';
      const manual = stringParam(params, 'capture_method') === 'manual';
      const intent: PaymentIntent = {
        id: nextId('pi'),
        object: 'payment_intent',
        amount,
        amount_capturable: 0,
        amount_received: 0,
        capture_method: manual ? 'manual' : 'automatic_async',
        currency,
        customer: stringParam(params, 'customer') ?? null,
        latest_charge: null,
        metadata: stringMapParam(params, 'metadata'),
        payment_method: paymentMethod,
        status: paymentMethod === null ? 'requires_payment_method' : 'requires_confirmation',
        transfer_group: stringParam(params, 'transfer_group') ?? null,
        canceled_at: null,
        livemode: false,
        created: now(),
        client_secret: '',
        next_action: null,
      };
      intent.client_secret = `${intent.id}_secret_local`;
      intents.set(intent.id, intent);
      if (!confirm || paymentMethod === null) return ok(intent);
      const declineCode = DECLINING_TEST_CARDS[paymentMethod];
      const charge = nextId('ch');
      intent.latest_charge = charge;
      if (declineCode !== undefined) {
        intent.status = 'requires_payment_method';
        return failure(402, {
          type: 'card_error',
          code: 'card_declined',
          decline_code: declineCode,
          charge,
          message: 'Your card was declined.',
          payment_intent: intent,
        });
      }
      if (AUTHENTICATION_TEST_CARDS.has(paymentMethod)) {
        if (stringParam(params, 'error_on_requires_action') === 'true') {
          intent.status = 'requires_payment_method';
          return failure(402, {
            type: 'card_error',
            code: 'authentication_required',
            decline_code: 'authentication_required',
            charge,
            message: 'Your card was declined. This transaction requires authentication.',
            payment_intent: intent,
          });
        }
        intent.latest_charge = null;
        intent.status = 'requires_action';
        intent.next_action = {
          type: 'use_stripe_sdk',
          use_stripe_sdk: { type: 'three_d_secure_redirect' },
        };
        return ok(intent);
      }
      if (manual) {
        intent.status = 'requires_capture';
        intent.amount_capturable = amount;
      } else {
        intent.status = 'succeeded';
        intent.amount_received = amount;
      }
      return ok(intent);
    },

    /** The payer's browser finished (or failed) 3-D Secure, as Stripe.js `handleNextAction` would. */
    authenticate: (id: string, outcome: 'succeeded' | 'failed'): PaymentIntent | undefined => {
      const intent = intents.get(id);
      if (intent?.status !== 'requires_action') return undefined;
      intent.next_action = null;
      if (outcome === 'failed') {
        intent.status = 'requires_payment_method';
        return intent;
      }
      intent.latest_charge = nextId('ch');
      if (intent.capture_method === 'manual') {
        intent.status = 'requires_capture';
        intent.amount_capturable = intent.amount;
      } else {
        intent.status = 'succeeded';
        intent.amount_received = intent.amount;
      }
      return intent;
    },

    retrievePaymentIntent: (id: string): ApiResult => {
      const intent = intents.get(id);
      return intent ? ok(intent) : noSuch('payment_intent', id, 'intent');
    },

    capturePaymentIntent: (id: string, params: FormObject): ApiResult => {
      const intent = intents.get(id);
      if (!intent) return noSuch('payment_intent', id, 'intent');
      if (intent.status !== 'requires_capture') {
        return invalid(
          `This PaymentIntent could not be captured because it has a status of ${intent.status}. Only a PaymentIntent with one of the following statuses may be captured: requires_capture.`,
          { code: 'payment_intent_unexpected_state', payment_intent: intent },
        );
      }
      const requested =
        params['amount_to_capture'] === undefined
          ? intent.amount_capturable
          : positiveAmount(params, 'amount_to_capture');
      if (typeof requested !== 'number') return requested;
      if (requested > intent.amount_capturable) {
        return invalid(
          `The amount to capture (${requested}) cannot be greater than the amount capturable (${intent.amount_capturable}).`,
          { code: 'amount_too_large', param: 'amount_to_capture' },
        );
      }
      Object.assign(intent, {
        status: 'succeeded',
        amount_received: requested,
        amount_capturable: 0,
      });
      return ok(intent);
    },

    cancelPaymentIntent: (id: string): ApiResult => {
      const intent = intents.get(id);
      if (!intent) return noSuch('payment_intent', id, 'intent');
      const cancellable = [
        'requires_payment_method',
        'requires_capture',
        'requires_confirmation',
        'requires_action',
      ];
      if (!cancellable.includes(intent.status)) {
        return invalid(
          `You cannot cancel this PaymentIntent because it has a status of ${intent.status}. Only a PaymentIntent with one of the following statuses may be canceled: ${cancellable.join(', ')}.`,
          { code: 'payment_intent_unexpected_state', payment_intent: intent },
        );
      }
      Object.assign(intent, { status: 'canceled', amount_capturable: 0, canceled_at: now() });
      return ok(intent);
    },

    createRefund: (params: FormObject): ApiResult => {
      const id = stringParam(params, 'payment_intent');
      if (id === undefined) return missingParam('payment_intent');
      const intent = intents.get(id);
      if (!intent) return noSuch('payment_intent', id, 'payment_intent');
      if (intent.status !== 'succeeded' || intent.latest_charge === null) {
        return invalid(`This PaymentIntent (${id}) does not have a successful charge to refund.`, {
          code: 'payment_intent_unexpected_state',
        });
      }
      const remaining = intent.amount_received - (refunded.get(id) ?? 0);
      if (remaining === 0) {
        return invalid(`Charge ${intent.latest_charge} has already been refunded.`, {
          code: 'charge_already_refunded',
        });
      }
      const amount = params['amount'] === undefined ? remaining : positiveAmount(params, 'amount');
      if (typeof amount !== 'number') return amount;
      if (amount > remaining) {
        return invalid(
          `Refund amount (${amount}) is greater than unrefunded amount on charge (${remaining}).`,
          { code: 'amount_too_large', param: 'amount' },
        );
      }
      refunded.set(id, (refunded.get(id) ?? 0) + amount);
      const refund = {
        id: nextId('re'),
        object: 'refund',
        amount,
        currency: intent.currency,
        charge: intent.latest_charge,
        payment_intent: id,
        status: 'succeeded',
        metadata: stringMapParam(params, 'metadata'),
        created: now(),
      };
      refunds.unshift(refund);
      return ok(refund);
    },

    createTransfer: (params: FormObject): ApiResult => {
      const amount = positiveAmount(params, 'amount');
      if (typeof amount !== 'number') return amount;
      const currency = stringParam(params, 'currency');
      if (currency === undefined) return missingParam('currency');
      const destination = stringParam(params, 'destination');
      if (destination === undefined) return missingParam('destination');
      if (!destination.startsWith('acct_'))
        return noSuch('destination', destination, 'destination');
      const transfer = {
        id: nextId('tr'),
        object: 'transfer',
        amount,
        amount_reversed: 0,
        currency,
        destination,
        transfer_group: stringParam(params, 'transfer_group') ?? null,
        metadata: stringMapParam(params, 'metadata'),
        reversed: false,
        livemode: false,
        created: now(),
      };
      transfers.unshift(transfer);
      return ok(transfer);
    },

    createAccount: (params: FormObject): ApiResult => {
      const account = {
        id: nextId('acct'),
        object: 'account',
        type: stringParam(params, 'type') ?? 'standard',
        charges_enabled: false,
        payouts_enabled: false,
        details_submitted: false,
        metadata: stringMapParam(params, 'metadata'),
        created: now(),
      };
      accounts.set(account.id, account);
      return ok(account);
    },

    retrieveAccount: (id: string): ApiResult => {
      const account = accounts.get(id);
      return account ? ok(account) : noSuch('account', id, 'account');
    },

    createAccountLink: (params: FormObject): ApiResult => {
      const account = stringParam(params, 'account');
      if (account === undefined) return missingParam('account');
      for (const name of ['type', 'refresh_url', 'return_url'])
        if (stringParam(params, name) === undefined) return missingParam(name);
      if (!accounts.has(account)) return noSuch('account', account, 'account');
      return ok({
        object: 'account_link',
        created: now(),
        expires_at: now() + 300,
        url: `https://connect.stripe.test/setup/e/${account}/${nextId('link')}`,
      });
    },

    /** Test hook: the vendor finished Stripe's hosted onboarding. */
    completeOnboarding: (id: string): void => {
      const account = accounts.get(id);
      if (!account) throw new Error(`no account ${id}`);
      Object.assign(account, {
        charges_enabled: true,
        payouts_enabled: true,
        details_submitted: true,
      });
    },

    /** Supports the one query form the adapter sends: `metadata['key']:'value'`. */
    searchPaymentIntents: (params: FormObject): ApiResult => {
      const query = stringParam(params, 'query');
      if (query === undefined) return missingParam('query');
      const match = /^metadata\['([^']+)'\]:'((?:[^'\\]|\\.)*)'$/.exec(query);
      if (!match?.[1] || match[2] === undefined) {
        return invalid(`The local Stripe double cannot parse the search query ${query}.`, {
          code: 'parameter_invalid',
          param: 'query',
        });
      }
      const [, key, raw] = match;
      const value = raw.replaceAll(/\\(.)/g, '$1');
      const data = [...intents.values()]
        .filter((intent) => intent.metadata[key] === value)
        .reverse();
      return ok({
        object: 'search_result',
        url: '/v1/payment_intents/search',
        has_more: false,
        next_page: null,
        data,
      });
    },

    listRefunds: (params: FormObject): ApiResult => {
      const intent = stringParam(params, 'payment_intent');
      return list(
        '/v1/refunds',
        refunds.filter((r) => intent === undefined || r['payment_intent'] === intent),
      );
    },

    listTransfers: (params: FormObject): ApiResult => {
      const group = stringParam(params, 'transfer_group');
      return list(
        '/v1/transfers',
        transfers.filter((t) => group === undefined || t['transfer_group'] === group),
      );
    },
  };
};

export type LocalStripeApi = ReturnType<typeof createLocalStripeApi>;
