import { expect } from 'chai';
import { analyticsProjection } from '../../projections/analytics/project.ts';
import { tableNamesFor } from '../../projections/shared/projection.ts';
import { getPostgresCheckpointStore } from '../eventStore/postgres/checkpointStore.ts';
import { readAllPostgres } from '../eventStore/postgres/subscription.ts';
import {
  createSagaHarness,
  expectNoSagaErrors,
  type SagaHarness,
} from '../processManagers/testing/sagaHarness.ts';
import { checksumProjection } from '../projections/checksum.ts';
import { createProjectionRunner } from '../projections/projectionRunner.ts';
import { rebuildProjection } from '../projections/rebuild.ts';
import { analyticsSchemaOf } from '../projections/publishViews.ts';
import { quoteIdentifier } from '../postgres/pool.ts';
import { scriptAnalyticsLog } from './testing/scriptedScenario.ts';

/**
 * The analytics views over a scripted log (testing/scriptedScenario.ts), every
 * figure computed by hand there; the projection rebuilt from the log equals
 * the live one; the analyst role reads the views and nothing else.
 */
describe('analytics schema over a scripted log', function () {
  this.timeout(90_000);
  let h: SagaHarness;
  let analytics: string;

  const view = async (name: string, order: string) =>
    (await h.db.pool.query(`SELECT * FROM ${quoteIdentifier(analytics)}.${name} ORDER BY ${order}`))
      .rows as Record<string, unknown>[];

  before(async () => {
    h = await createSagaHarness({ disputeWindowHours: 1 });
    analytics = analyticsSchemaOf(h.db.schema);
    h.start();
    await scriptAnalyticsLog(h);
    h.stop();
    expectNoSagaErrors(h);
    const events = await readAllPostgres(h.db.pool, { filter: analyticsProjection.filter });
    const runner = createProjectionRunner({
      pool: h.db.pool,
      connectionString: h.db.connectionString,
      schema: h.db.schema,
      postgres: [analyticsProjection],
      leaseRetryMs: 100,
      pollIntervalMs: 50,
    });
    runner.start();
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
  });
  after(async () => h.dispose());

  it('occupancy per resource and night: capacity, sold, held, closed and %', async () => {
    const rows = await view('occupancy', 'resource_id, local_date');
    const pick = rows.map((r) => [
      r['resource_id'],
      (r['local_date'] as Date).toISOString().slice(0, 10),
      Number(r['capacity']),
      Number(r['sold']),
      Number(r['held']),
      Number(r['closed']),
      r['occupancy_pct'],
    ]);
    expect(pick).to.deep.equal([
      ['ber', '2026-12-24', 1, 1, 0, 0, '100.00'],
      ['eilat', '2026-12-24', 1, 1, 0, 0, '100.00'],
      ['tlv', '2026-12-24', 2, 1, 0, 0, '50.00'],
      ['tlv', '2026-12-25', 2, 1, 0, 0, '50.00'],
      ['tlv', '2026-12-26', 2, 1, 0, 0, '50.00'],
      // F expired: the saga released its hold.
      ['tlv', '2026-12-27', 2, 0, 0, 0, '0.00'],
    ]);
  });

  it('revenue per night × vendor × partner × currency, with ADR and RevPAR', async () => {
    const rows = await view('revenue', 'local_date, vendor_id, partner_id');
    const pick = rows.map((r) =>
      [
        'local_date',
        'vendor_id',
        'partner_id',
        'currency',
        'room_revenue',
        'commission',
        'taxes',
        'total',
        'units_sold',
        'adr',
        'revpar',
      ].map((k) => (r[k] instanceof Date ? r[k].toISOString().slice(0, 10) : r[k])),
    );
    expect(pick).to.deep.equal([
      ['2026-12-24', 'v-ber', 'p1', 'EUR', '10000', '1000', '890', '11890', '1', '10000', '10000'],
      [
        '2026-12-24',
        'v-eilat',
        'p2',
        'ILS',
        '40000',
        '4000',
        '720',
        '44720',
        '1',
        '40000',
        '40000',
      ],
      ['2026-12-24', 'v-tlv', 'p1', 'ILS', '50000', '5000', '900', '55900', '1', '50000', '25000'],
      ['2026-12-24', 'v-tlv', 'p2', 'ILS', '25000', '2500', '4950', '32450', '0', null, '12500'],
      ['2026-12-25', 'v-tlv', 'p1', 'ILS', '50000', '5000', '900', '55900', '1', '50000', '25000'],
      ['2026-12-25', 'v-tlv', 'p2', 'ILS', '25000', '2500', '4950', '32450', '0', null, '12500'],
      ['2026-12-26', 'v-tlv', 'p1', 'ILS', '50000', '5000', '9900', '64900', '1', '50000', '25000'],
    ]);
  });

  it('tax per jurisdiction × rate × treatment: zero-rated tourists and the Eilat exemption apart', async () => {
    const { rows } = await h.db.pool.query(
      `SELECT period, jurisdiction, rate_bp, treatment, currency,
              sum(taxable_base)::text AS base, sum(tax)::text AS tax
       FROM ${quoteIdentifier(analytics)}.tax
       GROUP BY 1, 2, 3, 4, 5 ORDER BY 2, 3, 4`,
    );
    expect(rows.map((r: Record<string, unknown>) => Object.values(r))).to.deep.equal([
      ['2026-12', 'DE', 700, 'taxable', 'EUR', '10000', '700'],
      ['2026-12', 'DE', 1900, 'taxable', 'EUR', '1000', '190'],
      ['2026-12', 'IL', 0, 'zero_rated', 'ILS', '100000', '0'],
      ['2026-12', 'IL', 1800, 'taxable', 'ILS', '120000', '21600'],
      ['2026-12', 'IL-EILAT', 0, 'exempt', 'ILS', '40000', '0'],
      ['2026-12', 'IL-EILAT', 1800, 'taxable', 'ILS', '4000', '720'],
    ]);
  });

  it('payouts and escrow per vendor', async () => {
    const escrow = (await view('escrow', 'vendor_id')).map((r) => Object.values(r));
    expect(escrow).to.deep.equal([
      ['v-ber', 'EUR', '11890', '0', '0', '11890'],
      ['v-eilat', 'ILS', '44720', '0', '0', '44720'],
      // paid out: A 111800 − 11800 platform fees with VAT = 100000; B keeps 64900 of which the
      // vendor's share is 64900 × 118000/129800 = 59000; C (no-show) 64900 − 5900 = 59000.
      // Left in escrow: the platform's 11800 + 5900 + 5900.
      ['v-tlv', 'ILS', '306500', '64900', '218000', '23600'],
    ]);
    const payouts = (await view('payouts', 'vendor_id')).map((r) => [
      r['vendor_id'],
      r['currency'],
      r['paid_out'],
      r['bookings'],
    ]);
    expect(payouts).to.deep.equal([['v-tlv', 'ILS', '218000', '3']]);
  });

  it('cancellation and no-show rates, refunds, and hold → commit conversion per partner', async () => {
    const cancellations = (await view('cancellations', 'local_date, vendor_id, partner_id')).map(
      (r) => [
        (r['local_date'] as Date).toISOString().slice(0, 10),
        r['vendor_id'],
        r['partner_id'],
        r['committed'],
        r['cancelled'],
        r['no_shows'],
        r['cancellation_pct'],
        r['no_show_pct'],
        r['refunded'],
      ],
    );
    expect(cancellations).to.deep.equal([
      ['2026-12-24', 'v-ber', 'p1', '1', '0', '0', '0.00', '0.00', '0'],
      ['2026-12-24', 'v-eilat', 'p2', '1', '0', '0', '0.00', '0.00', '0'],
      ['2026-12-24', 'v-tlv', 'p1', '1', '0', '0', '0.00', '0.00', '0'],
      ['2026-12-24', 'v-tlv', 'p2', '1', '1', '0', '100.00', '0.00', '64900'],
      ['2026-12-26', 'v-tlv', 'p1', '1', '0', '1', '0.00', '100.00', '0'],
    ]);
    const conversion = (await view('conversion', 'partner_id')).map((r) => [
      r['partner_id'],
      r['holds'],
      r['committed'],
      r['expired'],
      r['conversion_pct'],
    ]);
    expect(conversion).to.deep.equal([
      ['p1', '3', '3', '0', '100.00'],
      ['p2', '3', '2', '1', '66.67'],
    ]);
    const stays = (await view('length_of_stay', 'units')).map((r) => [r['units'], r['bookings']]);
    expect(stays.reduce((n, [, b]) => n + Number(b), 0)).to.equal(5);
    const lead = await view('lead_time', 'lead_days');
    expect(lead.map((r) => r['lead_days'])).to.include('15-30');
  });

  it('a rebuild from the log equals the live projection, and the views follow the swap', async () => {
    const before = await view('revenue', 'local_date, vendor_id, partner_id');
    const result = await rebuildProjection(
      h.db.pool,
      getPostgresCheckpointStore(h.db.pool),
      analyticsProjection,
    );
    expect(result).to.include({ previousVersion: 1, version: 2 });
    const live = await checksumProjection(h.db.pool, analyticsProjection, 1);
    const rebuilt = await checksumProjection(h.db.pool, analyticsProjection, 2);
    expect(Object.values(live.tables).every((t) => t.rows > 0)).to.equal(true);
    expect(rebuilt.checksum).to.equal(live.checksum);
    await h.db.pool.query('DROP TABLE analytics_lines_v1');
    expect(await view('revenue', 'local_date, vendor_id, partner_id')).to.deep.equal(before);
  });

  describe('the booking_ledger_analyst role', () => {
    const asAnalyst = async (sql: string) => {
      const client = await h.db.pool.connect();
      try {
        await client.query('BEGIN');
        await client.query('SET LOCAL ROLE booking_ledger_analyst');
        const { rows } = await client.query(sql);
        return rows as unknown[];
      } finally {
        await client.query('ROLLBACK');
        client.release();
      }
    };
    const refused = async (sql: string) => {
      const error = await asAnalyst(sql).then(
        () => undefined,
        (e: unknown) => e as { code?: string },
      );
      expect(error?.code, sql).to.equal('42501');
    };

    it('reads every analytics view', async () => {
      for (const name of Object.keys(
        analyticsProjection.views?.(tableNamesFor(analyticsProjection.tables, 1)) ?? {},
      )) {
        const rows = await asAnalyst(`SELECT * FROM ${quoteIdentifier(analytics)}.${name}`);
        expect(rows.length, name).to.be.greaterThan(0);
      }
    }).timeout(20_000);

    it('is refused the events, the read models with guests, the credentials and other schemas', async () => {
      const s = quoteIdentifier(h.db.schema);
      await refused(`SELECT * FROM ${s}.events`);
      await refused(`SELECT * FROM ${s}.analytics_bookings_v2`);
      await refused(`SELECT * FROM ${s}.api_keys`);
      await refused(`SELECT * FROM ${s}.users`);
      await refused(`SELECT * FROM ${s}.subscription_checkpoints`);
      await h.db.pool.query(
        'CREATE SCHEMA IF NOT EXISTS h13_other; CREATE TABLE IF NOT EXISTS h13_other.secrets (x int)',
      );
      await refused('SELECT * FROM h13_other.secrets');
      await refused(`CREATE TABLE ${quoteIdentifier(analytics)}.mine (x int)`);
      await refused(`INSERT INTO ${s}.events DEFAULT VALUES`);
    });
  });
});
