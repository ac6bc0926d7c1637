import type { RecordedEvent } from '../../commands/shared/eventStore.ts';
import { PAYMENT_SAGA_EVENTS } from '../../domain/payment/sagaEvents.ts';
import { RESERVATION_EVENTS } from '../../domain/reservation/events.ts';
import { resourceEventDefinitions } from '../../domain/resource/events.ts';
import { streamCategory } from '../../domain/shared/streams.ts';
import { slotEventDefinitions } from '../../domain/slot/events.ts';
import { bookedOf, evolveAvailability, type SlotAvailability } from '../availability/evolve.ts';
import { evolveResourceRow, type ResourceRow } from '../resources/evolve.ts';
import { decodeEvent } from '../shared/decode.ts';
import { tableOf, type PostgresProjection, type Sql } from '../shared/projection.ts';
import { loadStates, saveStates, type StateTable } from '../shared/stateRows.ts';
import { evolveBookingFacts, leadDays, stayDates, type BookingFacts } from './bookingFacts.ts';
import { lineFacts } from './lineFacts.ts';
import { ANALYTICS_TABLES, analyticsTableDdl } from './tables.ts';
import { analyticsViews } from './views.ts';

const [RESOURCES, SLOTS, BOOKINGS, LINES] = ANALYTICS_TABLES;

const resourceTable: StateTable<ResourceRow> = {
  columns: ['vendor_id', 'kind', 'zone', 'currency', 'capacity', 'jurisdiction', 'status'],
  derive: ({ config, status }) => ({
    vendor_id: config.vendorId,
    kind: config.kind,
    zone: config.zone,
    currency: config.currency,
    capacity: config.capacity,
    jurisdiction:
      config.taxJurisdiction.country === 'IL' && config.taxJurisdiction.eilatDealer
        ? 'IL-EILAT'
        : config.taxJurisdiction.country,
    status,
  }),
};

const slotTable: StateTable<SlotAvailability> = {
  columns: [
    'resource_id',
    'slot_key',
    'local_date',
    'slot_hour',
    'capacity',
    'sold',
    'held',
    'closed',
  ],
  derive: (row) => ({
    resource_id: row.resourceId,
    slot_key: row.slotKey,
    local_date: row.date,
    slot_hour: row.slotKey.length > 10 ? Number(row.slotKey.slice(11, 13)) : null,
    capacity: row.capacity,
    sold: bookedOf(row),
    held: Object.values(row.holds).reduce((total, hold) => total + hold.quantity, 0),
    closed: row.closed,
  }),
};

const bookingTable: StateTable<BookingFacts> = {
  columns: [
    'resource_id',
    'vendor_id',
    'partner_id',
    'kind',
    'currency',
    'start_date',
    'last_date',
    'units',
    'quantity',
    'requested_at',
    'requested_date',
    'lead_days',
    'guest',
    'jurisdiction',
    'outcome',
    'committed_at',
    'cancelled_at',
    'ended_at',
    'total',
    'captured',
    'refunded',
    'paid_out',
    'paid_out_at',
  ],
  derive: (b) => {
    const stay = stayDates(b);
    return {
      resource_id: b.resourceId,
      vendor_id: b.vendorId,
      partner_id: b.partnerId,
      kind: b.kind,
      currency: b.currency,
      start_date: stay.start,
      last_date: stay.end,
      units: stay.units,
      quantity: b.quantity,
      requested_at: b.requestedAt,
      requested_date: b.requestedDate,
      lead_days: leadDays(b),
      guest: b.guest,
      jurisdiction: b.jurisdiction,
      outcome: b.outcome,
      committed_at: b.committedAt,
      cancelled_at: b.cancelledAt,
      ended_at: b.endedAt,
      total: b.lines.reduce((sum, line) => sum + line.amount.amount, 0),
      captured: b.ledger.captured,
      refunded: b.ledger.refunded,
      paid_out: b.paidOut,
      paid_out_at: b.paidOutAt,
    };
  },
};

const RESERVATION_DEFINITIONS = [...RESERVATION_EVENTS, ...PAYMENT_SAGA_EVENTS];

type Decoded =
  | {
      readonly on: 'resource';
      readonly id: string;
      readonly revision: number;
      readonly event: NonNullable<ReturnType<typeof decodeResource>>;
    }
  | {
      readonly on: 'slot';
      readonly id: string;
      readonly event: NonNullable<ReturnType<typeof decodeSlot>>;
    }
  | {
      readonly on: 'booking';
      readonly id: string;
      readonly revision: number;
      readonly event: NonNullable<ReturnType<typeof decodeBooking>>;
    };

const decodeResource = (e: RecordedEvent) => decodeEvent(resourceEventDefinitions, e);
const decodeSlot = (e: RecordedEvent) => decodeEvent(slotEventDefinitions, e);
const decodeBooking = (e: RecordedEvent) => decodeEvent(RESERVATION_DEFINITIONS, e);

const decode = (recorded: RecordedEvent): Decoded | undefined => {
  switch (streamCategory(recorded.stream)) {
    case 'resource': {
      const event = decodeResource(recorded);
      return (
        event && { on: 'resource', id: event.data.resourceId, revision: recorded.revision, event }
      );
    }
    case 'slot': {
      const event = decodeSlot(recorded);
      return event && { on: 'slot', id: recorded.stream, event };
    }
    case 'reservation':
    case 'payment': {
      const event = decodeBooking(recorded);
      // Payment events carry no reservation revision: the ledger fold dedupes them itself.
      const revision =
        streamCategory(recorded.stream) === 'reservation'
          ? recorded.revision
          : Number.MAX_SAFE_INTEGER;
      return event && { on: 'booking', id: event.data.reservationId, revision, event };
    }
    default:
      return undefined;
  }
};

const resourceIdOf = (item: Decoded): string | undefined => {
  if (item.on === 'resource') return item.id;
  if (item.on === 'slot') return item.event.data.resourceId;
  return item.event.type === 'ReservationRequested'
    ? item.event.data.resource.resourceId
    : undefined;
};

const writeLines = async (sql: Sql, table: string, bookings: ReadonlyMap<string, BookingFacts>) => {
  if (bookings.size === 0) return;
  await sql.query(`DELETE FROM ${table} WHERE reservation_id = ANY($1::text[])`, [
    [...bookings.keys()],
  ]);
  const rows = [...bookings.values()].flatMap(lineFacts);
  if (rows.length === 0) return;
  await sql.query(
    `INSERT INTO ${table} SELECT * FROM jsonb_populate_recordset(null::${table}, $1::jsonb)`,
    [JSON.stringify(rows)],
  );
};

/**
 * The analysts' facts (docs/analytics.md): resources, slots, reservations and
 * their quote lines, folded from the log. The `analytics` schema's views
 * aggregate them; `views` names them for the publisher.
 */
export const analyticsProjection: PostgresProjection = {
  name: 'analytics',
  filter: { categories: ['resource', 'slot', 'reservation', 'payment'] },
  tables: ANALYTICS_TABLES,
  checksumOrder: {
    [RESOURCES]: 'id',
    [SLOTS]: 'id',
    [BOOKINGS]: 'id',
    [LINES]: 'reservation_id, line_id',
  },
  createTables: analyticsTableDdl,
  views: analyticsViews,
  apply: async (sql, names, events) => {
    const items = events.flatMap((e) => decode(e) ?? []);
    const ids = (on: Decoded['on']) => [
      ...new Set(items.filter((i) => i.on === on).map((i) => i.id)),
    ];
    const resourceIds = [...new Set(items.flatMap((i) => resourceIdOf(i) ?? []))];
    const resources = await loadStates<ResourceRow>(sql, tableOf(names, RESOURCES), resourceIds);
    const slots = await loadStates<SlotAvailability>(sql, tableOf(names, SLOTS), ids('slot'));
    const bookings = await loadStates<BookingFacts>(sql, tableOf(names, BOOKINGS), ids('booking'));
    const touched = {
      resources: new Map<string, ResourceRow>(),
      slots: new Map<string, SlotAvailability>(),
      bookings: new Map<string, BookingFacts>(),
    };
    for (const item of items) {
      switch (item.on) {
        case 'resource': {
          const row = evolveResourceRow(resources.get(item.id), item.event, item.revision);
          resources.set(item.id, row);
          touched.resources.set(item.id, row);
          break;
        }
        case 'slot': {
          const row = evolveAvailability(slots.get(item.id), item.event);
          slots.set(item.id, row);
          touched.slots.set(item.id, row);
          break;
        }
        case 'booking': {
          const resourceId = resourceIdOf(item);
          const jurisdiction =
            resourceId === undefined
              ? undefined
              : resources.get(resourceId)?.config.taxJurisdiction;
          const next = evolveBookingFacts(
            bookings.get(item.id),
            item.event,
            item.revision,
            jurisdiction,
          );
          if (next === undefined) break;
          bookings.set(item.id, next);
          touched.bookings.set(item.id, next);
          break;
        }
        default: {
          const _never: never = item;
          return _never;
        }
      }
    }
    await saveStates(sql, tableOf(names, RESOURCES), resourceTable, touched.resources);
    await saveStates(sql, tableOf(names, SLOTS), slotTable, touched.slots);
    await saveStates(sql, tableOf(names, BOOKINGS), bookingTable, touched.bookings);
    await writeLines(sql, tableOf(names, LINES), touched.bookings);
  },
};
