import { slotEventDefinitions } from '../../domain/slot/events.ts';
import { decodeEvent } from '../shared/decode.ts';
import { tableOf, type PostgresProjection } from '../shared/projection.ts';
import { foldIntoStates, saveStates, type StateTable } from '../shared/stateRows.ts';
import { bookedOf, evolveAvailability, type SlotAvailability } from './evolve.ts';

export const AVAILABILITY_TABLE = 'availability_slots';

const slotTable: StateTable<SlotAvailability> = {
  columns: [
    'resource_id',
    'slot_key',
    'slot_date',
    'capacity',
    'closed',
    'booked',
    'held',
    'holds_until',
  ],
  derive: (row) => {
    const expiries = Object.values(row.holds).map((hold) => hold.expiresAt);
    return {
      resource_id: row.resourceId,
      slot_key: row.slotKey,
      slot_date: row.date,
      capacity: row.capacity,
      closed: row.closed,
      booked: bookedOf(row),
      held: Object.values(row.holds).reduce((total, hold) => total + hold.quantity, 0),
      // the latest expiry: after it no hold counts, so readers skip the JSON
      holds_until: expiries.length === 0 ? null : expiries.sort().at(-1),
    };
  },
};

/** Availability per slot (DESIGN.md "Read models"); the row id is the slot's stream name. */
export const availabilityProjection: PostgresProjection = {
  name: 'availability',
  filter: { categories: ['slot'] },
  tables: [AVAILABILITY_TABLE],
  checksumOrder: { [AVAILABILITY_TABLE]: 'id' },
  createTables: (names) => {
    const t = tableOf(names, AVAILABILITY_TABLE);
    return [
      `CREATE TABLE IF NOT EXISTS ${t} (
         id text PRIMARY KEY,
         state jsonb NOT NULL,
         resource_id text NOT NULL,
         slot_key text NOT NULL,
         slot_date date NOT NULL,
         capacity integer NOT NULL,
         closed boolean NOT NULL,
         booked integer NOT NULL,
         -- every hold, expired or not; readers discount expired ones from state.holds
         held integer NOT NULL,
         holds_until timestamptz
       )`,
      `CREATE INDEX IF NOT EXISTS ${t}_resource_date ON ${t} (resource_id, slot_date, slot_key)`,
    ];
  },
  apply: async (sql, names, events) => {
    const table = tableOf(names, AVAILABILITY_TABLE);
    const decoded = events.flatMap((recorded) => {
      const event = decodeEvent(slotEventDefinitions, recorded);
      return event === undefined ? [] : [{ id: recorded.stream, event }];
    });
    const states = await foldIntoStates<SlotAvailability, (typeof decoded)[number]>(
      sql,
      table,
      decoded,
      (item) => item.id,
      (row, item) => evolveAvailability(row, item.event),
    );
    await saveStates(sql, table, slotTable, states);
  },
};
