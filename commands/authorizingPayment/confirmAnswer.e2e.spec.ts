import { expect } from 'chai';
import { DEFAULT_SAGA_OPTIONS } from '../../domain/payment/sagaDecider.ts';
import { sampleNightly } from '../../domain/resource/testing/sampleResources.ts';
import { getPostgresCheckpointStore } from '../../infra/eventStore/postgres/checkpointStore.ts';
import { getSimulatedPaymentGateway } from '../../infra/payments/simulated/simulatedPaymentGateway.ts';
import {
  startPaymentSaga,
  type RunningPaymentSaga,
} from '../../infra/processManagers/paymentSagaProcess.ts';
import { getPostgresSagaTimers } from '../../infra/processManagers/postgresSagaTimers.ts';
import { startWriteTestApp, type WriteTestApp } from '../../infra/testing/writeTestApp.ts';
import {
  createSilentVendorNotifier,
  createStaticPaymentAccounts,
} from '../payments/paymentSaga/ports.ts';
import { call } from '../shared/testing/httpClient.ts';
import { holdNights } from '../shared/testing/lifecycle.ts';
import { registerResource } from '../shared/testing/reservationFixtures.ts';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface PaymentStateBody {
  readonly steps: Record<string, { readonly status: string } | undefined>;
  readonly requiresAction: { readonly step: string; readonly clientSecret: string } | null;
}

/** Issue 10 (3-D Secure): the confirm answer carries what the saga did with the method. */
describe('authorize/confirm answer with the saga’s payment state', function () {
  this.timeout(60_000);
  let app: WriteTestApp;
  let saga: RunningPaymentSaga;
  const sagaErrors: unknown[] = [];

  before(async () => {
    app = await startWriteTestApp({
      perPrincipal: { limit: 100_000, windowSeconds: 60 },
      writeSideExtras: () => ({ paymentAnswerWaitMs: 10_000 }),
    });
    saga = startPaymentSaga(
      {
        write: app.writeSide,
        gateway: getSimulatedPaymentGateway(app.db.pool),
        clock: app.clock,
        jitter: () => 0.5,
        accounts: createStaticPaymentAccounts(),
        notifier: createSilentVendorNotifier(),
        timers: getPostgresSagaTimers(app.db.pool),
        options: DEFAULT_SAGA_OPTIONS,
      },
      {
        store: app.store,
        checkpoints: getPostgresCheckpointStore(app.db.pool),
        timerPollMs: 25,
        onError: (error) => sagaErrors.push(error),
      },
    );
  });
  after(async () => {
    saga?.stop();
    await pause(50);
    await app?.close();
  });

  const awaitingRequester = async (id: string, key: string) => {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const read = await call(app, 'GET', `/api/v1/reservations/${id}`, key);
      if (read.body['state'] === 'AWAITING_REQUESTER_AUTH') return;
      if (Date.now() > deadline)
        throw new Error(`${id} never awaited the requester; saga errors: ${sagaErrors.join('; ')}`);
      await pause(50);
    }
  };

  const confirmWith = async (paymentMethod: string, night: string, nextNight: string) => {
    const partner = await app.createPartnerKey();
    const resourceId = await registerResource(app.writeSide, sampleNightly());
    const id = await holdNights(app, partner.key, resourceId, night, nextNight);
    await awaitingRequester(id, partner.key);
    const confirmed = await call(
      app,
      'POST',
      `/api/v1/reservations/${id}/confirm`,
      partner.key,
      { paymentMethod },
      { 'idempotency-key': `confirm-${id}` },
    );
    expect(confirmed.status, JSON.stringify(confirmed.body)).to.equal(202);
    return { id, key: partner.key, body: confirmed.body };
  };

  it('a card that needs 3-D Secure: the answer has requiresAction with the client secret, as GET shows it', async () => {
    const { id, key, body } = await confirmWith(
      'pm_card_threeDSecure2Required',
      '2026-12-24',
      '2026-12-25',
    );
    const state = body['paymentState'] as PaymentStateBody;
    expect(state.requiresAction?.step).to.equal('requester-auth');
    expect(state.requiresAction?.clientSecret).to.match(/_secret_/);
    const read = await call(app, 'GET', `/api/v1/reservations/${id}`, key);
    const shown = read.body['paymentState'] as PaymentStateBody;
    expect(shown.requiresAction?.clientSecret).to.equal(state.requiresAction?.clientSecret);
  });

  it('a plain card: the answer shows the requester authorization succeeded and no action', async () => {
    const { body } = await confirmWith('pm_card_visa', '2026-12-26', '2026-12-27');
    const state = body['paymentState'] as PaymentStateBody;
    expect(state.requiresAction).to.equal(null);
    expect(state.steps['requester-auth']?.status).to.equal('succeeded');
  });

  it('a replay with the same Idempotency-Key answers the same payment state', async () => {
    const { id, key, body } = await confirmWith('pm_card_visa', '2026-12-28', '2026-12-29');
    const again = await call(
      app,
      'POST',
      `/api/v1/reservations/${id}/confirm`,
      key,
      { paymentMethod: 'pm_card_visa' },
      { 'idempotency-key': `confirm-${id}` },
    );
    expect(again.status).to.equal(202);
    expect(again.body['paymentState']).to.deep.equal(body['paymentState']);
  });
});
