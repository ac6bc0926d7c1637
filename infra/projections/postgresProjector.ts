import type { Tracer } from '@opentelemetry/api';
import type { Registry } from 'prom-client';
import { bufferTime, concatMap, defer, filter, from, type Observable, switchMap } from 'rxjs';
import type { Checkpoint } from '../../commands/shared/eventStore.ts';
import type { PostgresProjection } from '../../projections/shared/projection.ts';
import {
  CheckpointFromAnotherClusterError,
  type PostgresCheckpointStore,
} from '../eventStore/postgres/checkpointStore.ts';
import { postgresProjectionLog, type ProjectionLog } from './projectionLog.ts';
import type { Pool } from '../postgres/pool.ts';
import { StalledOnEventError } from '../subscribers/stalls.ts';
import { applyBatch } from './applyBatch.ts';
import { recordEventSpans } from '../observability/tracing.ts';
import { isTransientConnectionError } from '../eventStore/postgres/subscriptionRetry.ts';
import type { RecordedEvent } from '../../commands/shared/eventStore.ts';
import { ConcurrencyError } from '../../domain/shared/errors.ts';
import {
  checkpointName,
  createVersionTables,
  ensureLiveVersion,
  ProjectionVersionSwappedError,
} from './versions.ts';

const isEventIndependent = (error: unknown): boolean =>
  error instanceof ProjectionVersionSwappedError ||
  error instanceof ConcurrencyError ||
  error instanceof CheckpointFromAnotherClusterError ||
  error instanceof StalledOnEventError ||
  isTransientConnectionError(error);

/**
 * Applies a batch; when it fails for a reason that may lie in one of its
 * events, applies them one by one so every event before the culprit commits
 * and the culprit is named (StalledOnEventError). A lost connection or a
 * version swap is rethrown as is.
 */
export const applyIsolating = async (
  batch: readonly RecordedEvent[],
  apply: (events: readonly RecordedEvent[]) => Promise<void>,
): Promise<void> => {
  try {
    await apply(batch);
    return;
  } catch (error) {
    if (isEventIndependent(error)) throw error;
    if (batch.length === 1 && batch[0]) throw new StalledOnEventError(batch[0], error);
  }
  for (const event of batch) {
    try {
      await apply([event]);
    } catch (error) {
      if (isEventIndependent(error)) throw error;
      throw new StalledOnEventError(event, error);
    }
  }
};

export interface ProjectorDeps {
  readonly pool: Pool;
  readonly connectionString: string;
  readonly schema: string;
  readonly checkpoints: PostgresCheckpointStore;
  readonly registry?: Registry | undefined;
  /** Most events per transaction. Default 500. */
  readonly batchSize?: number | undefined;
  /** Longest an event waits for its batch to fill, ms. Default 20. */
  readonly flushMs?: number | undefined;
  /** Subscription poll interval when no NOTIFY arrives, ms. Default 500. */
  readonly pollIntervalMs?: number | undefined;
  /** Where the log is read from; default the PostgreSQL events table. */
  readonly log?: ProjectionLog | undefined;
  /** Each applied event becomes a span in its own trace (docs/tracing.md). */
  readonly tracer?: Tracer | undefined;
}

/** The deps' log, or the PostgreSQL events table. */
export const logOf = (
  deps: Pick<
    ProjectorDeps,
    'pool' | 'connectionString' | 'schema' | 'pollIntervalMs' | 'registry' | 'log'
  >,
): ProjectionLog =>
  deps.log ??
  postgresProjectionLog({
    pool: deps.pool,
    connectionString: deps.connectionString,
    schema: deps.schema,
    pollIntervalMs: deps.pollIntervalMs,
    registry: deps.registry,
  });

/**
 * Runs the live version of a Postgres projection from its checkpoint: batches
 * of the subscription, each applied with its checkpoint in one transaction.
 * Emits the checkpoint after every committed batch; errors (including a
 * version swap) end it so the runner can restart it.
 */
export const projectPostgres = (
  deps: ProjectorDeps,
  projection: PostgresProjection,
): Observable<Checkpoint> =>
  defer(async () => {
    const version = await ensureLiveVersion(deps.pool, projection);
    const tables = await createVersionTables(deps.pool, projection, version);
    const start = await deps.checkpoints.load(checkpointName(projection.name, version));
    return { version, tables, start };
  }).pipe(
    switchMap(({ version, tables, start }) => {
      let last = start;
      const events = logOf(deps).subscribe(
        `projection:${projection.name}`,
        start,
        projection.filter,
      );
      return events.pipe(
        bufferTime(deps.flushMs ?? 20, null, deps.batchSize ?? 500),
        filter((batch) => batch.length > 0),
        concatMap((batch) => {
          const started = Date.now();
          return from(
            applyIsolating(batch, (events) =>
              applyBatch(
                deps.pool,
                deps.checkpoints,
                { projection, version, tables, requireLive: true },
                last,
                events,
              ).then((next) => {
                last = next;
                recordEventSpans(deps.tracer, `projection ${projection.name}`, events, started, {
                  'projection.name': projection.name,
                });
              }),
            ).then(() => last ?? ''),
          );
        }),
      );
    }),
  );
