import { categoryOf, type StreamAppend } from '../../../commands/shared/eventStore.ts';
import { callerMetadata, canonicalJson, toJsonValue } from '../hashChain.ts';

/**
 * The SQL side of `append` (postgresAppend.ts): one call of the function of
 * migration 003, a single autocommit statement, prepared once per connection.
 * The migration explains the locking, the outcomes and why the hash is computed
 * in the database from pieces made here.
 */
export const APPEND_EVENTS = {
  name: 'booking_ledger_append_events_v1',
  text: `SELECT outcome, revisions::text[] AS revisions, last_transaction_id, last_global_position, stored
         FROM append_events($1::text[], $2::text[], $3::text[], $4::text[], $5::int[], $6::uuid[],
                            $7::text[], $8::int[], $9::jsonb[], $10::jsonb[], $11::text[],
                            $12::text[], $13::text[], $14::boolean)`,
} as const;

export interface AppendOutcomeRow {
  readonly outcome: 'ok' | 'check';
  /** ok: each stream's new revision; check: the actual revision, null for none or deleted. */
  readonly revisions: readonly (string | null)[];
  readonly last_transaction_id: string | null;
  readonly last_global_position: string | null;
  /** check: the stored events carrying the append's ids, as `EventRow`s. */
  readonly stored: readonly unknown[] | null;
}

/** Many calls of `append_events` in one statement: migration 105 (group commit). */
export const APPEND_EVENTS_BATCH = {
  name: 'booking_ledger_append_events_batch_v1',
  text: `SELECT call_index, outcome, revisions::text[] AS revisions, last_transaction_id,
                last_global_position, stored
         FROM append_events_batch($1::text[], $2::int[], $3::int[], $4::boolean[], $5::text[],
                                  $6::text[], $7::text[], $8::int[], $9::uuid[], $10::text[],
                                  $11::int[], $12::jsonb[], $13::jsonb[], $14::text[],
                                  $15::text[], $16::text[])`,
} as const;

export type BatchOutcomeRow =
  | (AppendOutcomeRow & {
      /** 1-based place of the call in the batch. */
      readonly call_index: number;
    })
  | { readonly call_index: number; readonly outcome: 'skipped' };

/** The same per-stream lock for writers of stream heads outside `append` (deleteStream). */
export const LOCK_ONE_STREAM = `SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`;

const RECORDED_AT = 'recordedAt';

/**
 * An event's canonical JSON as `computeEventHash` (hashChain.ts) builds it,
 * cut around the two values only the database knows: `recordedAt` (inside
 * metadata) and `revision`. The database hashes
 * `previousHash + head + recordedAt + middle + revision + tail`.
 * `JSON.stringify` of a key-sorted object is `{` + `"key":value` joined by
 * commas + `}` in the object's own key order, which puts integer-like keys
 * first: the order is taken from such an object, not from the sort alone.
 */
export const toHashPieces = (
  stream: string,
  event: StreamAppend['events'][number],
): { head: string; middle: string; tail: string } => {
  const metadata = toJsonValue(callerMetadata(event.metadata)) as Record<string, unknown>;
  const order: Record<string, true> = {};
  for (const key of [...Object.keys(metadata), RECORDED_AT].sort()) order[key] = true;
  const members = Object.keys(order).map((key) =>
    key === RECORDED_AT ? undefined : `${JSON.stringify(key)}:${canonicalJson(metadata[key])}`,
  );
  const at = members.indexOf(undefined);
  const before = members.slice(0, at).join(',');
  const after = members.slice(at + 1).join(',');
  return {
    head:
      `{"data":${canonicalJson(event.data)},"eventId":${JSON.stringify(event.eventId)},` +
      `"metadata":{${before}${before === '' ? '' : ','}"${RECORDED_AT}":"`,
    middle: `"${after === '' ? '' : ','}${after}},"revision":`,
    tail:
      `,"schemaVersion":${JSON.stringify(event.schemaVersion)},"stream":${JSON.stringify(stream)},` +
      `"type":${JSON.stringify(event.type)}}`,
  };
};

/** The parameters of `APPEND_EVENTS` for `requests` (validated), in the caller's order. */
export const toAppendParams = (
  requests: readonly StreamAppend[],
  lookUpIds: boolean,
): unknown[] => {
  const events = requests.flatMap((request) =>
    request.events.map((event) => ({ event, pieces: toHashPieces(request.stream, event) })),
  );
  return [
    requests.map((request) => request.stream).sort(),
    requests.map((request) => request.stream),
    requests.map((request) => categoryOf(request.stream)),
    requests.map((request) => String(request.expectedRevision)),
    requests.map((request) => request.events.length),
    events.map(({ event }) => event.eventId),
    events.map(({ event }) => event.type),
    events.map(({ event }) => event.schemaVersion),
    events.map(({ event }) => JSON.stringify(toJsonValue(event.data))),
    events.map(({ event }) => JSON.stringify(callerMetadata(event.metadata))),
    events.map(({ pieces }) => pieces.head),
    events.map(({ pieces }) => pieces.middle),
    events.map(({ pieces }) => pieces.tail),
    lookUpIds,
  ];
};

/** One call of a batch: its streams (validated) and whether its stored ids must come back. */
export interface BatchCall {
  readonly requests: readonly StreamAppend[];
  readonly lookUpIds: boolean;
}

/** The parameters of `APPEND_EVENTS_BATCH`: every call's `toAppendParams`, concatenated. */
export const toBatchParams = (calls: readonly BatchCall[]): unknown[] => {
  const lockOrder = [
    ...new Set(calls.flatMap((call) => call.requests.map((request) => request.stream))),
  ].sort();
  const columns: unknown[][] = Array.from({ length: 12 }, () => []);
  for (const call of calls) {
    const params = toAppendParams(call.requests, false);
    for (let column = 0; column < 12; column += 1) {
      columns[column]!.push(...(params[column + 1] as unknown[]));
    }
  }
  return [
    lockOrder,
    calls.map((call) => call.requests.length),
    calls.map((call) => call.requests.reduce((sum, request) => sum + request.events.length, 0)),
    calls.map((call) => call.lookUpIds),
    ...columns,
  ];
};
