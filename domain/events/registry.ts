import type { z } from 'zod';
import { resourceEventDefinitions } from '../resource/events.ts';
import { slotEventDefinitions } from '../slot/events.ts';
import { RESERVATION_EVENTS } from '../reservation/events.ts';
import { PAYMENT_SAGA_EVENTS } from '../payment/sagaEvents.ts';
import { CALENDAR_EVENTS } from '../calendar/events.ts';
import { BOOKING_REFERENCE_EVENTS } from '../reservation/bookingReferenceClaim.ts';
import { GUEST_EVENTS } from '../guest/guestEvents.ts';
import { DomainError, ValidationError } from '../shared/errors.ts';
import type { DomainEvent, EventDefinition } from '../shared/eventDefinition.ts';

/**
 * The one upcaster registry: the only place stored events are read back.
 * Every event type is registered with its current schemaVersion and zod
 * schema; data stored under an older version is upcast step by step
 * (v1 → v2 → …) and then validated against the current schema.
 *
 * To register a module's events, add its definitions to EVENT_DEFINITIONS
 * below (one import line, one spread) — that also extends `StoredEvent`.
 */
export const EVENT_DEFINITIONS = [
  // ── registered event modules (keep one line per module) ──
  ...resourceEventDefinitions,
  ...slotEventDefinitions,
  ...RESERVATION_EVENTS,
  ...PAYMENT_SAGA_EVENTS,
  ...CALENDAR_EVENTS,
  ...BOOKING_REFERENCE_EVENTS,
  ...GUEST_EVENTS,
  // ── end of registered event modules ──
] as const;

type EventOf<D> = D extends EventDefinition<infer T, infer S> ? DomainEvent<T, z.infer<S>> : never;
/** Every event the registry can read. */
export type StoredEvent = EventOf<(typeof EVENT_DEFINITIONS)[number]>;
export type StoredEventType = StoredEvent['type'];

/** Turns data stored under `fromVersion` into the shape of `fromVersion + 1`. */
export type Upcaster = (data: unknown) => unknown;

/**
 * Upcasters by event type and the version they upgrade FROM. When an event's
 * shape changes: bump its schemaVersion, add `{ [oldVersion]: (data) => newData }`
 * here, and refresh the schema snapshot (see eventSchemas.unit.spec.ts).
 */
export const UPCASTERS: Readonly<Partial<Record<string, Readonly<Record<number, Upcaster>>>>> = {
  ReservationRequested: {
    // v1 recorded neither the guest's tax status nor the promo code: those
    // reservations were priced for a resident without a promo, so that is what they were.
    1: (data) => {
      const v1 = data as { guest?: Record<string, unknown> };
      return {
        ...v1,
        guest: { ...v1.guest, taxStatus: { citizenships: [], israeliVisa: null } },
        promoCode: null,
      };
    },
    // v2 did not record the cancellation policy: null says "the resource's policy", what those bookings were always refunded by.
    2: (data) => ({ ...(data as Record<string, unknown>), cancellationPolicy: null }),
    // v3 recorded no personal data at all (the API accepted the guest's name and dropped it).
    3: (data) => ({ ...(data as Record<string, unknown>), personalData: null }),
  },
};

interface Registration {
  readonly schemaVersion: number;
  readonly schema: z.ZodType;
  readonly upcasters: Readonly<Record<number, Upcaster>>;
}

const buildRegistry = (): ReadonlyMap<string, Registration> => {
  const registry = new Map<string, Registration>();
  for (const definition of EVENT_DEFINITIONS as readonly EventDefinition<string, z.ZodType>[]) {
    if (registry.has(definition.type)) {
      throw new ValidationError(
        `Event type ${definition.type} is registered twice; each type has one definition.`,
      );
    }
    registry.set(definition.type, {
      schemaVersion: definition.schemaVersion,
      schema: definition.schema,
      upcasters: UPCASTERS[definition.type] ?? {},
    });
  }
  return registry;
};

const REGISTRY = buildRegistry();

export const isRegisteredEventType = (type: string): type is StoredEventType => REGISTRY.has(type);

export const currentSchemaVersion = (type: string): number => {
  const registration = REGISTRY.get(type);
  if (!registration)
    throw new ValidationError(
      `Unknown event type "${type}"; register it in domain/events/registry.ts.`,
    );
  return registration.schemaVersion;
};

const issuesOf = (error: z.ZodError): string[] =>
  error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);

/**
 * An event that its own schema refuses, stopped before it reaches the log
 * (HTTP 422 EVENT_REJECTED): what the read side could not decode is never
 * appended.
 */
export class EventRejectedError extends DomainError {
  constructor(type: string, issues: readonly string[]) {
    super(
      'EVENT_REJECTED',
      `The ${type} event this request would record does not match its schema (${issues.join('; ')}); nothing was recorded.`,
      { type, issues },
    );
  }
}

/**
 * Writes an event: validates `data` with the very schema `parseStoredEvent`
 * reads it with (current version) and returns what to store. The one check on
 * the append path; anything refused here would have been unreadable.
 */
export const encodeEvent = (
  type: string,
  data: unknown,
): { schemaVersion: number; data: unknown } => {
  const registration = REGISTRY.get(type);
  if (!registration) throw new EventRejectedError(type, [`unknown event type "${type}"`]);
  let parsed: ReturnType<z.ZodType['safeParse']>;
  try {
    parsed = registration.schema.safeParse(data);
  } catch (error) {
    // A refinement that throws instead of reporting an issue is still a refusal.
    throw new EventRejectedError(type, [error instanceof Error ? error.message : String(error)]);
  }
  if (!parsed.success) throw new EventRejectedError(type, issuesOf(parsed.error));
  return { schemaVersion: registration.schemaVersion, data: parsed.data };
};

/**
 * Reads a stored event: upcasts `data` from `schemaVersion` to the current
 * version, validates it with zod and returns the typed event. Unknown types,
 * versions from the future, missing upcasters and invalid data are
 * ValidationErrors naming the event.
 */
export const parseStoredEvent = (
  type: string,
  schemaVersion: number,
  data: unknown,
): StoredEvent => {
  const registration = REGISTRY.get(type);
  if (!registration) {
    throw new ValidationError(
      `Unknown event type "${type}"; register it in domain/events/registry.ts.`,
      { type },
    );
  }
  if (
    !Number.isInteger(schemaVersion) ||
    schemaVersion < 1 ||
    schemaVersion > registration.schemaVersion
  ) {
    throw new ValidationError(
      `Event ${type} has schemaVersion ${schemaVersion}, but this code reads versions 1–${registration.schemaVersion}.`,
      { type, schemaVersion },
    );
  }
  let current = data;
  for (let version = schemaVersion; version < registration.schemaVersion; version++) {
    const upcast = registration.upcasters[version];
    if (!upcast) {
      throw new ValidationError(
        `No upcaster for ${type} from version ${version}; add one to UPCASTERS.`,
        { type, version },
      );
    }
    current = upcast(current);
  }
  const parsed = registration.schema.safeParse(current);
  if (!parsed.success) {
    const issues = issuesOf(parsed.error);
    throw new ValidationError(
      `Stored event ${type} v${schemaVersion} does not match its schema: ${issues.join('; ')}.`,
      {
        type,
        schemaVersion,
        issues,
      },
    );
  }
  // The schema registered under `type` is the one that defines this member of StoredEvent.
  return { type, data: parsed.data } as StoredEvent;
};

/** Registered definitions, for tooling (schema snapshots, OpenAPI). */
export const registeredEventDefinitions = (): readonly EventDefinition<string, z.ZodType>[] =>
  EVENT_DEFINITIONS;
