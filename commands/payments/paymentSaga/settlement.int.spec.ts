import { expect } from 'chai';
import {
  createSagaHarness,
  expectNoSagaErrors,
  operationsOf,
  type SagaHarness,
} from '../../../infra/processManagers/testing/sagaHarness.ts';
import { checkLedger } from '../../../infra/processManagers/testing/ledgerCheck.ts';
import { retryDeadLetters } from '../retryDeadLetters.ts';
import { placeBooking, reservationCommand, type BookingSpec } from './testing/sagaFixtures.ts';

const policy = {
  tiers: [
    { minHoursBefore: 720, refund: { kind: 'percent' as const, basisPoints: 10_000 } },
    { minHoursBefore: 48, refund: { kind: 'percent' as const, basisPoints: 5_000 } },
  ],
  noShowFee: { kind: 'percent' as const, basisPoints: 2_500 },
};

describe('payment saga: escrow settlement, retries under the same key, dead letters', function () {
  this.timeout(30_000);
  let h: SagaHarness;
  let n = 0;
  beforeEach(async () => {
    h = await createSagaHarness({ disputeWindowHours: 24 });
    h.start();
  });
  afterEach(async () => h.dispose());

  const now = () => h.clock.now().toISOString();
  const booked = async (): Promise<BookingSpec> => {
    n += 1;
    const s: BookingSpec = {
      reservationId: `r-s${n}`,
      resourceId: `room-s${n}`,
      policy: 'vendor',
      deposit: 5_000,
      cancellationPolicy: policy,
    };
    await placeBooking(h.write, h.clock, s);
    await h.waitForStatus(s.reservationId, 'AWAITING_VENDOR_CONFIRMATION');
    await reservationCommand(h.write, {
      type: 'ConfirmByVendor',
      reservationId: s.reservationId,
      now: now(),
    });
    await h.waitForStatus(s.reservationId, 'CONFIRMED');
    return s;
  };
  const moneyOf = async (id: string, operation: string) =>
    (await h.gateway.listOperations(id))
      .filter((o) => o.operation === operation)
      .map((o) => `${o.idempotencyKey.replace(`-${id}-`, '-#-')}=${o.amount.amount}`);

  it('a guest cancellation 22 days out refunds 50% by the policy tiers, returns the deposit, and pays the vendor its share of the rest', async () => {
    const s = await booked();
    await reservationCommand(h.write, {
      type: 'Cancel',
      reservationId: s.reservationId,
      now: now(),
      by: 'guest',
      reason: 'Plans changed.',
    });
    await h.waitForSaga(
      s.reservationId,
      (x) =>
        x.steps['settle-refund']?.status === 'succeeded' &&
        x.steps['vendor-refund']?.status === 'succeeded',
    );
    expect(await moneyOf(s.reservationId, 'refund')).to.have.members([
      'settle-refund-#-1=22360',
      'vendor-refund-#-1=5000',
    ]);
    h.clock.advance(24 * 3_600_000);
    await h.waitForSaga(s.reservationId, (x) => x.steps.payout?.status === 'succeeded');
    expect(await moneyOf(s.reservationId, 'transfer')).to.deep.equal(['payout-#-1=20000']);
    // The guest got half back; the vendor its half; the platform keeps half its fee and VAT.
    expect(await checkLedger(h.db.pool, h.write.store, s.reservationId)).to.deep.equal({
      escrow_held: 2_360,
      guest_receivable: 0,
      vendor_payable: 0,
      platform_revenue: -2_000,
      tax_payable: -360,
      // A clearing account: 223.60 went through it (refund_paid), borne by vendor, platform and tax.
      refunds: 0,
    });
    expectNoSagaErrors(h);
  });

  it('a no-show keeps the no-show fee, refunds the rest and pays the vendor its share of the fee', async () => {
    const s = await booked();
    await reservationCommand(h.write, {
      type: 'MarkNoShow',
      reservationId: s.reservationId,
      now: now(),
    });
    await h.waitForSaga(
      s.reservationId,
      (x) =>
        x.steps['settle-refund']?.status === 'succeeded' &&
        x.steps['vendor-refund']?.status === 'succeeded',
    );
    expect(await moneyOf(s.reservationId, 'refund')).to.have.members([
      'settle-refund-#-1=33540',
      'vendor-refund-#-1=5000',
    ]);
    h.clock.advance(24 * 3_600_000);
    await h.waitForSaga(s.reservationId, (x) => x.steps.payout?.status === 'succeeded');
    expect(await moneyOf(s.reservationId, 'transfer')).to.deep.equal(['payout-#-1=10000']);
  });

  it('a capture that timed out after taking effect is retried under the same key: captured once', async () => {
    h.gateway.script.add({
      operation: 'capture',
      match: { idempotencyKeyPrefix: 'requester-capture-' },
      failure: { kind: 'timeout', effect: 'applied' },
      times: 1,
    });
    n += 1;
    const s: BookingSpec = {
      reservationId: `r-s${n}`,
      resourceId: `room-s${n}`,
      policy: 'instant',
      deposit: null,
    };
    await placeBooking(h.write, h.clock, s);
    await h.waitForSaga(s.reservationId, (x) => x.steps['requester-capture']?.attempt === 2);
    h.clock.advance(2_000);
    await h.waitForStatus(s.reservationId, 'CONFIRMED');
    expect(await operationsOf(h.gateway, s.reservationId)).to.deep.equal([
      'authorize:requester-auth-#-1',
      'capture:requester-capture-#-1',
    ]);
  });

  it('expiry while an authorization retry is in flight: the late authorization is cancelled too', async () => {
    h.gateway.script.add({
      operation: 'authorize',
      match: { idempotencyKeyPrefix: 'requester-auth-' },
      failure: { kind: '5xx' },
      times: 1,
    });
    n += 1;
    const s: BookingSpec = {
      reservationId: `r-s${n}`,
      resourceId: `room-s${n}`,
      policy: 'instant',
      deposit: null,
    };
    await placeBooking(h.write, h.clock, s);
    await h.waitForSaga(s.reservationId, (x) => x.steps['requester-auth']?.attempt === 2);
    h.clock.advance(16 * 60_000);
    await reservationCommand(h.write, {
      type: 'Expire',
      reservationId: s.reservationId,
      now: now(),
    });
    await h.waitForSaga(
      s.reservationId,
      (x) => x.steps['requester-auth-cancel']?.status === 'succeeded',
    );
    expect(await operationsOf(h.gateway, s.reservationId)).to.deep.equal([
      'authorize:requester-auth-#-1',
      'cancelAuthorization:requester-auth-cancel-#-1',
    ]);
  });

  it('dead-letters a compensation that keeps failing and finishes it on the operator retry', async () => {
    h.gateway.script.add(
      {
        operation: 'authorize',
        match: { idempotencyKeyPrefix: 'requester-auth-' },
        failure: { kind: 'decline' },
      },
      { operation: 'cancelAuthorization', failure: { kind: '5xx' }, times: 5 },
    );
    n += 1;
    const s: BookingSpec = {
      reservationId: `r-s${n}`,
      resourceId: `room-s${n}`,
      policy: 'vendor',
      deposit: 5_000,
    };
    await placeBooking(h.write, h.clock, s);
    await h.waitForStatus(s.reservationId, 'AWAITING_VENDOR_CONFIRMATION');
    await reservationCommand(h.write, {
      type: 'ConfirmByVendor',
      reservationId: s.reservationId,
      now: now(),
    });
    for (let i = 0; i < 400; i += 1) {
      const saga = await h.waitForSaga(s.reservationId, () => true);
      if (saga.steps['vendor-auth-cancel']?.status === 'deadLettered') break;
      h.clock.advance(5_000);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const dead = await h.waitForSaga(
      s.reservationId,
      (x) => x.steps['vendor-auth-cancel']?.status === 'deadLettered',
    );
    expect(dead.steps['vendor-auth-cancel']).to.include({ attempt: 5, retryable: true });
    const { retried } = await retryDeadLetters(h.deps, s.reservationId, 'admin-1');
    expect(retried).to.deep.equal([
      {
        step: 'vendor-auth-cancel',
        attempt: 6,
        idempotencyKey: `vendor-auth-cancel-${s.reservationId}-1`,
      },
    ]);
    await h.waitForSaga(
      s.reservationId,
      (x) => x.steps['vendor-auth-cancel']?.status === 'succeeded',
    );
    expect(await operationsOf(h.gateway, s.reservationId)).to.deep.equal([
      'authorize:vendor-auth-#-1',
      'cancelAuthorization:vendor-auth-cancel-#-1',
    ]);
  });
});
