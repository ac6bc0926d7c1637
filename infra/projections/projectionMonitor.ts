import type { Redis } from 'ioredis';
import { Gauge, type Registry } from 'prom-client';
import type { Checkpoint, EventFilter } from '../../commands/shared/eventStore.ts';
import type { PostgresCheckpointStore } from '../eventStore/postgres/checkpointStore.ts';
import { comparePostgresCheckpoints } from '../eventStore/postgres/subscription.ts';
import type { Readiness } from '../http/ports.ts';
import type { Queryable } from '../postgres/pool.ts';
import { hasReached, measureLag, type Lag } from './frontier.ts';
import type { RedisKeys } from '../redisKeys.ts';
import type { ProjectionLog } from './projectionLog.ts';
import { loadRedisCheckpoint } from './redisProjector.ts';
import { checkpointName, readVersion } from './versions.ts';
import { describeStall, type Stall, type StallStore } from '../subscribers/stalls.ts';

export interface MonitoredProjection {
  readonly name: string;
  readonly filter: EventFilter;
  readonly store: 'postgres' | 'redis';
}

export interface ProjectionStatus {
  readonly name: string;
  readonly store: 'postgres' | 'redis';
  readonly liveVersion: number | undefined;
  readonly checkpoint: Checkpoint | undefined;
  readonly lag: Lag;
  /** Set while the projection is stopped on an event it cannot handle. */
  readonly stall?: Stall;
}

export interface MonitorDeps {
  readonly db: Queryable;
  readonly checkpoints: PostgresCheckpointStore;
  readonly redis?: Redis | undefined;
  /** The install's Redis keys; required with `redis`. */
  readonly redisKeys?: RedisKeys | undefined;
  /** Where the log is read from (frontiers, lag); default the PostgreSQL events table. */
  readonly log?: Pick<ProjectionLog, 'hasReached' | 'measureLag'> | undefined;
  readonly registry?: Registry | undefined;
  readonly projections: readonly MonitoredProjection[];
  /** A frontier that has not moved for this long while events wait is stalled, ms. Default 30 000. */
  readonly stallAfterMs?: number | undefined;
  /** Subscribers stalled on an event (any process's): reported in status, readiness and metrics. */
  readonly stalls?: StallStore | undefined;
}

/**
 * Reads every projection's frontier from where it is stored (so any process,
 * not only the lease holder, can answer): checkpoints, lag metrics,
 * readiness and read-your-writes waits.
 */
export const createProjectionMonitor = (deps: MonitorDeps) => {
  const stallAfterMs = deps.stallAfterMs ?? 30_000;
  const log = deps.log ?? {
    hasReached: (filter: EventFilter, checkpoint: Checkpoint | undefined, target: Checkpoint) =>
      hasReached(deps.db, filter, checkpoint, target),
    measureLag: (filter: EventFilter, checkpoint: Checkpoint | undefined) =>
      measureLag(deps.db, filter, checkpoint),
  };
  const byName = new Map(deps.projections.map((p) => [p.name, p]));
  const seen = new Map<string, { checkpoint: Checkpoint | undefined; since: number }>();
  const gauges = deps.registry && {
    events: new Gauge({
      name: 'projection_lag_events',
      help: 'Events a projection reads that wait after its checkpoint (capped at 100000).',
      labelNames: ['projection'],
      registers: [deps.registry],
    }),
    seconds: new Gauge({
      name: 'projection_lag_seconds',
      help: 'Age of the oldest event a projection has not applied yet, in seconds.',
      labelNames: ['projection'],
      registers: [deps.registry],
    }),
  };

  if (deps.registry && deps.stalls) {
    const stalls = deps.stalls;
    // Read at every scrape from the stall table, so any process reports every subscriber.
    const gauge = (name: string, help: string, value: (stall: Stall) => number) =>
      new Gauge({
        name,
        help,
        labelNames: ['subscriber'],
        registers: deps.registry ? [deps.registry] : [],
        async collect() {
          const rows = await stalls.list().catch(() => undefined);
          if (rows === undefined) return;
          this.reset();
          for (const row of rows) this.set({ subscriber: row.subscriber }, value(row));
        },
      });
    gauge(
      'subscriber_stalled',
      'Subscribers (projections, the payment saga) stopped on an event they cannot handle: 1 while stalled.',
      () => 1,
    );
    gauge(
      'subscriber_stall_attempts',
      'Attempts so far at the event a stalled subscriber is stopped on.',
      (stall) => stall.attempts,
    );
  }
  const stallsByName = async (): Promise<Map<string, Stall>> =>
    new Map((await (deps.stalls?.list() ?? Promise.resolve([]))).map((s) => [s.subscriber, s]));

  const projectionOf = (name: string): MonitoredProjection => {
    const projection = byName.get(name);
    if (!projection) {
      throw new Error(`No projection named "${name}"; known: ${[...byName.keys()].join(', ')}.`);
    }
    return projection;
  };

  const checkpointOf = async (
    projection: MonitoredProjection,
  ): Promise<{ version: number | undefined; checkpoint: Checkpoint | undefined }> => {
    if (projection.store === 'redis') {
      if (!deps.redis || !deps.redisKeys)
        throw new Error(`Projection ${projection.name} needs Redis, none is configured.`);
      return {
        version: undefined,
        checkpoint: await loadRedisCheckpoint(deps.redis, deps.redisKeys, projection.name),
      };
    }
    const row = await readVersion(deps.db, projection.name);
    if (!row) return { version: undefined, checkpoint: undefined };
    const checkpoint = await deps.checkpoints.load(
      checkpointName(projection.name, row.liveVersion),
    );
    return { version: row.liveVersion, checkpoint };
  };

  const statusOf = async (
    projection: MonitoredProjection,
    stall?: Stall,
  ): Promise<ProjectionStatus> => {
    const { version, checkpoint } = await checkpointOf(projection);
    const lag = await log.measureLag(projection.filter, checkpoint);
    const previous = seen.get(projection.name);
    if (!previous || previous.checkpoint !== checkpoint || lag.events === 0) {
      seen.set(projection.name, { checkpoint, since: Date.now() });
    }
    gauges?.events.set({ projection: projection.name }, lag.events);
    gauges?.seconds.set({ projection: projection.name }, lag.seconds);
    return {
      name: projection.name,
      store: projection.store,
      liveVersion: version,
      checkpoint,
      lag,
      ...(stall ? { stall } : {}),
    };
  };

  return {
    checkpointOf: (name: string) => checkpointOf(projectionOf(name)),

    /** Observes every projection once: updates the lag gauges and the stall clock. */
    status: async (): Promise<ProjectionStatus[]> => {
      const out: ProjectionStatus[] = [];
      const stalls = await stallsByName();
      for (const projection of deps.projections) {
        try {
          out.push(await statusOf(projection, stalls.get(projection.name)));
        } catch (error) {
          if (projection.store === 'postgres') throw error;
        }
      }
      return out;
    },

    /** Every stall recorded, projections' and other subscribers' (the payment saga's). */
    stalls: async (): Promise<Stall[]> => [...(await stallsByName()).values()],

    /**
     * Not ready when a Postgres projection's frontier stayed put for
     * `stallAfterMs` while events wait for it. Redis projections are reported
     * but never make the process unready: Redis is a cache. A subscriber
     * stopped on an event it cannot handle is named with that event, and
     * leaves the process ready but `degraded`: every other read model, the
     * writes and the saga go on, and taking the instance out of rotation
     * would stop them too.
     */
    projectionReadiness: async (): Promise<Readiness> => {
      const checks: Record<string, { ok: boolean; message?: string }> = {};
      const degraded: string[] = [];
      let ready = true;
      let stalls = new Map<string, Stall>();
      try {
        stalls = await stallsByName();
      } catch (error) {
        checks['subscriber-stalls'] = {
          ok: false,
          message: error instanceof Error ? error.message : String(error),
        };
      }
      for (const projection of deps.projections) {
        const key = `projection:${projection.name}`;
        const stall = stalls.get(projection.name);
        if (stall) {
          checks[key] = { ok: false, message: describeStall(stall) };
          degraded.push(projection.name);
          continue;
        }
        try {
          const status = await statusOf(projection);
          const since = seen.get(projection.name)?.since ?? Date.now();
          const stalled = status.lag.events > 0 && Date.now() - since > stallAfterMs;
          checks[key] = stalled
            ? {
                ok: projection.store === 'redis',
                message: `frontier stuck at ${status.checkpoint ?? 'the start'} for ${Math.round((Date.now() - since) / 1000)} s with ${status.lag.events} events waiting`,
              }
            : { ok: true };
        } catch (error) {
          checks[key] = {
            ok: projection.store === 'redis',
            message: error instanceof Error ? error.message : String(error),
          };
        }
        if (!checks[key].ok && projection.store === 'postgres') ready = false;
      }
      for (const stall of stalls.values()) {
        if (byName.has(stall.subscriber)) continue;
        checks[`subscriber:${stall.subscriber}`] = { ok: false, message: describeStall(stall) };
        degraded.push(stall.subscriber);
      }
      return { ready, checks, ...(degraded.length > 0 ? { degraded } : {}) };
    },

    /**
     * Read-your-writes: resolves once `name` has applied everything up to
     * `target` (or after `timeoutMs`), with the position it had reached.
     */
    waitForPosition: async (
      name: string,
      target: Checkpoint,
      timeoutMs: number,
      pollMs = 25,
    ): Promise<{ reached: boolean; position: Checkpoint | undefined }> => {
      const projection = projectionOf(name);
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const { checkpoint } = await checkpointOf(projection);
        if (await log.hasReached(projection.filter, checkpoint, target)) {
          return { reached: true, position: laterOf(checkpoint, target) };
        }
        if (Date.now() >= deadline) return { reached: false, position: checkpoint };
        await new Promise((resolve) =>
          setTimeout(resolve, Math.min(pollMs, deadline - Date.now())),
        );
      }
    },
  };
};

const laterOf = (a: Checkpoint | undefined, b: Checkpoint): Checkpoint =>
  a !== undefined && comparePostgresCheckpoints(a, b) >= 0 ? a : b;

export type ProjectionMonitor = ReturnType<typeof createProjectionMonitor>;
