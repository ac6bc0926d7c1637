/** One stored event as the audit API shows it, hash-chain fields included. */
export interface AuditEvent {
  readonly stream: string;
  readonly revision: number;
  readonly globalPosition: string;
  readonly eventId: string;
  readonly type: string;
  readonly schemaVersion: number;
  readonly recordedAt: string;
  readonly hash: string;
  readonly previousHash: string;
  readonly data: unknown;
  readonly metadata: Readonly<Record<string, unknown>>;
}

export type AsOf = { readonly revision: number } | { readonly instant: string } | undefined;

export type VerifyJobStatus = 'running' | 'succeeded' | 'failed' | 'error' | 'abandoned';

export interface VerifyJob {
  readonly jobId: string;
  readonly stream: string | null;
  readonly status: VerifyJobStatus;
  /** Events verified so far. */
  readonly checked: number;
  /** The verification's outcome once finished: ok, or the first broken event. */
  readonly result: unknown;
  readonly startedAt: string;
  readonly finishedAt: string | null;
}

/**
 * What the audit API needs from the log (DESIGN.md "Audit"); infra implements
 * it over the PostgreSQL store, reading what is stored (soft delete and
 * truncation ignored).
 */
export interface AuditLog {
  /** Whether any event was ever stored in `stream`. */
  streamExists(stream: string): Promise<boolean>;
  /** Events of `stream` from `fromRevision`, at most `limit`, in revision order. */
  readEvents(stream: string, fromRevision: number, limit: number): Promise<readonly AuditEvent[]>;
  /** The stream's state as of a revision or instant, folded through the upcasters and deciders. */
  stateAsOf(
    stream: string,
    asOf: AsOf,
  ): Promise<{ state: unknown; revision: number | undefined; events: number }>;
  /** Starts a verification of the whole log or one stream, or returns the one already running. */
  startVerify(stream: string | undefined, startedBy: string): Promise<VerifyJob>;
  verifyJob(jobId: string): Promise<VerifyJob | undefined>;
  /** JSON lines of the events from `fromPosition`, then a signed manifest line (docs/audit.md). */
  exportRange(fromPosition: bigint, limit: number): AsyncIterable<string>;
  /** The export signing key: SPKI PEM and its id. */
  publicKey(): { readonly pem: string; readonly keyId: string };
}
