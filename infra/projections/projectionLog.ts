import type { Registry } from 'prom-client';
import type { Observable } from 'rxjs';
import type {
  Checkpoint,
  EventFilter,
  EventStore,
  RecordedEvent,
} from '../../commands/shared/eventStore.ts';
import {
  comparePostgresCheckpoints,
  subscribePostgres,
} from '../eventStore/postgres/subscription.ts';
import type { Pool } from '../postgres/pool.ts';
import { hasReached, measureLag, type Lag } from './frontier.ts';

/**
 * Where projections read the log from: the PostgreSQL events table (default),
 * or any EventStore's own subscription (EventStoreDB). Checkpoints stay in
 * PostgreSQL (or Redis) either way.
 */
export interface ProjectionLog {
  readonly kind: 'postgres' | 'store';
  subscribe(
    name: string,
    from: Checkpoint | undefined,
    filter: EventFilter,
  ): Observable<RecordedEvent>;
  /** Whether a projection at `checkpoint` (reading `filter`) has seen everything up to `target`. */
  hasReached(
    filter: EventFilter,
    checkpoint: Checkpoint | undefined,
    target: Checkpoint,
  ): Promise<boolean>;
  measureLag(filter: EventFilter, checkpoint: Checkpoint | undefined): Promise<Lag>;
  compare(a: Checkpoint, b: Checkpoint): number;
}

export const postgresProjectionLog = (deps: {
  readonly pool: Pool;
  readonly connectionString: string;
  readonly schema: string;
  readonly pollIntervalMs?: number | undefined;
  readonly registry?: Registry | undefined;
}): ProjectionLog => ({
  kind: 'postgres',
  subscribe: (name, from, filter) =>
    subscribePostgres(
      {
        pool: deps.pool,
        connectionString: deps.connectionString,
        schema: deps.schema,
        subscriptionName: name,
        ...(deps.registry ? { registry: deps.registry } : {}),
        ...(deps.pollIntervalMs === undefined ? {} : { pollIntervalMs: deps.pollIntervalMs }),
      },
      { ...(from === undefined ? {} : { from }), filter },
    ),
  hasReached: (filter, checkpoint, target) => hasReached(deps.pool, filter, checkpoint, target),
  measureLag: (filter, checkpoint) => measureLag(deps.pool, filter, checkpoint),
  compare: comparePostgresCheckpoints,
});

// Lag on a store without SQL is counted by reading, so it is capped low.
const STORE_LAG_CAP = 1000;

/**
 * The log of any EventStore through its port (EventStoreDB): its subscription,
 * its order of checkpoints, and reads after a checkpoint for frontiers and lag.
 * A store's commit order is its delivery order (no visibility fence needed).
 */
export const storeProjectionLog = (
  store: Pick<EventStore, 'subscribe' | 'readAll' | 'comparePositions'>,
): ProjectionLog => ({
  kind: 'store',
  subscribe: (_name, from, filter) =>
    store.subscribe({ ...(from === undefined ? {} : { from }), filter }),
  hasReached: async (filter, checkpoint, target) => {
    if (checkpoint !== undefined && store.comparePositions(checkpoint, target) >= 0) return true;
    const [next] = await store.readAll({
      ...(checkpoint === undefined ? {} : { from: checkpoint }),
      filter,
      maxCount: 1,
    });
    return next === undefined || store.comparePositions(next.checkpoint, target) > 0;
  },
  measureLag: async (filter, checkpoint) => {
    const waiting = await store.readAll({
      ...(checkpoint === undefined ? {} : { from: checkpoint }),
      filter,
      maxCount: STORE_LAG_CAP,
    });
    const oldest = waiting[0];
    return {
      events: waiting.length,
      seconds: oldest
        ? Math.max(0, (Date.now() - Date.parse(oldest.metadata.recordedAt)) / 1000)
        : 0,
    };
  },
  compare: (a, b) => store.comparePositions(a, b),
});
