import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { requestHash } from '../requestHash.ts';
import { createLocalStripeApi, type ApiResult } from './localStripeApi.ts';
import { parseStripeForm, type FormObject } from './localStripeForm.ts';

/**
 * TEST DOUBLE of Stripe's HTTP API, for the Stripe adapter's tests; never used
 * in production. A node:http server speaking the form-encoded subset the
 * adapter calls, so the real `stripe` SDK can be pointed at it with
 * `host`/`port`/`protocol: 'http'`:
 *
 *   POST /v1/payment_intents, /v1/payment_intents/:id/capture, /v1/payment_intents/:id/cancel,
 *   GET /v1/payment_intents/:id, POST /v1/refunds, POST /v1/transfers,
 *   GET /v1/payment_intents/search (metadata queries), GET /v1/refunds, GET /v1/transfers,
 *   POST /v1/accounts, GET /v1/accounts/:id, POST /v1/account_links (Connect onboarding).
 *
 * Stripe's idempotency: a key (per API key) replays the first saved status and
 * body with `Idempotent-Replayed: true`; reused with another method, path or
 * parameters it answers 400 `idempotency_error`. Test card `pm_card_chargeDeclined` (and friends) answers 402 `card_error`.
 */
export interface LocalStripeServer {
  readonly host: string;
  readonly port: number;
  /** Injects a failure (e.g. 500 api_error) before the endpoint runs, so nothing is saved. */
  failNext(rule: InjectedFailure): void;
  /** Delays the response AFTER the endpoint ran and its result was saved: a timeout that hides a success. */
  delayNext(rule: InjectedDelay): void;
  /** Every request received, in order. */
  requests(): readonly RecordedRequest[];
  /** A connected account finishes Stripe-hosted onboarding: payouts become enabled. */
  completeOnboarding(accountId: string): void;
  /**
   * The payer's browser answers a PaymentIntent's 3-D Secure challenge (Stripe.js
   * `handleNextAction`); answers the PaymentIntent as Stripe would show it, for a
   * webhook test to sign and send, or undefined when it did not wait for that.
   */
  authenticate(
    paymentIntentId: string,
    outcome: 'succeeded' | 'failed',
  ): Record<string, unknown> | undefined;
  close(): Promise<void>;
}

export interface InjectedFailure {
  readonly method?: 'GET' | 'POST';
  /** Matches the request path, e.g. /\/capture$/. */
  readonly path: RegExp;
  /** HTTP status, 500–599 for Stripe's api_error (default 500). */
  readonly status?: number;
  /** Default 1. */
  readonly times?: number;
}

export interface InjectedDelay {
  readonly path: RegExp;
  /** Delay in milliseconds; longer than the client's timeout to make it give up. */
  readonly ms: number;
  /** Default 1. */
  readonly times?: number;
}

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly idempotencyKey?: string;
  readonly params: FormObject;
  readonly status: number;
  readonly replayed: boolean;
}

interface SavedResponse {
  readonly fingerprint: string;
  readonly result: ApiResult;
}

const readBody = async (request: http.IncomingMessage): Promise<string> => {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
};

const consume = <T extends { times?: number }>(rules: T[], index: number): void => {
  const rule = rules[index];
  if (rule === undefined) return;
  if ((rule.times ?? 1) <= 1) rules.splice(index, 1);
  else rules[index] = { ...rule, times: (rule.times ?? 1) - 1 };
};

export const startLocalStripeServer = async (): Promise<LocalStripeServer> => {
  const api = createLocalStripeApi();
  const saved = new Map<string, SavedResponse>();
  const failures: InjectedFailure[] = [];
  const delays: InjectedDelay[] = [];
  const log: RecordedRequest[] = [];
  let requestCounter = 0;

  const route = (method: string, path: string, params: FormObject): ApiResult => {
    const intent = /^\/v1\/payment_intents\/([^/]+)(?:\/(capture|cancel))?$/.exec(path);
    if (method === 'POST' && path === '/v1/payment_intents') return api.createPaymentIntent(params);
    if (method === 'GET' && path === '/v1/payment_intents/search')
      return api.searchPaymentIntents(params);
    if (method === 'GET' && path === '/v1/refunds') return api.listRefunds(params);
    const account = /^\/v1\/accounts\/([^/]+)$/.exec(path)?.[1];
    if (method === 'POST' && path === '/v1/accounts') return api.createAccount(params);
    if (method === 'GET' && account !== undefined) return api.retrieveAccount(account);
    if (method === 'POST' && path === '/v1/account_links') return api.createAccountLink(params);
    if (method === 'GET' && path === '/v1/transfers') return api.listTransfers(params);
    if (method === 'GET' && intent?.[1] && !intent[2]) return api.retrievePaymentIntent(intent[1]);
    if (method === 'POST' && intent?.[1] && intent[2] === 'capture')
      return api.capturePaymentIntent(intent[1], params);
    if (method === 'POST' && intent?.[1] && intent[2] === 'cancel')
      return api.cancelPaymentIntent(intent[1]);
    if (method === 'POST' && path === '/v1/refunds') return api.createRefund(params);
    if (method === 'POST' && path === '/v1/transfers') return api.createTransfer(params);
    return {
      status: 404,
      body: {
        error: {
          type: 'invalid_request_error',
          message: `Unrecognized request URL (${method}: ${path}).`,
        },
      },
      saved: false,
    };
  };

  const handle = async (
    request: http.IncomingMessage,
    response: http.ServerResponse,
  ): Promise<void> => {
    const method = request.method ?? 'GET';
    const url = new URL(request.url ?? '/', 'http://localhost');
    const path = url.pathname;
    const body = await readBody(request);
    const params = parseStripeForm(method === 'GET' ? url.search.slice(1) : body);
    const key = request.headers['idempotency-key'];
    const idempotencyKey = typeof key === 'string' && method === 'POST' ? key : undefined;
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'request-id': `req_local${String((requestCounter += 1)).padStart(8, '0')}`,
      ...(idempotencyKey === undefined ? {} : { 'idempotency-key': idempotencyKey }),
    };
    const record = (result: { status: number }, replayed: boolean): void => {
      log.push({
        method,
        path,
        params,
        status: result.status,
        replayed,
        ...(idempotencyKey === undefined ? {} : { idempotencyKey }),
      });
    };
    const write = (result: { status: number; body: unknown }, replayed: boolean): void => {
      response.writeHead(
        result.status,
        replayed ? { ...headers, 'idempotent-replayed': 'true' } : headers,
      );
      response.end(JSON.stringify(result.body));
    };
    const send = (result: { status: number; body: unknown }, replayed = false): void => {
      record(result, replayed);
      write(result, replayed);
    };

    const apiKey = /^Bearer (sk_\w+)$/.exec(request.headers.authorization ?? '')?.[1];
    if (apiKey === undefined) {
      return send({
        status: 401,
        body: {
          error: {
            type: 'invalid_request_error',
            message:
              'You did not provide an API key. Provide it in the Authorization header as a Bearer token.',
          },
        },
      });
    }
    const failureIndex = failures.findIndex(
      (f) => (f.method ?? method) === method && f.path.test(path),
    );
    const injected = failures[failureIndex];
    if (injected) {
      consume(failures, failureIndex);
      return send({
        status: injected.status ?? 500,
        body: {
          error: {
            type: 'api_error',
            message: 'An unknown error occurred (injected by the local Stripe test double).',
          },
        },
      });
    }

    const scope = idempotencyKey === undefined ? undefined : `${apiKey}:${idempotencyKey}`;
    const fingerprint = requestHash({ method, path, params });
    const previous = scope === undefined ? undefined : saved.get(scope);
    if (scope !== undefined && previous !== undefined) {
      if (previous.fingerprint !== fingerprint) {
        return send({
          status: 400,
          body: {
            error: {
              type: 'idempotency_error',
              message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${idempotencyKey}' if you meant to execute a different request.`,
            },
          },
        });
      }
      return send(previous.result, true);
    }

    // Endpoints run synchronously, so no second request can see this key in
    // flight; Stripe would answer that one 409 idempotency_key_in_use.
    const result = route(method, path, params);
    if (scope !== undefined && result.saved) saved.set(scope, { fingerprint, result });
    const delayIndex = delays.findIndex((d) => d.path.test(path));
    const delay = delays[delayIndex];
    record(result, false);
    if (delay) {
      consume(delays, delayIndex);
      await new Promise((resolve) => setTimeout(resolve, delay.ms));
      // The client gave up; the effect stays applied and saved, as at Stripe.
      if (response.destroyed || request.destroyed) return;
    }
    write(result, false);
  };

  const server = http.createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      response.writeHead(500, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ error: { type: 'api_error', message: String(error) } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    host: '127.0.0.1',
    port,
    failNext: (rule) => failures.push(rule),
    delayNext: (rule) => delays.push(rule),
    requests: () => [...log],
    completeOnboarding: (accountId) => api.completeOnboarding(accountId),
    authenticate: (paymentIntentId, outcome) => {
      const intent = api.authenticate(paymentIntentId, outcome);
      return intent === undefined ? undefined : { ...intent };
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
};
