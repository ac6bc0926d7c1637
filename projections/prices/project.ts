import { diffOverrides, rulesWithoutOverrides } from '../../domain/pricing/priceModel.ts';
import { resourceEventDefinitions } from '../../domain/resource/events.ts';
import { decodeEvent } from '../shared/decode.ts';
import { tableOf, type PostgresProjection } from '../shared/projection.ts';
import { loadStates, saveStates, type StateTable } from '../shared/stateRows.ts';
import { evolvePriceSource, overridesOf, type PriceSource } from './evolve.ts';

export const PRICE_RULES_TABLE = 'price_rules';
export const PRICE_OVERRIDES_TABLE = 'price_overrides';

const rulesTable: StateTable<PriceSource> = {
  columns: [
    'rules',
    'currency',
    'rules_version',
    'base_price',
    'retired',
    'effective_from',
    'effective_until',
    'version',
  ],
  derive: (s) => ({
    rules: rulesWithoutOverrides(s.config.pricingRules),
    currency: s.config.pricingRules.currency,
    rules_version: s.config.pricingRules.version,
    base_price: s.config.pricingRules.basePrice,
    retired: s.retired,
    effective_from: s.fromDate,
    effective_until: s.untilDate,
    version: s.version,
  }),
};

/**
 * The price model (DESIGN.md "Read models"): one rules row per resource
 * (base, seasons with their date ranges, weekday factors, tiers) and one row
 * per date only where an override exists. A pricing change writes the rules
 * row and the overrides it added, changed or removed: O(changes), not
 * O(horizon). Quotes and search total a stay from it (queries/shared/priceModel.ts).
 */
export const pricesProjection: PostgresProjection = {
  name: 'prices',
  filter: { categories: ['resource'] },
  tables: [PRICE_RULES_TABLE, PRICE_OVERRIDES_TABLE],
  checksumOrder: { [PRICE_RULES_TABLE]: 'id', [PRICE_OVERRIDES_TABLE]: 'resource_id, price_date' },
  createTables: (names) => {
    const r = tableOf(names, PRICE_RULES_TABLE);
    const o = tableOf(names, PRICE_OVERRIDES_TABLE);
    return [
      `CREATE TABLE IF NOT EXISTS ${r} (
         id text PRIMARY KEY,
         state jsonb NOT NULL,
         rules jsonb NOT NULL,
         currency text NOT NULL,
         rules_version text NOT NULL,
         base_price bigint NOT NULL,
         retired boolean NOT NULL,
         effective_from date NOT NULL,
         effective_until date NOT NULL,
         version integer NOT NULL
       )`,
      `CREATE TABLE IF NOT EXISTS ${o} (
         resource_id text NOT NULL,
         price_date date NOT NULL,
         price bigint NOT NULL,
         PRIMARY KEY (resource_id, price_date)
       )`,
    ];
  },
  apply: async (sql, names, events) => {
    const rules = tableOf(names, PRICE_RULES_TABLE);
    const overrides = tableOf(names, PRICE_OVERRIDES_TABLE);
    const decoded = events.flatMap((recorded) => {
      const event = decodeEvent(resourceEventDefinitions, recorded);
      return event === undefined ? [] : [{ revision: recorded.revision, event }];
    });
    if (decoded.length === 0) return;
    const ids = [...new Set(decoded.map((d) => d.event.data.resourceId))];
    const before = await loadStates<PriceSource>(sql, rules, ids);
    const touched = new Map<string, PriceSource>();
    for (const { event, revision } of decoded) {
      const id = event.data.resourceId;
      touched.set(id, evolvePriceSource(touched.get(id) ?? before.get(id), event, revision));
    }
    await saveStates(sql, rules, rulesTable, touched);
    const removed: { id: string; date: string }[] = [];
    const written: { id: string; date: string; price: number }[] = [];
    for (const [id, after] of touched) {
      const diff = diffOverrides(overridesOf(before.get(id)), overridesOf(after));
      for (const date of diff.removed) removed.push({ id, date });
      for (const o of diff.written) written.push({ id, ...o });
    }
    if (removed.length > 0)
      await sql.query(
        `DELETE FROM ${overrides} o USING unnest($1::text[], $2::date[]) AS d(id, day)
         WHERE o.resource_id = d.id AND o.price_date = d.day`,
        [removed.map((r) => r.id), removed.map((r) => r.date)],
      );
    if (written.length > 0)
      await sql.query(
        `INSERT INTO ${overrides} (resource_id, price_date, price)
         SELECT * FROM unnest($1::text[], $2::date[], $3::bigint[])
         ON CONFLICT (resource_id, price_date) DO UPDATE SET price = EXCLUDED.price`,
        [written.map((w) => w.id), written.map((w) => w.date), written.map((w) => w.price)],
      );
  },
};
