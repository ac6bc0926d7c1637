import { createHash } from 'node:crypto';
import type { Queryable } from '../postgres/pool.ts';
import { EVENT_COLUMNS, type EventRow } from '../eventStore/postgres/rows.ts';
import type { AuditSigner } from './signingKey.ts';

export const EXPORT_FORMAT = 'booking-ledger-audit-export/1';
const PAGE = 500;

interface StreamSpan {
  firstRevision: number;
  previousHash: string;
  lastRevision: number;
  lastHash: string;
}

/** One event line: exactly what the hash covers plus its position; key order is irrelevant to the hash. */
export const exportLine = (row: EventRow): string =>
  `${JSON.stringify({
    globalPosition: row.global_position,
    stream: row.stream_name,
    revision: Number(row.stream_revision),
    eventId: row.event_id,
    type: row.event_type,
    schemaVersion: row.schema_version,
    data: row.data,
    metadata: row.metadata,
  })}\n`;

/**
 * A signed export of the log from `fromPosition` (global position, inclusive),
 * at most `limit` events: JSON lines, then one line
 * `{"manifest":"<JSON text>","signature":"<base64 Ed25519 over that text>","keyId"}`.
 * The manifest names the range, sha256 of every byte before the last line, and
 * per stream the first previous hash and the last hash in the range (the chain
 * heads), plus each stream's head in the store. docs/audit.md has the procedure.
 */
export async function* signedExport(
  db: Queryable,
  signer: AuditSigner,
  fromPosition: bigint,
  limit: number,
): AsyncGenerator<string> {
  const body = createHash('sha256');
  const spans = new Map<string, StreamSpan>();
  let next = fromPosition;
  let count = 0;
  while (count < limit) {
    const { rows } = await db.query<EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM events WHERE global_position >= $1
       ORDER BY global_position LIMIT $2`,
      [next.toString(), Math.min(PAGE, limit - count)],
    );
    if (rows.length === 0) break;
    const lines: string[] = [];
    for (const row of rows) {
      const revision = Number(row.stream_revision);
      const span = spans.get(row.stream_name);
      const hash = String(row.metadata.hash);
      if (span === undefined) {
        spans.set(row.stream_name, {
          firstRevision: revision,
          previousHash: String(row.metadata.previousHash),
          lastRevision: revision,
          lastHash: hash,
        });
      } else {
        span.lastRevision = revision;
        span.lastHash = hash;
      }
      lines.push(exportLine(row));
      next = BigInt(row.global_position) + 1n;
    }
    count += rows.length;
    const chunk = lines.join('');
    body.update(chunk, 'utf8');
    yield chunk;
    if (rows.length < PAGE) break;
  }
  const names = [...spans.keys()].sort();
  const { rows: heads } =
    names.length === 0
      ? { rows: [] as { stream_name: string; revision: string; last_hash: string }[] }
      : await db.query<{ stream_name: string; revision: string; last_hash: string }>(
          `SELECT stream_name, revision::text AS revision, last_hash FROM streams
           WHERE stream_name = ANY($1::text[])`,
          [names],
        );
  const storeHeads = new Map(heads.map((h) => [h.stream_name, h]));
  const manifest = JSON.stringify({
    format: EXPORT_FORMAT,
    fromPosition: fromPosition.toString(),
    nextPosition: next.toString(),
    events: count,
    bodySha256: body.digest('hex'),
    keyId: signer.keyId,
    exportedAt: new Date().toISOString(),
    streams: names.map((stream) => {
      const head = storeHeads.get(stream);
      return {
        stream,
        ...spans.get(stream),
        storeHead: head ? { revision: Number(head.revision), hash: head.last_hash } : null,
      };
    }),
  });
  yield `${JSON.stringify({ manifest, signature: signer.sign(manifest), keyId: signer.keyId })}\n`;
}
