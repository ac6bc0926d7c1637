import type { Checkpoint, RecordedEvent } from '../../commands/shared/eventStore.ts';
import type { PostgresProjection, TableNames } from '../../projections/shared/projection.ts';
import type { PostgresCheckpointStore } from '../eventStore/postgres/checkpointStore.ts';
import type { Pool, PoolClient } from '../postgres/pool.ts';
import { inProjectionTransaction } from './transaction.ts';

import { checkpointName, ProjectionVersionSwappedError, readVersion, toSql } from './versions.ts';

export interface BatchTarget {
  readonly projection: PostgresProjection;
  readonly version: number;
  readonly tables: TableNames;
  /**
   * Live runners check, under a share lock, that their version is still the
   * live one; a swap (which takes the row FOR UPDATE) then waits for the
   * batch, and the next batch sees the new version and stops.
   */
  readonly requireLive: boolean;
}

/** Applies a batch in the caller's transaction: rows and checkpoint commit together or not at all. */
export const applyBatchIn = async (
  client: PoolClient,
  checkpoints: PostgresCheckpointStore,
  target: BatchTarget,
  expected: Checkpoint | undefined,
  events: readonly RecordedEvent[],
): Promise<Checkpoint | undefined> => {
  const last = events.at(-1);
  if (last === undefined) return expected;
  const { projection, version } = target;
  if (target.requireLive) {
    const row = await readVersion(client, projection.name, 'FOR SHARE');
    if (row?.liveVersion !== version) {
      throw new ProjectionVersionSwappedError(projection.name, version, row?.liveVersion ?? 0);
    }
  }
  // Compare-and-set first: a second writer of the same checkpoint fails here
  // before touching any row, and its transaction rolls back.
  await checkpoints.store(
    checkpointName(projection.name, version),
    expected,
    last.checkpoint,
    client,
  );
  await projection.apply(toSql(client), target.tables, events);
  return last.checkpoint;
};

/** One batch, one transaction (effectively once). Returns the new checkpoint. */
export const applyBatch = (
  pool: Pool,
  checkpoints: PostgresCheckpointStore,
  target: BatchTarget,
  expected: Checkpoint | undefined,
  events: readonly RecordedEvent[],
): Promise<Checkpoint | undefined> =>
  inProjectionTransaction(pool, (client) =>
    applyBatchIn(client, checkpoints, target, expected, events),
  );
