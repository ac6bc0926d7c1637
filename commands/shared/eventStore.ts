import type { Observable } from 'rxjs';

/**
 * The EventStore port (DESIGN.md "The event store"). Declared here, beside its
 * callers; infra/ implements it for PostgreSQL (default), in memory (fast
 * handler tests) and EventStoreDB.
 */

export const ANY = 'any';
export const NO_STREAM = 'no_stream';
export const STREAM_EXISTS = 'stream_exists';

/** `any` skips the check; `no_stream` / `stream_exists` test existence; a number is the exact current revision (0-based, the last event's revision). */
export type ExpectedRevision = typeof ANY | typeof NO_STREAM | typeof STREAM_EXISTS | number;

export type Role = 'guest' | 'vendor' | 'partner' | 'admin' | 'auditor' | 'analyst' | 'system';

export interface Actor {
  readonly principal: string;
  readonly role: Role;
}

/** Metadata a caller may attach; the store adds `recordedAt` and the hash chain. */
export interface EventMetadata {
  readonly correlationId?: string;
  readonly causationId?: string;
  readonly actor?: Actor;
  readonly idempotencyKey?: string;
  readonly traceparent?: string;
  readonly [key: string]: unknown;
}

export interface RecordedMetadata extends EventMetadata {
  /** ISO-8601 instant the store recorded the event. */
  readonly recordedAt: string;
  /** sha256 hex of (previous event's hash in this stream + canonical event). */
  readonly hash: string;
  /** The previous event's hash in this stream, or the empty string for revision 0. */
  readonly previousHash: string;
}

/** An event to append. `eventId` is made by the client (UUID) so retries are idempotent. */
export interface EventToAppend {
  readonly eventId: string;
  readonly type: string;
  readonly schemaVersion: number;
  readonly data: unknown;
  readonly metadata?: EventMetadata;
}

export interface RecordedEvent {
  readonly eventId: string;
  readonly type: string;
  readonly schemaVersion: number;
  readonly data: unknown;
  readonly metadata: RecordedMetadata;
  readonly stream: string;
  /** 0-based revision within the stream. */
  readonly revision: number;
  /** Global position in the log (monotonic per store, not necessarily commit order). */
  readonly globalPosition: bigint;
  /** Opaque, store-specific point after this event in delivery order; compare with `store.comparePositions`. */
  readonly checkpoint: Checkpoint;
}

/** Opaque position token. Postgres: `"<transaction_id>:<global_position>"`. */
export type Checkpoint = string;

export interface StreamAppend {
  readonly stream: string;
  readonly expectedRevision: ExpectedRevision;
  readonly events: readonly EventToAppend[];
}

export interface AppendResult {
  /** Per stream, the revision of its last event after the append. */
  readonly streams: readonly { readonly stream: string; readonly revision: number }[];
  /** The log position reached: reads that wait for it (X-Min-Position) see this write. */
  readonly position: Checkpoint;
}

export interface ReadStreamOptions {
  /** Default: 0 forwards, the last revision backwards. */
  readonly fromRevision?: number;
  readonly direction?: 'forwards' | 'backwards';
  readonly maxCount?: number;
}

export interface EventFilter {
  /** Stream categories (the part of the stream name before the first `-`). */
  readonly categories?: readonly string[];
  readonly eventTypes?: readonly string[];
}

export interface ReadAllOptions {
  /** Exclusive: events after this checkpoint. Default: the beginning. */
  readonly from?: Checkpoint;
  readonly maxCount?: number;
  readonly filter?: EventFilter;
}

export interface SubscribeOptions {
  /** Exclusive checkpoint to resume after; default the beginning of the log. */
  readonly from?: Checkpoint;
  readonly filter?: EventFilter;
}

export interface StreamMetadata {
  /** Events with a revision below this are no longer readable. */
  readonly truncateBefore?: number;
  /** Events older than this many seconds are no longer readable. */
  readonly maxAgeSeconds?: number;
}

export interface StreamWithRevision {
  /** What `readStream(stream)` returns. */
  readonly events: readonly RecordedEvent[];
  /** What `streamRevision(stream)` returns, at the same moment as `events`. */
  readonly revision: number | undefined;
}

export interface StoreCapabilities {
  /** Whether `append` of several streams is one atomic transaction. When false, use the ordered-claim path. */
  readonly atomicMultiStreamAppend: boolean;
}

export interface EventStore {
  readonly capabilities: StoreCapabilities;
  append(streams: readonly StreamAppend[]): Promise<AppendResult>;
  /** Events of one stream; an absent or deleted stream reads as `[]`. */
  readStream(stream: string, options?: ReadStreamOptions): Promise<readonly RecordedEvent[]>;
  /** The stream's current revision, or `undefined` when it does not exist. */
  streamRevision(stream: string): Promise<number | undefined>;
  /**
   * Optional: `readStream(stream)` and `streamRevision(stream)` answered from one
   * snapshot (one round trip for a database). Stores without it are read with
   * `streamRevision` first, then `readStream`.
   */
  readStreamWithRevision?(stream: string): Promise<StreamWithRevision>;
  /**
   * Optional: `readStreamWithRevision` of several streams at once, keyed by
   * stream name (every stream asked for is in the map, an absent one with no
   * events and no revision). A database answers from one snapshot in one round
   * trip. A command's load reads every stream it decides on with one call
   * (a hold: the resource and each slot).
   */
  readStreams?(streams: readonly string[]): Promise<ReadonlyMap<string, StreamWithRevision>>;
  readAll(options?: ReadAllOptions): Promise<readonly RecordedEvent[]>;
  /** Catch-up then live; never skips, never reorders within a stream; resubscribes after connection loss. */
  subscribe(options?: SubscribeOptions): Observable<RecordedEvent>;
  /** Soft delete: the stream reads as empty; appending with `no_stream`/`any` starts it again at the next revision (ESDB semantics). */
  deleteStream(stream: string, expectedRevision?: ExpectedRevision): Promise<void>;
  setStreamMetadata(stream: string, metadata: StreamMetadata): Promise<void>;
  getStreamMetadata(stream: string): Promise<StreamMetadata>;
  /** Total order of checkpoints in delivery order: negative, zero or positive. */
  comparePositions(a: Checkpoint, b: Checkpoint): number;
  /** The current head of the log in delivery order (what a caught-up subscriber has reached). */
  headPosition(): Promise<Checkpoint | undefined>;
}

export const categoryOf = (stream: string): string => {
  const dash = stream.indexOf('-');
  return dash === -1 ? stream : stream.slice(0, dash);
};
