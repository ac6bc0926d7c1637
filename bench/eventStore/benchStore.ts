import { randomUUID } from 'node:crypto';

/**
 * The slice of an event store the benchmark drives, so both stores run the
 * same loops. Revisions are 0-based; -1 means "the stream must not exist".
 */
export interface BenchStore {
  /** Appends with an expected revision; the new last revision, or `'conflict'`. */
  append(
    stream: string,
    expectedRevision: number,
    events: readonly BenchEvent[],
  ): Promise<number | 'conflict'>;
  /** Events of one stream from a revision on (a client catching up its aggregate). */
  readStream(
    stream: string,
    fromRevision: number,
  ): Promise<{ count: number; lastRevision: number }>;
  /** One page of the log after `cursor` (undefined: the beginning). */
  readAllPage(
    cursor: string | undefined,
    pageSize: number,
  ): Promise<{ count: number; cursor: string | undefined }>;
  close(): Promise<void>;
}

export interface BenchEvent {
  readonly eventId: string;
  readonly type: string;
  readonly data: Record<string, unknown>;
  readonly metadata: Record<string, unknown>;
}

/** A slot-hold-like event of ~300 bytes of JSON, like the ledger's real ones. */
export const makeEvent = (sequence: number): BenchEvent => ({
  eventId: randomUUID(),
  type: 'SlotHeld',
  data: {
    reservationId: randomUUID(),
    resourceId: 'res-7f3c3a4e',
    slotKey: '2026-12-24T09:00',
    quantity: 1 + (sequence % 3),
    expiresAt: '2026-12-24T08:10:00.000Z',
    priceMinor: 12_500,
    currency: 'EUR',
  },
  metadata: {
    correlationId: randomUUID(),
    actor: { principal: 'partner-42', role: 'partner' },
  },
});
