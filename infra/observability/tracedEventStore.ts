import type { EventStore, StreamAppend } from '../../commands/shared/eventStore.ts';
import { traceparentOf } from './tracing.ts';

/** Each event without one gets `traceparent`; events that carry their own keep it. */
const withTraceparent = (
  streams: readonly StreamAppend[],
  traceparent: string,
): readonly StreamAppend[] =>
  streams.map((append) => ({
    ...append,
    events: append.events.map((event) =>
      event.metadata?.traceparent === undefined
        ? { ...event, metadata: { ...event.metadata, traceparent } }
        : event,
    ),
  }));

/**
 * The event store with the active trace written into the metadata of every
 * event appended (docs/tracing.md): commands stay free of tracing, and the
 * HTTP request's, the saga's or a subscriber's span is what the log keeps.
 * Outside any span (start-up seeding, the hold-expiry scheduler) events carry
 * none. Every other method is the store's own.
 */
export const traceEventStore = (store: EventStore): EventStore => {
  const traced: EventStore = {
    capabilities: store.capabilities,
    append: (streams) => {
      const traceparent = traceparentOf();
      return store.append(
        traceparent === undefined ? streams : withTraceparent(streams, traceparent),
      );
    },
    readStream: (stream, options) => store.readStream(stream, options),
    streamRevision: (stream) => store.streamRevision(stream),
    readAll: (options) => store.readAll(options),
    subscribe: (options) => store.subscribe(options),
    deleteStream: (stream, expected) => store.deleteStream(stream, expected),
    setStreamMetadata: (stream, metadata) => store.setStreamMetadata(stream, metadata),
    getStreamMetadata: (stream) => store.getStreamMetadata(stream),
    comparePositions: (a, b) => store.comparePositions(a, b),
    headPosition: () => store.headPosition(),
  };
  const readBoth = store.readStreamWithRevision?.bind(store);
  return readBoth === undefined
    ? traced
    : { ...traced, readStreamWithRevision: (stream) => readBoth(stream) };
};
