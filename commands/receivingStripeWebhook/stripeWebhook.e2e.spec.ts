import { expect } from 'chai';
import Stripe from 'stripe';
import { DEFAULT_SAGA_OPTIONS } from '../../domain/payment/sagaDecider.ts';
import type { ReservationEvent } from '../../domain/reservation/events.ts';
import { historyTo } from '../../domain/reservation/testing/fixtures.ts';
import { getPostgresEventStore } from '../../infra/eventStore/postgres/postgresEventStore.ts';
import { startTestApp, type TestApp } from '../../infra/http/testing.ts';
import { getSimulatedPaymentGateway } from '../../infra/payments/simulated/simulatedPaymentGateway.ts';
import { getPostgresWebhookInbox } from '../../infra/payments/stripe/postgresWebhookInbox.ts';
import { verifyStripeWebhook } from '../../infra/payments/stripe/stripeWebhook.ts';
import { getPostgresSagaTimers } from '../../infra/processManagers/postgresSagaTimers.ts';
import {
  createSilentVendorNotifier,
  createStaticPaymentAccounts,
} from '../payments/paymentSaga/ports.ts';
import type { PaymentSagaDeps } from '../payments/paymentSaga/sagaDeps.ts';
import { decideSaga, loadRunningSaga } from '../payments/paymentSaga/sagaStream.ts';
import { domainEventCodec } from '../shared/eventCodec.ts';
import { createManualClock, testIds } from '../shared/testing/fixedIds.ts';
import { getStripeWebhookRoute } from './route.ts';

const SECRET = 'whsec_test_secret';

describe('POST /api/v1/webhooks/stripe', function () {
  this.timeout(20_000);
  let app: TestApp;
  let saga: PaymentSagaDeps | undefined;
  before(async () => {
    app = await startTestApp({
      redis: 'none',
      routes: (db) => {
        const store = getPostgresEventStore(db.pool, {
          schema: db.schema,
          connectionString: db.connectionString,
        });
        saga = {
          write: { store, codec: domainEventCodec, ids: testIds },
          gateway: getSimulatedPaymentGateway(db.pool),
          clock: createManualClock('2026-12-01T10:30:00.000Z'),
          jitter: () => 0.5,
          accounts: createStaticPaymentAccounts(),
          notifier: createSilentVendorNotifier(),
          timers: getPostgresSagaTimers(db.pool),
          options: DEFAULT_SAGA_OPTIONS,
        };
        return [
          getStripeWebhookRoute({
            saga,
            inbox: getPostgresWebhookInbox(db.pool),
            verify: (raw, signature) => verifyStripeWebhook(raw, signature, SECRET),
          }),
        ];
      },
    });
  });
  after(async () => app.close());

  const deps = () => {
    if (!saga) throw new Error('not started');
    return saga;
  };
  const send = (
    payload: string,
    signature = Stripe.webhooks.generateTestHeaderString({ payload, secret: SECRET }),
  ) =>
    fetch(`${app.baseUrl}/api/v1/webhooks/stripe`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'stripe-signature': signature },
      body: payload,
    });
  const eventJson = (id: string, type: string, object: object) =>
    // Odd spacing on purpose: only the raw bytes verify, a re-serialised body would not.
    `{"id": "${id}",  "object": "event", "type": "${type}", "created": 1764583800, "livemode": false, "api_version": "2025-01-27",\n "data": {"object": ${JSON.stringify(object)}}}`;

  it('verifies the signature on the raw body, feeds a pending authorization to the saga, and processes each event id once', async () => {
    const now = '2026-12-01T10:30:00.000Z';
    // The requester's payment method is what lets the saga start the requester authorization.
    const provided: ReservationEvent = {
      type: 'PaymentMethodProvided',
      data: { reservationId: 'r-1', paymentMethod: 'pm_card_visa', providedAt: now },
    };
    for (const event of [...historyTo('AWAITING_REQUESTER_AUTH').events, provided]) {
      await decideSaga(
        deps(),
        { type: 'ReservationEventObserved', event, now, jitter: 0.5 },
        'r-1',
      );
      if (event.type === 'AuthorizationRequested' && event.data.party === 'vendor')
        await decideSaga(
          deps(),
          {
            type: 'StepCompleted',
            reservationId: 'r-1',
            step: 'vendor-auth',
            attempt: 1,
            outcome: { kind: 'succeeded', providerId: 'pi_vendor' },
            now,
            jitter: 0.5,
          },
          'r-1',
        );
    }
    expect((await loadRunningSaga(deps(), 'r-1'))?.steps['requester-auth']?.status).to.equal(
      'pending',
    );

    const payload = eventJson('evt_1', 'payment_intent.amount_capturable_updated', {
      id: 'pi_3DS',
      object: 'payment_intent',
      status: 'requires_capture',
      metadata: { reservation_id: 'r-1', attempt: '1' },
    });
    const first = await send(payload);
    expect(first.status).to.equal(200);
    expect(await first.json()).to.deep.equal({ received: true, duplicate: false, outcome: 'fed' });
    const step = (await loadRunningSaga(deps(), 'r-1'))?.steps['requester-auth'];
    expect(step).to.include({ status: 'succeeded', providerId: 'pi_3DS' });

    const again = await send(payload);
    expect(await again.json()).to.deep.equal({
      received: true,
      duplicate: true,
      outcome: 'duplicate',
    });
  });

  it('takes signed charge.dispute.created/closed for the reservation of the disputed PaymentIntent (runs after the first test: r-1 has a saga)', async () => {
    // The dispute names the PaymentIntent only; the provider knows its reservation from the metadata.
    const auth = await deps().gateway.authorize({
      idempotencyKey: 'dispute-fixture-r-1',
      amount: { amount: 44_720, currency: 'EUR' },
      paymentMethod: 'pm_card_visa',
      metadata: { reservationId: 'r-1', bookingReference: 'BK-1', partnerId: 'p', attempt: 1 },
    });
    const disputeEvent = (id: string, type: string, status: string) =>
      eventJson(id, type, {
        id: 'dp_1',
        object: 'dispute',
        amount: 10_000,
        currency: 'eur',
        charge: 'ch_1',
        payment_intent: auth.authorizationId,
        reason: 'fraudulent',
        status,
      });
    const opened = disputeEvent('evt_dp_1', 'charge.dispute.created', 'needs_response');
    const forged = await send(
      opened,
      Stripe.webhooks.generateTestHeaderString({ payload: opened, secret: 'whsec_other' }),
    );
    expect(forged.status).to.equal(400);
    expect((await loadRunningSaga(deps(), 'r-1'))?.settlement.disputes).to.deep.equal([]);

    expect(await (await send(opened)).json()).to.include({ outcome: 'fed' });
    expect((await loadRunningSaga(deps(), 'r-1'))?.settlement.disputes).to.deep.equal([
      { disputeId: 'dp_1', authorizationId: auth.authorizationId, amount: 10_000, status: 'open' },
    ]);
    const closed = disputeEvent('evt_dp_2', 'charge.dispute.closed', 'lost');
    expect(await (await send(closed)).json()).to.include({ outcome: 'fed' });
    expect((await loadRunningSaga(deps(), 'r-1'))?.settlement.disputes[0]).to.include({
      status: 'lost',
    });
    expect(await (await send(closed)).json()).to.include({ duplicate: true });
  });

  it('refuses a bad signature and a body that was re-serialised (400), changing nothing', async () => {
    const payload = eventJson('evt_2', 'payment_intent.canceled', { id: 'pi_x', metadata: {} });
    const forged = await send(
      payload,
      Stripe.webhooks.generateTestHeaderString({ payload, secret: 'whsec_other' }),
    );
    expect(forged.status).to.equal(400);
    const body = (await forged.json()) as { error: { code: string } };
    expect(body.error.code).to.equal('WEBHOOK_SIGNATURE_INVALID');
    const signature = Stripe.webhooks.generateTestHeaderString({ payload, secret: SECRET });
    const reparsed = await send(JSON.stringify(JSON.parse(payload)), signature);
    expect(reparsed.status).to.equal(400);
    const missing = await fetch(`${app.baseUrl}/api/v1/webhooks/stripe`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: payload,
    });
    expect(missing.status).to.equal(400);
  });

  it('accepts events the saga has no use for (no reservation, nothing pending) without feeding anything', async () => {
    const response = await send(
      eventJson('evt_3', 'customer.created', { id: 'cus_1', metadata: {} }),
    );
    expect(await response.json()).to.deep.equal({
      received: true,
      duplicate: false,
      outcome: 'ignored',
    });
  });
});
