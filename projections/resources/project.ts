import { resourceEventDefinitions } from '../../domain/resource/events.ts';
import { decodeEvent } from '../shared/decode.ts';
import { tableOf, type PostgresProjection } from '../shared/projection.ts';
import { foldIntoStates, saveStates, type StateTable } from '../shared/stateRows.ts';
import { evolveResourceRow, type ResourceRow } from './evolve.ts';

export const RESOURCES_TABLE = 'resources';

const resourceTable: StateTable<ResourceRow> = {
  columns: [
    'vendor_id',
    'kind',
    'status',
    'zone',
    'currency',
    'capacity',
    'name',
    'city',
    'country',
    'latitude',
    'longitude',
    'search_text',
    'rating',
    'base_price',
    'version',
  ],
  derive: ({ config, status, version }) => ({
    vendor_id: config.vendorId,
    kind: config.kind,
    status,
    zone: config.zone,
    currency: config.currency,
    capacity: config.capacity,
    name: config.listing.name,
    city: config.listing.location.city,
    country: config.listing.location.country,
    latitude: config.listing.location.latitude,
    longitude: config.listing.location.longitude,
    search_text: [config.listing.name, config.listing.description, config.listing.location.city]
      .join(' ')
      .slice(0, 6000),
    rating: config.listing.rating,
    base_price: config.pricingRules.basePrice,
    version,
  }),
};

/**
 * The catalog search reads: one row per resource with the columns it filters
 * and sorts on, and `state.config` (the whole configuration) for quoting.
 */
export const resourcesProjection: PostgresProjection = {
  name: 'resources',
  filter: { categories: ['resource'] },
  tables: [RESOURCES_TABLE],
  checksumOrder: { [RESOURCES_TABLE]: 'id' },
  createTables: (names) => {
    const t = tableOf(names, RESOURCES_TABLE);
    return [
      `CREATE TABLE IF NOT EXISTS ${t} (
         id text PRIMARY KEY,
         state jsonb NOT NULL,
         vendor_id text NOT NULL,
         kind text NOT NULL,
         status text NOT NULL,
         zone text NOT NULL,
         currency text NOT NULL,
         capacity integer NOT NULL,
         name text NOT NULL,
         city text NOT NULL,
         country text NOT NULL,
         latitude double precision,
         longitude double precision,
         search_text text NOT NULL,
         -- 'simple': listings are in many languages; no stemming guesses
         search_vector tsvector GENERATED ALWAYS AS (to_tsvector('simple', search_text)) STORED,
         rating double precision,
         base_price bigint NOT NULL,
         version integer NOT NULL
       )`,
      `CREATE INDEX IF NOT EXISTS ${t}_search ON ${t} USING gin (search_vector)`,
      `CREATE INDEX IF NOT EXISTS ${t}_kind_city ON ${t} (kind, country, city) WHERE status = 'active'`,
      `CREATE INDEX IF NOT EXISTS ${t}_vendor ON ${t} (vendor_id)`,
    ];
  },
  apply: async (sql, names, events) => {
    const table = tableOf(names, RESOURCES_TABLE);
    const decoded = events.flatMap((recorded) => {
      const event = decodeEvent(resourceEventDefinitions, recorded);
      return event === undefined
        ? []
        : [{ id: event.data.resourceId, revision: recorded.revision, event }];
    });
    const states = await foldIntoStates<ResourceRow, (typeof decoded)[number]>(
      sql,
      table,
      decoded,
      (item) => item.id,
      (row, item) => evolveResourceRow(row, item.event, item.revision),
    );
    await saveStates(sql, table, resourceTable, states);
  },
};
