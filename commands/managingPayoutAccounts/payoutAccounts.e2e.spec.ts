import { expect } from 'chai';
import pino from 'pino';
import { DEFAULT_SAGA_OPTIONS } from '../../domain/payment/sagaDecider.ts';
import { sampleNightly } from '../../domain/resource/testing/sampleResources.ts';
import { createVendorPaymentAccounts } from '../../infra/composition/payments.ts';
import { getPostgresCheckpointStore } from '../../infra/eventStore/postgres/checkpointStore.ts';
import { getPostgresPayoutAccounts } from '../../infra/payments/payoutAccounts/postgresPayoutAccounts.ts';
import { getSimulatedConnectedAccounts } from '../../infra/payments/simulated/simulatedConnectedAccounts.ts';
import { getSimulatedPaymentGateway } from '../../infra/payments/simulated/simulatedPaymentGateway.ts';
import {
  startPaymentSaga,
  type RunningPaymentSaga,
} from '../../infra/processManagers/paymentSagaProcess.ts';
import { getPostgresSagaTimers } from '../../infra/processManagers/postgresSagaTimers.ts';
import type { Queryable } from '../../infra/postgres/pool.ts';
import { startWriteTestApp, type WriteTestApp } from '../../infra/testing/writeTestApp.ts';
import { createSilentVendorNotifier } from '../payments/paymentSaga/ports.ts';
import type { PaymentSagaDeps } from '../payments/paymentSaga/sagaDeps.ts';
import { call } from '../shared/testing/httpClient.ts';
import { holdNights } from '../shared/testing/lifecycle.ts';
import { registerResource } from '../shared/testing/reservationFixtures.ts';
import { getPayoutAccountRoutes } from './route.ts';

const DISPUTE_WINDOW_HOURS = 1;
const METRIC = 'payment_vendor_account_missing_total';
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('vendor payout accounts over HTTP (registry, simulated Connect, saga)', function () {
  this.timeout(60_000);
  let app: WriteTestApp;
  let saga: RunningPaymentSaga;
  let gateway: ReturnType<typeof getSimulatedPaymentGateway>;
  const sagaErrors: unknown[] = [];
  // Lazy: the routes are built before the test app (and its pool) exists.
  const db: Queryable = {
    query: ((text: string, params?: unknown[]) =>
      app.db.pool.query(text, params)) as Queryable['query'],
  };
  const options = { ...DEFAULT_SAGA_OPTIONS, disputeWindowHours: DISPUTE_WINDOW_HOURS };

  before(async () => {
    // No Redis: no rate limit on the polling reads.
    app = await startWriteTestApp({
      redis: 'none',
      extraRoutes: (writeSide) =>
        getPayoutAccountRoutes({
          store: getPostgresPayoutAccounts(db),
          provider: getSimulatedConnectedAccounts(),
          retry: { write: writeSide, clock: writeSide.clock, options },
        }),
    });
    gateway = getSimulatedPaymentGateway(app.db.pool);
    const deps: PaymentSagaDeps = {
      write: app.writeSide,
      gateway,
      clock: app.clock,
      jitter: () => 0.5,
      accounts: createVendorPaymentAccounts({
        pool: app.db.pool,
        logger: pino({ level: 'silent' }),
        registry: app.registry,
      }),
      notifier: createSilentVendorNotifier(),
      timers: getPostgresSagaTimers(app.db.pool),
      options,
    };
    saga = startPaymentSaga(deps, {
      store: app.store,
      checkpoints: getPostgresCheckpointStore(app.db.pool),
      timerPollMs: 25,
      onError: (error) => sagaErrors.push(error),
    });
  });
  after(async () => {
    saga?.stop();
    await pause(50);
    await app?.close();
  });

  const waitFor = async <T>(what: string, probe: () => Promise<T | undefined>): Promise<T> => {
    const deadline = Date.now() + 15_000;
    for (;;) {
      const value = await probe();
      if (value !== undefined) return value;
      if (Date.now() > deadline)
        throw new Error(
          `Timed out waiting for ${what}; saga errors: ${sagaErrors.join('; ')}; last: ${JSON.stringify(value)} ${JSON.stringify(await lastSeen?.())}`,
        );
      await pause(50);
    }
  };
  let lastSeen: (() => Promise<unknown>) | undefined;
  const missingCount = async (missing: string): Promise<number> => {
    const metric = (await app.registry.getSingleMetric(METRIC)?.get())?.values ?? [];
    return metric.find((v) => v.labels['missing'] === missing)?.value ?? 0;
  };
  const paymentStep = async (id: string, key: string, step: string) => {
    const r = await call(app, 'GET', `/api/v1/reservations/${id}`, key);
    if (r.status !== 200) throw new Error(`GET reservation: ${r.status} ${JSON.stringify(r.body)}`);
    const state = r.body['paymentState'] as { steps: Record<string, Record<string, unknown>> };
    return state.steps[step];
  };

  it('lets a vendor create and read only its own account, and set its deposit method', async () => {
    const vendor = await app.createVendorToken();
    const other = await app.createVendorToken();
    const path = `/api/v1/vendors/${vendor.vendorId}/payout-account`;
    const missing = await call(app, 'GET', path, vendor.token);
    expect(missing.status).to.equal(404);
    expect(missing.body.error?.code).to.equal('PAYOUT_ACCOUNT_NOT_FOUND');

    const created = await call(app, 'POST', path, vendor.token, {});
    expect(created.status).to.equal(201);
    expect(created.body).to.deep.include({
      vendorId: vendor.vendorId,
      provider: 'simulated',
      status: 'active',
      payoutsEnabled: true,
      depositPaymentMethodSet: false,
    });
    expect(created.body['accountId']).to.match(/^acct_sim_[0-9a-f]{24}$/);
    const again = await call(app, 'POST', path, vendor.token);
    expect(again.status).to.equal(200);
    expect(again.body['accountId']).to.equal(created.body['accountId']);
    expect((await call(app, 'GET', path, app.adminKey)).body['accountId']).to.equal(
      created.body['accountId'],
    );

    expect((await call(app, 'GET', path, other.token)).status).to.equal(403);
    expect((await call(app, 'POST', path, other.token, {})).status).to.equal(403);
    const deposit = `/api/v1/vendors/${vendor.vendorId}/deposit-payment-method`;
    expect(
      (await call(app, 'PUT', deposit, other.token, { paymentMethod: 'pm_x' })).status,
    ).to.equal(403);
    const bad = await call(app, 'PUT', deposit, vendor.token, { paymentMethod: 'card 4242' });
    expect(bad.status).to.equal(400);
    expect((await call(app, 'PUT', deposit, vendor.token, {})).status).to.equal(400);
    expect((await call(app, 'POST', path, vendor.token, { returnUrl: 'ftp://x' })).status).to.equal(
      400,
    );
    const set = await call(app, 'PUT', deposit, vendor.token, { paymentMethod: 'pm_card_amex' });
    expect(set.status).to.equal(200);
    expect(set.body).to.deep.include({ depositPaymentMethodSet: true, status: 'active' });
    expect(JSON.stringify(set.body)).not.to.contain('pm_card_amex');
  });

  it("authorizes a vendor's deposit on its own method, and fails clearly without one", async () => {
    const partner = await app.createPartnerKey();
    const vendor = await app.createVendorToken();
    const resourceId = await registerResource(
      app.writeSide,
      sampleNightly({
        vendorId: vendor.vendorId,
        confirmationPolicy: 'vendor',
        vendorDeposit: { amount: 5_000, currency: 'EUR' },
      }),
    );
    const before = await missingCount('deposit-payment-method');
    const unpaid = await holdNights(app, partner.key, resourceId, '2026-12-20', '2026-12-22');
    await waitFor('vendor confirmation wait', async () =>
      (await call(app, 'GET', `/api/v1/reservations/${unpaid}`, partner.key)).body['state'] ===
      'AWAITING_VENDOR_CONFIRMATION'
        ? true
        : undefined,
    );
    await call(app, 'POST', `/api/v1/reservations/${unpaid}/vendor-confirmation`, vendor.token, {
      decision: 'confirm',
    });
    const failed = await waitFor('the deposit step to fail', async () => {
      const step = await paymentStep(unpaid, partner.key, 'vendor-auth');
      return step?.['status'] === 'failed' ? step : undefined;
    });
    expect(failed['reason']).to.contain('has no deposit payment method');
    expect(failed['reason']).to.contain(`/vendors/${vendor.vendorId}/deposit-payment-method`);
    expect(await missingCount('deposit-payment-method')).to.equal(before + 1);
    expect(await gateway.listOperations(unpaid)).to.deep.equal([]);

    await call(
      app,
      'PUT',
      `/api/v1/vendors/${vendor.vendorId}/deposit-payment-method`,
      vendor.token,
      {
        paymentMethod: 'pm_card_amex',
      },
    );
    const paid = await holdNights(app, partner.key, resourceId, '2026-12-23', '2026-12-24');
    await waitFor('vendor confirmation wait', async () =>
      (await call(app, 'GET', `/api/v1/reservations/${paid}`, partner.key)).body['state'] ===
      'AWAITING_VENDOR_CONFIRMATION'
        ? true
        : undefined,
    );
    await call(app, 'POST', `/api/v1/reservations/${paid}/vendor-confirmation`, vendor.token, {
      decision: 'confirm',
    });
    await waitFor('the deposit authorization', async () =>
      (await paymentStep(paid, partner.key, 'vendor-auth'))?.['status'] === 'succeeded'
        ? true
        : undefined,
    );
    const { rows } = await app.db.pool.query<{ payment_method: string }>(
      'SELECT payment_method FROM payment_sim_authorizations WHERE reservation_id = $1',
      [paid],
    );
    expect(rows.map((r) => r.payment_method)).to.deep.equal(['pm_card_amex']);
  });

  it("refuses a payout to a vendor without an account, visibly, and pays it to the vendor's own account once onboarded", async () => {
    const partner = await app.createPartnerKey();
    const vendor = await app.createVendorToken();
    const resourceId = await registerResource(
      app.writeSide,
      sampleNightly({ vendorId: vendor.vendorId }),
    );
    const id = await holdNights(app, partner.key, resourceId, '2026-12-10', '2026-12-12');
    await waitFor('requester auth wait', async () =>
      (await call(app, 'GET', `/api/v1/reservations/${id}`, partner.key)).body['state'] ===
      'AWAITING_REQUESTER_AUTH'
        ? true
        : undefined,
    );
    await call(
      app,
      'POST',
      `/api/v1/reservations/${id}/confirm`,
      partner.key,
      { paymentMethod: 'pm_card_visa' },
      { 'idempotency-key': `confirm-${id}` },
    );
    await waitFor('confirmed', async () =>
      (await call(app, 'GET', `/api/v1/reservations/${id}`, partner.key)).body['state'] ===
      'CONFIRMED'
        ? true
        : undefined,
    );
    // Status changes are accepted only around the stay (docs/lifecycle-windows.md);
    // the vendor's token would expire on the moved clock, so an admin records them.
    const status = (next: string) =>
      call(app, 'POST', `/api/v1/bookings/${id}/status`, app.adminKey, { status: next });
    app.clock.set('2026-12-10T14:00:00.000Z');
    expect((await status('CHECKED_IN')).status).to.equal(200);
    app.clock.set('2026-12-12T08:00:00.000Z');
    expect((await status('COMPLETED')).status).to.equal(200);
    const before = await missingCount('payout-account');
    lastSeen = async () =>
      (await call(app, 'GET', `/api/v1/reservations/${id}`, partner.key)).body['paymentState'];
    await waitFor('the payout to wait out the dispute window', async () =>
      (await paymentStep(id, partner.key, 'payout'))?.['status'] === 'pending' ? true : undefined,
    );
    app.clock.advance((DISPUTE_WINDOW_HOURS * 60 + 1) * 60_000);

    const dead = await waitFor('the payout to be dead-lettered', async () => {
      const step = await paymentStep(id, partner.key, 'payout');
      return step?.['status'] === 'deadLettered' ? step : undefined;
    });
    expect(dead['reason']).to.contain(`Vendor ${vendor.vendorId} cannot be paid`);
    expect(dead['reason']).to.contain('has no payout account');
    expect(await missingCount('payout-account')).to.equal(before + 1);
    expect((await gateway.listOperations(id)).map((op) => op.operation)).not.to.include('transfer');

    // The vendor's token has expired on the advanced clock; an admin onboards it (also allowed).
    const onboarded = await call(
      app,
      'POST',
      `/api/v1/vendors/${vendor.vendorId}/payout-account`,
      app.adminKey,
      {},
    );
    expect(onboarded.status).to.equal(201);
    expect(onboarded.body['releasedPayouts']).to.deep.equal([id]);
    await waitFor('the payout', async () =>
      (await paymentStep(id, partner.key, 'payout'))?.['status'] === 'succeeded' ? true : undefined,
    );
    const { rows } = await app.db.pool.query<{ destination_account: string }>(
      'SELECT destination_account FROM payment_sim_transfers WHERE reservation_id = $1',
      [id],
    );
    expect(rows.map((r) => r.destination_account)).to.deep.equal([onboarded.body['accountId']]);
    expect(sagaErrors.map(String)).to.deep.equal([]);
  });
});
