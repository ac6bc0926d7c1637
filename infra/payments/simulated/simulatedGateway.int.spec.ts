import { expect } from 'chai';
import {
  PaymentIdempotencyMismatchError,
  PaymentInvalidRequestError,
} from '../../../commands/payments/paymentGateway.ts';
import { money } from '../../../domain/shared/money.ts';
import { rejection, useSimulatedGateway } from './simulatedGatewayFixture.ts';
import {
  getSimulatedPaymentGateway,
  type SimulatedPaymentGateway,
} from './simulatedPaymentGateway.ts';

describe('simulated payment gateway (PostgreSQL)', () => {
  const fx = useSimulatedGateway();
  const authorize: typeof fx.authorize = (overrides) => fx.authorize(overrides);
  const authorizeRequest: typeof fx.authorizeRequest = (overrides) =>
    fx.authorizeRequest(overrides);
  const operations = () => fx.operations();
  let gateway: SimulatedPaymentGateway;
  let reservationId: string;
  beforeEach(() => {
    gateway = fx.gateway;
    reservationId = fx.reservationId;
  });
  describe('money movements', () => {
    it('authorizes with an id derived from the idempotency key, then captures in full', async () => {
      const auth = await authorize();
      expect(auth).to.deep.equal({
        authorizationId: auth.authorizationId,
        status: 'authorized',
        amount: money(10_000, 'EUR'),
      });
      expect(auth.authorizationId).to.match(/^pi_sim_[0-9a-f]{24}$/);
      const other = getSimulatedPaymentGateway(fx.db.pool);
      expect((await other.authorize(authorizeRequest())).authorizationId).to.equal(
        auth.authorizationId,
      );

      const capture = await gateway.capture({
        idempotencyKey: `requester-capture-${reservationId}-1`,
        authorizationId: auth.authorizationId,
      });
      expect(capture).to.include({ authorizationId: auth.authorizationId, status: 'captured' });
      expect(capture.amount).to.deep.equal(money(10_000, 'EUR'));
      expect(capture.captureId).to.match(/^ch_sim_/);
      expect(await operations()).to.deep.equal(['authorize:10000', 'capture:10000']);
    });

    it('captures part of an authorization, once', async () => {
      const auth = await authorize();
      const capture = await gateway.capture({
        idempotencyKey: `c-${reservationId}-1`,
        authorizationId: auth.authorizationId,
        amount: money(6_000, 'EUR'),
      });
      expect(capture.amount.amount).to.equal(6_000);
      const again = await rejection(
        gateway.capture({
          idempotencyKey: `c-${reservationId}-2`,
          authorizationId: auth.authorizationId,
          amount: money(1_000, 'EUR'),
        }),
      );
      expect(again)
        .to.be.instanceOf(PaymentInvalidRequestError)
        .with.property('reason', 'unexpected_state');
    });

    it('cancels an open authorization', async () => {
      const auth = await authorize();
      const cancelled = await gateway.cancelAuthorization({
        idempotencyKey: `cancel-${reservationId}-1`,
        authorizationId: auth.authorizationId,
      });
      expect(cancelled).to.deep.equal({
        authorizationId: auth.authorizationId,
        status: 'cancelled',
      });
      expect(await operations()).to.deep.equal(['authorize:10000', 'cancelAuthorization:10000']);
    });

    it('refunds partially, then the rest, and no more', async () => {
      const auth = await authorize();
      await gateway.capture({
        idempotencyKey: `c-${reservationId}-1`,
        authorizationId: auth.authorizationId,
        amount: money(8_000, 'EUR'),
      });
      const part = await gateway.refund({
        idempotencyKey: `r-${reservationId}-1`,
        authorizationId: auth.authorizationId,
        amount: money(3_000, 'EUR'),
      });
      expect(part).to.include({ authorizationId: auth.authorizationId, status: 'succeeded' });
      expect(part.amount.amount).to.equal(3_000);
      const rest = await gateway.refund({
        idempotencyKey: `r-${reservationId}-2`,
        authorizationId: auth.authorizationId,
      });
      expect(rest.amount).to.deep.equal(money(5_000, 'EUR'));
      const more = await rejection(
        gateway.refund({
          idempotencyKey: `r-${reservationId}-3`,
          authorizationId: auth.authorizationId,
          amount: money(1, 'EUR'),
        }),
      );
      expect(more)
        .to.be.instanceOf(PaymentInvalidRequestError)
        .with.property('reason', 'already_refunded');
      expect(await operations()).to.deep.equal([
        'authorize:10000',
        'capture:8000',
        'refund:3000',
        'refund:5000',
      ]);
    });

    it("transfers to a connected account within the booking's transfer group", async () => {
      const transfer = await gateway.transfer({
        idempotencyKey: `payout-${reservationId}-1`,
        amount: money(7_500, 'EUR'),
        destinationAccount: 'acct_vendor_1',
        transferGroup: 'BK-123',
        metadata: authorizeRequest().metadata,
      });
      expect(transfer).to.deep.equal({
        transferId: transfer.transferId,
        destinationAccount: 'acct_vendor_1',
        transferGroup: 'BK-123',
        amount: money(7_500, 'EUR'),
      });
      expect(transfer.transferId).to.match(/^tr_sim_/);
      expect(await operations()).to.deep.equal(['transfer:7500']);
    });
  });

  describe('money rules', () => {
    it('refuses to capture more than authorized', async () => {
      const auth = await authorize();
      const error = await rejection(
        gateway.capture({
          idempotencyKey: `c-${reservationId}-1`,
          authorizationId: auth.authorizationId,
          amount: money(10_001, 'EUR'),
        }),
      );
      expect(error)
        .to.be.instanceOf(PaymentInvalidRequestError)
        .with.property('reason', 'amount_too_large');
      expect(await operations()).to.deep.equal(['authorize:10000']);
    });

    it('refuses to capture after cancel, and to cancel after capture', async () => {
      const first = await authorize();
      await gateway.cancelAuthorization({
        idempotencyKey: `x-${reservationId}-1`,
        authorizationId: first.authorizationId,
      });
      const capture = await rejection(
        gateway.capture({
          idempotencyKey: `c-${reservationId}-1`,
          authorizationId: first.authorizationId,
        }),
      );
      expect(capture)
        .to.be.instanceOf(PaymentInvalidRequestError)
        .with.property('reason', 'unexpected_state');

      const second = await authorize({ idempotencyKey: `requester-auth-${reservationId}-2` });
      await gateway.capture({
        idempotencyKey: `c-${reservationId}-2`,
        authorizationId: second.authorizationId,
      });
      const cancel = await rejection(
        gateway.cancelAuthorization({
          idempotencyKey: `x-${reservationId}-2`,
          authorizationId: second.authorizationId,
        }),
      );
      expect(cancel)
        .to.be.instanceOf(PaymentInvalidRequestError)
        .with.property('reason', 'unexpected_state');
    });

    it('refuses to refund more than captured, an uncaptured authorization, another currency, a non-positive amount', async () => {
      const auth = await authorize();
      const uncaptured = await rejection(
        gateway.refund({
          idempotencyKey: `r-${reservationId}-1`,
          authorizationId: auth.authorizationId,
        }),
      );
      expect(uncaptured)
        .to.be.instanceOf(PaymentInvalidRequestError)
        .with.property('reason', 'unexpected_state');
      await gateway.capture({
        idempotencyKey: `c-${reservationId}-1`,
        authorizationId: auth.authorizationId,
        amount: money(4_000, 'EUR'),
      });
      const tooMuch = await rejection(
        gateway.refund({
          idempotencyKey: `r-${reservationId}-2`,
          authorizationId: auth.authorizationId,
          amount: money(4_001, 'EUR'),
        }),
      );
      expect(tooMuch)
        .to.be.instanceOf(PaymentInvalidRequestError)
        .with.property('reason', 'amount_too_large');
      const currency = await rejection(
        gateway.refund({
          idempotencyKey: `r-${reservationId}-3`,
          authorizationId: auth.authorizationId,
          amount: money(100, 'USD'),
        }),
      );
      expect(currency)
        .to.be.instanceOf(PaymentInvalidRequestError)
        .with.property('reason', 'currency_mismatch');
      const zero = await rejection(
        gateway.refund({
          idempotencyKey: `r-${reservationId}-4`,
          authorizationId: auth.authorizationId,
          amount: money(0, 'EUR'),
        }),
      );
      expect(zero)
        .to.be.instanceOf(PaymentInvalidRequestError)
        .with.property('reason', 'invalid_amount');
      const missing = await rejection(
        gateway.capture({ idempotencyKey: `c-${reservationId}-9`, authorizationId: 'pi_sim_nope' }),
      );
      expect(missing)
        .to.be.instanceOf(PaymentInvalidRequestError)
        .with.property('reason', 'not_found');
      expect(await operations()).to.deep.equal(['authorize:10000', 'capture:4000']);
    });
  });

  describe('idempotency', () => {
    it('replays the first result for the same key and parameters, with one effect', async () => {
      const first = await authorize();
      const replay = await authorize();
      expect(replay).to.deep.equal(first);
      const capture = {
        idempotencyKey: `c-${reservationId}-1`,
        authorizationId: first.authorizationId,
        amount: money(2_500, 'EUR'),
      };
      expect(await gateway.capture(capture)).to.deep.equal(await gateway.capture(capture));
      expect(await operations()).to.deep.equal(['authorize:10000', 'capture:2500']);
    });

    it('replays a final refusal too, as Stripe does', async () => {
      const auth = await authorize();
      const request = {
        idempotencyKey: `c-${reservationId}-1`,
        authorizationId: auth.authorizationId,
        amount: money(20_000, 'EUR'),
      };
      expect(await rejection(gateway.capture(request))).to.be.instanceOf(
        PaymentInvalidRequestError,
      );
      expect(await rejection(gateway.capture(request)))
        .to.be.instanceOf(PaymentInvalidRequestError)
        .with.property('reason', 'amount_too_large');
    });

    it('refuses the same key with different parameters or for another operation', async () => {
      const auth = await authorize();
      const amount = await rejection(authorize({ amount: money(10_001, 'EUR') }));
      expect(amount)
        .to.be.instanceOf(PaymentIdempotencyMismatchError)
        .with.property('idempotencyKey', `requester-auth-${reservationId}-1`);
      const operation = await rejection(
        gateway.cancelAuthorization({
          idempotencyKey: `requester-auth-${reservationId}-1`,
          authorizationId: auth.authorizationId,
        }),
      );
      expect(operation).to.be.instanceOf(PaymentIdempotencyMismatchError);
      expect(await operations()).to.deep.equal(['authorize:10000']);
    });

    it('makes one effect from concurrent calls with one key', async () => {
      const results = await Promise.all(Array.from({ length: 4 }, () => authorize()));
      expect(new Set(results.map((r) => r.authorizationId)).size).to.equal(1);
      const auth = results[0]!;
      const capture = {
        idempotencyKey: `c-${reservationId}-1`,
        authorizationId: auth.authorizationId,
        amount: money(3_000, 'EUR'),
      };
      const captures = await Promise.all([
        gateway.capture(capture),
        gateway.capture(capture),
        gateway.capture(capture),
      ]);
      expect(new Set(captures.map((c) => c.captureId)).size).to.equal(1);
      expect(await operations()).to.deep.equal(['authorize:10000', 'capture:3000']);
    });

    it('lets only one of two concurrent captures with different keys win', async () => {
      const auth = await authorize();
      const outcomes = await Promise.allSettled([
        gateway.capture({
          idempotencyKey: `c-${reservationId}-1`,
          authorizationId: auth.authorizationId,
        }),
        gateway.capture({
          idempotencyKey: `c-${reservationId}-2`,
          authorizationId: auth.authorizationId,
        }),
      ]);
      expect(outcomes.map((o) => o.status).sort()).to.deep.equal(['fulfilled', 'rejected']);
      expect(await operations()).to.deep.equal(['authorize:10000', 'capture:10000']);
    });
  });
});
