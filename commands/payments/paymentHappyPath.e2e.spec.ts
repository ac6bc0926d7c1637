import { expect } from 'chai';
import { Registry } from 'prom-client';
import { DEFAULT_SAGA_OPTIONS } from '../../domain/payment/sagaDecider.ts';
import { sampleNightly } from '../../domain/resource/testing/sampleResources.ts';
import { getPostgresCheckpointStore } from '../../infra/eventStore/postgres/checkpointStore.ts';
import { bearer, postJson } from '../../infra/http/testing.ts';
import { getSimulatedPaymentGateway } from '../../infra/payments/simulated/simulatedPaymentGateway.ts';
import {
  startPaymentSaga,
  type RunningPaymentSaga,
} from '../../infra/processManagers/paymentSagaProcess.ts';
import { getPostgresSagaTimers } from '../../infra/processManagers/postgresSagaTimers.ts';
import {
  createProjectionRunner,
  type ProjectionRunner,
} from '../../infra/projections/projectionRunner.ts';
import { resolveLiveTables, toSql } from '../../infra/projections/versions.ts';
import { startWriteTestApp, type WriteTestApp } from '../../infra/testing/writeTestApp.ts';
import { ledgerProjection } from '../../projections/ledger/project.ts';
import { getLedgerReportRoute } from '../../queries/readingLedger/route.ts';
import { call } from '../shared/testing/httpClient.ts';
import { holdNights } from '../shared/testing/lifecycle.ts';
import { registerResource } from '../shared/testing/reservationFixtures.ts';
import { createSilentVendorNotifier, createStaticPaymentAccounts } from './paymentSaga/ports.ts';
import type { PaymentSagaDeps } from './paymentSaga/sagaDeps.ts';

interface LedgerReport {
  readonly entries: readonly { readonly kind: string }[];
  readonly balances: Readonly<Record<string, number>>;
  readonly balanced: boolean;
}

const DISPUTE_WINDOW_HOURS = 1;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Issue 6 "Show it": the whole payment path over HTTP with the simulated
 * gateway, the payment saga and the ledger projection running beside the API.
 */
describe('the payment happy path over HTTP (simulated gateway, saga, ledger)', function () {
  this.timeout(60_000);
  let app: WriteTestApp;
  let saga: RunningPaymentSaga;
  let projections: ProjectionRunner;
  let gateway: ReturnType<typeof getSimulatedPaymentGateway>;
  const sagaErrors: unknown[] = [];

  before(async () => {
    app = await startWriteTestApp({
      extraRoutes: () => [
        getLedgerReportRoute({
          // Lazy: the routes are built before the test app (and its pool) is returned.
          sql: {
            query: <R>(text: string, params?: readonly unknown[]) =>
              toSql(app.db.pool).query<R>(text, params),
          },
          liveTable: async (base) =>
            (await resolveLiveTables(app.db.pool, ledgerProjection))?.[base],
        }),
      ],
    });
    gateway = getSimulatedPaymentGateway(app.db.pool);
    // As infra/composition/payments.ts builds them, with the test's clock and a short dispute window.
    const deps: PaymentSagaDeps = {
      write: app.writeSide,
      gateway,
      clock: app.clock,
      jitter: () => 0.5,
      accounts: createStaticPaymentAccounts(),
      notifier: createSilentVendorNotifier(),
      timers: getPostgresSagaTimers(app.db.pool),
      options: { ...DEFAULT_SAGA_OPTIONS, disputeWindowHours: DISPUTE_WINDOW_HOURS },
    };
    saga = startPaymentSaga(deps, {
      store: app.store,
      checkpoints: getPostgresCheckpointStore(app.db.pool),
      timerPollMs: 25,
      onError: (error) => sagaErrors.push(error),
    });
    projections = createProjectionRunner({
      pool: app.db.pool,
      connectionString: app.db.connectionString,
      schema: app.db.schema,
      postgres: [ledgerProjection],
      pollIntervalMs: 50,
      leaseRetryMs: 100,
      registry: new Registry(),
    });
    projections.start();
  });
  after(async () => {
    saga?.stop();
    await projections?.stop();
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
          `Timed out waiting for ${what}; saga errors: ${sagaErrors.map(String).join('; ')}`,
        );
      await pause(50);
    }
  };

  it('hold → vendor confirms → deposit → requester confirms → captured → checked in → completed → payout, ledger balanced throughout', async () => {
    const vendor = await app.createVendorToken();
    const partner = await app.createPartnerKey();
    const analyst = await postJson(
      `${app.baseUrl}/api/v1/admin/api-keys`,
      { role: 'analyst', label: 'ledger reader' },
      bearer(app.adminKey),
    ).then(async (r) => ((await r.json()) as { apiKey: string }).apiKey);
    const base = sampleNightly();
    const resourceId = await registerResource(
      app.writeSide,
      sampleNightly({
        vendorId: vendor.vendorId,
        confirmationPolicy: 'vendor',
        vendorDeposit: { amount: 5_000, currency: 'EUR' },
        pricingRules: {
          ...base.pricingRules,
          fees: { commissionBasisPoints: 1_000, cleaningPerStay: 0, insuranceBasisPoints: 0 },
        },
      }),
    );

    const id = await holdNights(app, partner.key, resourceId, '2026-12-24', '2026-12-26');
    const stateOf = async () =>
      String((await call(app, 'GET', `/api/v1/reservations/${id}`, partner.key)).body['state']);
    const reached = (state: string) =>
      waitFor(`reservation ${id} in ${state}`, async () =>
        (await stateOf()) === state ? true : undefined,
      );
    const ledger = async (kinds: readonly string[]): Promise<LedgerReport> => {
      const report = await waitFor(`ledger entries ${kinds.join(', ')}`, async () => {
        const r = await call(app, 'GET', `/api/v1/reports/ledger?reservationId=${id}`, analyst);
        const body = r.body as unknown as LedgerReport;
        const seen = body.entries.map((e) => e.kind);
        return kinds.every((k) => seen.includes(k)) ? body : undefined;
      });
      expect(report.balanced).to.equal(true);
      expect(Object.values(report.balances).reduce((a, b) => a + b, 0)).to.equal(0);
      return report;
    };
    const operations = async () =>
      (await gateway.listOperations(id)).map(
        (op) => `${op.operation}:${op.idempotencyKey.replace(`-${id}-`, '-#-')}`,
      );

    await reached('AWAITING_VENDOR_CONFIRMATION');
    const confirmed = await call(
      app,
      'POST',
      `/api/v1/reservations/${id}/vendor-confirmation`,
      vendor.token,
      { decision: 'confirm' },
    );
    expect(confirmed.status).to.equal(200);
    // The saga authorizes the deposit, then waits for the requester.
    await reached('AWAITING_REQUESTER_AUTH');
    expect(await operations()).to.deep.equal(['authorize:vendor-auth-#-1']);
    // An authorization moves no money: nothing in the ledger yet.
    expect((await ledger([])).entries).to.deep.equal([]);

    const paid = await call(
      app,
      'POST',
      `/api/v1/reservations/${id}/confirm`,
      partner.key,
      { paymentMethod: 'pm_card_mastercard' },
      { 'idempotency-key': `confirm-${id}` },
    );
    expect(paid.status).to.equal(202);
    expect(paid.body['state']).to.equal('AWAITING_REQUESTER_AUTH');
    expect(paid.body['position']).to.be.a('string');
    await reached('CONFIRMED');
    const captured = await ledger(['payment_captured', 'vendor_deposit_held']);
    expect(captured.balances['escrow_held']).to.be.greaterThan(0);
    expect(await operations()).to.deep.equal([
      'authorize:vendor-auth-#-1',
      'authorize:requester-auth-#-1',
      'capture:vendor-capture-#-1',
      'capture:requester-capture-#-1',
    ]);
    const { rows } = await app.db.pool.query<{ payment_method: string }>(
      'SELECT payment_method FROM payment_sim_authorizations WHERE reservation_id = $1 ORDER BY seq',
      [id],
    );
    expect(rows.map((r) => r.payment_method)).to.deep.equal(['pm_card_visa', 'pm_card_mastercard']);

    // Check-in and completion are accepted only around the stay (docs/lifecycle-windows.md);
    // by then the vendor's access token has expired, so the admin's API key records them.
    app.clock.set('2026-12-25T12:00:00.000Z');
    const status = (next: string) =>
      call(app, 'POST', `/api/v1/bookings/${id}/status`, app.adminKey, { status: next });
    expect((await status('CHECKED_IN')).body['state']).to.equal('CHECKED_IN');
    expect((await status('COMPLETED')).body['state']).to.equal('COMPLETED');
    await ledger(['vendor_deposit_returned']);
    await pause(200);
    expect((await operations()).filter((op) => op.startsWith('transfer'))).to.deep.equal([]);

    app.clock.advance((DISPUTE_WINDOW_HOURS * 60 + 1) * 60_000);
    const settled = await ledger(['payout']);
    // The vendor is paid in full; what escrow still holds is the platform's fee and the tax on it.
    const b = (account: string) => settled.balances[account] ?? 0;
    expect(b('vendor_payable')).to.equal(0);
    expect(b('escrow_held')).to.be.greaterThan(0);
    expect(b('escrow_held')).to.equal(-(b('platform_revenue') + b('tax_payable')));
    expect(await operations()).to.deep.equal([
      'authorize:vendor-auth-#-1',
      'authorize:requester-auth-#-1',
      'capture:vendor-capture-#-1',
      'capture:requester-capture-#-1',
      'refund:vendor-refund-#-1',
      'transfer:payout-#-1',
    ]);
    expect(sagaErrors.map(String)).to.deep.equal([]);
  });
});
