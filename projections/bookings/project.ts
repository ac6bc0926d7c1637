import { RESERVATION_EVENTS } from '../../domain/reservation/events.ts';
import { decodeEvent } from '../shared/decode.ts';
import { tableOf, type PostgresProjection } from '../shared/projection.ts';
import { loadStates, saveStates, type StateTable } from '../shared/stateRows.ts';
import { evolveBooking, totalOf, type BookingRow, type Transition } from './evolve.ts';

export const BOOKINGS_TABLE = 'bookings';
export const HISTORY_TABLE = 'reservation_history';

const bookingTable: StateTable<BookingRow> = {
  columns: [
    'booking_reference',
    'guest_id',
    'resource_id',
    'vendor_id',
    'partner_id',
    'requester_id',
    'status',
    'starts_at',
    'ends_at',
    'quantity',
    'total_amount',
    'currency',
    'version',
    'position',
    'requested_at',
  ],
  derive: (row) => {
    const r = row.reservation;
    const total = totalOf(row);
    return {
      booking_reference: r.bookingReference,
      guest_id: r.guest.guestId,
      resource_id: r.resource.resourceId,
      vendor_id: r.resource.vendorId,
      partner_id: r.partnerId,
      requester_id: r.requesterId,
      status: r.status,
      starts_at: r.startsAt,
      ends_at: r.endsAt,
      quantity: r.quantity,
      total_amount: total.amount,
      currency: total.currency,
      version: r.version,
      position: row.position,
      requested_at: r.requestedAt,
    };
  },
};

const saveTransitions = async (
  sql: Parameters<PostgresProjection['apply']>[0],
  table: string,
  transitions: readonly Transition[],
): Promise<void> => {
  if (transitions.length === 0) return;
  const records = transitions.map((t) => ({
    reservation_id: t.reservationId,
    revision: t.revision,
    event_type: t.event,
    from_status: t.from,
    to_status: t.to,
    at: t.at,
    by: t.by ?? null,
    reason: t.reason ?? null,
    position: t.position,
  }));
  await sql.query(
    `INSERT INTO ${table} SELECT * FROM jsonb_populate_recordset(null::${table}, $1::jsonb)
     ON CONFLICT (reservation_id, revision) DO NOTHING`,
    [JSON.stringify(records)],
  );
};

/** Bookings by id, reference, guest, venue (resource), vendor and partner, plus the state history. */
export const bookingsProjection: PostgresProjection = {
  name: 'bookings',
  filter: { categories: ['reservation'] },
  tables: [BOOKINGS_TABLE, HISTORY_TABLE],
  checksumOrder: { [BOOKINGS_TABLE]: 'id', [HISTORY_TABLE]: 'reservation_id, revision' },
  createTables: (names) => {
    const b = tableOf(names, BOOKINGS_TABLE);
    const h = tableOf(names, HISTORY_TABLE);
    return [
      `CREATE TABLE IF NOT EXISTS ${b} (
         id text PRIMARY KEY,
         state jsonb NOT NULL,
         booking_reference text NOT NULL,
         guest_id text NOT NULL,
         resource_id text NOT NULL,
         vendor_id text NOT NULL,
         partner_id text NOT NULL,
         requester_id text NOT NULL,
         status text NOT NULL,
         starts_at timestamptz NOT NULL,
         ends_at timestamptz NOT NULL,
         quantity integer NOT NULL,
         total_amount bigint NOT NULL,
         currency text NOT NULL,
         version integer NOT NULL,
         position text NOT NULL,
         requested_at timestamptz NOT NULL
       )`,
      `CREATE UNIQUE INDEX IF NOT EXISTS ${b}_reference ON ${b} (booking_reference)`,
      `CREATE INDEX IF NOT EXISTS ${b}_guest ON ${b} (guest_id, starts_at)`,
      `CREATE INDEX IF NOT EXISTS ${b}_resource ON ${b} (resource_id, starts_at)`,
      `CREATE INDEX IF NOT EXISTS ${b}_vendor ON ${b} (vendor_id, starts_at)`,
      // the per-partner hold cap counts a partner's holds on every new hold
      `CREATE INDEX IF NOT EXISTS ${b}_partner_status ON ${b} (partner_id, status)`,
      `CREATE TABLE IF NOT EXISTS ${h} (
         reservation_id text NOT NULL,
         revision integer NOT NULL,
         event_type text NOT NULL,
         from_status text,
         to_status text NOT NULL,
         at timestamptz NOT NULL,
         by text,
         reason text,
         position text NOT NULL,
         PRIMARY KEY (reservation_id, revision)
       )`,
    ];
  },
  apply: async (sql, names, events) => {
    const decoded = events.flatMap((recorded) => {
      const event = decodeEvent(RESERVATION_EVENTS, recorded);
      return event === undefined ? [] : [{ recorded, event }];
    });
    const table = tableOf(names, BOOKINGS_TABLE);
    const ids = [...new Set(decoded.map((d) => d.event.data.reservationId))];
    const stored = await loadStates<BookingRow>(sql, table, ids);
    const touched = new Map<string, BookingRow>();
    const transitions: Transition[] = [];
    for (const { recorded, event } of decoded) {
      const id = event.data.reservationId;
      const result = evolveBooking(
        touched.get(id) ?? stored.get(id),
        event,
        recorded.revision,
        recorded.checkpoint,
      );
      touched.set(id, result.row);
      if (result.transition) transitions.push(result.transition);
    }
    await saveStates(sql, table, bookingTable, touched);
    await saveTransitions(sql, tableOf(names, HISTORY_TABLE), transitions);
  },
};
