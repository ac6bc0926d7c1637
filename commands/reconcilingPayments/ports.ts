import type { Checkpoint } from '../shared/eventStore.ts';

/** Why a run started. */
export type ReconciliationTrigger = 'schedule' | 'admin' | 'cli';

/** One booking the run compares. */
export interface ReconciliationTarget {
  readonly reservationId: string;
  readonly bookingReference: string;
}

/** A repair made or a difference found, as recorded. */
export interface RecordedFinding {
  readonly reservationId: string;
  readonly kind: string;
  readonly repaired: boolean;
  readonly detail: Readonly<Record<string, unknown>>;
  readonly foundAt: string;
}

export interface ReconciliationRun {
  readonly runId: string;
  readonly trigger: ReconciliationTrigger;
  readonly startedAt: string;
  readonly finishedAt: string | null;
  readonly checked: number;
  readonly repaired: number;
  readonly findings: number;
}

/** Where reconciliation keeps its watch list, runs and findings (PostgreSQL in infra). */
export interface ReconciliationStore {
  /** How far discovery has read the log. */
  cursor(): Promise<Checkpoint | undefined>;
  /** Adds bookings to the watch list and moves the cursor, in one transaction. */
  watch(targets: readonly ReconciliationTarget[], cursor: Checkpoint): Promise<void>;
  /** Up to `limit` unsettled bookings, least recently checked first. */
  due(limit: number): Promise<readonly ReconciliationTarget[]>;
  /** Bookings by id, whatever their state (an operator's targeted run). */
  named(reservationIds: readonly string[]): Promise<readonly ReconciliationTarget[]>;
  beginRun(trigger: ReconciliationTrigger, at: string): Promise<string>;
  /** Records one booking's outcome; `settled` stops comparing it. */
  recordCheck(
    runId: string,
    reservationId: string,
    findings: readonly RecordedFinding[],
    settled: boolean,
    at: string,
  ): Promise<void>;
  finishRun(runId: string, at: string): Promise<ReconciliationRun>;
  /**
   * The latest runs, newest first; what the newest recorded (repairs too); and
   * every difference still open (as last seen on each booking), at most 500.
   */
  latest(limit: number): Promise<{
    readonly runs: readonly ReconciliationRun[];
    readonly findings: readonly RecordedFinding[];
    readonly open: readonly RecordedFinding[];
  }>;
}
