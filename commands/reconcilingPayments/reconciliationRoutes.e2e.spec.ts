import { expect } from 'chai';
import pino from 'pino';
import { DEFAULT_SAGA_OPTIONS } from '../../domain/payment/sagaDecider.ts';
import { getPostgresReconciliationStore } from '../../infra/payments/reconciliation/postgresReconciliationStore.ts';
import {
  createReconciliationRunner,
  type ReconciliationRunner,
} from '../../infra/payments/reconciliation/reconciliationRunner.ts';
import { getSimulatedPaymentGateway } from '../../infra/payments/simulated/simulatedPaymentGateway.ts';
import { startWriteTestApp, type WriteTestApp } from '../../infra/testing/writeTestApp.ts';
import { call } from '../shared/testing/httpClient.ts';
import { getReconciliationRoutes } from './route.ts';

describe('reconciliation admin routes over HTTP', function () {
  this.timeout(30_000);
  let app: WriteTestApp;
  let runner: ReconciliationRunner | undefined;

  before(async () => {
    app = await startWriteTestApp({
      redis: 'none',
      extraRoutes: () =>
        getReconciliationRoutes({
          // Lazy: the routes are built before the test app (and its pool) exists.
          run: (trigger, ids) => {
            runner ??= createReconciliationRunner({
              pool: app.db.pool,
              scope: app.db.schema,
              logger: pino({ level: 'silent' }),
              deps: {
                write: app.writeSide,
                gateway: getSimulatedPaymentGateway(app.db.pool),
                clock: app.clock,
                options: DEFAULT_SAGA_OPTIONS,
                store: getPostgresReconciliationStore(app.db.pool),
              },
            });
            return runner.runOnce(trigger, ids);
          },
          store: { latest: (limit) => getPostgresReconciliationStore(app.db.pool).latest(limit) },
        }),
    });
  });
  after(async () => {
    await app?.close();
  });

  it('runs on demand for admins only, validates the body, and lists the runs', async () => {
    const partner = await app.createPartnerKey();
    expect(
      (await call(app, 'POST', '/api/v1/admin/payments/reconcile', partner.key, {})).status,
    ).to.equal(403);
    expect(
      (await call(app, 'GET', '/api/v1/admin/payments/reconciliation', partner.key)).status,
    ).to.equal(403);
    const bad = await call(app, 'POST', '/api/v1/admin/payments/reconcile', app.adminKey, {
      reservationIds: ['../etc'],
    });
    expect(bad.status).to.equal(400);
    const tooMany = await call(app, 'POST', '/api/v1/admin/payments/reconcile', app.adminKey, {
      reservationIds: Array.from({ length: 101 }, (_, i) => `r${i}`),
    });
    expect(tooMany.status).to.equal(400);

    const ran = await call(app, 'POST', '/api/v1/admin/payments/reconcile', app.adminKey, {});
    expect(ran.status).to.equal(200);
    expect(ran.body['run']).to.deep.include({ trigger: 'admin', checked: 0, findings: 0 });
    expect(ran.body['findings']).to.deep.equal([]);
    const bodiless = await call(app, 'POST', '/api/v1/admin/payments/reconcile', app.adminKey);
    expect(bodiless.status).to.equal(200);
    const listed = await call(app, 'GET', '/api/v1/admin/payments/reconciliation', app.adminKey);
    expect(listed.status).to.equal(200);
    expect((listed.body['runs'] as unknown[]).length).to.equal(2);
    expect(listed.body['open']).to.deep.equal([]);
  });
});
