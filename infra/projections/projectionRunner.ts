import type { Redis } from 'ioredis';
import type { Registry } from 'prom-client';
import { EMPTY, from, type Observable, retry, Subscription, switchMap, tap, timer } from 'rxjs';
import type { Checkpoint } from '../../commands/shared/eventStore.ts';
import type { PostgresProjection, RedisProjection } from '../../projections/shared/projection.ts';
import { getPostgresCheckpointStore } from '../eventStore/postgres/checkpointStore.ts';
import type { Readiness } from '../http/ports.ts';
import type { Pool } from '../postgres/pool.ts';
import { createAdvisoryLease } from './lease.ts';
import { projectPostgres, type ProjectorDeps } from './postgresProjector.ts';
import { createProjectionMonitor, type ProjectionStatus } from './projectionMonitor.ts';
import { keysFor, type RedisKeys } from '../redisKeys.ts';
import { projectRedis } from './redisProjector.ts';
import { ProjectionVersionSwappedError } from './versions.ts';
import { createStallStore, stallBackoffMs, StalledOnEventError } from '../subscribers/stalls.ts';

export interface ProjectionRunnerOptions extends Pick<
  ProjectorDeps,
  'batchSize' | 'flushMs' | 'pollIntervalMs' | 'log' | 'tracer'
> {
  readonly pool: Pool;
  /** For the subscriptions' LISTEN connections and the lease connections. */
  readonly connectionString: string;
  /** Schema of the events table (names the NOTIFY channel). */
  readonly schema: string;
  readonly postgres: readonly PostgresProjection[];
  /** Run only when `redis` is given. Give the client `enableOfflineQueue: false` so a down Redis fails fast. */
  readonly redisProjections?: readonly RedisProjection[];
  readonly redis?: Redis | undefined;
  /** The install's Redis keys; required with `redis`. */
  readonly redisKeys?: RedisKeys | undefined;
  readonly registry?: Registry | undefined;
  readonly logger?: { warn(details: object, message: string): void } | undefined;
  /** How often a standby instance tries to take a lease, ms. Default 1000. */
  readonly leaseRetryMs?: number;
  /** How often lag gauges are refreshed, ms. Default 5000. */
  readonly monitorIntervalMs?: number;
  /** See MonitorDeps.stallAfterMs. Default 30 000. */
  readonly stallAfterMs?: number;
  /** Backoff while a projection is stalled on an event it cannot handle: first wait, ms. Default 1000. */
  readonly stallBaseBackoffMs?: number;
  /** … doubling up to this, ms. Default 60 000. */
  readonly stallMaxBackoffMs?: number;
  /** Called when this process takes a projection's lease (tests kill that backend). */
  readonly onLeaseAcquired?: (projection: string, backendPid: number) => void;
}

export interface ProjectionRunner {
  /** Starts every projection behind its lease (one active instance per name across processes) and the lag monitor. */
  start(): void;
  stop(): Promise<void>;
  /** Read-your-writes (`X-Min-Position`): see ProjectionMonitor.waitForPosition. */
  waitForPosition(
    projection: string,
    checkpoint: Checkpoint,
    timeoutMs: number,
  ): Promise<{ reached: boolean; position: Checkpoint | undefined }>;
  /** Plug into `/ready`: fails when a Postgres projection's frontier stalls while events wait. */
  projectionReadiness(): Promise<Readiness>;
  status(): Promise<ProjectionStatus[]>;
  /** Names of the projections whose lease this process holds now. */
  leasesHeld(): readonly string[];
}

/** Backoff after a failed run: 100 ms doubling to 5 s; a version swap restarts at once. */
const restartDelay = (error: unknown, attempt: number) =>
  timer(
    error instanceof ProjectionVersionSwappedError ? 0 : Math.min(5_000, 100 * 2 ** (attempt - 1)),
  );

export const createProjectionRunner = (options: ProjectionRunnerOptions): ProjectionRunner => {
  const checkpoints = getPostgresCheckpointStore(options.pool);
  const stalls = createStallStore(options.pool);
  // A stall row left by an earlier run is cleared by the first batch that commits.
  const maybeStalled = new Set<string>();
  const redisKeys = keysFor(options.redis, options.redisKeys, 'The projection runner');
  const redisProjections = options.redis ? (options.redisProjections ?? []) : [];
  const monitor = createProjectionMonitor({
    db: options.pool,
    checkpoints,
    redis: options.redis,
    redisKeys,
    log: options.log,
    registry: options.registry,
    stallAfterMs: options.stallAfterMs,
    stalls,
    projections: [
      ...options.postgres.map((p) => ({
        name: p.name,
        filter: p.filter,
        store: 'postgres' as const,
      })),
      ...redisProjections.map((p) => ({ name: p.name, filter: p.filter, store: 'redis' as const })),
    ],
  });
  const deps: ProjectorDeps = { ...options, checkpoints };
  const held = new Set<string>();
  const running = new Subscription();
  let monitorTimer: NodeJS.Timeout | undefined;

  const leased = (name: string, work: () => Observable<unknown>) =>
    createAdvisoryLease({
      connectionString: options.connectionString,
      // Advisory locks span the database: the schema keeps installs that share one apart.
      name: `${options.schema}:projection:${name}`,
      retryMs: options.leaseRetryMs ?? 1000,
      onAcquired: (pid) => options.onLeaseAcquired?.(name, pid),
    }).pipe(
      tap((isHeld) => (isHeld ? held.add(name) : held.delete(name))),
      switchMap((isHeld) =>
        isHeld
          ? work().pipe(
              tap(() => {
                if (!maybeStalled.delete(name)) return;
                stalls.clear(name).catch((error: unknown) => {
                  maybeStalled.add(name);
                  options.logger?.warn({ projection: name, err: error }, 'could not clear a stall');
                });
              }),
              retry({
                resetOnSuccess: true,
                delay: (error: unknown, attempt) => {
                  if (error instanceof StalledOnEventError) {
                    const wait = stallBackoffMs(
                      attempt,
                      options.stallBaseBackoffMs,
                      options.stallMaxBackoffMs,
                    );
                    maybeStalled.add(name);
                    options.logger?.warn(
                      {
                        projection: name,
                        stream: error.event.stream,
                        position: error.event.checkpoint,
                        eventId: error.event.eventId,
                        eventType: error.event.type,
                        attempt,
                        retryInMs: wait,
                        err: error.cause,
                      },
                      'projection stalled on an event it cannot handle; the others go on, it retries with backoff',
                    );
                    return from(
                      stalls.record(name, error, attempt, wait).catch(() => undefined),
                    ).pipe(switchMap(() => timer(wait)));
                  }
                  if (!(error instanceof ProjectionVersionSwappedError)) {
                    options.logger?.warn(
                      { projection: name, err: error },
                      'projection failed; restarting',
                    );
                  }
                  return restartDelay(error, attempt);
                },
              }),
            )
          : EMPTY,
      ),
    );

  return {
    start: () => {
      for (const projection of [...options.postgres, ...redisProjections])
        maybeStalled.add(projection.name);
      for (const projection of options.postgres) {
        running.add(leased(projection.name, () => projectPostgres(deps, projection)).subscribe());
      }
      for (const projection of redisProjections) {
        const redis = options.redis;
        if (!redis || !redisKeys) break;
        running.add(
          leased(projection.name, () =>
            projectRedis(deps, redis, redisKeys, projection),
          ).subscribe(),
        );
      }
      const interval = options.monitorIntervalMs ?? 5_000;
      const tick = () => {
        monitor
          .status()
          .catch(() => undefined)
          .finally(() => {
            monitorTimer = setTimeout(tick, interval);
          });
      };
      monitorTimer = setTimeout(tick, interval);
    },
    stop: async () => {
      clearTimeout(monitorTimer);
      running.unsubscribe();
      held.clear();
      // Lets in-flight batch transactions settle before the caller ends the pool.
      await new Promise((resolve) => setTimeout(resolve, 50));
    },
    waitForPosition: (projection, checkpoint, timeoutMs) =>
      monitor.waitForPosition(projection, checkpoint, timeoutMs),
    projectionReadiness: () => monitor.projectionReadiness(),
    status: () => monitor.status(),
    leasesHeld: () => [...held],
  };
};
