import { expect } from 'chai';
import { PaymentInvalidRequestError } from '../../../commands/payments/paymentGateway.ts';
import { describePaymentGatewayContract } from '../../../commands/payments/testing/paymentGatewayContract.ts';
import { money } from '../../../domain/shared/money.ts';
import { createTestDatabase } from '../../postgres/testing.ts';
import { createPaymentScript } from './paymentScript.ts';
import { rejection, useSimulatedGateway } from './simulatedGatewayFixture.ts';
import { getSimulatedPaymentGateway } from './simulatedPaymentGateway.ts';

describePaymentGatewayContract('simulated (PostgreSQL)', async () => {
  const db = await createTestDatabase({ max: 5, prefix: 'paycontract' });
  const script = createPaymentScript();
  const gateway = getSimulatedPaymentGateway(db.pool, { script });
  return {
    gateway,
    authenticate: (id, outcome) => gateway.authenticate(id, outcome),
    faults: {
      failNext: (operation) => script.add({ operation, failure: { kind: '5xx' }, times: 1 }),
      timeoutAfterEffectNext: (operation) =>
        script.add({ operation, failure: { kind: 'timeout', effect: 'applied' }, times: 1 }),
    },
    transfers: true,
    destinationAccount: 'acct_sim_vendor',
    listLagMs: 0,
    dispose: () => db.dispose(),
  };
});

describe('simulated payment gateway: what only the simulator promises', () => {
  const fx = useSimulatedGateway();

  it('derives ids from the idempotency key, so another instance answers the same id', async () => {
    const auth = await fx.authorize();
    expect(auth.authorizationId).to.match(/^pi_sim_[0-9a-f]{24}$/);
    const other = getSimulatedPaymentGateway(fx.db.pool);
    expect((await other.authorize(fx.authorizeRequest())).authorizationId).to.equal(
      auth.authorizationId,
    );
    const capture = await fx.gateway.capture({
      idempotencyKey: `requester-capture-${fx.reservationId}-1`,
      authorizationId: auth.authorizationId,
    });
    expect(capture.captureId).to.match(/^ch_sim_/);
    expect(await fx.operations()).to.deep.equal(['authorize:10000', 'capture:10000']);
  });

  it('records every effect in order for listOperations', async () => {
    const auth = await fx.authorize();
    await fx.gateway.capture({
      idempotencyKey: `c-${fx.reservationId}-1`,
      authorizationId: auth.authorizationId,
      amount: money(8_000, 'EUR'),
    });
    await fx.gateway.refund({
      idempotencyKey: `r-${fx.reservationId}-1`,
      authorizationId: auth.authorizationId,
      amount: money(3_000, 'EUR'),
    });
    const cancelled = await fx.authorize({ idempotencyKey: `vendor-auth-${fx.reservationId}-1` });
    await fx.gateway.cancelAuthorization({
      idempotencyKey: `x-${fx.reservationId}-1`,
      authorizationId: cancelled.authorizationId,
    });
    expect(await fx.operations()).to.deep.equal([
      'authorize:10000',
      'capture:8000',
      'refund:3000',
      'authorize:10000',
      'cancelAuthorization:10000',
    ]);
  });

  it('refuses a refund in another currency and a non-positive amount', async () => {
    const auth = await fx.authorize();
    await fx.gateway.capture({
      idempotencyKey: `c-${fx.reservationId}-1`,
      authorizationId: auth.authorizationId,
    });
    const currency = await rejection(
      fx.gateway.refund({
        idempotencyKey: `r-${fx.reservationId}-1`,
        authorizationId: auth.authorizationId,
        amount: money(100, 'USD'),
      }),
    );
    expect(currency)
      .to.be.instanceOf(PaymentInvalidRequestError)
      .with.property('reason', 'currency_mismatch');
    const zero = await rejection(
      fx.gateway.refund({
        idempotencyKey: `r-${fx.reservationId}-2`,
        authorizationId: auth.authorizationId,
        amount: money(0, 'EUR'),
      }),
    );
    expect(zero)
      .to.be.instanceOf(PaymentInvalidRequestError)
      .with.property('reason', 'invalid_amount');
    expect(await fx.operations()).to.deep.equal(['authorize:10000', 'capture:10000']);
  });

  it('declines a declining test card and replays that decline for its key', async () => {
    const request = { paymentMethod: 'pm_card_chargeDeclinedFraudulent' };
    expect(await rejection(fx.authorize(request))).to.have.property('declineCode', 'fraudulent');
    expect(await rejection(fx.authorize(request))).to.have.property('declineCode', 'fraudulent');
    expect(await fx.operations()).to.deep.equal([]);
  });
});
