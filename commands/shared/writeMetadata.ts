import type { Principal } from '../../domain/access/principal.ts';
import type { EventMetadata } from './eventStore.ts';

/** Who asked and through which request: what every event a write appends carries. */
export interface Caller {
  readonly principal: Principal;
  /** The HTTP request id; becomes the correlation and causation id. */
  readonly requestId: string;
  readonly idempotencyKey: string | undefined;
}

/**
 * Event metadata for a write made on behalf of `caller`. An HTTP request has
 * no parent event, so the request itself is both the correlation and the
 * cause; `extra` carries write-specific facts (e.g. a refund computation).
 */
export const metadataFor = (
  caller: Caller,
  extra: Record<string, unknown> = {},
): EventMetadata => ({
  correlationId: caller.requestId,
  causationId: caller.requestId,
  actor: { principal: caller.principal.id, role: caller.principal.role },
  ...(caller.idempotencyKey === undefined ? {} : { idempotencyKey: caller.idempotencyKey }),
  ...extra,
});
