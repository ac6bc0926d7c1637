import { expect } from 'chai';
import type { EventStore } from '../../../commands/shared/eventStore.ts';
import { ledgerProjection } from '../../../projections/ledger/project.ts';
import { tableNamesFor } from '../../../projections/shared/projection.ts';
import type { Pool } from '../../postgres/pool.ts';
import { toSql } from '../../projections/versions.ts';

/**
 * Rebuilds the ledger projection's rows from the whole log into scratch
 * tables (version 99) with the projection's own SQL, and checks them: every
 * entry and every booking sums to zero. Returns the booking's account balances.
 */
export const checkLedger = async (
  pool: Pool,
  store: EventStore,
  reservationId: string,
): Promise<Record<string, number>> => {
  const names = tableNamesFor(ledgerProjection.tables, 99);
  for (const name of Object.values(names)) await pool.query(`DROP TABLE IF EXISTS ${name}`);
  for (const ddl of ledgerProjection.createTables(names)) await pool.query(ddl);
  const events = await store.readAll({ filter: ledgerProjection.filter });
  await ledgerProjection.apply(toSql(pool), names, events);
  // Applying the same events again must change nothing (redelivery, rebuilds).
  await ledgerProjection.apply(toSql(pool), names, events);
  const postings = names['ledger_postings'] ?? '';
  const { rows: unbalanced } = await pool.query<{ entry_id: string }>(
    `SELECT entry_id FROM ${postings} GROUP BY entry_id HAVING sum(amount) <> 0`,
  );
  expect(unbalanced, 'unbalanced entries').to.deep.equal([]);
  const { rows } = await pool.query<{ account: string; balance: string }>(
    `SELECT account, sum(amount)::text AS balance FROM ${postings} WHERE reservation_id = $1 GROUP BY account`,
    [reservationId],
  );
  const balances = Object.fromEntries(rows.map((r) => [r.account, Number(r.balance)]));
  expect(
    Object.values(balances).reduce((s, v) => s + v, 0),
    'booking total',
  ).to.equal(0);
  return balances;
};
