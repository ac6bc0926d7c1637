import { expect } from 'chai';
import {
  PaymentDeclinedError,
  PaymentProviderUnavailableError,
} from '../../../commands/payments/paymentGateway.ts';
import { money } from '../../../domain/shared/money.ts';
import { parsePaymentScript } from './paymentScript.ts';
import { rejection, useSimulatedGateway } from './simulatedGatewayFixture.ts';
import type { SimulatedPaymentGateway } from './simulatedPaymentGateway.ts';

describe('simulated payment gateway: scripted failures (PostgreSQL)', () => {
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
  describe('scripted failures', () => {
    it('declines an authorization, finally, and recorded for that key', async () => {
      gateway.script.add({
        operation: 'authorize',
        match: { reservationId, attempt: 1 },
        failure: { kind: 'decline', declineCode: 'insufficient_funds' },
        times: 1,
      });
      const error = await rejection(authorize());
      expect(error)
        .to.be.instanceOf(PaymentDeclinedError)
        .with.property('declineCode', 'insufficient_funds');
      expect(await rejection(authorize())).to.be.instanceOf(PaymentDeclinedError);
      const next = await authorize({
        idempotencyKey: `requester-auth-${reservationId}-2`,
        metadata: { ...authorizeRequest().metadata, attempt: 2 },
      });
      expect(next.status).to.equal('authorized');
      expect(await operations()).to.deep.equal(['authorize:10000']);
    });

    it('times out before the effect: nothing happens, the same key then succeeds', async () => {
      gateway.script.add({
        operation: 'authorize',
        match: { reservationId },
        failure: { kind: 'timeout', effect: 'notApplied' },
        times: 1,
      });
      const error = await rejection(authorize());
      expect(error)
        .to.be.instanceOf(PaymentProviderUnavailableError)
        .with.property('reason', 'timeout');
      expect((error as PaymentProviderUnavailableError).retryable).to.equal(true);
      expect(await operations()).to.deep.equal([]);
      await authorize();
      expect(await operations()).to.deep.equal(['authorize:10000']);
    });

    it('times out after the effect: the charge happened, the retry replays it without a second one', async () => {
      const auth = await authorize();
      gateway.script.add({
        operation: 'capture',
        match: { amount: 10_000 },
        failure: { kind: 'timeout', effect: 'applied' },
        times: 1,
      });
      const capture = {
        idempotencyKey: `c-${reservationId}-1`,
        authorizationId: auth.authorizationId,
      };
      expect(await rejection(gateway.capture(capture))).to.be.instanceOf(
        PaymentProviderUnavailableError,
      );
      expect(await operations()).to.deep.equal(['authorize:10000', 'capture:10000']);
      const retried = await gateway.capture(capture);
      expect(retried.amount.amount).to.equal(10_000);
      expect(await operations()).to.deep.equal(['authorize:10000', 'capture:10000']);
    });

    it('answers 5xx without an effect, every time unless limited', async () => {
      gateway.script.add({ operation: 'transfer', failure: { kind: '5xx', status: 503 } });
      const transfer = {
        idempotencyKey: `payout-${reservationId}-1`,
        amount: money(100, 'EUR'),
        destinationAccount: 'acct_1',
        transferGroup: 'BK-1',
        metadata: authorizeRequest().metadata,
      };
      for (let i = 0; i < 2; i += 1) {
        const error = await rejection(gateway.transfer(transfer));
        expect(error)
          .to.be.instanceOf(PaymentProviderUnavailableError)
          .with.property('reason', 'server_error');
      }
      gateway.script.clear();
      await gateway.transfer(transfer);
      expect(await operations()).to.deep.equal(['transfer:100']);
    });

    it('fails the vendor capture only, leaving its authorization open for release', async () => {
      gateway.script.add({
        operation: 'capture',
        match: { idempotencyKeyPrefix: 'vendor-capture-' },
        failure: { kind: 'captureFailure' },
      });
      const vendor = await authorize({
        idempotencyKey: `vendor-auth-${reservationId}-1`,
        amount: money(2_000, 'EUR'),
      });
      const requester = await authorize();
      const failed = await rejection(
        gateway.capture({
          idempotencyKey: `vendor-capture-${reservationId}-1`,
          authorizationId: vendor.authorizationId,
        }),
      );
      expect(failed)
        .to.be.instanceOf(PaymentDeclinedError)
        .with.property('declineCode', 'capture_failed');
      await gateway.capture({
        idempotencyKey: `requester-capture-${reservationId}-1`,
        authorizationId: requester.authorizationId,
      });
      await gateway.cancelAuthorization({
        idempotencyKey: `vendor-release-${reservationId}-1`,
        authorizationId: vendor.authorizationId,
      });
      await gateway.refund({
        idempotencyKey: `requester-refund-${reservationId}-1`,
        authorizationId: requester.authorizationId,
      });
      expect(await operations()).to.deep.equal([
        'authorize:2000',
        'authorize:10000',
        'capture:10000',
        'cancelAuthorization:2000',
        'refund:10000',
      ]);
    });

    it('parses a script from configuration JSON', () => {
      const rules = parsePaymentScript(
        '[{"operation":"capture","match":{"attempt":1},"failure":"timeoutAfterEffect","times":2},{"operation":"authorize","failure":"decline"}]',
      );
      expect(rules).to.deep.equal([
        {
          operation: 'capture',
          match: { attempt: 1 },
          failure: { kind: 'timeout', effect: 'applied' },
          times: 2,
        },
        { operation: 'authorize', failure: { kind: 'decline' } },
      ]);
      expect(() => parsePaymentScript('[{"operation":"charge","failure":"decline"}]')).to.throw();
    });
  });
});
