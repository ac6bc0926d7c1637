import { expect } from 'chai';
import {
  createSagaHarness,
  expectNoSagaErrors,
  type SagaHarness,
} from '../../../infra/processManagers/testing/sagaHarness.ts';
import { PaymentInvalidRequestError } from '../paymentGateway.ts';
import { EUR, placeBooking, quoteFor, reservationCommand } from './testing/sagaFixtures.ts';

const DAY = 24 * 3_600_000;

/**
 * Card authorizations lapse after 7 days (Stripe cancels an uncaptured
 * PaymentIntent). The saga captures into escrow at the commit, minutes after
 * authorizing, so a booking whose stay is weeks away never holds an
 * authorization long enough to lapse (docs/payments.md "Authorization expiry").
 */
describe('payment saga: authorization expiry (capture into escrow at commit)', function () {
  this.timeout(40_000);
  let h: SagaHarness;
  beforeEach(async () => {
    h = await createSagaHarness({ disputeWindowHours: 24 });
    h.start();
  });
  afterEach(async () => h.dispose());
  const now = () => h.clock.now().toISOString();

  it('the provider lapses an authorization left uncaptured for 7 days (what holding until check-in would meet)', async () => {
    const auth = await h.gateway.authorize({
      idempotencyKey: 'requester-auth-r-lapse-1',
      amount: EUR(44_720),
      paymentMethod: 'pm_card_visa',
      metadata: { reservationId: 'r-lapse', bookingReference: 'BK-L', partnerId: 'p', attempt: 1 },
    });
    h.clock.advance(7 * DAY - 60_000);
    expect((await h.gateway.retrievePayment(auth.authorizationId)).status).to.equal('authorized');
    h.clock.advance(2 * 60_000);
    expect((await h.gateway.retrievePayment(auth.authorizationId)).status).to.equal('cancelled');
    const error = await h.gateway
      .capture({
        idempotencyKey: 'requester-capture-r-lapse-1',
        authorizationId: auth.authorizationId,
      })
      .catch((e: unknown) => e);
    expect(error)
      .to.be.instanceOf(PaymentInvalidRequestError)
      .with.property('reason', 'unexpected_state');
  });

  it('a booking 23 days ahead is captured at commit: 8 and 16 days later nothing has lapsed, an extension is collected and a cancellation refunded', async () => {
    const id = 'r-far-ahead';
    await placeBooking(h.write, h.clock, {
      reservationId: id,
      resourceId: 'room-far',
      policy: 'vendor',
      deposit: 5_000,
    });
    await h.waitForStatus(id, 'AWAITING_VENDOR_CONFIRMATION');
    await reservationCommand(h.write, { type: 'ConfirmByVendor', reservationId: id, now: now() });
    await h.waitForStatus(id, 'CONFIRMED');
    const booked = await h.waitForSaga(id, (s) => s.commit === 'succeeded');
    const authorizationOf = (step: 'requester-auth' | 'vendor-auth') => {
      const state = booked.steps[step];
      return state?.status === 'succeeded' ? state.providerId : '';
    };
    // Captured at commit, on the day of booking, not at check-in on Dec 24.
    const captures = (await h.gateway.listOperations(id)).filter((o) => o.operation === 'capture');
    expect(captures.map((o) => o.amount.amount)).to.have.members([5_000, 44_720]);

    h.clock.advance(8 * DAY);
    for (const step of ['requester-auth', 'vendor-auth'] as const) {
      const seen = await h.gateway.retrievePayment(authorizationOf(step));
      expect(seen.status, step).to.equal('captured');
    }
    await reservationCommand(h.write, {
      type: 'Extend',
      reservationId: id,
      now: now(),
      addedSlots: ['2026-12-26', '2026-12-27'],
      endsAt: '2026-12-27T23:00:00.000Z',
      additionalQuote: quoteFor(now(), 30_000),
    });
    const extended = await h.waitForSaga(
      id,
      (s) => s.steps['settle-capture']?.status === 'succeeded',
    );
    expect(extended.settlement.charges.map((c) => c.captured)).to.deep.equal([44_720, 33_540]);

    h.clock.advance(8 * DAY);
    for (const charge of extended.settlement.charges)
      expect((await h.gateway.retrievePayment(charge.authorizationId)).status).to.equal('captured');
    await reservationCommand(h.write, {
      type: 'Cancel',
      reservationId: id,
      now: now(),
      by: 'vendor',
      reason: 'Boiler broke.',
    });
    const cancelled = await h.waitForSaga(
      id,
      (s) =>
        s.settlement.ended === 'cancelled-by-vendor' &&
        s.settlement.charges.every((c) => c.refunded === c.captured),
    );
    expect(cancelled.settlement.charges.map((c) => c.refunded)).to.deep.equal([44_720, 33_540]);
    expect(
      (await h.gateway.listOperations(id))
        .filter((o) => o.operation === 'refund')
        .map((o) => o.amount.amount),
    ).to.have.members([44_720, 33_540]);
    expectNoSagaErrors(h);
  });
});
