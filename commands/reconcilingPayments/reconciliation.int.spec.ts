import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { Registry } from 'prom-client';
import { paymentStream } from '../../domain/shared/streams.ts';
import { getPostgresCheckpointStore } from '../../infra/eventStore/postgres/checkpointStore.ts';
import { getPostgresReconciliationStore } from '../../infra/payments/reconciliation/postgresReconciliationStore.ts';
import {
  createReconciliationRunner,
  type ReconciliationRunner,
} from '../../infra/payments/reconciliation/reconciliationRunner.ts';
import { startPaymentSaga } from '../../infra/processManagers/paymentSagaProcess.ts';
import {
  createSagaHarness,
  operationsOf,
  type SagaHarness,
} from '../../infra/processManagers/testing/sagaHarness.ts';
import { loadReservationState } from '../payments/paymentSaga/reservationCommands.ts';
import {
  EUR,
  placeBooking,
  quoteFor,
  reservationCommand,
} from '../payments/paymentSaga/testing/sagaFixtures.ts';

const CHILD = fileURLToPath(new URL('./testing/reconcileChild.ts', import.meta.url));

/** Runs the saga with a crash right after `step`'s capture reached the gateway, until it did. */
const captureButLoseTheAnswer = async (
  h: SagaHarness,
  id: string,
  step: 'requester-capture' | 'settle-capture' = 'requester-capture',
): Promise<void> => {
  const before = (await operationsOf(h.gateway, id)).filter((op) => op.startsWith('capture'));
  const crashing = startPaymentSaga(
    {
      ...h.deps,
      afterGatewayCall: (_operation, called) => {
        if (called === step) throw new Error('killed after the gateway call');
      },
    },
    {
      store: h.write.store,
      checkpoints: getPostgresCheckpointStore(h.db.pool),
      timerPollMs: 25,
      onError: () => undefined,
    },
  );
  await h.waitForSaga(id, (saga) => saga.steps[step]?.status === 'pending', 30_000);
  for (let i = 0; i < 200; i += 1) {
    const captures = (await operationsOf(h.gateway, id)).filter((op) => op.startsWith('capture'));
    if (captures.length > before.length) break;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  crashing.stop();
};

/** One reconciliation run in a child process; `crash` SIGKILLs it right after its first repair. */
const runReconcileChild = (h: SagaHarness, crash: boolean) =>
  new Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string }>(
    (resolve, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', CHILD], {
        env: {
          ...process.env,
          RECONCILE_DATABASE_URL: h.db.connectionString,
          RECONCILE_SCHEMA: h.db.schema,
          RECONCILE_CRASH_AFTER_REPAIR: crash ? '1' : '0',
        },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
      child.on('error', reject);
      child.on('exit', (code, signal) => resolve({ code, signal, out }));
    },
  );

const stepEvents = async (h: SagaHarness, id: string, step: string) =>
  (await h.write.store.readStream(paymentStream(id))).filter(
    (e) => e.type === 'PaymentStepSucceeded' && (e.data as { step: string }).step === step,
  );

describe('payment reconciliation against the simulated provider (PostgreSQL)', function () {
  this.timeout(60_000);
  let h: SagaHarness;
  let registry: Registry;
  let runner: ReconciliationRunner;
  beforeEach(async () => {
    h = await createSagaHarness();
    registry = new Registry();
    runner = createReconciliationRunner({
      pool: h.db.pool,
      scope: h.db.schema,
      logger: pino({ level: 'silent' }),
      registry,
      deps: {
        write: h.write,
        gateway: h.gateway,
        clock: h.clock,
        options: h.deps.options,
        store: getPostgresReconciliationStore(h.db.pool),
      },
    });
  });
  afterEach(async () => h.dispose());

  it('appends a capture the provider made but the log missed, once, and the saga carries on from it', async () => {
    const id = 'r-missed-capture';
    await placeBooking(h.write, h.clock, {
      reservationId: id,
      resourceId: 'room-missed',
      policy: 'instant',
      deposit: null,
    });
    await captureButLoseTheAnswer(h, id);
    expect(await stepEvents(h, id, 'requester-capture')).to.have.length(0);

    const first = await runner.runOnce('admin');
    expect(first.findings.map((f) => [f.reservationId, f.kind, f.repaired])).to.deep.equal([
      [id, 'repaired_requester-capture', true],
    ]);
    expect(first.run).to.include({ checked: 1, repaired: 1, findings: 0 });
    expect(await stepEvents(h, id, 'requester-capture')).to.have.length(1);
    const again = await runner.runOnce('admin', [id]);
    expect(again.findings).to.deep.equal([]);
    expect(await stepEvents(h, id, 'requester-capture')).to.have.length(1);

    h.start();
    await h.waitForStatus(id, 'CONFIRMED');
    expect(
      (await operationsOf(h.gateway, id)).filter((op) => op.startsWith('capture')),
    ).to.deep.equal(['capture:requester-capture-#-1']);
    const metric = await registry.getSingleMetric('payment_reconciliation_findings_total')?.get();
    expect(metric?.values.find((v) => v.labels['repaired'] === 'true')?.value).to.equal(1);
  });

  it('reports every other way the provider and the log disagree, and keeps them open', async () => {
    const id = 'r-disagree';
    h.start();
    await placeBooking(h.write, h.clock, {
      reservationId: id,
      resourceId: 'room-disagree',
      policy: 'instant',
      deposit: null,
    });
    await h.waitForStatus(id, 'CONFIRMED');
    h.stop();
    const saga = await h.waitForSaga(id, (s) => s.commit === 'succeeded');
    const auth = saga.steps['requester-auth'];
    const authorizationId = auth?.status === 'succeeded' ? auth.providerId : '';
    const metadata = {
      reservationId: id,
      bookingReference: saga.bookingReference,
      partnerId: 'p',
      attempt: 1,
    };
    // Money moved at the provider outside the saga: a refund, a stray hold, a transfer.
    await h.gateway.refund({
      idempotencyKey: `manual-refund-${id}`,
      authorizationId,
      amount: EUR(1_000),
    });
    await h.gateway.authorize({
      idempotencyKey: `stray-auth-${id}`,
      amount: EUR(2_500),
      paymentMethod: 'pm_card_visa',
      metadata,
    });
    await h.gateway.transfer({
      idempotencyKey: `manual-payout-${id}`,
      amount: EUR(300),
      destinationAccount: 'acct_someone',
      transferGroup: saga.bookingReference,
      metadata,
    });

    const { run, findings } = await runner.runOnce('cli');
    expect(findings.map((f) => f.kind).sort()).to.deep.equal([
      'authorization_not_in_log',
      'refunds_differ',
      'transfers_differ',
    ]);
    expect(findings.every((f) => !f.repaired)).to.equal(true);
    expect(run).to.include({ checked: 1, repaired: 0, findings: 3 });
    expect(findings.find((f) => f.kind === 'refunds_differ')?.detail).to.deep.include({
      log: 0,
      provider: 1_000,
    });
    const open = await getPostgresReconciliationStore(h.db.pool).latest(5);
    expect(open.open.map((f) => f.kind).sort()).to.deep.equal([
      'authorization_not_in_log',
      'refunds_differ',
      'transfers_differ',
    ]);
    const gauge = await registry.getSingleMetric('payment_reconciliation_open_findings')?.get();
    expect(gauge?.values[0]?.value).to.equal(3);
  });

  it('refuses a second run while one holds the lease', async () => {
    const client = await h.db.pool.connect();
    try {
      await client.query('SELECT pg_advisory_lock(22, hashtext($1))', [
        `${h.db.schema}:payment-reconciliation`,
      ]);
      const error = await runner.runOnce('admin').catch((e: unknown) => e);
      expect(error).to.have.property('code', 'RECONCILIATION_RUNNING');
      expect(error).to.have.property('retryable', true);
    } finally {
      await client.query('SELECT pg_advisory_unlock_all()');
      client.release();
    }
  });

  it('survives kill -9 right after a repair: the repair is appended exactly once', async () => {
    const id = 'r-kill-repair';
    await placeBooking(h.write, h.clock, {
      reservationId: id,
      resourceId: 'room-kill',
      policy: 'instant',
      deposit: null,
    });
    await captureButLoseTheAnswer(h, id);
    const killed = await runReconcileChild(h, true);
    expect(killed.signal).to.equal('SIGKILL');
    expect(await stepEvents(h, id, 'requester-capture')).to.have.length(1);
    const rerun = await runReconcileChild(h, false);
    expect(rerun.code).to.equal(0);
    expect(JSON.parse(rerun.out) as { repaired: number }).to.include({ repaired: 0 });
    expect(await stepEvents(h, id, 'requester-capture')).to.have.length(1);
    expect(
      (await operationsOf(h.gateway, id)).filter((op) => op.startsWith('capture')),
    ).to.have.length(1);
  });

  describe('after changes were settled (settle-* steps)', () => {
    const now = () => h.clock.now().toISOString();
    const extendTwoNights = (id: string) =>
      reservationCommand(h.write, {
        type: 'Extend',
        reservationId: id,
        now: now(),
        addedSlots: ['2026-12-26', '2026-12-27'],
        endsAt: '2026-12-27T23:00:00.000Z',
        additionalQuote: quoteFor(now(), 30_000),
      });
    const shorten = async (id: string) => {
      const state = await loadReservationState(h.deps, id);
      if (state.status === 'NONE') throw new Error(`no reservation ${id}`);
      await reservationCommand(h.write, {
        type: 'Modify',
        reservationId: id,
        now: now(),
        expectedVersion: state.version,
        slots: ['2026-12-24'],
        quantity: 1,
        startsAt: '2026-12-23T23:00:00.000Z',
        endsAt: '2026-12-24T23:00:00.000Z',
        quote: quoteFor(now(), 5_000),
      });
    };
    const settledTo = (id: string, due: number) =>
      h.waitForSaga(
        id,
        (x) =>
          x.settlement.due?.amount === due &&
          x.settlement.charges.reduce((t, c) => t + c.captured - c.refunded, 0) === due &&
          !Object.values(x.steps).some((st) => st?.status === 'pending'),
      );
    const book = async (id: string) => {
      await placeBooking(h.write, h.clock, {
        reservationId: id,
        resourceId: `room-${id}`,
        policy: 'instant',
        deposit: null,
      });
      await h.waitForStatus(id, 'CONFIRMED', 30_000);
    };

    it('a booking extended then shortened reconciles clean (no false refund, capture or stray-authorization difference)', async () => {
      const id = 'r-settled-clean';
      h.start();
      await book(id);
      await extendTwoNights(id);
      const up = await settledTo(
        id,
        (
          await h.waitForSaga(
            id,
            (x) => x.settlement.owed !== null && x.settlement.charges.length === 2,
          )
        ).settlement.owed?.amount ?? -1,
      );
      await shorten(id);
      const down = await h.waitForSaga(
        id,
        (x) => (x.settlement.due?.amount ?? 0) < (up.settlement.due?.amount ?? 0),
      );
      const end = await settledTo(id, down.settlement.due?.amount ?? -1);
      h.stop();
      // The shortening refunded from the difference's PaymentIntent (and maybe the first).
      const ops = await operationsOf(h.gateway, id);
      expect(ops.filter((op) => op.startsWith('authorize'))).to.have.length(2);
      expect(ops.some((op) => op.startsWith('refund:settle-refund-'))).to.equal(true);
      expect(end.settlement.charges).to.have.length(2);

      const { findings } = await runner.runOnce('admin', [id]);
      expect(findings).to.deep.equal([]);

      // Now make them disagree: a refund nobody logged on the second PaymentIntent.
      const second = end.settlement.charges[1];
      if (second === undefined) throw new Error('no second charge');
      const left = second.captured - second.refunded;
      const onFirst = left === 0;
      const target = onFirst
        ? (end.settlement.charges[0]?.authorizationId ?? '')
        : second.authorizationId;
      await h.gateway.refund({
        idempotencyKey: `manual-${id}`,
        authorizationId: target,
        amount: EUR(100),
      });
      const after = await runner.runOnce('admin', [id]);
      expect(after.findings.map((f) => [f.kind, f.detail['authorizationId']])).to.deep.equal([
        ['refunds_differ', target],
      ]);
    });

    it('repairs the difference capture the provider made but the log missed, once; kill -9 after the repair appends it once', async () => {
      const id = 'r-settle-missed';
      h.start();
      await book(id);
      h.stop();
      await extendTwoNights(id);
      await captureButLoseTheAnswer(h, id, 'settle-capture');
      expect(await stepEvents(h, id, 'settle-capture')).to.have.length(0);

      const killed = await runReconcileChild(h, true);
      expect(killed.signal).to.equal('SIGKILL');
      expect(await stepEvents(h, id, 'settle-capture')).to.have.length(1);
      const rerun = await runReconcileChild(h, false);
      expect(rerun.code).to.equal(0);
      expect(JSON.parse(rerun.out) as { repaired: number }).to.include({ repaired: 0 });
      expect(await stepEvents(h, id, 'settle-capture')).to.have.length(1);

      h.start();
      const saga = await h.waitForSaga(
        id,
        (x) =>
          x.settlement.charges.length === 2 &&
          x.settlement.charges.reduce((t, c) => t + c.captured - c.refunded, 0) ===
            x.settlement.due?.amount,
      );
      h.stop();
      expect(saga.settlement.charges[1]?.captured).to.be.greaterThan(0);
      expect(
        (await operationsOf(h.gateway, id)).filter((op) => op.startsWith('capture')),
      ).to.deep.equal(['capture:requester-capture-#-1', 'capture:settle-capture-#-1']);
      const clean = await runner.runOnce('admin', [id]);
      expect(clean.findings).to.deep.equal([]);
    });
  });
});
