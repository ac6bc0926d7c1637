import type { Checkpoint, RecordedEvent } from '../../commands/shared/eventStore.ts';
import { matchesAny } from '../../domain/integration/eventPatterns.ts';
import type { PublicEvent } from '../../domain/integration/publicEventSchema.ts';
import type { PostgresCheckpointStore } from '../eventStore/postgres/checkpointStore.ts';
import { continueTraceFrom, traceparentOf } from '../observability/tracing.ts';
import type { Pool } from '../postgres/pool.ts';
import { inProjectionTransaction } from '../projections/transaction.ts';

export interface FanOutItem {
  readonly recorded: RecordedEvent;
  readonly events: readonly PublicEvent[];
}

/**
 * Queues one delivery per (matching endpoint, public event) for a batch of
 * log events, and moves the checkpoint in the same transaction: a crash
 * either queues the whole batch or nothing, and re-queuing is a no-op
 * (unique endpoint × event). Returns how many deliveries were queued.
 */
export const fanOut = async (
  pool: Pool,
  checkpoints: PostgresCheckpointStore,
  checkpointName: string,
  expected: Checkpoint | undefined,
  items: readonly FanOutItem[],
): Promise<number> => {
  const last = items[items.length - 1];
  if (!last) return 0;
  return inProjectionTransaction(pool, async (client) => {
    const endpointIds: string[] = [];
    const eventIds: string[] = [];
    const types: string[] = [];
    const keys: string[] = [];
    const bodies: string[] = [];
    const committed: string[] = [];
    const traces: (string | null)[] = [];
    for (const { events, recorded } of items) {
      // The trace of the change travels with each of its deliveries (docs/tracing.md).
      const traceparent = traceparentOf(continueTraceFrom(recorded.metadata)) ?? null;
      const first = events[0];
      if (!first) continue;
      const { rows } = await client.query<{ id: string; events: string[] }>(
        `SELECT id, events FROM webhook_endpoints
         WHERE enabled AND (reservation_id IS NULL OR reservation_id = $1)
           AND (owner_role = 'admin'
                OR (owner_role = 'partner' AND owner_id = $2)
                OR (owner_role = 'vendor' AND owner_id = $3))
         ORDER BY id`,
        [first.reservationId, first.data.partnerId, first.data.vendorId],
      );
      for (const event of events) {
        const body = JSON.stringify(event);
        for (const endpoint of rows) {
          if (!matchesAny(endpoint.events, event.type)) continue;
          endpointIds.push(endpoint.id);
          eventIds.push(event.id);
          types.push(event.type);
          keys.push(`reservation:${event.reservationId}`);
          bodies.push(body);
          committed.push(event.occurredAt);
          traces.push(traceparent);
        }
      }
    }
    if (endpointIds.length > 0) {
      // unnest keeps the array order, so ids (the per-reservation order) follow the log.
      await client.query(
        `INSERT INTO webhook_deliveries
           (endpoint_id, event_id, event_type, ordering_key, body, next_attempt_at, committed_at,
            traceparent)
         SELECT e, i, t, k, b, c::timestamptz, c::timestamptz, p
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[],
                     $7::text[])
           WITH ORDINALITY AS u(e, i, t, k, b, c, p, n)
         ORDER BY n
         ON CONFLICT (endpoint_id, event_id) DO NOTHING`,
        [endpointIds, eventIds, types, keys, bodies, committed, traces],
      );
    }
    await checkpoints.store(checkpointName, expected, last.recorded.checkpoint, client);
    return endpointIds.length;
  });
};
