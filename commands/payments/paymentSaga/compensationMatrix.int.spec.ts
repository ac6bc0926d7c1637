import { expect } from 'chai';
import { ConflictError } from '../../../domain/shared/errors.ts';
import { paymentStream, slotStream } from '../../../domain/shared/streams.ts';
import {
  createSagaHarness,
  expectNoSagaErrors,
  operationsOf,
  type SagaHarness,
} from '../../../infra/processManagers/testing/sagaHarness.ts';
import type { ScriptRule } from '../../../infra/payments/simulated/paymentScript.ts';
import { placeBooking, reservationCommand, type BookingSpec } from './testing/sagaFixtures.ts';

/** Seed 004 "Failure & Compensation Matrix": the whole process, with the simulated gateway failing exactly at the row's step. */
describe('payment saga: seed 004 compensation matrix end to end (one test per row)', function () {
  this.timeout(30_000);
  let h: SagaHarness;
  let n = 0;
  beforeEach(async () => {
    h = await createSagaHarness();
    h.start();
  });
  afterEach(async () => h.dispose());

  const spec = (deposit: number | null = 5_000): BookingSpec => {
    n += 1;
    return { reservationId: `r-m${n}`, resourceId: `room-m${n}`, policy: 'vendor', deposit };
  };
  const now = () => h.clock.now().toISOString();
  const confirm = async (s: BookingSpec) => {
    await h.waitForStatus(s.reservationId, 'AWAITING_VENDOR_CONFIRMATION');
    await reservationCommand(h.write, {
      type: 'ConfirmByVendor',
      reservationId: s.reservationId,
      now: now(),
    });
  };
  const failing = (...rules: ScriptRule[]) => h.gateway.script.add(...rules);
  const slotEvents = async (s: BookingSpec) =>
    (await h.write.store.readStream(slotStream(s.resourceId, '2026-12-24'))).map((e) => e.type);
  const released = async (s: BookingSpec) => {
    await h.waitForSaga(
      s.reservationId,
      (saga) => saga.steps['release-hold']?.status === 'succeeded',
    );
    expect(await slotEvents(s)).to.include('HoldReleased');
  };
  const rowOf = async (s: BookingSpec) =>
    (await h.waitForSaga(s.reservationId, (saga) => saga.compensations.length > 0)).compensations;

  it('row 1-2 reservation creation fails: no saga, no money, nothing to compensate', async () => {
    const first = spec();
    await placeBooking(h.write, h.clock, first);
    const second = { ...spec(), resourceId: first.resourceId };
    let refused: unknown;
    await placeBooking(h.write, h.clock, second).catch((error: unknown) => (refused = error));
    expect(refused).to.be.instanceOf(ConflictError);
    await h.waitForStatus(first.reservationId, 'AWAITING_VENDOR_CONFIRMATION');
    expect(await h.write.store.readStream(paymentStream(second.reservationId))).to.deep.equal([]);
    expect(await operationsOf(h.gateway, second.reservationId)).to.deep.equal([]);
  });

  it('row 2-3 vendor notification fails: retried with backoff until it goes through', async () => {
    h.notifyFailures = 2;
    const s = spec();
    await placeBooking(h.write, h.clock, s);
    const retried = await h.waitForSaga(
      s.reservationId,
      (saga) => saga.steps['vendor-notify']?.attempt === 2,
    );
    expect(retried.compensations).to.deep.equal(['2-3']);
    // Backoff runs on the saga's clock: move it on until the third attempt went through.
    for (
      let i = 0;
      i < 200 &&
      (await h.waitForSaga(s.reservationId, () => true)).steps['vendor-notify']?.status !==
        'succeeded';
      i += 1
    ) {
      h.clock.advance(1_000);
      await new Promise((resolve) => setTimeout(resolve, 30));
    }
    await h.waitForStatus(s.reservationId, 'AWAITING_VENDOR_CONFIRMATION');
    const saga = await h.waitForSaga(
      s.reservationId,
      (x) => x.steps['vendor-notify']?.status === 'succeeded',
    );
    expect(saga.steps['vendor-notify']?.attempt).to.equal(3);
  });

  it("row 3 vendor doesn't confirm: the hold is released and the reservation fails", async () => {
    const s = spec();
    await placeBooking(h.write, h.clock, s);
    await h.waitForStatus(s.reservationId, 'AWAITING_VENDOR_CONFIRMATION');
    h.clock.advance(11 * 60_000);
    await reservationCommand(h.write, {
      type: 'Expire',
      reservationId: s.reservationId,
      now: now(),
    });
    expect(await rowOf(s)).to.deep.equal(['3']);
    await released(s);
    await h.waitForStatus(s.reservationId, 'FAILED_VENDOR_TIMEOUT');
    expect(await operationsOf(h.gateway, s.reservationId)).to.deep.equal([]);
  });

  it('row 4 vendor auth fails: the hold is released, nothing was charged', async () => {
    failing({
      operation: 'authorize',
      match: { idempotencyKeyPrefix: 'vendor-auth-' },
      failure: { kind: 'decline' },
    });
    const s = spec();
    await placeBooking(h.write, h.clock, s);
    await confirm(s);
    await h.waitForStatus(s.reservationId, 'FAILED_VENDOR_AUTH');
    expect(await rowOf(s)).to.deep.equal(['4']);
    await released(s);
    expect(await operationsOf(h.gateway, s.reservationId)).to.deep.equal([]);
  });

  it('row 5 requester auth fails: the vendor authorization is cancelled and the hold released', async () => {
    failing({
      operation: 'authorize',
      match: { idempotencyKeyPrefix: 'requester-auth-' },
      failure: { kind: 'decline' },
    });
    const s = spec();
    await placeBooking(h.write, h.clock, s);
    await confirm(s);
    await h.waitForStatus(s.reservationId, 'FAILED_REQUESTER_AUTH');
    expect(await rowOf(s)).to.deep.equal(['5']);
    await released(s);
    await h.waitForSaga(
      s.reservationId,
      (saga) => saga.steps['vendor-auth-cancel']?.status === 'succeeded',
    );
    expect(await operationsOf(h.gateway, s.reservationId)).to.deep.equal([
      'authorize:vendor-auth-#-1',
      'cancelAuthorization:vendor-auth-cancel-#-1',
    ]);
  });

  it('row 6 availability changed: both authorizations are cancelled and the hold released', async () => {
    const s = spec();
    await placeBooking(h.write, h.clock, s);
    await h.waitForStatus(s.reservationId, 'AWAITING_VENDOR_CONFIRMATION');
    const { slotDecider } = await import('../../../domain/slot/slotDecider.ts');
    const { handleCommand } = await import('../../shared/commandHandler.ts');
    await handleCommand(
      h.write,
      slotStream(s.resourceId, '2026-12-25'),
      slotDecider,
      {
        type: 'CloseSlot',
        resourceId: s.resourceId,
        slotKey: '2026-12-25',
        resourceCapacity: 1,
        reason: 'Burst pipe.',
        now: now(),
      },
      {},
    );
    await confirm(s);
    await h.waitForStatus(s.reservationId, 'FAILED_AVAILABILITY_CHANGED');
    expect(await rowOf(s)).to.deep.equal(['6']);
    await released(s);
    await h.waitForSaga(
      s.reservationId,
      (saga) =>
        saga.steps['vendor-auth-cancel']?.status === 'succeeded' &&
        saga.steps['requester-auth-cancel']?.status === 'succeeded',
    );
    expect(await operationsOf(h.gateway, s.reservationId)).to.deep.equal([
      'authorize:vendor-auth-#-1',
      'authorize:requester-auth-#-1',
      'cancelAuthorization:vendor-auth-cancel-#-1',
      'cancelAuthorization:requester-auth-cancel-#-1',
    ]);
  });

  const commitFails = async (prefixes: readonly string[]) => {
    for (const prefix of prefixes)
      failing({
        operation: 'capture',
        match: { idempotencyKeyPrefix: prefix },
        failure: { kind: 'captureFailure' },
      });
    const s = spec();
    await placeBooking(h.write, h.clock, s);
    await confirm(s);
    await h.waitForStatus(s.reservationId, 'FAILED_COMMIT');
    await released(s);
    return s;
  };

  it('row 7a vendor capture fails: the requester capture is refunded, the vendor authorization released', async () => {
    const s = await commitFails(['vendor-capture-']);
    expect(await rowOf(s)).to.deep.equal(['7a']);
    await h.waitForSaga(
      s.reservationId,
      (saga) =>
        saga.steps['requester-refund']?.status === 'succeeded' &&
        saga.steps['vendor-auth-cancel']?.status === 'succeeded',
    );
    const ops = await operationsOf(h.gateway, s.reservationId);
    expect(ops.slice(2).sort()).to.deep.equal([
      'cancelAuthorization:vendor-auth-cancel-#-1',
      'capture:requester-capture-#-1',
      'refund:requester-refund-#-1',
    ]);
  });

  it('row 7b requester capture fails: the vendor capture is refunded, the requester authorization released', async () => {
    const s = await commitFails(['requester-capture-']);
    expect(await rowOf(s)).to.deep.equal(['7b']);
    await h.waitForSaga(
      s.reservationId,
      (saga) =>
        saga.steps['vendor-refund']?.status === 'succeeded' &&
        saga.steps['requester-auth-cancel']?.status === 'succeeded',
    );
    expect((await operationsOf(h.gateway, s.reservationId)).slice(2).sort()).to.deep.equal([
      'cancelAuthorization:requester-auth-cancel-#-1',
      'capture:vendor-capture-#-1',
      'refund:vendor-refund-#-1',
    ]);
  });

  it('row 7c both captures fail: both authorizations released, nothing to refund', async () => {
    const s = await commitFails(['vendor-capture-', 'requester-capture-']);
    expect(await rowOf(s)).to.deep.equal(['7c']);
    await h.waitForSaga(
      s.reservationId,
      (saga) =>
        saga.steps['vendor-auth-cancel']?.status === 'succeeded' &&
        saga.steps['requester-auth-cancel']?.status === 'succeeded',
    );
    expect((await operationsOf(h.gateway, s.reservationId)).slice(2).sort()).to.deep.equal([
      'cancelAuthorization:requester-auth-cancel-#-1',
      'cancelAuthorization:vendor-auth-cancel-#-1',
    ]);
    expectNoSagaErrors(h);
  });
});
