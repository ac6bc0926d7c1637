import {
  eventTypeFilter,
  excludeSystemEvents,
  jsonEvent,
  streamNameFilter,
  type AllStreamResolvedEvent,
  type EventData,
  type Filter,
  type JSONType,
  type Position,
  type ResolvedEvent,
} from '@eventstore/db-client';
import {
  categoryOf,
  type EventFilter,
  type EventToAppend,
  type RecordedEvent,
  type RecordedMetadata,
} from '../../../commands/shared/eventStore.ts';
import { toCheckpoint } from './mapping.ts';

/**
 * ESDB has no column for our schema version, so it travels in the event's
 * metadata under this key and is lifted out again on read.
 */
export const SCHEMA_VERSION_KEY = 'schemaVersion';

export const toEventData = (event: EventToAppend, metadata: RecordedMetadata): EventData =>
  jsonEvent({
    id: event.eventId,
    type: event.type,
    // The client serialises with JSON.stringify, which accepts any JSON value.
    data: event.data as JSONType,
    metadata: { ...metadata, [SCHEMA_VERSION_KEY]: event.schemaVersion },
  });

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' &&
  value !== null &&
  !Array.isArray(value) &&
  !(value instanceof Uint8Array);

/** Streams and event types starting with `$` belong to the server (metadata, links, stats). */
export const isSystemName = (name: string): boolean => name.startsWith('$');

/**
 * A resolved event from the client → our RecordedEvent; `undefined` for
 * system events and links, which the port never exposes.
 */
export const toRecordedEvent = (
  resolved: ResolvedEvent | AllStreamResolvedEvent,
): RecordedEvent | undefined => {
  const event = resolved.event;
  if (!event || resolved.link || isSystemName(event.streamId) || isSystemName(event.type)) {
    return undefined;
  }
  const position: Position | undefined =
    event.position ??
    (resolved.commitPosition === undefined
      ? undefined
      : { commit: resolved.commitPosition, prepare: resolved.commitPosition });
  if (!position) {
    throw new Error(
      `EventStoreDB returned event ${event.id} of ${event.streamId} without a log position; the adapter needs EventStoreDB 22.6 or later.`,
    );
  }
  const { [SCHEMA_VERSION_KEY]: schemaVersion, ...metadata } = isRecord(event.metadata)
    ? event.metadata
    : {};
  return {
    eventId: event.id,
    type: event.type,
    schemaVersion: typeof schemaVersion === 'number' ? schemaVersion : 1,
    data: event.isJson ? event.data : Buffer.from(event.data).toString('base64'),
    metadata: {
      recordedAt: event.created.toISOString(),
      hash: '',
      previousHash: '',
      ...metadata,
    },
    stream: event.streamId,
    revision: Number(event.revision),
    globalPosition: position.commit,
    checkpoint: toCheckpoint(position),
  };
};

export const matchesFilter = (filter: EventFilter | undefined, event: RecordedEvent): boolean =>
  (!filter?.categories || filter.categories.includes(categoryOf(event.stream))) &&
  (!filter?.eventTypes || filter.eventTypes.includes(event.type));

const escapeRegex = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The server-side part of a filter (ESDB takes one filter per subscription):
 * categories if given, else event types, else just "no system events". The
 * client re-applies the whole filter, so combining both stays correct.
 */
export const toServerFilter = (filter: EventFilter | undefined): Filter => {
  if (filter?.categories) {
    const names = filter.categories.map(escapeRegex).join('|');
    return streamNameFilter({ regex: `^(?:${names})(?:-|$)` });
  }
  if (filter?.eventTypes) {
    const names = filter.eventTypes.map(escapeRegex).join('|');
    return eventTypeFilter({ regex: `^(?:${names})$` });
  }
  return excludeSystemEvents();
};
