import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import type Stripe from 'stripe';
import type {
  AuthorizeRequest,
  PaymentGateway,
  PaymentOperation,
} from '../../../commands/payments/paymentGateway.ts';
import { describePaymentGatewayContract } from '../../../commands/payments/testing/paymentGatewayContract.ts';
import { money } from '../../../domain/shared/money.ts';
import { startLocalStripeServer, type LocalStripeServer } from './localStripeServer.ts';
import { createStripeClient, getStripePaymentGateway } from './stripePaymentGateway.ts';

const PATHS: Readonly<Record<PaymentOperation, RegExp>> = {
  authorize: /^\/v1\/payment_intents$/,
  capture: /\/capture$/,
  cancelAuthorization: /\/cancel$/,
  refund: /^\/v1\/refunds$/,
  transfer: /^\/v1\/transfers$/,
  retrieve: /^\/v1\/payment_intents\/pi_/,
};

const overLocalDouble = async (timeoutMs = 300) => {
  const server = await startLocalStripeServer();
  const stripe = createStripeClient({
    secretKey: 'sk_test_local_double',
    host: server.host,
    port: server.port,
    protocol: 'http',
    timeoutMs,
  });
  return { server, stripe, gateway: getStripePaymentGateway(stripe) };
};

describePaymentGatewayContract('Stripe over the local Stripe API double', async () => {
  const { server, gateway } = await overLocalDouble();
  return {
    gateway,
    faults: {
      failNext: (operation) => server.failNext({ path: PATHS[operation], status: 503 }),
      timeoutAfterEffectNext: (operation) => server.delayNext({ path: PATHS[operation], ms: 600 }),
    },
    transfers: true,
    destinationAccount: 'acct_vendor42',
    listLagMs: 0,
    authenticate: (id, outcome) => {
      if (server.authenticate(id, outcome) === undefined)
        return Promise.reject(new Error(`${id} does not wait for authentication`));
      return Promise.resolve();
    },
    dispose: () => server.close(),
  };
});

describePaymentGatewayContract('Stripe test mode', () => {
  const secretKey = process.env['STRIPE_SECRET_KEY'] ?? '';
  if (!secretKey.startsWith('sk_test_'))
    return Promise.resolve(
      'Stripe test-mode suite skipped: set STRIPE_SECRET_KEY=sk_test_… to run it',
    );
  return Promise.resolve({
    gateway: getStripePaymentGateway(createStripeClient({ secretKey, timeoutMs: 20_000 })),
    // Transfers need a connected test account with an available balance.
    transfers: false,
    destinationAccount: '',
    // Stripe's search index lags writes by seconds, rarely more.
    listLagMs: 90_000,
    dispose: () => Promise.resolve(),
  });
});

describe('Stripe adapter: what it sends to Stripe (local API double)', () => {
  let server: LocalStripeServer;
  let stripe: Stripe;
  let gateway: PaymentGateway;
  let reservationId: string;
  const posts = (path: RegExp) =>
    server.requests().filter((r) => r.method === 'POST' && path.test(r.path));
  const authorizeRequest = (overrides: Partial<AuthorizeRequest> = {}): AuthorizeRequest => ({
    idempotencyKey: `requester-auth-${reservationId}-1`,
    amount: money(5_000, 'EUR'),
    paymentMethod: 'pm_card_visa',
    metadata: { reservationId, bookingReference: 'BK-7F3K', partnerId: 'partner-9', attempt: 1 },
    ...overrides,
  });

  before(async () => {
    ({ server, stripe, gateway } = await overLocalDouble());
  });
  after(async () => {
    await server.close();
  });
  beforeEach(() => {
    reservationId = randomUUID();
  });

  it('authorizes a manual-capture PaymentIntent with metadata, transfer group and the key', async () => {
    const auth = await gateway.authorize(authorizeRequest());
    const [sent] = posts(PATHS.authorize).slice(-1);
    expect(sent?.idempotencyKey).to.equal(`requester-auth-${reservationId}-1`);
    expect(sent?.params).to.deep.include({
      amount: '5000',
      currency: 'eur',
      capture_method: 'manual',
      confirm: 'true',
      payment_method: 'pm_card_visa',
      transfer_group: 'BK-7F3K',
    });
    expect(sent?.params['metadata']).to.deep.equal({
      reservation_id: reservationId,
      booking_id: 'BK-7F3K',
      partner_id: 'partner-9',
      attempt: '1',
    });
    const capture = await gateway.capture({
      idempotencyKey: `c-${reservationId}-1`,
      authorizationId: auth.authorizationId,
      amount: money(3_200, 'EUR'),
    });
    expect(capture.captureId).to.match(/^ch_/);
    expect(posts(PATHS.capture).slice(-1)[0]?.params).to.deep.equal({ amount_to_capture: '3200' });
    expect(await stripe.paymentIntents.retrieve(auth.authorizationId)).to.include({
      status: 'succeeded',
      amount_received: 3_200,
      amount_capturable: 0,
    });
  });

  it('refunds by payment_intent and transfers with destination and transfer_group', async () => {
    const auth = await gateway.authorize(authorizeRequest());
    await gateway.capture({
      idempotencyKey: `c-${reservationId}-1`,
      authorizationId: auth.authorizationId,
    });
    await gateway.refund({
      idempotencyKey: `r-${reservationId}-1`,
      authorizationId: auth.authorizationId,
      amount: money(1_500, 'EUR'),
    });
    expect(posts(PATHS.refund).slice(-1)[0]?.params).to.deep.equal({
      payment_intent: auth.authorizationId,
      amount: '1500',
    });
    await gateway.transfer({
      idempotencyKey: `payout-${reservationId}-1`,
      amount: money(4_250, 'EUR'),
      destinationAccount: 'acct_vendor42',
      transferGroup: 'BK-7F3K',
      metadata: authorizeRequest().metadata,
    });
    expect(posts(PATHS.transfer).slice(-1)[0]?.params).to.deep.include({
      destination: 'acct_vendor42',
      transfer_group: 'BK-7F3K',
      amount: '4250',
      currency: 'eur',
    });
  });

  it('lists by a metadata search, refunds by payment_intent and transfers by transfer_group', async () => {
    await gateway.listPayments({ reservationId, transferGroup: 'BK-7F3K' });
    const gets = server.requests().filter((r) => r.method === 'GET');
    expect(gets.map((r) => r.path)).to.include.members([
      '/v1/payment_intents/search',
      '/v1/transfers',
    ]);
    expect(gets.find((r) => r.path === '/v1/payment_intents/search')?.params).to.deep.include({
      query: `metadata['reservation_id']:'${reservationId}'`,
    });
    expect(gets.find((r) => r.path === '/v1/transfers')?.params).to.deep.include({
      transfer_group: 'BK-7F3K',
    });
  });

  it('sends a replayed key once more and Stripe answers Idempotent-Replayed; no SDK retry on 5xx', async () => {
    await gateway.authorize(authorizeRequest());
    await gateway.authorize(authorizeRequest());
    const sent = posts(PATHS.authorize).filter(
      (r) => r.idempotencyKey === `requester-auth-${reservationId}-1`,
    );
    expect(sent.map((r) => r.replayed)).to.deep.equal([false, true]);
    server.failNext({ path: PATHS.authorize, status: 500 });
    const before = posts(PATHS.authorize).length;
    await gateway
      .authorize(authorizeRequest({ idempotencyKey: `requester-auth-${reservationId}-2` }))
      .catch(() => undefined);
    expect(posts(PATHS.authorize).length - before).to.equal(1);
  });
});
