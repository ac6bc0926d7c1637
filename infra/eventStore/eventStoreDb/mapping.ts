import {
  ANY as ESDB_ANY,
  NO_STREAM as ESDB_NO_STREAM,
  STREAM_EXISTS as ESDB_STREAM_EXISTS,
  CancelledError,
  DeadlineExceededError,
  MaxAppendSizeExceededError,
  NotLeaderError,
  StreamDeletedError,
  TimeoutError,
  UnavailableError as EsdbUnavailableError,
  WrongExpectedVersionError,
  type AppendExpectedRevision,
  type CurrentRevision,
  type Position,
} from '@eventstore/db-client';
import {
  ANY,
  NO_STREAM,
  STREAM_EXISTS,
  type Checkpoint,
  type ExpectedRevision,
} from '../../../commands/shared/eventStore.ts';
import {
  ConcurrencyError,
  ConflictError,
  UnavailableError,
  ValidationError,
} from '../../../domain/shared/errors.ts';

/** Our expected revision → the client's. Numbers become bigint revisions. */
export const toEsdbExpectedRevision = (expected: ExpectedRevision): AppendExpectedRevision => {
  switch (expected) {
    case ANY:
      return ESDB_ANY;
    case NO_STREAM:
      return ESDB_NO_STREAM;
    case STREAM_EXISTS:
      return ESDB_STREAM_EXISTS;
    default:
      if (!Number.isSafeInteger(expected) || expected < 0) {
        throw new ValidationError(
          `expectedRevision must be any, no_stream, stream_exists or a non-negative integer (got ${expected}).`,
        );
      }
      return BigInt(expected);
  }
};

/** How a revision reads in our ConcurrencyError: `"no_stream"`, `"any"`, `"stream_exists"` or the number. */
export const toRevisionText = (
  revision: AppendExpectedRevision | CurrentRevision | ExpectedRevision,
): string => String(revision);

/** Checkpoints of this adapter are the $all position: `"<commit>:<prepare>"`. */
export const toCheckpoint = (position: Position): Checkpoint =>
  `${position.commit}:${position.prepare}`;

export const parseCheckpoint = (checkpoint: Checkpoint): Position => {
  const match = /^(\d{1,20}):(\d{1,20})$/.exec(checkpoint);
  if (!match?.[1] || !match[2]) {
    throw new ValidationError(
      `Invalid EventStoreDB checkpoint "${checkpoint}": expected "<commit>:<prepare>" (two non-negative integers).`,
    );
  }
  return { commit: BigInt(match[1]), prepare: BigInt(match[2]) };
};

/** Order of $all positions: by commit position, then prepare position. */
export const comparePositions = (a: Position, b: Position): number => {
  if (a.commit !== b.commit) return a.commit < b.commit ? -1 : 1;
  if (a.prepare !== b.prepare) return a.prepare < b.prepare ? -1 : 1;
  return 0;
};

export const compareCheckpoints = (a: Checkpoint, b: Checkpoint): number =>
  comparePositions(parseCheckpoint(a), parseCheckpoint(b));

// Errors after which a retry may succeed: the node is down, busy, or not the leader.
const TRANSIENT = [
  EsdbUnavailableError,
  DeadlineExceededError,
  TimeoutError,
  NotLeaderError,
  CancelledError,
] as const;

export const isTransientEsdbError = (error: unknown): boolean =>
  TRANSIENT.some((type) => error instanceof type);

/**
 * Translates the client's errors into our error family at the boundary, so no
 * caller ever sees an @eventstore/db-client type. Unknown errors pass through.
 */
export const toDomainError = (
  error: unknown,
  stream: string,
  expected?: ExpectedRevision,
): unknown => {
  if (error instanceof WrongExpectedVersionError) {
    return new ConcurrencyError(
      stream,
      toRevisionText(expected ?? error.expectedVersion),
      toRevisionText(error.actualVersion),
    );
  }
  if (error instanceof StreamDeletedError) {
    return new ConflictError(
      'STREAM_DELETED',
      `Stream ${stream} was permanently deleted (tombstoned) on EventStoreDB; it can never be written again.`,
      { stream },
    );
  }
  if (error instanceof MaxAppendSizeExceededError) {
    return new ValidationError(
      `The append to ${stream} exceeds the server's maximum append size (${error.maxAppendSize} bytes); split it into smaller appends.`,
      { stream },
    );
  }
  if (isTransientEsdbError(error)) {
    const message = error instanceof Error ? error.message : String(error);
    return new UnavailableError(`EventStoreDB is unavailable (${message}); retry shortly.`, 1, {
      stream,
    });
  }
  return error;
};
