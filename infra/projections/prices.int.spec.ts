import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import type { RecordedEvent } from '../../commands/shared/eventStore.ts';
import { sampleNightly } from '../../domain/resource/testing/sampleResources.ts';
import { pricesProjection } from '../../projections/prices/project.ts';
import type { Sql } from '../../projections/shared/projection.ts';
import { getPostgresEventStore } from '../eventStore/postgres/postgresEventStore.ts';
import { withTransaction, type PoolClient } from '../postgres/pool.ts';
import { createTestDatabase, type TestDatabase } from '../postgres/testing.ts';
import { readAllVisible } from './testing/sampleLog.ts';
import { createVersionTables } from './versions.ts';

const event = (type: string, data: unknown) => ({
  eventId: randomUUID(),
  type,
  schemaVersion: 1,
  data,
});

/** The projection's SQL port, counting the rows its statements insert, update or delete. */
const countingSql = (client: PoolClient) => {
  let written = 0;
  const sql: Sql = {
    query: async <R>(text: string, params: readonly unknown[] = []) => {
      const result = await client.query(text, [...params]);
      if (/^\s*(INSERT|UPDATE|DELETE)/i.test(text)) written += result.rowCount ?? 0;
      return { rows: result.rows as R[] };
    },
  };
  return { sql, written: () => written };
};

describe('prices projection (the price model)', function () {
  this.timeout(30_000);
  let db: TestDatabase;
  before(async () => {
    db = await createTestDatabase({ max: 3 });
  });
  after(() => db.dispose());

  it('writes O(changes) rows per pricing change, never one per date of the horizon', async () => {
    const store = getPostgresEventStore(db.pool, {
      schema: db.schema,
      connectionString: db.connectionString,
    });
    const config = sampleNightly({ horizonDays: 365 });
    const resourceId = 'priced-room';
    const rules = (overrides: { date: string; price: number }[], version: string) => ({
      ...config.pricingRules,
      version,
      dateOverrides: overrides,
    });
    await store.append([
      {
        stream: `resource-${resourceId}`,
        expectedRevision: 'no_stream',
        events: [
          event('ResourceRegistered', {
            ...config,
            pricingRules: rules(
              [
                { date: '2027-01-10', price: 1_000 },
                { date: '2027-01-11', price: 2_000 },
              ],
              'v1',
            ),
            resourceId,
            registeredAt: '2026-12-01T08:00:00.000Z',
          }),
          event('ResourcePricingRulesChanged', {
            resourceId,
            changedAt: '2026-12-02T08:00:00.000Z',
            pricingRules: rules(
              [
                { date: '2027-01-11', price: 2_500 },
                { date: '2027-01-12', price: 3_000 },
              ],
              'v2',
            ),
          }),
          event('ResourceRetired', {
            resourceId,
            reason: 'Sold.',
            retiredAt: '2026-12-03T08:00:00.000Z',
          }),
        ],
      },
    ]);
    const events: RecordedEvent[] = await readAllVisible(db.pool, 3);
    const tables = await createVersionTables(db.pool, pricesProjection, 1);
    const writes: number[] = [];
    const overridesAfter: unknown[] = [];
    await withTransaction(db.pool, async (client) => {
      for (const recorded of events) {
        const counting = countingSql(client);
        await pricesProjection.apply(counting.sql, tables, [recorded]);
        writes.push(counting.written());
        const { rows } = await client.query<{ d: string; price: string }>(
          `SELECT to_char(price_date, 'YYYY-MM-DD') AS d, price FROM ${tables['price_overrides']} ORDER BY 1`,
        );
        overridesAfter.push(rows.map((r) => [r.d, Number(r.price)]));
      }
    });
    // Registration: the rules row + 2 overrides. Change: rules row, 1 removed, 1 changed, 1 added.
    // Retirement: rules row + its 2 overrides removed.
    expect(writes).to.deep.equal([3, 4, 3]);
    expect(overridesAfter).to.deep.equal([
      [
        ['2027-01-10', 1_000],
        ['2027-01-11', 2_000],
      ],
      [
        ['2027-01-11', 2_500],
        ['2027-01-12', 3_000],
      ],
      [],
    ]);
    const { rows } = await db.pool.query<{ retired: boolean; version: number; until: string }>(
      `SELECT retired, version, to_char(effective_until, 'YYYY-MM-DD') AS until FROM ${tables['price_rules']}`,
    );
    expect(rows).to.deep.equal([{ retired: true, version: 3, until: '2027-12-03' }]);
  });
});
