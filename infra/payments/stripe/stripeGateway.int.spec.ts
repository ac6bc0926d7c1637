import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import type Stripe from 'stripe';
import {
  PaymentDeclinedError,
  PaymentIdempotencyMismatchError,
  PaymentInvalidRequestError,
  PaymentProviderUnavailableError,
  type AuthorizeRequest,
  type PaymentGateway,
} from '../../../commands/payments/paymentGateway.ts';
import { money } from '../../../domain/shared/money.ts';
import { startLocalStripeServer, type LocalStripeServer } from './localStripeServer.ts';
import { createStripeClient, getStripePaymentGateway } from './stripePaymentGateway.ts';

const rejection = async (promise: Promise<unknown>): Promise<unknown> => {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to be rejected, but it resolved');
};

const authorizeRequest = (
  reservationId: string,
  overrides: Partial<AuthorizeRequest> = {},
): AuthorizeRequest => ({
  idempotencyKey: `requester-auth-${reservationId}-1`,
  amount: money(5_000, 'EUR'),
  paymentMethod: 'pm_card_visa',
  metadata: { reservationId, bookingReference: 'BK-7F3K', partnerId: 'partner-9', attempt: 1 },
  ...overrides,
});

describe('Stripe gateway through the real SDK against the local Stripe test double', () => {
  let server: LocalStripeServer;
  let stripe: Stripe;
  let gateway: PaymentGateway;
  let reservationId: string;
  const posts = (path: RegExp) =>
    server.requests().filter((r) => r.method === 'POST' && path.test(r.path));

  before(async () => {
    server = await startLocalStripeServer();
    stripe = createStripeClient({
      secretKey: 'sk_test_local_double',
      host: server.host,
      port: server.port,
      protocol: 'http',
      timeoutMs: 300,
    });
    gateway = getStripePaymentGateway(stripe);
  });
  after(async () => {
    await server.close();
  });
  beforeEach(() => {
    reservationId = randomUUID();
  });

  it('authorizes with manual capture, metadata and the idempotency key, then captures in full', async () => {
    const auth = await gateway.authorize(authorizeRequest(reservationId));
    expect(auth).to.deep.equal({
      authorizationId: auth.authorizationId,
      status: 'authorized',
      amount: money(5_000, 'EUR'),
    });
    const [sent] = posts(/^\/v1\/payment_intents$/).slice(-1);
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
      idempotencyKey: `requester-capture-${reservationId}-1`,
      authorizationId: auth.authorizationId,
    });
    expect(capture).to.deep.include({
      authorizationId: auth.authorizationId,
      status: 'captured',
      amount: money(5_000, 'EUR'),
    });
    expect(capture.captureId).to.match(/^ch_/);
    const intent = await stripe.paymentIntents.retrieve(auth.authorizationId);
    expect(intent).to.include({
      status: 'succeeded',
      amount_received: 5_000,
      amount_capturable: 0,
    });
  });

  it('captures part of an authorization and refuses more than authorized', async () => {
    const auth = await gateway.authorize(authorizeRequest(reservationId));
    const tooMuch = await rejection(
      gateway.capture({
        idempotencyKey: `c-${reservationId}-1`,
        authorizationId: auth.authorizationId,
        amount: money(5_001, 'EUR'),
      }),
    );
    expect(tooMuch)
      .to.be.instanceOf(PaymentInvalidRequestError)
      .with.property('reason', 'amount_too_large');
    const capture = await gateway.capture({
      idempotencyKey: `c-${reservationId}-2`,
      authorizationId: auth.authorizationId,
      amount: money(3_200, 'EUR'),
    });
    expect(capture.amount).to.deep.equal(money(3_200, 'EUR'));
    expect(posts(/\/capture$/).slice(-1)[0]?.params).to.deep.equal({ amount_to_capture: '3200' });
  });

  it('cancels an authorization; no capture after cancel, no cancel after capture', async () => {
    const auth = await gateway.authorize(authorizeRequest(reservationId));
    expect(
      await gateway.cancelAuthorization({
        idempotencyKey: `x-${reservationId}-1`,
        authorizationId: auth.authorizationId,
      }),
    ).to.deep.equal({ authorizationId: auth.authorizationId, status: 'cancelled' });
    expect((await stripe.paymentIntents.retrieve(auth.authorizationId)).status).to.equal(
      'canceled',
    );
    const capture = await rejection(
      gateway.capture({
        idempotencyKey: `c-${reservationId}-1`,
        authorizationId: auth.authorizationId,
      }),
    );
    expect(capture)
      .to.be.instanceOf(PaymentInvalidRequestError)
      .with.property('reason', 'unexpected_state');

    const captured = await gateway.authorize(
      authorizeRequest(reservationId, { idempotencyKey: `requester-auth-${reservationId}-2` }),
    );
    await gateway.capture({
      idempotencyKey: `c-${reservationId}-2`,
      authorizationId: captured.authorizationId,
    });
    const cancel = await rejection(
      gateway.cancelAuthorization({
        idempotencyKey: `x-${reservationId}-2`,
        authorizationId: captured.authorizationId,
      }),
    );
    expect(cancel)
      .to.be.instanceOf(PaymentInvalidRequestError)
      .with.property('reason', 'unexpected_state');
  });

  it('refunds by PaymentIntent, partially then the rest, and no more', async () => {
    const auth = await gateway.authorize(authorizeRequest(reservationId));
    await gateway.capture({
      idempotencyKey: `c-${reservationId}-1`,
      authorizationId: auth.authorizationId,
    });
    const part = await gateway.refund({
      idempotencyKey: `r-${reservationId}-1`,
      authorizationId: auth.authorizationId,
      amount: money(1_500, 'EUR'),
    });
    expect(part).to.deep.include({
      authorizationId: auth.authorizationId,
      status: 'succeeded',
      amount: money(1_500, 'EUR'),
    });
    expect(part.refundId).to.match(/^re_/);
    expect(posts(/^\/v1\/refunds$/).slice(-1)[0]?.params).to.deep.equal({
      payment_intent: auth.authorizationId,
      amount: '1500',
    });
    const tooMuch = await rejection(
      gateway.refund({
        idempotencyKey: `r-${reservationId}-2`,
        authorizationId: auth.authorizationId,
        amount: money(3_501, 'EUR'),
      }),
    );
    expect(tooMuch)
      .to.be.instanceOf(PaymentInvalidRequestError)
      .with.property('reason', 'amount_too_large');
    expect(
      (
        await gateway.refund({
          idempotencyKey: `r-${reservationId}-3`,
          authorizationId: auth.authorizationId,
        })
      ).amount,
    ).to.deep.equal(money(3_500, 'EUR'));
    const again = await rejection(
      gateway.refund({
        idempotencyKey: `r-${reservationId}-4`,
        authorizationId: auth.authorizationId,
      }),
    );
    expect(again)
      .to.be.instanceOf(PaymentInvalidRequestError)
      .with.property('reason', 'already_refunded');
  });

  it('transfers to a connected account with transfer_group = booking reference', async () => {
    const transfer = await gateway.transfer({
      idempotencyKey: `payout-${reservationId}-1`,
      amount: money(4_250, 'EUR'),
      destinationAccount: 'acct_vendor42',
      transferGroup: 'BK-7F3K',
      metadata: authorizeRequest(reservationId).metadata,
    });
    expect(transfer).to.deep.include({
      destinationAccount: 'acct_vendor42',
      transferGroup: 'BK-7F3K',
      amount: money(4_250, 'EUR'),
    });
    expect(transfer.transferId).to.match(/^tr_/);
    expect(posts(/^\/v1\/transfers$/).slice(-1)[0]?.params).to.deep.include({
      destination: 'acct_vendor42',
      transfer_group: 'BK-7F3K',
      amount: '4250',
      currency: 'eur',
    });
  });

  it('replays the first response for a reused key with the same parameters (Idempotent-Replayed)', async () => {
    const first = await gateway.authorize(authorizeRequest(reservationId));
    const second = await gateway.authorize(authorizeRequest(reservationId));
    expect(second).to.deep.equal(first);
    const sent = posts(/^\/v1\/payment_intents$/).filter(
      (r) => r.idempotencyKey === `requester-auth-${reservationId}-1`,
    );
    expect(sent.map((r) => r.replayed)).to.deep.equal([false, true]);
  });

  it('refuses a reused key with different parameters (idempotency_error)', async () => {
    await gateway.authorize(authorizeRequest(reservationId));
    const error = await rejection(
      gateway.authorize(authorizeRequest(reservationId, { amount: money(5_001, 'EUR') })),
    );
    expect(error)
      .to.be.instanceOf(PaymentIdempotencyMismatchError)
      .with.property('idempotencyKey', `requester-auth-${reservationId}-1`);
  });

  it('translates a declined card into a final PaymentDeclinedError with its decline code', async () => {
    const error = await rejection(
      gateway.authorize(
        authorizeRequest(reservationId, {
          paymentMethod: 'pm_card_chargeDeclinedInsufficientFunds',
        }),
      ),
    );
    expect(error)
      .to.be.instanceOf(PaymentDeclinedError)
      .with.property('declineCode', 'insufficient_funds');
    expect((error as PaymentDeclinedError).retryable).to.equal(false);
    const generic = await rejection(
      gateway.authorize(
        authorizeRequest(reservationId, {
          idempotencyKey: `requester-auth-${reservationId}-2`,
          paymentMethod: 'pm_card_chargeDeclined',
        }),
      ),
    );
    expect(generic)
      .to.be.instanceOf(PaymentDeclinedError)
      .with.property('declineCode', 'generic_decline');
  });

  it('translates a 5xx into a retryable PaymentProviderUnavailableError, with no SDK retry', async () => {
    const auth = await gateway.authorize(authorizeRequest(reservationId));
    server.failNext({ path: /\/capture$/, status: 503 });
    const before = posts(/\/capture$/).length;
    const error = await rejection(
      gateway.capture({
        idempotencyKey: `c-${reservationId}-1`,
        authorizationId: auth.authorizationId,
      }),
    );
    expect(error)
      .to.be.instanceOf(PaymentProviderUnavailableError)
      .with.property('reason', 'server_error');
    expect((error as PaymentProviderUnavailableError).retryable).to.equal(true);
    expect(posts(/\/capture$/).length - before).to.equal(1);
    const retried = await gateway.capture({
      idempotencyKey: `c-${reservationId}-1`,
      authorizationId: auth.authorizationId,
    });
    expect(retried.amount).to.deep.equal(money(5_000, 'EUR'));
  });

  it('survives a timeout that hid a success: the same key replays the capture, charged once', async () => {
    const auth = await gateway.authorize(authorizeRequest(reservationId));
    server.delayNext({ path: /\/capture$/, ms: 600 });
    const request = {
      idempotencyKey: `c-${reservationId}-1`,
      authorizationId: auth.authorizationId,
      amount: money(2_000, 'EUR'),
    };
    const error = await rejection(gateway.capture(request));
    expect(error)
      .to.be.instanceOf(PaymentProviderUnavailableError)
      .with.property('reason', 'timeout');
    const retried = await gateway.capture(request);
    expect(retried.amount).to.deep.equal(money(2_000, 'EUR'));
    const sent = posts(/\/capture$/).filter((r) => r.idempotencyKey === request.idempotencyKey);
    expect(sent.map((r) => r.replayed)).to.deep.equal([false, true]);
    expect((await stripe.paymentIntents.retrieve(auth.authorizationId)).amount_received).to.equal(
      2_000,
    );
  });

  it('reports an unknown PaymentIntent as not found', async () => {
    const error = await rejection(
      gateway.cancelAuthorization({
        idempotencyKey: `x-${reservationId}-1`,
        authorizationId: 'pi_missing',
      }),
    );
    expect(error).to.be.instanceOf(PaymentInvalidRequestError).with.property('reason', 'not_found');
  });
});

describe('Stripe gateway against Stripe test mode', function () {
  this.timeout(60_000);
  const secretKey = process.env['STRIPE_SECRET_KEY'] ?? '';
  let gateway: PaymentGateway;
  let run: string;

  before(function () {
    if (!secretKey.startsWith('sk_test_')) {
      console.log(
        '      Stripe test-mode suite skipped: set STRIPE_SECRET_KEY=sk_test_… to run it',
      );
      this.skip();
    }
    gateway = getStripePaymentGateway(createStripeClient({ secretKey, timeoutMs: 20_000 }));
  });
  beforeEach(() => {
    // Keys live 24 h at Stripe: every run needs its own.
    run = randomUUID();
  });

  it('authorizes, captures part, refunds part, and refuses more than captured', async () => {
    const auth = await gateway.authorize(authorizeRequest(run));
    const capture = await gateway.capture({
      idempotencyKey: `c-${run}-1`,
      authorizationId: auth.authorizationId,
      amount: money(3_000, 'EUR'),
    });
    expect(capture.amount).to.deep.equal(money(3_000, 'EUR'));
    const refund = await gateway.refund({
      idempotencyKey: `r-${run}-1`,
      authorizationId: auth.authorizationId,
      amount: money(1_000, 'EUR'),
    });
    expect(refund.amount).to.deep.equal(money(1_000, 'EUR'));
    const tooMuch = await rejection(
      gateway.refund({
        idempotencyKey: `r-${run}-2`,
        authorizationId: auth.authorizationId,
        amount: money(2_001, 'EUR'),
      }),
    );
    expect(tooMuch).to.be.instanceOf(PaymentInvalidRequestError);
  });

  it('cancels an authorization and then refuses to capture it', async () => {
    const auth = await gateway.authorize(authorizeRequest(run));
    await gateway.cancelAuthorization({
      idempotencyKey: `x-${run}-1`,
      authorizationId: auth.authorizationId,
    });
    const error = await rejection(
      gateway.capture({ idempotencyKey: `c-${run}-1`, authorizationId: auth.authorizationId }),
    );
    expect(error)
      .to.be.instanceOf(PaymentInvalidRequestError)
      .with.property('reason', 'unexpected_state');
  });

  it('replays a reused key, refuses it with other parameters, and declines a declining card', async () => {
    const first = await gateway.authorize(authorizeRequest(run));
    expect(await gateway.authorize(authorizeRequest(run))).to.deep.equal(first);
    const mismatch = await rejection(
      gateway.authorize(authorizeRequest(run, { amount: money(5_001, 'EUR') })),
    );
    expect(mismatch).to.be.instanceOf(PaymentIdempotencyMismatchError);
    const declined = await rejection(
      gateway.authorize(
        authorizeRequest(run, {
          idempotencyKey: `requester-auth-${run}-2`,
          paymentMethod: 'pm_card_chargeDeclined',
        }),
      ),
    );
    expect(declined).to.be.instanceOf(PaymentDeclinedError);
  });
});
