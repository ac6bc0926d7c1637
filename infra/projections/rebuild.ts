import type { Checkpoint, RecordedEvent } from '../../commands/shared/eventStore.ts';
import type { PostgresProjection, TableNames } from '../../projections/shared/projection.ts';
import type { PostgresCheckpointStore } from '../eventStore/postgres/checkpointStore.ts';
import { readAllPostgres } from '../eventStore/postgres/subscription.ts';
import type { Pool, Queryable } from '../postgres/pool.ts';
import { applyBatch, applyBatchIn } from './applyBatch.ts';
import { publishViews } from './publishViews.ts';
import { inProjectionTransaction } from './transaction.ts';
import { checkpointName, createVersionTables, ensureLiveVersion, readVersion } from './versions.ts';

export interface RebuildResult {
  readonly projection: string;
  readonly previousVersion: number;
  readonly version: number;
  readonly events: number;
  readonly seconds: number;
}

export interface RebuildOptions {
  /** Events per transaction. Default 2000. */
  readonly batchSize?: number;
  readonly onProgress?: (events: number, checkpoint: Checkpoint) => void;
}

const dropVersion = async (
  db: Queryable,
  checkpoints: string,
  names: TableNames,
): Promise<void> => {
  for (const table of Object.values(names)) await db.query(`DROP TABLE IF EXISTS ${table}`);
  await db.query('DELETE FROM subscription_checkpoints WHERE name = $1', [checkpoints]);
};

/** Applies everything after `from` up to the fence, batch by batch; returns the events applied and the checkpoint. */
const catchUp = async (
  step: (
    from: Checkpoint | undefined,
  ) => Promise<{ applied: number; checkpoint: Checkpoint | undefined }>,
  from: Checkpoint | undefined,
): Promise<{ events: number; checkpoint: Checkpoint | undefined }> => {
  let events = 0;
  let checkpoint = from;
  for (;;) {
    const result = await step(checkpoint);
    if (result.applied === 0) return { events, checkpoint };
    events += result.applied;
    checkpoint = result.checkpoint;
  }
};

/**
 * The bulk of a rebuild: while one batch is applied (its own transaction),
 * the next page of the log is already being read on another connection, so
 * the rebuild runs at about the slower of reading and applying instead of
 * their sum. Pages follow each other by the checkpoint of their last event,
 * which is known before the batch is applied.
 */
const pipelinedCatchUp = async (
  read: (from: Checkpoint | undefined) => Promise<RecordedEvent[]>,
  apply: (from: Checkpoint | undefined, events: RecordedEvent[]) => Promise<Checkpoint | undefined>,
  onProgress: ((events: number, checkpoint: Checkpoint) => void) | undefined,
): Promise<{ events: number; checkpoint: Checkpoint | undefined }> => {
  let events = 0;
  let checkpoint: Checkpoint | undefined;
  let next = read(undefined);
  for (;;) {
    const page = await next;
    const last = page.at(-1);
    if (last === undefined) return { events, checkpoint };
    next = read(last.checkpoint);
    // Handled here too, so a failing apply below never leaves the prefetch's rejection unobserved.
    next.catch(() => undefined);
    checkpoint = await apply(checkpoint, page);
    events += page.length;
    if (checkpoint !== undefined) onProgress?.(page.length, checkpoint);
  }
};

/**
 * Rebuilds a projection from the start of the log into version live+1 while
 * the live version keeps serving, then swaps: under the version row's lock
 * (which waits for the live runner's batch in flight and holds off the next),
 * the last events are applied and `live_version` moves. The live runner sees
 * the swap on its next batch and continues on the new version. The old
 * version's tables stay for comparison until dropped.
 */
export const rebuildProjection = async (
  pool: Pool,
  checkpoints: PostgresCheckpointStore,
  projection: PostgresProjection,
  options: RebuildOptions = {},
): Promise<RebuildResult> => {
  const started = Date.now();
  const batchSize = options.batchSize ?? 2000;
  const lock = await pool.connect();
  try {
    const { rows } = await lock.query<{ ok: boolean }>(
      "SELECT pg_try_advisory_lock(22, hashtext(current_schema() || ':' || $1)) AS ok",
      [projection.name],
    );
    if (rows[0]?.ok !== true) {
      throw new Error(`A rebuild of ${projection.name} is already running; wait for it to finish.`);
    }
    const live = await ensureLiveVersion(pool, projection);
    const version = live + 1;
    const name = checkpointName(projection.name, version);
    // A rebuild that died half-way left a partial version behind: start it over.
    const names = await createVersionTables(pool, projection, version);
    await dropVersion(pool, name, names);
    await createVersionTables(pool, projection, version);
    await pool.query('UPDATE projection_versions SET building_version = $2 WHERE name = $1', [
      projection.name,
      version,
    ]);
    const target = { projection, version, tables: names, requireLive: false };
    const step =
      (
        db: Queryable,
        apply: (
          from: Checkpoint | undefined,
          events: Awaited<ReturnType<typeof readAllPostgres>>,
        ) => Promise<Checkpoint | undefined>,
      ) =>
      async (from: Checkpoint | undefined) => {
        const events = await readAllPostgres(db, {
          maxCount: batchSize,
          filter: projection.filter,
          ...(from === undefined ? {} : { from }),
        });
        const checkpoint = await apply(from, events);
        if (checkpoint !== undefined) options.onProgress?.(events.length, checkpoint);
        return { applied: events.length, checkpoint };
      };
    const bulk = await pipelinedCatchUp(
      (from) =>
        readAllPostgres(pool, {
          maxCount: batchSize,
          filter: projection.filter,
          ...(from === undefined ? {} : { from }),
        }),
      (from, events) => applyBatch(pool, checkpoints, target, from, events),
      options.onProgress,
    );
    const tail = await inProjectionTransaction(pool, async (client) => {
      await readVersion(client, projection.name, 'FOR UPDATE');
      const rest = await catchUp(
        step(client, (from, events) => applyBatchIn(client, checkpoints, target, from, events)),
        bulk.checkpoint,
      );
      await client.query(
        `UPDATE projection_versions
         SET live_version = $2, building_version = NULL, swapped_at = now() WHERE name = $1`,
        [projection.name, version],
      );
      await publishViews(client, projection, names);
      return rest;
    });
    return {
      projection: projection.name,
      previousVersion: live,
      version,
      events: bulk.events + tail.events,
      seconds: (Date.now() - started) / 1000,
    };
  } finally {
    await lock
      .query("SELECT pg_advisory_unlock(22, hashtext(current_schema() || ':' || $1))", [
        projection.name,
      ])
      .catch(() => undefined);
    lock.release();
  }
};
