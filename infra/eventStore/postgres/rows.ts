import type { RecordedEvent, RecordedMetadata } from '../../../commands/shared/eventStore.ts';

/** The columns every event read selects, in this order. */
export const EVENT_COLUMNS = `global_position, transaction_id::text AS transaction_id, stream_name,
  stream_revision, event_id, event_type, schema_version, data, metadata, recorded_at`;

export interface EventRow {
  readonly global_position: string;
  readonly transaction_id: string;
  readonly stream_name: string;
  readonly stream_revision: string;
  readonly event_id: string;
  readonly event_type: string;
  readonly schema_version: number;
  readonly data: unknown;
  readonly metadata: RecordedMetadata;
  readonly recorded_at: Date;
}

/** Checkpoint format of the Postgres store: `"<transaction_id>:<global_position>"`. */
export const toCheckpoint = (
  transactionId: string | bigint,
  globalPosition: string | bigint,
): string => `${transactionId}:${globalPosition}`;

export const parseCheckpoint = (
  checkpoint: string,
): { transactionId: bigint; globalPosition: bigint } => {
  const match = /^(\d{1,20}):(\d{1,20})$/.exec(checkpoint);
  if (!match?.[1] || !match[2]) {
    throw new Error(
      `Invalid checkpoint "${checkpoint}": expected "<transaction_id>:<global_position>".`,
    );
  }
  return { transactionId: BigInt(match[1]), globalPosition: BigInt(match[2]) };
};

export const toRecordedEvent = (row: EventRow): RecordedEvent => ({
  eventId: row.event_id,
  type: row.event_type,
  schemaVersion: row.schema_version,
  data: row.data,
  metadata: row.metadata,
  stream: row.stream_name,
  revision: Number(row.stream_revision),
  globalPosition: BigInt(row.global_position),
  checkpoint: toCheckpoint(row.transaction_id, row.global_position),
});
