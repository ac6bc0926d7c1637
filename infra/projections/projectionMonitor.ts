import type { Redis } from 'ioredis';
import { Gauge, type Registry } from 'prom-client';
import type { Checkpoint, EventFilter } from '../../commands/shared/eventStore.ts';
import type { PostgresCheckpointStore } from '../eventStore/postgres/checkpointStore.ts';
import { comparePostgresCheckpoints } from '../eventStore/postgres/subscription.ts';
import type { Readiness } from '../http/ports.ts';
import type { Queryable } from '../postgres/pool.ts';
import { hasReached, measureLag, type Lag } from './frontier.ts';
import type { RedisKeys } from '../redisKeys.ts';
import { loadRedisCheckpoint } from './redisProjector.ts';
import { checkpointName, readVersion } from './versions.ts';

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
}

export interface MonitorDeps {
  readonly db: Queryable;
  readonly checkpoints: PostgresCheckpointStore;
  readonly redis?: Redis | undefined;
  /** The install's Redis keys; required with `redis`. */
  readonly redisKeys?: RedisKeys | undefined;
  readonly registry?: Registry | undefined;
  readonly projections: readonly MonitoredProjection[];
  /** A frontier that has not moved for this long while events wait is stalled, ms. Default 30 000. */
  readonly stallAfterMs?: number | undefined;
}

/**
 * Reads every projection's frontier from where it is stored (so any process,
 * not only the lease holder, can answer): checkpoints, lag metrics,
 * readiness and read-your-writes waits.
 */
export const createProjectionMonitor = (deps: MonitorDeps) => {
  const stallAfterMs = deps.stallAfterMs ?? 30_000;
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

  const statusOf = async (projection: MonitoredProjection): Promise<ProjectionStatus> => {
    const { version, checkpoint } = await checkpointOf(projection);
    const lag = await measureLag(deps.db, projection.filter, checkpoint);
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
    };
  };

  return {
    checkpointOf: (name: string) => checkpointOf(projectionOf(name)),

    /** Observes every projection once: updates the lag gauges and the stall clock. */
    status: async (): Promise<ProjectionStatus[]> => {
      const out: ProjectionStatus[] = [];
      for (const projection of deps.projections) {
        try {
          out.push(await statusOf(projection));
        } catch (error) {
          if (projection.store === 'postgres') throw error;
        }
      }
      return out;
    },

    /**
     * Not ready when a Postgres projection's frontier stayed put for
     * `stallAfterMs` while events wait for it. Redis projections are reported
     * but never make the process unready: Redis is a cache.
     */
    projectionReadiness: async (): Promise<Readiness> => {
      const checks: Record<string, { ok: boolean; message?: string }> = {};
      for (const projection of deps.projections) {
        const key = `projection:${projection.name}`;
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
      }
      return { ready: Object.values(checks).every((check) => check.ok), checks };
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
        if (await hasReached(deps.db, projection.filter, checkpoint, target)) {
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
