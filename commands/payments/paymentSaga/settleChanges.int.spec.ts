import { expect } from 'chai';
import { paymentSummaryOf } from '../../../domain/payment/paymentSummary.ts';
import { resourceDecider } from '../../../domain/resource/resourceDecider.ts';
import { resourceStream } from '../../../domain/shared/streams.ts';
import { amountOwed } from '../../../domain/reservation/state.ts';
import { checkLedger } from '../../../infra/processManagers/testing/ledgerCheck.ts';
import {
  createSagaHarness,
  expectNoSagaErrors,
  type SagaHarness,
} from '../../../infra/processManagers/testing/sagaHarness.ts';
import { handleCommand } from '../../shared/commandHandler.ts';
import { retryDeadLetters } from '../retryDeadLetters.ts';
import { loadReservationState } from './reservationCommands.ts';
import { loadRunningSaga } from './sagaStream.ts';
import {
  EUR,
  placeBooking,
  quoteFor,
  reservationCommand,
  type BookingSpec,
} from './testing/sagaFixtures.ts';

const policy = {
  tiers: [
    { minHoursBefore: 720, refund: { kind: 'percent' as const, basisPoints: 10_000 } },
    { minHoursBefore: 48, refund: { kind: 'percent' as const, basisPoints: 5_000 } },
  ],
  noShowFee: { kind: 'percent' as const, basisPoints: 2_500 },
};

describe('payment saga: every change is settled against what was captured', function () {
  this.timeout(40_000);
  let h: SagaHarness;
  let n = 0;
  beforeEach(async () => {
    h = await createSagaHarness({ disputeWindowHours: 24 });
    h.start();
  });
  afterEach(async () => h.dispose());

  const now = () => h.clock.now().toISOString();
  const booked = async (overrides: Partial<BookingSpec> = {}): Promise<BookingSpec> => {
    n += 1;
    const s: BookingSpec = {
      reservationId: `r-c${n}`,
      resourceId: `room-c${n}`,
      policy: 'vendor',
      deposit: 5_000,
      cancellationPolicy: policy,
      ...overrides,
    };
    await placeBooking(h.write, h.clock, s);
    if (s.policy === 'vendor') {
      await h.waitForStatus(s.reservationId, 'AWAITING_VENDOR_CONFIRMATION');
      await reservationCommand(h.write, {
        type: 'ConfirmByVendor',
        reservationId: s.reservationId,
        now: now(),
      });
    }
    await h.waitForStatus(s.reservationId, 'CONFIRMED');
    return s;
  };
  const moneyOf = async (id: string, operation: string) =>
    (await h.gateway.listOperations(id))
      .filter((o) => o.operation === operation)
      .map((o) => `${o.idempotencyKey.replace(`-${id}-`, '-#-')}=${o.amount.amount}`);
  const extendTwoNights = (id: string, accommodation = 30_000) =>
    reservationCommand(h.write, {
      type: 'Extend',
      reservationId: id,
      now: now(),
      addedSlots: ['2026-12-26', '2026-12-27'],
      endsAt: '2026-12-27T23:00:00.000Z',
      additionalQuote: quoteFor(now(), accommodation),
    });
  const modify = async (id: string, accommodation: number) => {
    const state = await loadReservationState(h.deps, id);
    if (state.status === 'NONE') throw new Error(`no reservation ${id}`);
    await reservationCommand(h.write, {
      type: 'Modify',
      reservationId: id,
      now: now(),
      expectedVersion: state.version,
      slots: ['2026-12-24', '2026-12-25'],
      quantity: 1,
      startsAt: '2026-12-23T23:00:00.000Z',
      endsAt: '2026-12-25T23:00:00.000Z',
      quote: quoteFor(now(), accommodation),
    });
  };
  const summary = async (id: string) => {
    const [saga, reservation] = await Promise.all([
      loadRunningSaga(h.deps, id),
      loadReservationState(h.deps, id),
    ]);
    if (saga === undefined || reservation.status === 'NONE') throw new Error(`no saga ${id}`);
    const s = paymentSummaryOf(saga, amountOwed(reservation));
    return {
      owed: s.owed.amount,
      authorized: s.authorized.amount,
      captured: s.captured.amount,
      refunded: s.refunded.amount,
    };
  };
  const settled = (id: string, due: number) =>
    h.waitForSaga(
      id,
      (x) =>
        x.settlement.due?.amount === due &&
        ['settle-auth', 'settle-capture', 'settle-auth-cancel', 'settle-refund'].every(
          (step) => x.steps[step as 'settle-auth']?.status !== 'pending',
        ) &&
        x.settlement.due !== null &&
        (x.settlement.flagged !== null ||
          x.settlement.charges.reduce((t, c) => t + c.captured - c.refunded, 0) ===
            x.settlement.due.amount),
    );

  it('an extension is authorized as a second PaymentIntent and captured; a shortening is refunded, latest charge first; a cancellation refunds per policy out of what was paid', async () => {
    const s = await booked();
    const id = s.reservationId;
    await extendTwoNights(id);
    await settled(id, 78_260);
    expect(await moneyOf(id, 'authorize')).to.deep.equal([
      'vendor-auth-#-1=5000',
      'requester-auth-#-1=44720',
      'settle-auth-#-1=33540',
    ]);
    expect(await moneyOf(id, 'capture')).to.have.members([
      'vendor-capture-#-1=5000',
      'requester-capture-#-1=44720',
      'settle-capture-#-1=33540',
    ]);
    expect(await summary(id)).to.deep.equal({
      owed: 78_260,
      authorized: 78_260,
      captured: 78_260,
      refunded: 0,
    });

    await modify(id, 20_000);
    await settled(id, 22_360);
    expect(await moneyOf(id, 'refund')).to.deep.equal([
      'settle-refund-#-1=33540',
      'settle-refund-#-2=22360',
    ]);
    expect(await summary(id)).to.deep.equal({
      owed: 22_360,
      authorized: 78_260,
      captured: 78_260,
      refunded: 55_900,
    });

    await reservationCommand(h.write, {
      type: 'Cancel',
      reservationId: id,
      now: now(),
      by: 'guest',
      reason: 'Plans changed.',
    });
    await h.waitForSaga(
      id,
      (x) =>
        x.steps['settle-refund']?.attempt === 3 &&
        x.steps['settle-refund'].status === 'succeeded' &&
        x.steps['vendor-refund']?.status === 'succeeded',
    );
    // 22 days out: 50% of the 22 360 paid.
    expect((await moneyOf(id, 'refund')).slice(2)).to.have.members([
      'settle-refund-#-3=11180',
      'vendor-refund-#-1=5000',
    ]);
    h.clock.advance(24 * 3_600_000);
    await h.waitForSaga(id, (x) => x.steps.payout?.status === 'succeeded');
    // The vendor's share of the 11 180 kept, in the first quote's proportion (40 000 / 44 720).
    expect(await moneyOf(id, 'transfer')).to.deep.equal(['payout-#-1=10000']);
    const ledger = await checkLedger(h.db.pool, h.write.store, id);
    expect(ledger).to.include({ escrow_held: 1_180, guest_receivable: 0, refunds: 0 });
    expect(await summary(id)).to.include({ captured: 78_260, refunded: 67_080 });
    expectNoSagaErrors(h);
  });

  it('a declined difference flags the booking for the operator (the change stands); the operator retry collects it', async () => {
    const s = await booked({ policy: 'instant', deposit: null });
    const id = s.reservationId;
    h.gateway.script.add({
      operation: 'authorize',
      match: { idempotencyKeyPrefix: 'settle-auth-' },
      failure: { kind: 'decline', declineCode: 'insufficient_funds' },
      times: 1,
    });
    await extendTwoNights(id);
    const flagged = await h.waitForSaga(id, (x) => x.settlement.flagged !== null);
    expect(flagged.settlement.flagged?.shortfall).to.deep.equal(EUR(33_540));
    expect((await loadReservationState(h.deps, id)).status).to.equal('CONFIRMED');
    expect(await summary(id)).to.deep.equal({
      owed: 78_260,
      authorized: 44_720,
      captured: 44_720,
      refunded: 0,
    });
    await retryDeadLetters(h.deps, id, 'admin-1');
    await h.waitForSaga(id, (x) => x.steps['settle-capture']?.status === 'succeeded');
    expect(await moneyOf(id, 'capture')).to.deep.equal([
      'requester-capture-#-1=44720',
      'settle-capture-#-1=33540',
    ]);
    expect((await loadRunningSaga(h.deps, id))?.settlement.flagged).to.equal(null);
    expectNoSagaErrors(h);
  });

  it('a refused capture of the difference releases its authorization and flags the booking', async () => {
    const s = await booked({ policy: 'instant', deposit: null });
    const id = s.reservationId;
    h.gateway.script.add({
      operation: 'capture',
      match: { idempotencyKeyPrefix: 'settle-capture-' },
      failure: { kind: 'captureFailure' },
      times: 1,
    });
    await extendTwoNights(id);
    await h.waitForSaga(id, (x) => x.steps['settle-auth-cancel']?.status === 'succeeded');
    const saga = await loadRunningSaga(h.deps, id);
    expect(saga?.settlement.flagged?.shortfall).to.deep.equal(EUR(33_540));
    expect(await summary(id)).to.deep.equal({
      owed: 78_260,
      authorized: 44_720,
      captured: 44_720,
      refunded: 0,
    });
    expect(await moneyOf(id, 'cancelAuthorization')).to.have.length(1);
    expectNoSagaErrors(h);
  });

  it('a vendor cancellation refunds the guest in full across every charge and keeps the vendor deposit', async () => {
    const s = await booked();
    const id = s.reservationId;
    await extendTwoNights(id);
    await settled(id, 78_260);
    await reservationCommand(h.write, {
      type: 'Cancel',
      reservationId: id,
      now: now(),
      by: 'vendor',
      reason: 'Double booked.',
    });
    await h.waitForSaga(
      id,
      (x) =>
        x.settlement.depositForfeited &&
        x.steps['settle-refund']?.attempt === 2 &&
        x.steps['settle-refund'].status === 'succeeded',
    );
    expect(await moneyOf(id, 'refund')).to.deep.equal([
      'settle-refund-#-1=33540',
      'settle-refund-#-2=44720',
    ]);
    const ledger = await checkLedger(h.db.pool, h.write.store, id);
    // The deposit stays in escrow, now owed to the platform, not the vendor.
    expect(ledger).to.include({
      escrow_held: 5_000,
      vendor_payable: 0,
      platform_revenue: -5_000,
      guest_receivable: 0,
    });
    expect((await loadRunningSaga(h.deps, id))?.steps.payout).to.equal(undefined);
    expectNoSagaErrors(h);
  });

  it('refunds follow the policy in force at booking, not the resource’s later one (reservations recorded before v3 follow the resource’s)', async () => {
    const snap = await booked({ policy: 'instant', deposit: null });
    const legacy = await booked({ policy: 'instant', deposit: null, snapshotPolicy: false });
    const noRefunds = { tiers: [], noShowFee: { kind: 'percent' as const, basisPoints: 10_000 } };
    for (const s of [snap, legacy])
      await handleCommand(
        h.write,
        resourceStream(s.resourceId),
        resourceDecider,
        {
          type: 'ChangeResource',
          resourceId: s.resourceId,
          now: now(),
          changes: { cancellationPolicy: noRefunds },
        },
        { actor: { principal: 'vendor-1', role: 'vendor' } },
      );
    for (const s of [snap, legacy])
      await reservationCommand(h.write, {
        type: 'Cancel',
        reservationId: s.reservationId,
        now: now(),
        by: 'guest',
        reason: 'Plans changed.',
      });
    await h.waitForSaga(
      snap.reservationId,
      (x) => x.steps['settle-refund']?.status === 'succeeded',
    );
    await h.waitForSaga(legacy.reservationId, (x) => x.settlement.ended === 'cancelled');
    expect(await moneyOf(snap.reservationId, 'refund')).to.deep.equal(['settle-refund-#-1=22360']);
    expect(await moneyOf(legacy.reservationId, 'refund')).to.deep.equal([]);
    expectNoSagaErrors(h);
  });

  it('a free booking confirms without asking the gateway, and the ledger records its zero capture', async () => {
    const s = await booked({
      policy: 'instant',
      deposit: null,
      accommodation: 0,
      paymentMethod: null,
    });
    const id = s.reservationId;
    expect(await h.gateway.listOperations(id)).to.deep.equal([]);
    const saga = await loadRunningSaga(h.deps, id);
    expect(saga?.steps['requester-capture']).to.include({
      status: 'succeeded',
      providerId: 'zero-amount:requester-capture',
    });
    const ledger = await checkLedger(h.db.pool, h.write.store, id);
    expect(ledger).to.deep.equal({ guest_receivable: 0, vendor_payable: 0, escrow_held: 0 });
    expect(await summary(id)).to.deep.equal({ owed: 0, authorized: 0, captured: 0, refunded: 0 });
  });
});
