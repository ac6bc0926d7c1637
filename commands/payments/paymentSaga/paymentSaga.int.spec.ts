import { expect } from 'chai';
import { slotStream } from '../../../domain/shared/streams.ts';
import {
  createSagaHarness,
  expectNoSagaErrors,
  operationsOf,
  type SagaHarness,
} from '../../../infra/processManagers/testing/sagaHarness.ts';
import { checkLedger } from '../../../infra/processManagers/testing/ledgerCheck.ts';
import { placeBooking, reservationCommand } from './testing/sagaFixtures.ts';

describe('payment saga process manager (PostgreSQL, simulated gateway)', function () {
  this.timeout(30_000);
  let h: SagaHarness;
  beforeEach(async () => {
    h = await createSagaHarness();
    h.start();
  });
  afterEach(async () => h.dispose());

  it('drives hold → vendor confirm → authorizations → committed → completed → payout after the dispute window', async () => {
    const id = 'r-happy';
    await placeBooking(h.write, h.clock, {
      reservationId: id,
      resourceId: 'room-happy',
      policy: 'vendor',
      deposit: 5_000,
    });
    await h.waitForStatus(id, 'AWAITING_VENDOR_CONFIRMATION');
    const ledger = () => checkLedger(h.db.pool, h.write.store, id);
    expect(await ledger()).to.deep.equal({});
    await reservationCommand(h.write, {
      type: 'ConfirmByVendor',
      reservationId: id,
      now: h.clock.now().toISOString(),
    });
    await h.waitForStatus(id, 'CONFIRMED');
    const booked = await h.write.store.readStream(slotStream('room-happy', '2026-12-24'));
    expect(booked.map((e) => e.type)).to.include('SlotBooked');
    // Captured 447.20 + the 50.00 deposit, all held in escrow, owed to the vendor, the platform and the tax office.
    expect(await ledger()).to.deep.equal({
      escrow_held: 49_720,
      guest_receivable: 0,
      vendor_payable: -45_000,
      platform_revenue: -4_000,
      tax_payable: -720,
    });
    expect(await operationsOf(h.gateway, id)).to.deep.equal([
      'authorize:vendor-auth-#-1',
      'authorize:requester-auth-#-1',
      'capture:vendor-capture-#-1',
      'capture:requester-capture-#-1',
    ]);
    await reservationCommand(h.write, {
      type: 'CheckIn',
      reservationId: id,
      now: h.clock.now().toISOString(),
    });
    await reservationCommand(h.write, {
      type: 'Complete',
      reservationId: id,
      now: h.clock.now().toISOString(),
    });
    await h.waitForSaga(id, (s) => s.steps['vendor-refund']?.status === 'succeeded');
    expect(
      (await h.waitForSaga(id, (s) => s.steps.payout !== undefined)).steps.payout?.status,
    ).to.equal('pending');
    h.clock.advance(72 * 3_600_000);
    await h.waitForSaga(id, (s) => s.steps.payout?.status === 'succeeded');
    const ops = await h.gateway.listOperations(id);
    expect(ops.filter((o) => o.operation === 'transfer').map((o) => o.amount.amount)).to.deep.equal(
      [40_000],
    );
    expect(ops.filter((o) => o.operation === 'refund').map((o) => o.amount.amount)).to.deep.equal([
      5_000,
    ]);
    expectNoSagaErrors(h);
  });

  it('waits in AWAITING_REQUESTER_AUTH for the requester, then authorizes with the method provided', async () => {
    const id = 'r-waits';
    await placeBooking(h.write, h.clock, {
      reservationId: id,
      resourceId: 'room-waits',
      policy: 'instant',
      deposit: null,
      paymentMethod: null,
    });
    await h.waitForSaga(id, (s) => s.awaitingPaymentMethod !== null);
    await h.waitForStatus(id, 'AWAITING_REQUESTER_AUTH');
    expect(await operationsOf(h.gateway, id)).to.deep.equal([]);
    await reservationCommand(h.write, {
      type: 'ProvidePaymentMethod',
      reservationId: id,
      now: h.clock.now().toISOString(),
      paymentMethod: 'pm_card_mastercard',
    });
    await h.waitForStatus(id, 'CONFIRMED');
    expect(await operationsOf(h.gateway, id)).to.deep.equal([
      'authorize:requester-auth-#-1',
      'capture:requester-capture-#-1',
    ]);
    const { rows } = await h.db.pool.query<{ payment_method: string }>(
      'SELECT payment_method FROM payment_sim_authorizations WHERE reservation_id = $1',
      [id],
    );
    expect(rows.map((r) => r.payment_method)).to.deep.equal(['pm_card_mastercard']);
    expectNoSagaErrors(h);
  });
});
