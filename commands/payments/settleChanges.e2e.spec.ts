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

interface Entry {
  readonly kind: string;
  readonly postings: readonly { readonly account: string; readonly amount: number }[];
}
interface LedgerReport {
  readonly entries: readonly Entry[];
  readonly balances: Readonly<Record<string, number>>;
  readonly balanced: boolean;
}
interface Summary {
  readonly owed: number;
  readonly authorized: number;
  readonly captured: number;
  readonly refunded: number;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const base = sampleNightly();
/** 50% back up to 48 hours before the start; the stays start 23 days after the test clock. */
const policy = {
  tiers: [{ minHoursBefore: 48, refund: { kind: 'percent' as const, basisPoints: 5_000 } }],
  noShowFee: { kind: 'percent' as const, basisPoints: 10_000 },
};

/** Issue 10: extend, shorten and cancel over HTTP; the gateway, the ledger and paymentSummary agree. */
describe('settlement of changes over HTTP (simulated gateway, saga, ledger)', function () {
  this.timeout(90_000);
  let app: WriteTestApp;
  let saga: RunningPaymentSaga;
  let projections: ProjectionRunner;
  let gateway: ReturnType<typeof getSimulatedPaymentGateway>;
  let analyst: string;
  const sagaErrors: unknown[] = [];

  before(async () => {
    app = await startWriteTestApp({
      // The test polls reads until the saga settled; the rate limits are not under test here.
      perPrincipal: { limit: 100_000, windowSeconds: 60 },
      extraRoutes: () => [
        getLedgerReportRoute({
          sql: {
            query: <R>(text: string, params?: readonly unknown[]) =>
              toSql(app.db.pool).query<R>(text, params),
          },
          liveTable: async (b) => (await resolveLiveTables(app.db.pool, ledgerProjection))?.[b],
        }),
      ],
    });
    gateway = getSimulatedPaymentGateway(app.db.pool);
    const deps: PaymentSagaDeps = {
      write: app.writeSide,
      gateway,
      clock: app.clock,
      jitter: () => 0.5,
      accounts: createStaticPaymentAccounts(),
      notifier: createSilentVendorNotifier(),
      timers: getPostgresSagaTimers(app.db.pool),
      options: { ...DEFAULT_SAGA_OPTIONS, disputeWindowHours: 1 },
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
    analyst = await postJson(
      `${app.baseUrl}/api/v1/admin/api-keys`,
      { role: 'analyst', label: 'ledger reader' },
      bearer(app.adminKey),
    ).then(async (r) => ((await r.json()) as { apiKey: string }).apiKey);
  });
  after(async () => {
    saga?.stop();
    await projections?.stop();
    await pause(50);
    await app?.close();
  });

  const waitFor = async <T>(what: string, probe: () => Promise<T | undefined>): Promise<T> => {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const value = await probe();
      if (value !== undefined) return value;
      if (Date.now() > deadline)
        throw new Error(`Timed out waiting for ${what}; saga errors: ${sagaErrors.join('; ')}`);
      await pause(50);
    }
  };
  const read = async (id: string, key: string) => {
    const response = await call(app, 'GET', `/api/v1/reservations/${id}`, key);
    expect(response.status, JSON.stringify(response.body)).to.equal(200);
    return response.body;
  };
  const summaryOf = async (id: string, key: string): Promise<Summary> => {
    const s = (await read(id, key))['paymentSummary'] as Record<string, { amount: number }>;
    return {
      owed: s['owed']?.amount ?? NaN,
      authorized: s['authorized']?.amount ?? NaN,
      captured: s['captured']?.amount ?? NaN,
      refunded: s['refunded']?.amount ?? NaN,
    };
  };
  /** Waits until the gateway's net equals what is owed (or `net`), and the ledger shows it. */
  /** Waits until the guest's net payment equals `net(summary)` (false: not yet). */
  const settledAt = (id: string, key: string, net: (s: Summary) => number | false) =>
    waitFor(`payments of ${id} to settle`, async () => {
      const s = await summaryOf(id, key);
      const want = net(s);
      return want !== false && s.captured - s.refunded === want ? s : undefined;
    });
  const ledgerOf = (id: string, until: (r: LedgerReport) => boolean) =>
    waitFor(`the ledger of ${id}`, async () => {
      const r = await call(app, 'GET', `/api/v1/reports/ledger?reservationId=${id}`, analyst);
      const body = r.body as unknown as LedgerReport;
      return until(body) ? body : undefined;
    });
  const guestMoney = (r: LedgerReport, kind: string, account: string) =>
    r.entries
      .filter((e) => e.kind === kind)
      .flatMap((e) => e.postings)
      .filter((p) => p.account === account)
      .reduce((sum, p) => sum + p.amount, 0);
  const gatewayMoney = async (id: string, operation: string) =>
    (await gateway.listOperations(id))
      .filter((o) => o.operation === operation)
      .map((o) => `${o.idempotencyKey.replace(`-${id}-`, '-#-')}=${o.amount.amount}`);

  it('extend by two nights → an extra capture; shorten → a refund; cancel → the policy’s refund of what was paid, all in the gateway, the ledger and paymentSummary', async () => {
    const partner = await app.createPartnerKey();
    const resourceId = await registerResource(
      app.writeSide,
      sampleNightly({ cancellationPolicy: policy }),
    );
    const id = await holdNights(app, partner.key, resourceId, '2026-12-24', '2026-12-26');
    const paid = await call(
      app,
      'POST',
      `/api/v1/reservations/${id}/confirm`,
      partner.key,
      { paymentMethod: 'pm_card_visa' },
      { 'idempotency-key': `confirm-${id}` },
    );
    expect(paid.status).to.equal(202);
    await waitFor(`booking ${id} to be confirmed`, async () =>
      (await read(id, partner.key))['state'] === 'CONFIRMED' ? true : undefined,
    );
    const booked = await settledAt(id, partner.key, (s) => s.owed);
    const o1 = booked.owed;
    expect(o1).to.be.greaterThan(0);
    expect(booked).to.deep.equal({ owed: o1, authorized: o1, captured: o1, refunded: 0 });

    const extended = await call(app, 'POST', `/api/v1/bookings/${id}/extend`, partner.key, {
      checkOut: '2026-12-28',
    });
    expect(extended.status, JSON.stringify(extended.body)).to.equal(200);
    const more = await settledAt(id, partner.key, (s) => s.owed > o1 && s.owed);
    const o2 = more.owed;
    expect(more).to.deep.equal({ owed: o2, authorized: o2, captured: o2, refunded: 0 });
    // The difference is a second PaymentIntent, authorized then captured.
    expect(await gatewayMoney(id, 'authorize')).to.deep.equal([
      `requester-auth-#-1=${o1}`,
      `settle-auth-#-1=${o2 - o1}`,
    ]);
    expect(await gatewayMoney(id, 'capture')).to.deep.equal([
      `requester-capture-#-1=${o1}`,
      `settle-capture-#-1=${o2 - o1}`,
    ]);
    const afterExtension = await ledgerOf(
      id,
      (r) => r.entries.filter((e) => e.kind === 'payment_captured').length === 2,
    );
    expect(afterExtension.balanced).to.equal(true);
    expect(guestMoney(afterExtension, 'payment_captured', 'escrow_held')).to.equal(o2);
    const detail = await read(id, partner.key);
    expect(detail['paymentState']).to.have.nested.property(
      'steps.settle-capture.status',
      'succeeded',
    );

    const version = Number((await read(id, partner.key))['version']);
    const shortened = await call(app, 'PUT', `/api/v1/bookings/${id}`, partner.key, {
      version,
      checkIn: '2026-12-24',
      checkOut: '2026-12-25',
    });
    expect(shortened.status).to.equal(200);
    const less = await settledAt(id, partner.key, (s) => s.owed < o1 && s.owed);
    const o3 = less.owed;
    expect(less).to.deep.equal({ owed: o3, authorized: o2, captured: o2, refunded: o2 - o3 });
    // The latest charge first: the extension's PaymentIntent, then part of the first.
    expect(await gatewayMoney(id, 'refund')).to.deep.equal([
      `settle-refund-#-1=${o2 - o1}`,
      `settle-refund-#-2=${o1 - o3}`,
    ]);
    const afterShortening = await ledgerOf(
      id,
      (r) => r.entries.filter((e) => e.kind === 'refund_paid').length === 2,
    );
    expect(guestMoney(afterShortening, 'refund_paid', 'escrow_held')).to.equal(o3 - o2);
    expect(afterShortening.balances['escrow_held']).to.equal(o3);

    const cancelled = await call(app, 'POST', `/api/v1/bookings/${id}/cancel`, partner.key, {
      reason: 'Plans changed.',
    });
    expect(cancelled.status).to.equal(200);
    // 50% of what was really paid (o3), not of anything merely owed or ever quoted.
    const half = Math.round(o3 / 2);
    expect(cancelled.body['refund']).to.deep.include({
      refund: { amount: half, currency: 'EUR' },
    });
    const final = await settledAt(id, partner.key, () => o3 - half);
    expect(final).to.deep.include({ captured: o2, refunded: o2 - o3 + half });
    expect(await gatewayMoney(id, 'refund')).to.deep.equal([
      `settle-refund-#-1=${o2 - o1}`,
      `settle-refund-#-2=${o1 - o3}`,
      `settle-refund-#-3=${half}`,
    ]);
    const afterCancel = await ledgerOf(
      id,
      (r) => r.entries.filter((e) => e.kind === 'refund_paid').length === 3,
    );
    expect(afterCancel.balanced).to.equal(true);
    expect(Object.values(afterCancel.balances).reduce((a, b) => a + b, 0)).to.equal(0);
    expect(afterCancel.balances['escrow_held']).to.equal(o3 - half);
    expect(sagaErrors.map(String)).to.deep.equal([]);
  });

  it('a free booking (basePrice 0) is confirmed without a gateway call, with zero entries in the ledger', async () => {
    const partner = await app.createPartnerKey();
    const resourceId = await registerResource(
      app.writeSide,
      sampleNightly({ pricingRules: { ...base.pricingRules, basePrice: 0 } }),
    );
    const id = await holdNights(app, partner.key, resourceId, '2026-12-24', '2026-12-26');
    await waitFor(`free booking ${id} to be confirmed`, async () =>
      (await read(id, partner.key))['state'] === 'CONFIRMED' ? true : undefined,
    ).catch(async (e: unknown) => {
      throw new Error(`${String(e)} ${JSON.stringify(await read(id, partner.key))}`);
    });
    expect(await gateway.listOperations(id)).to.deep.equal([]);
    expect(await summaryOf(id, partner.key)).to.deep.equal({
      owed: 0,
      authorized: 0,
      captured: 0,
      refunded: 0,
    });
    const ledger = await ledgerOf(id, (r) => r.entries.some((e) => e.kind === 'payment_captured'));
    expect(ledger.balanced).to.equal(true);
    expect(ledger.entries.flatMap((e) => e.postings).every((p) => p.amount === 0)).to.equal(true);
    expect(sagaErrors.map(String)).to.deep.equal([]);
  });
});
