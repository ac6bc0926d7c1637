import { RESERVATION_EVENTS } from '../../domain/reservation/events.ts';
import { PRE_COMMIT_STATUSES } from '../../domain/reservation/status.ts';
import { decodeEvent } from '../shared/decode.ts';
import { tableOf, type PostgresProjection } from '../shared/projection.ts';
import { loadStates, saveStates, type StateTable } from '../shared/stateRows.ts';
import { evolveBooking, totalOf, type BookingRow, type Transition } from './evolve.ts';

export const BOOKINGS_TABLE = 'bookings';
export const HISTORY_TABLE = 'reservation_history';
/** One row per partner: how many of its reservations are in a pre-commit status (the hold cap). */
export const PARTNER_HOLDS_TABLE = 'partner_holds';

const PRE_COMMIT_SQL = `ARRAY[${[...PRE_COMMIT_STATUSES].map((s) => `'${s}'`).join(', ')}]::text[]`;

const isActiveHold = (row: BookingRow | undefined): boolean =>
  row !== undefined && PRE_COMMIT_STATUSES.has(row.reservation.status);

/**
 * Per partner, the change in active holds over one batch: each reservation
 * touched counts +1 when it enters the pre-commit set and -1 when it leaves
 * it, comparing its stored row with its folded row. Events already folded
 * change no row (evolveBooking), so replays and redeliveries add nothing,
 * and a rebuild from the log arrives at the same counts as the live run.
 */
export const partnerHoldDeltas = (
  stored: ReadonlyMap<string, BookingRow>,
  touched: ReadonlyMap<string, BookingRow>,
): Map<string, number> => {
  const deltas = new Map<string, number>();
  for (const [id, after] of touched) {
    const before = stored.get(id);
    const delta = Number(isActiveHold(after)) - Number(isActiveHold(before));
    // Every partner touched gets its row, even at 0: the rows do not depend on how events were batched.
    const partnerId = after.reservation.partnerId;
    deltas.set(partnerId, (deltas.get(partnerId) ?? 0) + delta);
  }
  return deltas;
};

const savePartnerHolds = async (
  sql: Parameters<PostgresProjection['apply']>[0],
  table: string,
  deltas: ReadonlyMap<string, number>,
): Promise<void> => {
  if (deltas.size === 0) return;
  // Sorted, so two writers of the same partners (a rebuild beside the live run) lock in one order.
  const partners = [...deltas.keys()].sort();
  await sql.query(
    `INSERT INTO ${table} AS h (partner_id, active)
     SELECT * FROM unnest($1::text[], $2::integer[])
     ON CONFLICT (partner_id) DO UPDATE SET active = h.active + EXCLUDED.active`,
    [partners, partners.map((p) => deltas.get(p) ?? 0)],
  );
};

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
  tables: [BOOKINGS_TABLE, HISTORY_TABLE, PARTNER_HOLDS_TABLE],
  checksumOrder: {
    [BOOKINGS_TABLE]: 'id',
    [HISTORY_TABLE]: 'reservation_id, revision',
    [PARTNER_HOLDS_TABLE]: 'partner_id',
  },
  createTables: (names) => {
    const b = tableOf(names, BOOKINGS_TABLE);
    const h = tableOf(names, HISTORY_TABLE);
    const p = tableOf(names, PARTNER_HOLDS_TABLE);
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
      `CREATE TABLE IF NOT EXISTS ${p} (
         partner_id text PRIMARY KEY,
         active integer NOT NULL
       )`,
      // Installs whose bookings predate the counter: fill it once from the rows it summarises
      // (rows stay at 0 rather than being deleted, so this never runs again on a live table).
      `INSERT INTO ${p} (partner_id, active)
       SELECT partner_id, count(*) FROM ${b} WHERE status = ANY(${PRE_COMMIT_SQL})
       GROUP BY partner_id
       HAVING NOT EXISTS (SELECT 1 FROM ${p})`,
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
    await savePartnerHolds(
      sql,
      tableOf(names, PARTNER_HOLDS_TABLE),
      partnerHoldDeltas(stored, touched),
    );
  },
};
