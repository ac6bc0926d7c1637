import type { z } from 'zod';

/**
 * A domain event type: its name, current schema version and zod schema.
 * Events are stored with `schemaVersion`; `domain/events/registry.ts` is the
 * only place that reads older versions (through upcasters).
 */
export interface EventDefinition<Type extends string, Schema extends z.ZodType> {
  readonly type: Type;
  readonly schemaVersion: number;
  readonly schema: Schema;
}

export const defineEvent = <Type extends string, Schema extends z.ZodType>(
  type: Type,
  schemaVersion: number,
  schema: Schema,
): EventDefinition<Type, Schema> => ({ type, schemaVersion, schema });

/** A domain event as deciders see it: a type tag plus its data. */
export interface DomainEvent<Type extends string = string, Data = unknown> {
  readonly type: Type;
  readonly data: Data;
}
