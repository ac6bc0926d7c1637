import { expect } from 'chai';
import { getAnalystRoutes } from '../../infra/composition/analysts.ts';
import { readAllPostgres } from '../../infra/eventStore/postgres/subscription.ts';
import { bearer, postJson, startTestApp, type TestApp } from '../../infra/http/testing.ts';
import { scriptAnalyticsLog } from '../../infra/analytics/testing/scriptedScenario.ts';
import {
  createSagaHarness,
  expectNoSagaErrors,
  type SagaHarness,
} from '../../infra/processManagers/testing/sagaHarness.ts';
import { createProjectionRunner } from '../../infra/projections/projectionRunner.ts';
import { analyticsProjection } from '../../projections/analytics/project.ts';

/**
 * The reports over HTTP for the scripted log of infra/analytics/testing/
 * scriptedScenario.ts; every figure is worked out by hand in docs/analytics.md
 * "Worked example".
 */
describe('GET /api/v1/reports/* (analysts and admins)', function () {
  this.timeout(90_000);
  let h: SagaHarness;
  let app: TestApp;
  let analyst: Record<string, string>;
  const dec = 'from=2026-12-01&to=2027-01-01';

  const key = async (role: string, extra: Record<string, string> = {}) => {
    const response = await postJson(
      `${app.baseUrl}/api/v1/admin/api-keys`,
      { role, label: role, ...extra },
      bearer(app.adminKey),
    );
    expect(response.status).to.equal(201);
    return bearer(((await response.json()) as { apiKey: string }).apiKey);
  };
  const get = (path: string, headers = analyst) => fetch(`${app.baseUrl}${path}`, { headers });
  const rows = async (path: string) => {
    const response = await get(path);
    expect(response.status, path).to.equal(200);
    return ((await response.json()) as { rows: Record<string, unknown>[] }).rows;
  };

  before(async () => {
    h = await createSagaHarness({ disputeWindowHours: 1 });
    h.start();
    await scriptAnalyticsLog(h);
    h.stop();
    expectNoSagaErrors(h);
    const runner = createProjectionRunner({
      pool: h.db.pool,
      connectionString: h.db.connectionString,
      schema: h.db.schema,
      postgres: [analyticsProjection],
      pollIntervalMs: 50,
    });
    runner.start();
    const events = await readAllPostgres(h.db.pool, { filter: analyticsProjection.filter });
    try {
      const wait = await runner.waitForPosition(
        'analytics',
        events.at(-1)?.checkpoint ?? '',
        20_000,
      );
      expect(wait.reached).to.equal(true);
    } finally {
      await runner.stop();
    }
    app = await startTestApp({
      routes: getAnalystRoutes({ pool: h.db.pool, schema: h.db.schema }),
    });
    analyst = await key('analyst');
  });
  after(async () => {
    await app?.close();
    await h?.dispose();
  });

  it('revenue: every figure of the worked example, in minor units and local dates', async () => {
    const got = await rows(`/api/v1/reports/revenue?${dec}&vendorId=v-tlv`);
    expect(got).to.deep.equal([
      {
        date: '2026-12-24',
        vendorId: 'v-tlv',
        partnerId: 'p1',
        currency: 'ILS',
        kind: 'nightly',
        roomRevenue: 50000,
        commission: 5000,
        otherFees: 0,
        taxes: 900,
        total: 55900,
        unitsSold: 1,
        adr: 50000,
        revpar: 25000,
        availableUnits: 2,
      },
      {
        date: '2026-12-24',
        vendorId: 'v-tlv',
        partnerId: 'p2',
        currency: 'ILS',
        kind: 'nightly',
        roomRevenue: 25000,
        commission: 2500,
        otherFees: 0,
        taxes: 4950,
        total: 32450,
        unitsSold: 0,
        adr: null,
        revpar: 12500,
        availableUnits: 2,
      },
      {
        date: '2026-12-25',
        vendorId: 'v-tlv',
        partnerId: 'p1',
        currency: 'ILS',
        kind: 'nightly',
        roomRevenue: 50000,
        commission: 5000,
        otherFees: 0,
        taxes: 900,
        total: 55900,
        unitsSold: 1,
        adr: 50000,
        revpar: 25000,
        availableUnits: 2,
      },
      {
        date: '2026-12-25',
        vendorId: 'v-tlv',
        partnerId: 'p2',
        currency: 'ILS',
        kind: 'nightly',
        roomRevenue: 25000,
        commission: 2500,
        otherFees: 0,
        taxes: 4950,
        total: 32450,
        unitsSold: 0,
        adr: null,
        revpar: 12500,
        availableUnits: 2,
      },
      {
        date: '2026-12-26',
        vendorId: 'v-tlv',
        partnerId: 'p1',
        currency: 'ILS',
        kind: 'nightly',
        roomRevenue: 50000,
        commission: 5000,
        otherFees: 0,
        taxes: 9900,
        total: 64900,
        unitsSold: 1,
        adr: 50000,
        revpar: 25000,
        availableUnits: 2,
      },
    ]);
    const euro = await rows(`/api/v1/reports/revenue?${dec}&partnerId=p1&vendorId=v-ber`);
    expect(
      euro.map((r) => [r['currency'], r['roomRevenue'], r['taxes'], r['total']]),
    ).to.deep.equal([['EUR', 10000, 890, 11890]]);
  });

  it('tax: an Israeli VAT return for December — taxable, zero-rated tourists and Eilat-exempt apart', async () => {
    const got = await rows(`/api/v1/reports/tax?${dec}`);
    expect(
      got.map((r) => [
        r['jurisdiction'],
        r['rateBasisPoints'],
        r['treatment'],
        r['currency'],
        r['taxableBase'],
        r['tax'],
      ]),
    ).to.deep.equal([
      ['DE', 700, 'taxable', 'EUR', 10000, 700],
      ['DE', 1900, 'taxable', 'EUR', 1000, 190],
      ['IL', 0, 'zero_rated', 'ILS', 100000, 0],
      ['IL', 1800, 'taxable', 'ILS', 120000, 21600],
      ['IL-EILAT', 0, 'exempt', 'ILS', 40000, 0],
      ['IL-EILAT', 1800, 'taxable', 'ILS', 4000, 720],
    ]);
    expect(new Set(got.map((r) => r['period']))).to.deep.equal(new Set(['2026-12']));
    expect(await rows('/api/v1/reports/tax?from=2027-01-01&to=2027-02-01')).to.deep.equal([]);
  });

  it('occupancy: nights without activity carry the capacity; a resource filter narrows it', async () => {
    const got = await rows(
      '/api/v1/reports/occupancy?from=2026-12-23&to=2026-12-28&resourceId=tlv',
    );
    expect(
      got.map((r) => [r['date'], r['capacity'], r['sold'], r['held'], r['occupancyPct']]),
    ).to.deep.equal([
      ['2026-12-23', 2, 0, 0, 0],
      ['2026-12-24', 2, 1, 0, 50],
      ['2026-12-25', 2, 1, 0, 50],
      ['2026-12-26', 2, 1, 0, 50],
      ['2026-12-27', 2, 0, 0, 0],
    ]);
  });

  it('payouts, escrow, cancellations and conversion', async () => {
    const payouts = await rows(`/api/v1/reports/payouts?${dec}`);
    expect(payouts).to.deep.equal([
      { date: '2026-12-01', vendorId: 'v-tlv', currency: 'ILS', paidOut: 218000, bookings: 3 },
    ]);
    const escrow = await rows(`/api/v1/reports/escrow?${dec}&vendorId=v-tlv`);
    expect(escrow).to.deep.equal([
      {
        vendorId: 'v-tlv',
        currency: 'ILS',
        captured: 306500,
        refunded: 64900,
        paidOut: 218000,
        escrowHeld: 23600,
      },
    ]);
    const cancellations = await rows(`/api/v1/reports/cancellations?${dec}&vendorId=v-tlv`);
    expect(
      cancellations.map((r) => [
        r['date'],
        r['partnerId'],
        r['committed'],
        r['cancelled'],
        r['noShows'],
        r['cancellationPct'],
        r['noShowPct'],
        r['refunded'],
      ]),
    ).to.deep.equal([
      ['2026-12-24', 'p1', 1, 0, 0, 0, 0, 0],
      ['2026-12-24', 'p2', 1, 1, 0, 100, 0, 64900],
      ['2026-12-26', 'p1', 1, 0, 1, 0, 100, 0],
    ]);
    const conversion = await rows(`/api/v1/reports/conversion?${dec}`);
    expect(conversion).to.deep.equal([
      {
        date: '2026-12-01',
        partnerId: 'p1',
        holds: 3,
        committed: 3,
        expired: 0,
        failed: 0,
        abandoned: 0,
        open: 0,
        conversionPct: 100,
      },
      {
        date: '2026-12-01',
        partnerId: 'p2',
        holds: 3,
        committed: 2,
        expired: 1,
        failed: 0,
        abandoned: 0,
        open: 0,
        conversionPct: 66.67,
      },
    ]);
  });

  it('CSV with Accept: text/csv or format=csv, the same figures', async () => {
    const viaAccept = await get(`/api/v1/reports/conversion?${dec}`, {
      ...analyst,
      accept: 'text/csv',
    });
    expect(viaAccept.headers.get('content-type')).to.match(/^text\/csv/);
    const text = await viaAccept.text();
    expect(text).to.equal(
      'date,partnerId,holds,committed,expired,failed,abandoned,open,conversionPct\r\n' +
        '2026-12-01,p1,3,3,0,0,0,0,100\r\n' +
        '2026-12-01,p2,3,2,1,0,0,0,66.67\r\n',
    );
    const viaQuery = await get(`/api/v1/reports/conversion?${dec}&format=csv`);
    expect(await viaQuery.text()).to.equal(text);
  });

  it('admins may read reports; partners, vendors and auditors may not; no credential is a 401', async () => {
    expect((await get(`/api/v1/reports/revenue?${dec}`, bearer(app.adminKey))).status).to.equal(
      200,
    );
    for (const [role, extra] of [
      ['partner', { partnerId: 'p1' }],
      ['auditor', {}],
    ] as const) {
      const response = await get(`/api/v1/reports/revenue?${dec}`, await key(role, extra));
      expect(response.status, role).to.equal(403);
    }
    expect((await get(`/api/v1/reports/revenue?${dec}`, {})).status).to.equal(401);
  });

  it('bad input is a 400 envelope: bad dates, reversed or far ranges, NUL bytes, filters a report lacks', async () => {
    for (const query of [
      'from=2026-02-30&to=2026-03-01',
      'from=2026-12-10&to=2026-12-01',
      'from=2026-12-01&to=2026-12-01',
      'from=2020-01-01&to=2030-01-01',
      'from=2026-12-01',
      `${dec}&vendorId=v%00tlv`,
      `${dec}&partnerId=a&partnerId=b`,
      `${dec}&format=xml`,
    ]) {
      const response = await get(`/api/v1/reports/revenue?${query}`);
      expect(response.status, query).to.equal(400);
      const body = (await response.json()) as { error: { code: string; message: string } };
      expect(body.error.message, query).to.be.a('string').and.not.equal('');
    }
    const unsupported = await get(`/api/v1/reports/payouts?${dec}&partnerId=p1`);
    expect(unsupported.status).to.equal(400);
  });
});
