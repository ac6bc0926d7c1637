import {
  ANY,
  NO_STREAM,
  STREAM_EXISTS,
  type EventToAppend,
  type ExpectedRevision,
  type RecordedEvent,
  type StreamAppend,
  type StreamMetadata,
} from '../../commands/shared/eventStore.ts';
import { ConcurrencyError, ConflictError, ValidationError } from '../../domain/shared/errors.ts';
import { callerMetadata, canonicalJson } from './hashChain.ts';

/** The rules of `append` every adapter shares, so the contract suite tests one behaviour. */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Rejects appends that can never succeed, and lower-cases event ids: Postgres
 * stores uuids lower-case, and the hash covers the id as stored.
 */
export const assertValidAppend = (streams: readonly StreamAppend[]): StreamAppend[] => {
  if (streams.length === 0) {
    throw new ValidationError(
      'append needs at least one stream; pass [{ stream, expectedRevision, events }].',
    );
  }
  const names = new Set<string>();
  const ids = new Set<string>();
  return streams.map(({ stream, expectedRevision, events }) => {
    if (stream.length === 0) throw new ValidationError('Stream names must not be empty.');
    if (names.has(stream)) {
      throw new ValidationError(
        `Stream ${stream} appears twice in one append; merge its events into one entry.`,
      );
    }
    names.add(stream);
    assertExpectedRevision(stream, expectedRevision);
    if (events.length === 0) {
      throw new ValidationError(`The append to ${stream} has no events; send at least one.`);
    }
    return {
      stream,
      expectedRevision,
      events: events.map((event) => {
        if (!UUID.test(event.eventId)) {
          throw new ValidationError(
            `eventId must be a UUID (got "${event.eventId}" in ${stream}).`,
          );
        }
        const eventId = event.eventId.toLowerCase();
        if (ids.has(eventId)) {
          throw new ValidationError(
            `eventId ${eventId} appears twice in one append; give each event its own id.`,
          );
        }
        ids.add(eventId);
        if (event.data === undefined) {
          throw new ValidationError(`Event ${eventId} has no data; send null or an object.`);
        }
        return { ...event, eventId };
      }),
    };
  });
};

export const assertExpectedRevision = (stream: string, expected: ExpectedRevision): void => {
  if (typeof expected === 'number' && !(Number.isSafeInteger(expected) && expected >= 0)) {
    throw new ValidationError(
      `Expected revision for ${stream} must be ${ANY}, ${NO_STREAM}, ${STREAM_EXISTS} or a revision ≥ 0 (got ${expected}).`,
    );
  }
};

/** `actual` is the current revision, `undefined` for an absent or soft-deleted stream. */
export const checkExpectedRevision = (
  stream: string,
  expected: ExpectedRevision,
  actual: number | undefined,
): void => {
  const ok =
    expected === ANY ||
    (expected === NO_STREAM && actual === undefined) ||
    (expected === STREAM_EXISTS && actual !== undefined) ||
    expected === actual;
  if (!ok)
    throw new ConcurrencyError(
      stream,
      String(expected),
      actual === undefined ? NO_STREAM : String(actual),
    );
};

/**
 * What a retry must resend unchanged. The trace context is left out: a retry
 * runs in a span of its own (a redelivered event, a restarted saga), and it is
 * still the same event; the stored `traceparent` is the first attempt's.
 */
const payloadOf = (event: Pick<EventToAppend, 'type' | 'schemaVersion' | 'data' | 'metadata'>) => {
  const { traceparent: _traceparent, ...metadata } = callerMetadata(event.metadata);
  return canonicalJson({
    type: event.type,
    schemaVersion: event.schemaVersion,
    data: event.data,
    metadata,
  });
};

const reused = (eventId: string, why: string, details: Record<string, unknown>) =>
  new ConflictError(
    'EVENT_ID_REUSED',
    `Event id ${eventId} ${why}; a retry must resend the same events, a new event needs a new id.`,
    { eventId, ...details },
  );

/**
 * Decides whether an append to `stream` is a retry of one already stored.
 * `stored` holds, for each event of the append, the stored event with its id
 * (if any). Returns the stored events for a full retry, `undefined` when none
 * of the ids is stored, and throws `EVENT_ID_REUSED` for anything in between.
 */
export const matchRetry = (
  stream: string,
  events: readonly EventToAppend[],
  stored: readonly (RecordedEvent | undefined)[],
): readonly RecordedEvent[] | undefined => {
  if (stored.every((event) => event === undefined)) return undefined;
  return events.map((event, index) => {
    const original = stored[index];
    if (original === undefined) {
      throw reused(
        event.eventId,
        'is new while other events of the same append are already stored',
        {
          stream,
        },
      );
    }
    if (original.stream !== stream) {
      throw reused(event.eventId, `is already stored in stream ${original.stream}`, {
        stream,
        storedIn: original.stream,
      });
    }
    if (payloadOf(original) !== payloadOf(event)) {
      throw reused(event.eventId, `is already stored in ${stream} with a different payload`, {
        stream,
        revision: original.revision,
      });
    }
    return original;
  });
};

export const assertStreamMetadata = (stream: string, metadata: StreamMetadata): void => {
  const { truncateBefore, maxAgeSeconds } = metadata;
  if (
    truncateBefore !== undefined &&
    !(Number.isSafeInteger(truncateBefore) && truncateBefore >= 0)
  ) {
    throw new ValidationError(
      `truncateBefore of ${stream} must be a revision ≥ 0 (got ${truncateBefore}).`,
    );
  }
  if (
    maxAgeSeconds !== undefined &&
    !(Number.isInteger(maxAgeSeconds) && maxAgeSeconds > 0 && maxAgeSeconds <= 2 ** 31 - 1)
  ) {
    throw new ValidationError(
      `maxAgeSeconds of ${stream} must be a whole number of seconds > 0 (got ${maxAgeSeconds}).`,
    );
  }
};
