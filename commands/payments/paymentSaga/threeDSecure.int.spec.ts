import { expect } from 'chai';
import {
  createSagaHarness,
  expectNoSagaErrors,
  operationsOf,
  type SagaHarness,
} from '../../../infra/processManagers/testing/sagaHarness.ts';
import { receiveStripeEvent, type WebhookInbox } from '../../receivingStripeWebhook/handler.ts';
import { loadReservationState } from './reservationCommands.ts';
import { placeBooking } from './testing/sagaFixtures.ts';

const SCA_CARD = 'pm_card_threeDSecure2Required';

/** An inbox that remembers processed ids in memory (the Postgres one is covered by the webhook e2e). */
const memoryInbox = (): WebhookInbox => {
  const processed = new Set<string>();
  return {
    receive: (event) => Promise.resolve(processed.has(event.id)),
    markProcessed: (id) => {
      processed.add(id);
      return Promise.resolve();
    },
  };
};

describe('payment saga: 3-D Secure (SCA) on the requester authorization', function () {
  this.timeout(40_000);
  let h: SagaHarness;
  beforeEach(async () => {
    h = await createSagaHarness({ scaTimeoutSeconds: 600, scaPollSeconds: 20 });
    h.start();
  });
  afterEach(async () => h.dispose());

  const book = (id: string) =>
    placeBooking(h.write, h.clock, {
      reservationId: id,
      resourceId: `room-${id}`,
      policy: 'instant',
      deposit: null,
      paymentMethod: SCA_CARD,
    });
  const waitingFor = (id: string) => h.waitForSaga(id, (s) => s.actionRequired !== null);

  it('surfaces requires_action with the client secret, then confirms once the requester authenticated (seen on the next look)', async () => {
    const id = 'r-sca-ok';
    await book(id);
    const waiting = await waitingFor(id);
    const action = waiting.actionRequired;
    expect(action?.step).to.equal('requester-auth');
    expect(action?.nextAction.clientSecret).to.match(/^pi_sim_\w+_secret_/);
    expect(action?.expiresAt).to.equal('2026-12-01T09:10:00.000Z');
    expect(waiting.steps['requester-auth']?.status).to.equal('pending');
    expect((await loadReservationState(h.deps, id)).status).to.equal('AWAITING_REQUESTER_AUTH');

    // Nothing changes while the requester has not answered, however often the saga looks.
    h.clock.advance(20_000);
    await h.waitForSaga(id, (s) => (s.steps['requester-auth']?.attempt ?? 0) >= 3);
    expect((await loadReservationState(h.deps, id)).status).to.equal('AWAITING_REQUESTER_AUTH');

    await h.gateway.authenticate(action?.authorizationId ?? '', 'succeeded');
    h.clock.advance(20_000);
    await h.waitForStatus(id, 'CONFIRMED');
    const done = await h.waitForSaga(id, (s) => s.commit === 'succeeded');
    expect(done.actionRequired).to.equal(null);
    const auth = done.steps['requester-auth'];
    expect(auth?.status === 'succeeded' ? auth.providerId : '').to.equal(action?.authorizationId);
    expect(await operationsOf(h.gateway, id)).to.deep.equal([
      'authorize:requester-auth-#-1',
      'capture:requester-capture-#-1',
    ]);
    expectNoSagaErrors(h);
  });

  it('takes the payment_intent.amount_capturable_updated webhook as the answer, without waiting for the next look', async () => {
    const id = 'r-sca-webhook';
    await book(id);
    const action = (await waitingFor(id)).actionRequired;
    const authorizationId = action?.authorizationId ?? '';
    await h.gateway.authenticate(authorizationId, 'succeeded');
    const event = {
      id: 'evt_sca_1',
      livemode: false,
      type: 'payment_intent.amount_capturable_updated',
      object: { id: authorizationId, status: 'requires_capture', metadata: { reservation_id: id } },
    };
    const inbox = memoryInbox();
    expect(await receiveStripeEvent({ saga: h.deps, inbox }, event)).to.deep.equal({
      duplicate: false,
      outcome: 'fed',
    });
    await h.waitForStatus(id, 'CONFIRMED');
    expect(await receiveStripeEvent({ saga: h.deps, inbox }, event)).to.include({
      duplicate: true,
    });
    expect(
      (await operationsOf(h.gateway, id)).filter((op) => op.startsWith('capture')),
    ).to.deep.equal(['capture:requester-capture-#-1']);
  });

  it('times out into compensation: the authorization is cancelled, nothing captured, the hold released', async () => {
    const id = 'r-sca-timeout';
    await book(id);
    const action = (await waitingFor(id)).actionRequired;
    h.clock.advance(600_000);
    const failed = await h.waitForSaga(id, (s) => s.steps['requester-auth']?.status === 'failed');
    const step = failed.steps['requester-auth'];
    expect(step?.status === 'failed' ? step.reason : '').to.match(/did not complete 3-D Secure/);
    expect(failed.actionRequired).to.equal(null);
    await h.waitForSaga(id, (s) => s.steps['release-hold']?.status === 'succeeded');
    expect(await operationsOf(h.gateway, id)).to.deep.equal([
      'authorize:requester-auth-#-1',
      'cancelAuthorization:sca-timeout-requester-auth-#-1',
    ]);
    expect((await h.gateway.retrievePayment(action?.authorizationId ?? '')).status).to.equal(
      'cancelled',
    );
    expect((await loadReservationState(h.deps, id)).status).to.not.equal('CONFIRMED');
  });

  it('a failed authentication fails the step into compensation at the next look', async () => {
    const id = 'r-sca-failed';
    await book(id);
    const action = (await waitingFor(id)).actionRequired;
    await h.gateway.authenticate(action?.authorizationId ?? '', 'failed');
    h.clock.advance(20_000);
    const failed = await h.waitForSaga(id, (s) => s.steps['requester-auth']?.status === 'failed');
    const step = failed.steps['requester-auth'];
    expect(step?.status === 'failed' ? step.reason : '').to.match(/authentication .* failed/);
    expect(
      (await operationsOf(h.gateway, id)).filter((op) => !op.startsWith('authorize')),
    ).to.deep.equal([]);
  });
});
