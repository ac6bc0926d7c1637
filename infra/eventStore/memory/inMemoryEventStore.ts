import { Subject } from 'rxjs';
import {
  type AppendResult,
  type EventStore,
  type ExpectedRevision,
  type ReadStreamOptions,
  type RecordedEvent,
  type StreamMetadata,
} from '../../../commands/shared/eventStore.ts';
import {
  assertExpectedRevision,
  assertStreamMetadata,
  assertValidAppend,
  checkExpectedRevision,
  matchRetry,
} from '../appendRules.ts';
import { chainEvents } from '../hashChain.ts';
import {
  matches,
  parseCheckpoint,
  subscribeInMemory,
  toCheckpoint,
} from './inMemorySubscription.ts';

interface StreamState {
  /** Revision of the last event, -1 before the first; survives soft delete. */
  revision: number;
  deleted: boolean;
  truncateBefore: number | undefined;
  maxAgeSeconds: number | undefined;
  lastHash: string;
  events: RecordedEvent[];
}

/**
 * The whole EventStore contract in one process, for fast handler tests. Every
 * append is atomic because nothing else runs between its check and its write.
 */
export const getInMemoryEventStore = (): EventStore => {
  const log: RecordedEvent[] = [];
  const streams = new Map<string, StreamState>();
  const byId = new Map<string, RecordedEvent>();
  const appended = new Subject<void>();

  const stateOf = (stream: string): StreamState => {
    let state = streams.get(stream);
    if (state === undefined) {
      state = {
        revision: -1,
        deleted: false,
        truncateBefore: undefined,
        maxAgeSeconds: undefined,
        lastHash: '',
        events: [],
      };
      streams.set(stream, state);
    }
    return state;
  };
  const currentRevision = (state: StreamState | undefined): number | undefined =>
    state === undefined || state.deleted || state.revision < 0 ? undefined : state.revision;

  const visible = (state: StreamState): RecordedEvent[] => {
    if (state.deleted) return [];
    const oldest =
      state.maxAgeSeconds === undefined ? undefined : Date.now() - state.maxAgeSeconds * 1000;
    return state.events.filter(
      (event) =>
        event.revision >= (state.truncateBefore ?? 0) &&
        (oldest === undefined || Date.parse(event.metadata.recordedAt) >= oldest),
    );
  };

  return {
    capabilities: { atomicMultiStreamAppend: true },

    append(requests) {
      return Promise.resolve().then((): AppendResult => {
        const valid = assertValidAppend(requests);
        const recordedAt = new Date().toISOString();
        // Check everything before writing anything: a conflict anywhere leaves every stream untouched.
        const plans = valid.map((request) => {
          const retry = matchRetry(
            request.stream,
            request.events,
            request.events.map((event) => byId.get(event.eventId)),
          );
          if (retry === undefined) {
            checkExpectedRevision(
              request.stream,
              request.expectedRevision,
              currentRevision(streams.get(request.stream)),
            );
          }
          return { request, retry };
        });
        let last: RecordedEvent | undefined;
        const results = plans.map(({ request, retry }) => {
          if (retry !== undefined) {
            for (const event of retry)
              if (last === undefined || event.globalPosition > last.globalPosition) last = event;
            return { stream: request.stream, revision: retry[retry.length - 1]?.revision ?? -1 };
          }
          const state = stateOf(request.stream);
          const chained = chainEvents(
            request.stream,
            state.revision + 1,
            state.lastHash,
            recordedAt,
            request.events,
          );
          for (const event of chained.events) {
            const position = log.length + 1;
            const recorded: RecordedEvent = {
              ...event,
              stream: request.stream,
              globalPosition: BigInt(position),
              checkpoint: toCheckpoint(position),
            };
            log.push(recorded);
            state.events.push(recorded);
            byId.set(recorded.eventId, recorded);
            last = recorded;
          }
          state.revision += chained.events.length;
          state.lastHash = chained.lastHash;
          state.deleted = false;
          return { stream: request.stream, revision: state.revision };
        });
        if (last === undefined) throw new Error('An append without events passed validation.');
        appended.next();
        return { streams: results, position: last.checkpoint };
      });
    },

    readStream(stream, options: ReadStreamOptions = {}) {
      const state = streams.get(stream);
      const events = state === undefined ? [] : visible(state);
      const backwards = options.direction === 'backwards';
      const from = options.fromRevision;
      const selected = backwards
        ? events.filter((event) => from === undefined || event.revision <= from).reverse()
        : events.filter((event) => event.revision >= (from ?? 0));
      return Promise.resolve(selected.slice(0, options.maxCount ?? selected.length));
    },

    readStreamWithRevision(stream) {
      const state = streams.get(stream);
      return Promise.resolve({
        events: state === undefined ? [] : visible(state),
        revision: currentRevision(state),
      });
    },

    readStreams(names) {
      return Promise.resolve(
        new Map(
          names.map((stream) => {
            const state = streams.get(stream);
            const events = state === undefined ? [] : visible(state);
            return [stream, { events, revision: currentRevision(state) }] as const;
          }),
        ),
      );
    },

    streamRevision(stream) {
      return Promise.resolve(currentRevision(streams.get(stream)));
    },

    readAll(options = {}) {
      const start = options.from === undefined ? 0 : parseCheckpoint(options.from);
      const selected = log.slice(start).filter((event) => matches(event, options.filter));
      return Promise.resolve(selected.slice(0, options.maxCount ?? selected.length));
    },

    subscribe: (options = {}) => subscribeInMemory(log, appended, options),

    deleteStream(stream, expectedRevision: ExpectedRevision = 'any') {
      return Promise.resolve().then(() => {
        assertExpectedRevision(stream, expectedRevision);
        const state = streams.get(stream);
        checkExpectedRevision(stream, expectedRevision, currentRevision(state));
        if (state === undefined || state.revision < 0) return;
        state.deleted = true;
        state.truncateBefore = state.revision + 1;
      });
    },

    setStreamMetadata(stream, metadata: StreamMetadata) {
      assertStreamMetadata(stream, metadata);
      const state = stateOf(stream);
      // A soft delete's truncation point survives a metadata update (it would otherwise undelete).
      const floor = state.deleted ? state.revision + 1 : 0;
      state.truncateBefore =
        metadata.truncateBefore === undefined && floor === 0
          ? undefined
          : Math.max(metadata.truncateBefore ?? 0, floor);
      state.maxAgeSeconds = metadata.maxAgeSeconds;
      return Promise.resolve();
    },

    getStreamMetadata(stream) {
      const state = streams.get(stream);
      const metadata: { truncateBefore?: number; maxAgeSeconds?: number } = {};
      if (state?.truncateBefore !== undefined) metadata.truncateBefore = state.truncateBefore;
      if (state?.maxAgeSeconds !== undefined) metadata.maxAgeSeconds = state.maxAgeSeconds;
      return Promise.resolve(metadata);
    },

    comparePositions(a, b) {
      return Math.sign(parseCheckpoint(a) - parseCheckpoint(b));
    },

    headPosition() {
      const last = log[log.length - 1];
      return Promise.resolve(last?.checkpoint);
    },
  };
};
