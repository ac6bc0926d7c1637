import { resourceEventDefinitions } from '../../domain/resource/events.ts';
import { decodeEvent } from '../shared/decode.ts';
import { tableOf, type PostgresProjection } from '../shared/projection.ts';
import { foldIntoStates, saveStates, type StateTable } from '../shared/stateRows.ts';
import { evolvePriceSource, pricesOf, type PriceSource } from './evolve.ts';

export const PRICES_TABLE = 'prices';
export const PRICE_SOURCES_TABLE = 'price_sources';

const sourceTable: StateTable<PriceSource> = {
  columns: ['from_date', 'until_date', 'version'],
  derive: (s) => ({ from_date: s.fromDate, until_date: s.untilDate, version: s.version }),
};

/** Effective base price per resource and local date (DESIGN.md "Read models"). */
export const pricesProjection: PostgresProjection = {
  name: 'prices',
  filter: { categories: ['resource'] },
  tables: [PRICE_SOURCES_TABLE, PRICES_TABLE],
  checksumOrder: { [PRICE_SOURCES_TABLE]: 'id', [PRICES_TABLE]: 'resource_id, price_date' },
  createTables: (names) => {
    const s = tableOf(names, PRICE_SOURCES_TABLE);
    const p = tableOf(names, PRICES_TABLE);
    return [
      `CREATE TABLE IF NOT EXISTS ${s} (
         id text PRIMARY KEY,
         state jsonb NOT NULL,
         from_date date NOT NULL,
         until_date date NOT NULL,
         version integer NOT NULL
       )`,
      `CREATE TABLE IF NOT EXISTS ${p} (
         resource_id text NOT NULL,
         price_date date NOT NULL,
         price bigint NOT NULL,
         currency text NOT NULL,
         rules_version text NOT NULL,
         PRIMARY KEY (resource_id, price_date)
       )`,
      `CREATE INDEX IF NOT EXISTS ${p}_date_price ON ${p} (price_date, price)`,
    ];
  },
  apply: async (sql, names, events) => {
    const sources = tableOf(names, PRICE_SOURCES_TABLE);
    const prices = tableOf(names, PRICES_TABLE);
    const decoded = events.flatMap((recorded) => {
      const event = decodeEvent(resourceEventDefinitions, recorded);
      return event === undefined ? [] : [{ revision: recorded.revision, event }];
    });
    const touched = await foldIntoStates<PriceSource, (typeof decoded)[number]>(
      sql,
      sources,
      decoded,
      (item) => item.event.data.resourceId,
      (source, item) => evolvePriceSource(source, item.event, item.revision),
    );
    await saveStates(sql, sources, sourceTable, touched);
    if (touched.size === 0) return;
    // Recomputed whole per resource: a rule change moves every date's price.
    await sql.query(`DELETE FROM ${prices} WHERE resource_id = ANY($1::text[])`, [
      [...touched.keys()],
    ]);
    const rows = [...touched.values()].flatMap(pricesOf).map((p) => ({
      resource_id: p.resourceId,
      price_date: p.date,
      price: p.price,
      currency: p.currency,
      rules_version: p.rulesVersion,
    }));
    if (rows.length === 0) return;
    await sql.query(
      `INSERT INTO ${prices} SELECT * FROM jsonb_populate_recordset(null::${prices}, $1::jsonb)`,
      [JSON.stringify(rows)],
    );
  },
};
