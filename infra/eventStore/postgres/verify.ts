import type { Queryable } from '../../postgres/pool.ts';
import { createChainVerifier, type ChainVerification } from '../hashChain.ts';
import { EVENT_COLUMNS, toRecordedEvent, type EventRow } from './rows.ts';

/**
 * Audit of the Postgres log's hash chain (DESIGN.md "Audit"). It reads the
 * events table itself, ignoring soft delete and truncation, because an auditor
 * verifies what is stored, not what readers are shown.
 */

export interface VerifyOptions {
  /** Rows fetched per query while walking. Default 1000. */
  readonly batchSize?: number;
  /** Called after each batch with the events verified so far (audit jobs report progress). */
  readonly onProgress?: (checked: number) => Promise<void> | void;
}

interface Scope {
  /** Condition on `stream_name`, parameters from $1. */
  readonly where: string;
  readonly params: readonly unknown[];
}

const walk = async (
  db: Queryable,
  scope: Scope,
  options: VerifyOptions,
): Promise<ChainVerification> => {
  const batchSize = options.batchSize ?? 1000;
  const verifier = createChainVerifier();
  let seen = 0;
  const n = scope.params.length;
  let after = { stream: '', revision: '-1' };
  for (;;) {
    const { rows } = await db.query<EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM events
       WHERE ${scope.where} AND (stream_name, stream_revision) > ($${n + 1}::text, $${n + 2}::bigint)
       ORDER BY stream_name, stream_revision LIMIT $${n + 3}`,
      [...scope.params, after.stream, after.revision, batchSize],
    );
    for (const row of rows) {
      if (!verifier.push(toRecordedEvent(row))) return verifier.result();
    }
    seen += rows.length;
    await options.onProgress?.(seen);
    const last = rows[rows.length - 1];
    if (last === undefined || rows.length < batchSize) break;
    after = { stream: last.stream_name, revision: last.stream_revision };
  }
  return checkHeads(db, scope, verifier);
};

// Deleting a stream's newest events leaves an intact chain; the stream head,
// written in the same transaction as every append, exposes it.
const checkHeads = async (
  db: Queryable,
  scope: Scope,
  verifier: ReturnType<typeof createChainVerifier>,
): Promise<ChainVerification> => {
  const { rows } = await db.query<{ stream_name: string; revision: string; last_hash: string }>(
    `SELECT stream_name, revision::text AS revision, last_hash FROM streams
     WHERE ${scope.where} AND revision >= 0 ORDER BY stream_name`,
    [...scope.params],
  );
  for (const head of rows) {
    const verified = verifier.last(head.stream_name);
    if (verified?.revision !== Number(head.revision) || verified.hash !== head.last_hash) {
      return {
        ok: false,
        stream: head.stream_name,
        revision: (verified?.revision ?? -1) + 1,
        eventId: '',
        reason: `the stream head is at revision ${head.revision} but the stored events end at ${verified?.revision ?? 'none'} or hash differently: events were removed`,
      };
    }
  }
  return verifier.result();
};

/** Verifies one stream's chain from revision 0; names the first broken event. */
export const verifyStream = (
  db: Queryable,
  stream: string,
  options: VerifyOptions = {},
): Promise<ChainVerification> => walk(db, { where: 'stream_name = $1', params: [stream] }, options);

/** Walks every stream of the log; reports the first broken event in (stream, revision) order. */
export const verifyLog = (db: Queryable, options: VerifyOptions = {}): Promise<ChainVerification> =>
  walk(db, { where: 'true', params: [] }, options);
