import type { DomainEvent } from '../../domain/shared/eventDefinition.ts';
import {
  currentSchemaVersion,
  encodeEvent,
  parseStoredEvent,
} from '../../domain/events/registry.ts';
import type { EventMetadata, EventToAppend, RecordedEvent } from './eventStore.ts';
import type { IdGenerator } from './ports.ts';

/**
 * Turns domain events into storable ones and back, with the same schemas both
 * ways. Decoding goes through the domain's upcaster registry, the only place
 * older schema versions are read.
 */
export interface EventCodec {
  /** The schema version new events of this type are written with. */
  schemaVersionOf(type: string): number;
  /**
   * Validates a new event with the schema `decode` reads it with and returns
   * what to store; throws (EventRejectedError) for anything `decode` would refuse.
   */
  encode(type: string, data: unknown): { schemaVersion: number; data: unknown };
  /** Validates stored data (upcasting old versions) into a domain event. */
  decode(type: string, schemaVersion: number, data: unknown): DomainEvent;
}

export const toEventsToAppend = (
  codec: EventCodec,
  ids: IdGenerator,
  events: readonly DomainEvent[],
  metadata: EventMetadata,
): EventToAppend[] =>
  events.map((event) => {
    const encoded = codec.encode(event.type, event.data);
    return {
      eventId: ids.uuid(),
      type: event.type,
      schemaVersion: encoded.schemaVersion,
      data: encoded.data,
      metadata,
    };
  });

export const decodeRecorded = (codec: EventCodec, recorded: RecordedEvent): DomainEvent =>
  codec.decode(recorded.type, recorded.schemaVersion, recorded.data);

/** The codec of this system's events: the domain's upcaster registry. */
export const domainEventCodec: EventCodec = {
  schemaVersionOf: currentSchemaVersion,
  encode: encodeEvent,
  decode: parseStoredEvent,
};
