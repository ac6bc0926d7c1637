import type { SourceStatus } from './events.ts';

/** One busy interval as an importer sends it; instants are ISO 8601 with an offset. */
export interface BusyBlockInput {
  readonly start: string;
  readonly end: string;
  readonly status: 'busy' | 'tentative';
}

/** Commands to the Calendar decider; `now` is an ISO 8601 instant (the domain has no clock). */
export interface ImportBusyTime {
  readonly type: 'ImportBusyTime';
  readonly resourceId: string;
  readonly source: string;
  /** The source's complete busy time: it replaces what the source sent before. */
  readonly blocks: readonly BusyBlockInput[];
  readonly sourceStatus?: SourceStatus;
  readonly now: string;
}

export interface RecordSourceFailure {
  readonly type: 'RecordSourceFailure';
  readonly resourceId: string;
  readonly source: string;
  readonly reason: string;
  readonly now: string;
}

export type CalendarCommand = ImportBusyTime | RecordSourceFailure;
