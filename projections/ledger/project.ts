import { PAYMENT_SAGA_EVENTS } from '../../domain/payment/sagaEvents.ts';
import { ReservationRequested } from '../../domain/reservation/events.ts';
import { decodeEvent } from '../shared/decode.ts';
import { tableOf, type PostgresProjection } from '../shared/projection.ts';
import { loadStates, saveStates, type StateTable } from '../shared/stateRows.ts';
import type { LedgerEntry } from './accounts.ts';
import { evolveLedger, type LedgerBooking } from './evolve.ts';

export const LEDGER_BOOKINGS_TABLE = 'ledger_bookings';
export const LEDGER_POSTINGS_TABLE = 'ledger_postings';

const DEFINITIONS = [ReservationRequested, ...PAYMENT_SAGA_EVENTS];

const bookingTable: StateTable<LedgerBooking> = {
  columns: ['currency', 'captured', 'refunded'],
  derive: (b) => ({ currency: b.currency, captured: b.captured, refunded: b.refunded }),
};

const postingRows = (entries: readonly LedgerEntry[], position: string) =>
  entries.flatMap((e) =>
    e.postings.map((p) => ({
      entry_id: e.entryId,
      account: p.account,
      reservation_id: e.reservationId,
      kind: e.kind,
      amount: p.amount,
      currency: e.currency,
      at: e.at,
      position,
    })),
  );

/**
 * The double-entry ledger (DESIGN.md "Payments"): one row per posting, debit
 * positive; every entry's rows sum to zero. Fed by ReservationRequested (the
 * quote's split) and the payment saga's stream (what money actually moved).
 */
export const ledgerProjection: PostgresProjection = {
  name: 'ledger',
  filter: { categories: ['reservation', 'payment'] },
  tables: [LEDGER_BOOKINGS_TABLE, LEDGER_POSTINGS_TABLE],
  checksumOrder: { [LEDGER_BOOKINGS_TABLE]: 'id', [LEDGER_POSTINGS_TABLE]: 'entry_id, account' },
  createTables: (names) => {
    const b = tableOf(names, LEDGER_BOOKINGS_TABLE);
    const p = tableOf(names, LEDGER_POSTINGS_TABLE);
    return [
      `CREATE TABLE IF NOT EXISTS ${b} (
         id text PRIMARY KEY,
         state jsonb NOT NULL,
         currency text NOT NULL,
         captured bigint NOT NULL,
         refunded bigint NOT NULL
       )`,
      `CREATE TABLE IF NOT EXISTS ${p} (
         entry_id text NOT NULL,
         account text NOT NULL,
         reservation_id text NOT NULL,
         kind text NOT NULL,
         amount bigint NOT NULL,
         currency text NOT NULL,
         at timestamptz NOT NULL,
         position text NOT NULL,
         PRIMARY KEY (entry_id, account)
       )`,
      `CREATE INDEX IF NOT EXISTS ${p}_reservation ON ${p} (reservation_id, at)`,
    ];
  },
  apply: async (sql, names, events) => {
    const decoded = events.flatMap((recorded) => {
      const event = decodeEvent(DEFINITIONS, recorded);
      return event === undefined ? [] : [{ event, position: recorded.checkpoint }];
    });
    const ids = [...new Set(decoded.map((d) => d.event.data.reservationId))];
    const states = await loadStates<LedgerBooking>(sql, tableOf(names, LEDGER_BOOKINGS_TABLE), ids);
    const touched = new Map<string, LedgerBooking>();
    const rows: ReturnType<typeof postingRows> = [];
    for (const { event, position } of decoded) {
      const id = event.data.reservationId;
      const change = evolveLedger(states.get(id), event);
      if (change.state === undefined) continue;
      states.set(id, change.state);
      touched.set(id, change.state);
      rows.push(...postingRows(change.entries, position));
    }
    await saveStates(sql, tableOf(names, LEDGER_BOOKINGS_TABLE), bookingTable, touched);
    if (rows.length === 0) return;
    const p = tableOf(names, LEDGER_POSTINGS_TABLE);
    await sql.query(
      `INSERT INTO ${p} SELECT * FROM jsonb_populate_recordset(null::${p}, $1::jsonb)
       ON CONFLICT (entry_id, account) DO NOTHING`,
      [JSON.stringify(rows)],
    );
  },
};
