import { expect } from 'chai';
import { bearer, postJson, startTestApp, type TestApp } from '../../infra/http/testing.ts';
import { ensureLiveVersion, resolveLiveTables, toSql } from '../../infra/projections/versions.ts';
import { ledgerProjection } from '../../projections/ledger/project.ts';
import { getLedgerReportRoute } from './route.ts';

describe('GET /api/v1/reports/ledger', function () {
  this.timeout(20_000);
  let app: TestApp;
  before(async () => {
    app = await startTestApp({
      redis: 'none',
      routes: (db) => [
        getLedgerReportRoute({
          sql: toSql(db.pool),
          liveTable: async (base) => (await resolveLiveTables(db.pool, ledgerProjection))?.[base],
        }),
      ],
    });
  });
  after(async () => app.close());

  const keyFor = async (role: string) => {
    const response = await postJson(
      `${app.baseUrl}/api/v1/admin/api-keys`,
      { role, label: role, ...(role === 'partner' ? { partnerId: 'p-1' } : {}) },
      bearer(app.adminKey),
    );
    return ((await response.json()) as { apiKey: string }).apiKey;
  };
  const get = async (key: string, id: string) =>
    fetch(`${app.baseUrl}/api/v1/reports/ledger?reservationId=${id}`, { headers: bearer(key) });

  it('shows a booking’s entries and balances to analysts, and refuses partners', async () => {
    const analyst = await keyFor('analyst');
    expect(await (await get(analyst, 'r-1')).json()).to.deep.equal({
      reservationId: 'r-1',
      entries: [],
      balances: {},
      balanced: true,
    });
    await ensureLiveVersion(app.db.pool, ledgerProjection);
    const table = (await resolveLiveTables(app.db.pool, ledgerProjection))?.['ledger_postings'];
    await app.db.pool.query(
      `INSERT INTO ${table} (entry_id, account, reservation_id, kind, amount, currency, at, position) VALUES
       ('r-1/requester-capture/1/payment_captured', 'escrow_held', 'r-1', 'payment_captured', 44720, 'EUR', '2026-12-01T10:00:00Z', '1:1'),
       ('r-1/requester-capture/1/payment_captured', 'guest_receivable', 'r-1', 'payment_captured', -44720, 'EUR', '2026-12-01T10:00:00Z', '1:1')`,
    );
    const body = (await (await get(analyst, 'r-1')).json()) as {
      balances: object;
      balanced: boolean;
      entries: unknown[];
    };
    expect(body.balanced).to.equal(true);
    expect(body.balances).to.deep.equal({ escrow_held: 44_720, guest_receivable: -44_720 });
    expect(body.entries).to.have.length(1);
    expect((await get(await keyFor('auditor'), 'r-1')).status).to.equal(200);
    expect((await get(await keyFor('partner'), 'r-1')).status).to.equal(403);
  });
});
