import {
  BACKWARDS,
  END,
  FORWARDS,
  START,
  StreamNotFoundError,
  type EventStoreDBClient,
} from '@eventstore/db-client';
import {
  ANY,
  STREAM_EXISTS,
  type AppendResult,
  type Checkpoint,
  type EventStore,
  type ExpectedRevision,
  type ReadAllOptions,
  type ReadStreamOptions,
  type RecordedEvent,
  type StreamMetadata,
} from '../../../commands/shared/eventStore.ts';
import { ConcurrencyError, ValidationError } from '../../../domain/shared/errors.ts';
import { assertStreamMetadata, assertValidAppend } from '../appendRules.ts';
import { appendStream, readEvents } from './appendStream.ts';
import { matchesFilter, toRecordedEvent } from './events.ts';
import {
  compareCheckpoints,
  comparePositions,
  parseCheckpoint,
  toDomainError,
  toEsdbExpectedRevision,
} from './mapping.ts';
import { subscribeToAll, type BackoffOptions } from './subscription.ts';

export interface EventStoreDbEventStoreOptions {
  /** Clock for `recordedAt` (default: the system clock). */
  readonly now?: () => Date;
  /** Resubscription backoff of `subscribe`. */
  readonly backoff?: BackoffOptions;
}

const assertRevision = (name: string, value: number | undefined): void => {
  if (value !== undefined && (!Number.isSafeInteger(value) || value < 0)) {
    throw new ValidationError(`${name} must be a non-negative integer (got ${value}).`);
  }
};

/**
 * The EventStore port on EventStoreDB / KurrentDB through @eventstore/db-client 6.x
 * (server 22.6 or later, for event positions on stream reads).
 *
 * Not atomic across streams: ESDB has no multi-stream transaction, so a
 * multi-stream `append` writes the streams one by one in the given order and a
 * failure leaves the earlier ones written. `capabilities.atomicMultiStreamAppend`
 * is false, which sends callers to the ordered-claim path (DESIGN.md).
 *
 * Every append first reads the event it chains from (hash chain, DESIGN.md
 * "Audit"), so an append costs two round trips, three for a brand-new stream.
 */
export const getEventStoreDbEventStore = (
  client: EventStoreDBClient,
  options: EventStoreDbEventStoreOptions = {},
): EventStore => {
  const now = options.now ?? (() => new Date());

  const readStream = async (
    stream: string,
    { fromRevision, direction = 'forwards', maxCount }: ReadStreamOptions = {},
  ): Promise<readonly RecordedEvent[]> => {
    assertRevision('fromRevision', fromRevision);
    assertRevision('maxCount', maxCount);
    if (maxCount === 0) return [];
    const from = fromRevision ?? (direction === 'forwards' ? undefined : END);
    return readEvents(client, stream, {
      fromRevision: typeof from === 'number' ? BigInt(from) : (from ?? START),
      direction: direction === 'forwards' ? FORWARDS : BACKWARDS,
      maxCount: maxCount ?? Number.MAX_SAFE_INTEGER,
    });
  };

  const streamRevision = async (stream: string): Promise<number | undefined> =>
    (await readStream(stream, { direction: 'backwards', maxCount: 1 }))[0]?.revision;

  const readAll = async ({ from, maxCount, filter }: ReadAllOptions = {}): Promise<
    readonly RecordedEvent[]
  > => {
    assertRevision('maxCount', maxCount);
    const after = from === undefined ? undefined : parseCheckpoint(from);
    const limit = maxCount ?? Number.MAX_SAFE_INTEGER;
    const events: RecordedEvent[] = [];
    if (limit === 0) return events;
    try {
      // The server starts *at* a position; our `from` is exclusive, so the boundary is skipped below.
      for await (const resolved of client.readAll({ fromPosition: after ?? START })) {
        const event = toRecordedEvent(resolved);
        if (!event || !matchesFilter(filter, event)) continue;
        if (after && comparePositions(parseCheckpoint(event.checkpoint), after) <= 0) continue;
        events.push(event);
        if (events.length >= limit) break;
      }
    } catch (error) {
      throw toDomainError(error, '$all');
    }
    return events;
  };

  return {
    capabilities: { atomicMultiStreamAppend: false },

    async append(streams): Promise<AppendResult> {
      const written = [];
      // One by one, in the caller's order: that order is the ordered-claim protocol.
      for (const append of assertValidAppend(streams)) {
        written.push(await appendStream(client, append, now));
      }
      const positions = written.flatMap(({ position }) => (position ? [position] : []));
      const position = positions.sort(compareCheckpoints).at(-1) ?? (await this.headPosition());
      return {
        streams: written.map(({ stream, revision }) => ({ stream, revision })),
        position: position ?? '0:0',
      };
    },

    readStream,
    streamRevision,
    // No multi-stream read in the gRPC API: each stream's revision, then its
    // events (the order loadStream relies on), all streams concurrently.
    readStreams: async (names) =>
      new Map(
        await Promise.all(
          names.map(async (stream) => {
            const revision = await streamRevision(stream);
            return [stream, { revision, events: await readStream(stream) }] as const;
          }),
        ),
      ),
    readAll,
    subscribe: (subscribeOptions) => subscribeToAll(client, subscribeOptions, options.backoff),

    async deleteStream(stream: string, expectedRevision: ExpectedRevision = ANY): Promise<void> {
      let expected = expectedRevision;
      if (expected === STREAM_EXISTS) {
        // deleteStream takes no stream_exists; pin it to the revision we see.
        const revision = await streamRevision(stream);
        if (revision === undefined) throw new ConcurrencyError(stream, STREAM_EXISTS, 'no_stream');
        expected = revision;
      }
      const esdbExpected = toEsdbExpectedRevision(expected);
      try {
        await client.deleteStream(stream, {
          expectedRevision: esdbExpected === STREAM_EXISTS ? ANY : esdbExpected,
        });
      } catch (error) {
        if (error instanceof StreamNotFoundError && expectedRevision === ANY) return;
        throw toDomainError(error, stream, expectedRevision);
      }
    },

    async setStreamMetadata(stream: string, metadata: StreamMetadata): Promise<void> {
      assertStreamMetadata(stream, metadata);
      try {
        await client.setStreamMetadata(stream, {
          ...(metadata.truncateBefore === undefined
            ? {}
            : { truncateBefore: metadata.truncateBefore }),
          ...(metadata.maxAgeSeconds === undefined ? {} : { maxAge: metadata.maxAgeSeconds }),
        });
      } catch (error) {
        throw toDomainError(error, stream);
      }
    },

    async getStreamMetadata(stream: string): Promise<StreamMetadata> {
      try {
        const { metadata } = await client.getStreamMetadata(stream);
        const truncateBefore = metadata?.truncateBefore;
        const maxAge = metadata?.maxAge;
        return {
          ...(typeof truncateBefore === 'number' ? { truncateBefore } : {}),
          ...(typeof maxAge === 'number' ? { maxAgeSeconds: maxAge } : {}),
        };
      } catch (error) {
        if (error instanceof StreamNotFoundError) return {};
        throw toDomainError(error, stream);
      }
    },

    comparePositions: compareCheckpoints,

    async headPosition(): Promise<Checkpoint | undefined> {
      try {
        // The newest user event: server events ($metadata, links) are never delivered.
        for await (const resolved of client.readAll({ fromPosition: END, direction: BACKWARDS })) {
          const event = toRecordedEvent(resolved);
          if (event) return event.checkpoint;
        }
      } catch (error) {
        throw toDomainError(error, '$all');
      }
      return undefined;
    },
  };
};
