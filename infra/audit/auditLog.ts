import { domainEventCodec } from '../../commands/shared/eventCodec.ts';
import type { EventStore } from '../../commands/shared/eventStore.ts';
import type { AuditEvent, AuditLog } from '../../queries/auditing/ports.ts';
import { EVENT_COLUMNS, type EventRow } from '../eventStore/postgres/rows.ts';
import type { Pool } from '../postgres/pool.ts';
import { signedExport } from './signedExport.ts';
import type { AuditSigner } from './signingKey.ts';
import { stateAsOf } from './stateAsOf.ts';
import { createVerifyJobs } from './verifyJobs.ts';

const toAuditEvent = (row: EventRow): AuditEvent => ({
  stream: row.stream_name,
  revision: Number(row.stream_revision),
  globalPosition: row.global_position,
  eventId: row.event_id,
  type: row.event_type,
  schemaVersion: row.schema_version,
  recordedAt: String(row.metadata.recordedAt ?? row.recorded_at.toISOString()),
  hash: String(row.metadata.hash),
  previousHash: String(row.metadata.previousHash),
  data: row.data,
  metadata: row.metadata,
});

/** The audit API's view of the PostgreSQL log: the events table as stored. */
export const getPostgresAuditLog = (deps: {
  readonly pool: Pool;
  readonly store: EventStore;
  readonly signer: AuditSigner;
}): AuditLog => {
  const jobs = createVerifyJobs(deps.pool);
  return {
    streamExists: async (stream) => {
      const { rows } = await deps.pool.query(
        'SELECT 1 FROM events WHERE stream_name = $1 LIMIT 1',
        [stream],
      );
      return rows.length > 0;
    },
    readEvents: async (stream, fromRevision, limit) => {
      const { rows } = await deps.pool.query<EventRow>(
        `SELECT ${EVENT_COLUMNS} FROM events WHERE stream_name = $1 AND stream_revision >= $2
         ORDER BY stream_revision LIMIT $3`,
        [stream, fromRevision, limit],
      );
      return rows.map(toAuditEvent);
    },
    stateAsOf: (stream, asOf) => stateAsOf(deps.store, domainEventCodec, stream, asOf),
    startVerify: (stream, startedBy) => jobs.start(stream, startedBy),
    verifyJob: (jobId) => jobs.get(jobId),
    exportRange: (fromPosition, limit) => signedExport(deps.pool, deps.signer, fromPosition, limit),
    publicKey: () => ({ pem: deps.signer.publicKeyPem, keyId: deps.signer.keyId }),
  };
};
