import {
  BACKWARDS,
  END,
  FORWARDS,
  NO_STREAM as ESDB_NO_STREAM,
  START,
  StreamNotFoundError,
  WrongExpectedVersionError,
  type AppendExpectedRevision,
  type EventStoreDBClient,
  type ReadRevision,
} from '@eventstore/db-client';
import {
  ANY,
  NO_STREAM,
  STREAM_EXISTS,
  type Checkpoint,
  type EventToAppend,
  type RecordedEvent,
  type StreamAppend,
} from '../../../commands/shared/eventStore.ts';
import { ConcurrencyError } from '../../../domain/shared/errors.ts';
import { matchRetry } from '../appendRules.ts';
import { chainEvents } from '../hashChain.ts';
import { toEventData, toRecordedEvent } from './events.ts';
import { toCheckpoint, toDomainError } from './mapping.ts';

export interface StreamAppended {
  readonly stream: string;
  readonly revision: number;
  readonly position: Checkpoint | undefined;
}

// A revision no stream reaches: an empty append expecting it fails and the
// error reports the stream's real current revision (even for a soft-deleted one).
const PROBE_REVISION = 2n ** 62n;
// `any` and `stream_exists` appends are pinned to the revision we chained from;
// a concurrent writer makes us re-read and re-chain this many times at most.
const MAX_CHAIN_ATTEMPTS = 10;

/** Events of a stream read with the client; an absent or deleted stream reads as `[]`. */
export const readEvents = async (
  client: EventStoreDBClient,
  stream: string,
  options: { fromRevision: ReadRevision; direction: 'forwards' | 'backwards'; maxCount: number },
): Promise<RecordedEvent[]> => {
  const events: RecordedEvent[] = [];
  try {
    for await (const resolved of client.readStream(stream, options)) {
      const event = toRecordedEvent(resolved);
      if (event) events.push(event);
    }
  } catch (error) {
    if (error instanceof StreamNotFoundError) return [];
    throw toDomainError(error, stream);
  }
  return events;
};

/**
 * When `window` (events read where this append would land) already holds the
 * append's ids, this is a retry of a write that landed: answer with the
 * original revision. The shared rules refuse partial or altered retries. ESDB
 * cannot look an id up across the log, so only that window is checked.
 */
const asRetry = (
  stream: string,
  window: readonly RecordedEvent[],
  events: readonly EventToAppend[],
): StreamAppended | undefined => {
  const byId = new Map(window.map((event) => [event.eventId, event]));
  const original = matchRetry(
    stream,
    events,
    events.map((event) => byId.get(event.eventId)),
  );
  const last = original?.[original.length - 1];
  return last && { stream, revision: last.revision, position: last.checkpoint };
};

/** Where the next event of the stream goes, and what it chains from. */
interface ChainPoint {
  readonly previousHash: string;
  readonly firstRevision: number;
  readonly expected: AppendExpectedRevision;
}

const probeRevision = async (client: EventStoreDBClient, stream: string): Promise<number> => {
  try {
    const result = await client.appendToStream(stream, [], { expectedRevision: PROBE_REVISION });
    return Number(result.nextExpectedRevision);
  } catch (error) {
    if (error instanceof WrongExpectedVersionError) {
      return error.actualVersion === ESDB_NO_STREAM ? -1 : Number(error.actualVersion);
    }
    throw toDomainError(error, stream);
  }
};

/** Reads what the append chains from; returns a finished result when the append is a retry. */
const locate = async (
  client: EventStoreDBClient,
  { stream, expectedRevision, events }: StreamAppend,
): Promise<ChainPoint | StreamAppended> => {
  if (typeof expectedRevision === 'number') {
    const [previous, ...after] = await readEvents(client, stream, {
      fromRevision: BigInt(expectedRevision),
      direction: FORWARDS,
      maxCount: events.length + 1,
    });
    const isPrevious = previous?.revision === expectedRevision;
    const retry = isPrevious ? asRetry(stream, after, events) : undefined;
    if (retry) return retry;
    return {
      previousHash: isPrevious ? previous.metadata.hash : '',
      firstRevision: expectedRevision + 1,
      expected: BigInt(expectedRevision),
    };
  }
  const from: ReadRevision = expectedRevision === NO_STREAM ? START : END;
  const direction = expectedRevision === NO_STREAM ? FORWARDS : BACKWARDS;
  const read = await readEvents(client, stream, {
    fromRevision: from,
    direction,
    maxCount: Math.max(events.length, 1),
  });
  const tail = direction === BACKWARDS ? read.reverse() : read;
  const retry = asRetry(stream, tail, events);
  if (retry) return retry;
  const last = direction === BACKWARDS ? tail[tail.length - 1] : undefined;
  if (last) {
    return {
      previousHash: last.metadata.hash,
      firstRevision: last.revision + 1,
      expected: BigInt(last.revision),
    };
  }
  if (expectedRevision === STREAM_EXISTS) {
    throw new ConcurrencyError(stream, STREAM_EXISTS, NO_STREAM);
  }
  if (tail.length > 0) {
    // no_stream on a live stream: the server refuses and reports the actual revision.
    return { previousHash: '', firstRevision: 0, expected: ESDB_NO_STREAM };
  }
  // Nothing readable: a new stream, or a soft-deleted one whose numbering continues.
  const current = await probeRevision(client, stream);
  return {
    previousHash: '',
    firstRevision: current + 1,
    expected: current < 0 ? ESDB_NO_STREAM : BigInt(current),
  };
};

/**
 * Appends one validated stream (see `assertValidAppend`): read the event to
 * chain from, hash the new events, and append with an exact expected revision
 * so two writers can never fork the chain.
 */
export const appendStream = async (
  client: EventStoreDBClient,
  append: StreamAppend,
  now: () => Date,
): Promise<StreamAppended> => {
  const { stream, expectedRevision, events } = append;
  for (let attempt = 1; ; attempt += 1) {
    const point = await locate(client, append);
    if ('stream' in point) return point;
    const chained = chainEvents(
      stream,
      point.firstRevision,
      point.previousHash,
      now().toISOString(),
      events,
    );
    try {
      const result = await client.appendToStream(
        stream,
        chained.events.map((event) => toEventData(event, event.metadata)),
        { expectedRevision: point.expected },
      );
      return {
        stream,
        revision: Number(result.nextExpectedRevision),
        position: result.position && toCheckpoint(result.position),
      };
    } catch (error) {
      const pinnedByUs = expectedRevision === ANY || expectedRevision === STREAM_EXISTS;
      if (
        error instanceof WrongExpectedVersionError &&
        pinnedByUs &&
        attempt < MAX_CHAIN_ATTEMPTS
      ) {
        continue;
      }
      throw toDomainError(error, stream, expectedRevision);
    }
  }
};
