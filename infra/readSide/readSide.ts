import type { Redis } from 'ioredis';
import type { EventStore } from '../../commands/shared/eventStore.ts';
import { CALENDAR_EVENTS } from '../../domain/calendar/events.ts';
import {
  evolveCalendar,
  initialCalendarState,
  type CalendarState,
} from '../../domain/calendar/state.ts';
import { availabilityProjection } from '../../projections/availability/project.ts';
import { availabilityRedisProjection } from '../../projections/availability/redisChanges.ts';
import { bookingsProjection } from '../../projections/bookings/project.ts';
import { pricesProjection } from '../../projections/prices/project.ts';
import { resourcesProjection } from '../../projections/resources/project.ts';
import { decodeEvent } from '../../projections/shared/decode.ts';
import type { PostgresProjection } from '../../projections/shared/projection.ts';
import type { ReadClock, ReadModelTable, ReadSideDeps } from '../../queries/shared/ports.ts';
import { getPostgresCheckpointStore } from '../eventStore/postgres/checkpointStore.ts';
import type { Pool } from '../postgres/pool.ts';
import { createProjectionMonitor } from '../projections/projectionMonitor.ts';
import { createLiveTableResolver } from '../projections/readSide.ts';
import { toSql } from '../projections/versions.ts';
import type { ProjectionLog } from '../projections/projectionLog.ts';
import { keysFor, type RedisKeys } from '../redisKeys.ts';
import { createRedisHotAvailability } from './redisHotAvailability.ts';

export interface ReadSideOptions {
  readonly pool: Pool;
  /** Give it `enableOfflineQueue: false` (infra/redis.ts does) so a down Redis fails fast. */
  readonly redis: Redis | undefined;
  /** The install's Redis keys; required with `redis`. */
  readonly redisKeys?: RedisKeys | undefined;
  /** Where the log is read from (read-your-writes frontiers); default the PostgreSQL events table. */
  readonly log?: ProjectionLog | undefined;
  /** Reads calendar streams (imported busy time has no read model of its own yet). */
  readonly store: Pick<EventStore, 'readStream'>;
  readonly clock: ReadClock;
  readonly surgeEnabled?: boolean;
  /** See ReadSideDeps.catalogCacheMs. */
  readonly catalogCacheMs?: number;
  /** See HotAvailabilityOptions.checkIntervalMs. */
  readonly redisCheckIntervalMs?: number;
}

const TABLES: Readonly<Record<ReadModelTable, PostgresProjection>> = {
  availability_slots: availabilityProjection,
  resources: resourcesProjection,
  price_rules: pricesProjection,
  price_overrides: pricesProjection,
  bookings: bookingsProjection,
};

/**
 * The read side's adapters for one API process: live table names, Redis hot
 * availability with its warmth check, read-your-writes waits on any
 * projection (read from where each keeps its checkpoint, so the API need not
 * run the projector), and calendar busy time folded from its stream.
 */
export const createReadSide = (options: ReadSideOptions) => {
  const { pool, redis } = options;
  const redisKeys = keysFor(redis, options.redisKeys, 'The read side');
  const resolvers = Object.fromEntries(
    Object.entries(TABLES).map(([base, projection]) => [
      base,
      createLiveTableResolver(pool, projection),
    ]),
  ) as Record<ReadModelTable, (base: string) => Promise<string>>;
  const monitor = createProjectionMonitor({
    db: pool,
    checkpoints: getPostgresCheckpointStore(pool),
    redis,
    redisKeys,
    log: options.log,
    projections: [
      ...[...new Set(Object.values(TABLES))].map((p) => ({
        name: p.name,
        filter: p.filter,
        store: 'postgres' as const,
      })),
      ...(redis
        ? [
            {
              name: availabilityRedisProjection.name,
              filter: availabilityRedisProjection.filter,
              store: 'redis' as const,
            },
          ]
        : []),
    ],
  });
  const hot = createRedisHotAvailability({
    redis,
    redisKeys,
    postgresCheckpoint: async () =>
      (await monitor.checkpointOf(availabilityProjection.name)).checkpoint,
    ...(options.redisCheckIntervalMs === undefined
      ? {}
      : { checkIntervalMs: options.redisCheckIntervalMs }),
  });
  const deps: ReadSideDeps = {
    sql: toSql(pool),
    liveTable: (table) => resolvers[table](table),
    hot,
    positions: {
      waitForPosition: (name, position, timeoutMs) =>
        monitor.waitForPosition(name, position, timeoutMs),
    },
    calendar: {
      busyTimeOf: async (resourceId): Promise<CalendarState> => {
        const events = await options.store.readStream(`calendar-${resourceId}`);
        return events.reduce((state, recorded) => {
          const event = decodeEvent(CALENDAR_EVENTS, recorded);
          return event === undefined ? state : evolveCalendar(state, event);
        }, initialCalendarState());
      },
    },
    clock: options.clock,
    versions: {
      // One round trip for the Postgres side (live versions, their checkpoints,
      // the last calendar event) and one GET for Redis's checkpoint.
      current: async () => {
        const [postgres, hotAvailability] = await Promise.all([
          pool.query<{ projections: string | null; calendar: string | null }>(
            `SELECT (SELECT string_agg(v.name || ':v' || v.live_version || '@' || coalesce(c.checkpoint, '-'), ','
                             ORDER BY v.name)
                       FROM projection_versions v
                       LEFT JOIN subscription_checkpoints c
                         ON c.name = 'projection:' || v.name || ':v' || v.live_version
                      WHERE v.name = ANY($1::text[])) AS projections,
                    (SELECT transaction_id::text || ':' || global_position::text FROM events
                      WHERE category = 'calendar'
                      ORDER BY transaction_id DESC, global_position DESC LIMIT 1) AS calendar`,
            [[resourcesProjection.name, availabilityProjection.name]],
          ),
          redis
            ? monitor
                .checkpointOf(availabilityRedisProjection.name)
                .then(({ checkpoint }) => checkpoint ?? '-')
                .catch(() => 'down')
            : 'none',
        ]);
        const row = postgres.rows[0];
        return [row?.projections ?? '-', hotAvailability, row?.calendar ?? '-'].join('|');
      },
    },
    ...(options.surgeEnabled === undefined ? {} : { surgeEnabled: options.surgeEnabled }),
    ...(options.catalogCacheMs === undefined ? {} : { catalogCacheMs: options.catalogCacheMs }),
  };
  return { deps, start: () => hot.start(), stop: () => hot.stop() };
};
