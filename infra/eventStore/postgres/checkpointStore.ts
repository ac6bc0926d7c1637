import type { Checkpoint } from '../../../commands/shared/eventStore.ts';
import { ConcurrencyError, DomainError } from '../../../domain/shared/errors.ts';
import type { Queryable } from '../../postgres/pool.ts';
import { parseCheckpoint } from './rows.ts';

/**
 * A checkpoint names transaction ids of one PostgreSQL cluster. After a logical
 * restore onto another cluster the ids are different, so resuming would skip or
 * repeat events; refusing is the only safe answer.
 */
export class CheckpointFromAnotherClusterError extends DomainError {
  constructor(
    readonly checkpointName: string,
    readonly checkpointSystemIdentifier: string,
    readonly currentSystemIdentifier: string,
  ) {
    super(
      'CHECKPOINT_FROM_ANOTHER_CLUSTER',
      `Checkpoint "${checkpointName}" was taken on the PostgreSQL cluster with system_identifier ` +
        `${checkpointSystemIdentifier}, but this database runs on cluster ${currentSystemIdentifier}; ` +
        'transaction ids differ between clusters, so it cannot be resumed. Rebuild the subscriber ' +
        'from the beginning (delete its checkpoint row and its read model) on this cluster.',
      { checkpointName, checkpointSystemIdentifier, currentSystemIdentifier },
    );
  }
}

/**
 * Compare-and-set checkpoints. Pass the caller's transaction client as `db` so
 * a read model's rows and its checkpoint commit together (effectively once);
 * without it the store's own pool is used.
 */
export interface PostgresCheckpointStore {
  /** The stored checkpoint, or `undefined` when the subscriber has none yet. */
  load(name: string, db?: Queryable): Promise<Checkpoint | undefined>;
  /**
   * Moves `name` from `expected` (`undefined`: no checkpoint yet) to `next`;
   * throws ConcurrencyError when another writer moved it first.
   */
  store(
    name: string,
    expected: Checkpoint | undefined,
    next: Checkpoint,
    db?: Queryable,
  ): Promise<void>;
}

interface CheckpointRow {
  readonly checkpoint: string;
  readonly system_identifier: string;
}

// The live cluster, not store_identity: a logical restore copies store_identity's
// row along with the checkpoints, so only pg_control_system() tells the truth.
// Roles without EXECUTE on it (it needs pg_monitor on some setups) fall back to
// the identifier recorded at migration time.
const readSystemIdentifier = async (db: Queryable): Promise<string> => {
  try {
    const { rows } = await db.query<{ id: string }>(
      'SELECT system_identifier::text AS id FROM pg_control_system()',
    );
    if (rows[0]) return rows[0].id;
  } catch (error) {
    if ((error as { code?: string }).code !== '42501') throw error;
  }
  const { rows } = await db.query<{ id: string }>(
    'SELECT system_identifier AS id FROM store_identity',
  );
  if (!rows[0]) throw new Error('store_identity is empty; run the migrations (make migrate).');
  return rows[0].id;
};

export const getPostgresCheckpointStore = (pool: Queryable): PostgresCheckpointStore => {
  let identifier: string | undefined;
  const systemIdentifier = async (db: Queryable): Promise<string> =>
    (identifier ??= await readSystemIdentifier(db));

  const read = async (name: string, db: Queryable): Promise<Checkpoint | undefined> => {
    const { rows } = await db.query<CheckpointRow>(
      'SELECT checkpoint, system_identifier FROM subscription_checkpoints WHERE name = $1',
      [name],
    );
    const row = rows[0];
    if (!row) return undefined;
    const current = await systemIdentifier(db);
    if (row.system_identifier !== current) {
      throw new CheckpointFromAnotherClusterError(name, row.system_identifier, current);
    }
    return row.checkpoint;
  };

  return {
    load: (name, db = pool) => read(name, db),
    store: async (name, expected, next, db = pool) => {
      parseCheckpoint(next);
      const current = await systemIdentifier(db);
      // Neither statement raises on a conflict (it just changes no row), so a
      // caller's transaction stays usable for its own rollback decision.
      const { rowCount } =
        expected === undefined
          ? await db.query(
              `INSERT INTO subscription_checkpoints (name, checkpoint, system_identifier)
               VALUES ($1, $2, $3) ON CONFLICT (name) DO NOTHING`,
              [name, next, current],
            )
          : await db.query(
              `UPDATE subscription_checkpoints
               SET checkpoint = $3, system_identifier = $4, updated_at = now()
               WHERE name = $1 AND checkpoint = $2 AND system_identifier = $4`,
              [name, expected, next, current],
            );
      if (rowCount === 1) return;
      const actual = await read(name, db);
      throw new ConcurrencyError(`checkpoint:${name}`, expected ?? 'none', actual ?? 'none');
    },
  };
};
