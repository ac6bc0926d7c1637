import type { z } from 'zod';
import type { RecordedEvent } from '../../commands/shared/eventStore.ts';
import { isRegisteredEventType, parseStoredEvent } from '../../domain/events/registry.ts';
import { ValidationError } from '../../domain/shared/errors.ts';
import type { DomainEvent, EventDefinition } from '../../domain/shared/eventDefinition.ts';

export type EventOf<D> =
  D extends EventDefinition<infer T, infer S> ? DomainEvent<T, z.infer<S>> : never;

/**
 * Reads a stored event as one of `definitions`, or `undefined` when its type
 * is not one of them. The upcaster registry reads every type registered there
 * (the one place old versions are read); modules not registered yet are read
 * with their own schema at its current version only.
 */
export const decodeEvent = <D extends EventDefinition<string, z.ZodType>>(
  definitions: readonly D[],
  event: RecordedEvent,
): EventOf<D> | undefined => {
  const definition = definitions.find((d) => d.type === event.type);
  if (definition === undefined) return undefined;
  if (isRegisteredEventType(event.type)) {
    // The registry validated it against the schema registered under this type.
    return parseStoredEvent(event.type, event.schemaVersion, event.data) as EventOf<D>;
  }
  if (event.schemaVersion !== definition.schemaVersion) {
    throw new ValidationError(
      `Event ${event.type} v${event.schemaVersion} has no upcaster; register its module in domain/events/registry.ts.`,
    );
  }
  const parsed = definition.schema.safeParse(event.data);
  if (!parsed.success) {
    throw new ValidationError(
      `Stored event ${event.type} at ${event.stream}@${event.revision} does not match its schema: ${parsed.error.message}`,
    );
  }
  return { type: event.type, data: parsed.data } as EventOf<D>;
};
