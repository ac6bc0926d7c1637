import { createHash } from 'node:crypto';
import type {
  EventMetadata,
  EventToAppend,
  RecordedEvent,
  RecordedMetadata,
} from '../../commands/shared/eventStore.ts';

/**
 * The per-stream tamper-evident hash chain (DESIGN.md "Audit"), shared by every
 * adapter so an auditor verifies any store with the same code:
 * `hash = sha256hex(previousHash + canonicalJson(event))`, where the canonical
 * event covers stream, revision, eventId, type, schemaVersion, data and the
 * stored metadata minus the two hash fields (so `recordedAt` is covered too).
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/**
 * The value as it comes back from any JSON store: `undefined` members dropped,
 * dates as strings. Hashing this form keeps append-time and read-time hashes equal.
 */
export const toJsonValue = (value: unknown): Json => {
  const text = JSON.stringify(value);
  if (text === undefined) {
    throw new TypeError('Event data and metadata must be JSON-serialisable (got undefined).');
  }
  return JSON.parse(text) as Json;
};

const sortKeys = (value: Json): Json => {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  const sorted: { [key: string]: Json } = {};
  for (const key of Object.keys(value).sort()) {
    const member = value[key];
    if (member !== undefined) sorted[key] = sortKeys(member);
  }
  return sorted;
};

/** JSON with object keys sorted at every depth and no whitespace. */
export const canonicalJson = (value: unknown): string =>
  JSON.stringify(sortKeys(toJsonValue(value)));

export const sha256hex = (text: string): string =>
  createHash('sha256').update(text, 'utf8').digest('hex');

const HASH_FIELDS = new Set(['hash', 'previousHash']);

/** Metadata without the hash fields: what the hash covers. */
export const withoutHashFields = (metadata: EventMetadata): EventMetadata =>
  Object.fromEntries(Object.entries(metadata).filter(([key]) => !HASH_FIELDS.has(key)));

/** Store-owned metadata keys a caller cannot set; stripped before comparing payloads. */
const STORE_FIELDS = new Set([...HASH_FIELDS, 'recordedAt']);

export const callerMetadata = (metadata: EventMetadata | undefined): EventMetadata =>
  Object.fromEntries(Object.entries(metadata ?? {}).filter(([key]) => !STORE_FIELDS.has(key)));

export interface HashedEventFields {
  readonly stream: string;
  readonly revision: number;
  readonly eventId: string;
  readonly type: string;
  readonly schemaVersion: number;
  readonly data: unknown;
  readonly metadata: EventMetadata;
}

export const computeEventHash = (previousHash: string, event: HashedEventFields): string =>
  sha256hex(
    previousHash +
      canonicalJson({
        stream: event.stream,
        revision: event.revision,
        eventId: event.eventId,
        type: event.type,
        schemaVersion: event.schemaVersion,
        data: event.data,
        metadata: withoutHashFields(event.metadata),
      }),
  );

export interface ChainedEvent {
  readonly eventId: string;
  readonly type: string;
  readonly schemaVersion: number;
  /** Normalised as a JSON store returns it. */
  readonly data: Json;
  readonly revision: number;
  readonly metadata: RecordedMetadata;
}

/**
 * Links events about to be appended to `stream` after `previousHash`, the first
 * one at `firstRevision`; every event gets the same `recordedAt`.
 */
export const chainEvents = (
  stream: string,
  firstRevision: number,
  previousHash: string,
  recordedAt: string,
  events: readonly EventToAppend[],
): { readonly events: readonly ChainedEvent[]; readonly lastHash: string } => {
  let link = previousHash;
  const chained = events.map((event, index): ChainedEvent => {
    const data = toJsonValue(event.data);
    const metadata = { ...(toJsonValue(callerMetadata(event.metadata)) as object), recordedAt };
    const revision = firstRevision + index;
    const fields = { ...event, stream, revision, data, metadata };
    const hash = computeEventHash(link, fields);
    const recorded = { ...metadata, previousHash: link, hash };
    link = hash;
    return {
      eventId: event.eventId,
      type: event.type,
      schemaVersion: event.schemaVersion,
      data,
      revision,
      metadata: recorded,
    };
  });
  return { events: chained, lastHash: link };
};

export type ChainVerification =
  | { readonly ok: true; readonly checked: number }
  | {
      readonly ok: false;
      readonly stream: string;
      readonly revision: number;
      readonly eventId: string;
      readonly reason: string;
    };

/**
 * Incremental verifier for logs too large to hold in memory. Feed each stream's
 * events in revision order (streams may interleave); the first broken event wins.
 */
export const createChainVerifier = () => {
  const lastByStream = new Map<string, { revision: number; hash: string }>();
  let checked = 0;
  let failure: ChainVerification | undefined;
  const fail = (event: RecordedEvent, reason: string): false => {
    failure = {
      ok: false,
      stream: event.stream,
      revision: event.revision,
      eventId: event.eventId,
      reason,
    };
    return false;
  };
  return {
    /** Returns false once a break has been found (later events are ignored). */
    push(event: RecordedEvent): boolean {
      if (failure) return false;
      const previous = lastByStream.get(event.stream) ?? { revision: -1, hash: '' };
      if (event.revision !== previous.revision + 1) {
        return fail(
          event,
          `expected revision ${previous.revision + 1} next, found ${event.revision}: an event is missing`,
        );
      }
      if (event.metadata.previousHash !== previous.hash) {
        return fail(
          event,
          `previousHash does not match the hash of revision ${previous.revision}: the chain is broken`,
        );
      }
      if (computeEventHash(previous.hash, event) !== event.metadata.hash) {
        return fail(
          event,
          'the stored hash does not match the event content: the event was altered',
        );
      }
      lastByStream.set(event.stream, { revision: event.revision, hash: event.metadata.hash });
      checked += 1;
      return true;
    },
    /** The last verified event per stream (to compare with a store's own record of its head). */
    last(stream: string): { readonly revision: number; readonly hash: string } | undefined {
      return lastByStream.get(stream);
    },
    result(): ChainVerification {
      return failure ?? { ok: true, checked };
    },
  };
};

/** Verifies complete streams (each from revision 0, in revision order); names the first broken event. */
export const verifyChain = (events: Iterable<RecordedEvent>): ChainVerification => {
  const verifier = createChainVerifier();
  for (const event of events) {
    if (!verifier.push(event)) break;
  }
  return verifier.result();
};
