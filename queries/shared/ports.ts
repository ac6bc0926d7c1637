import type { GuestDirectory } from '../../commands/shared/guestDirectory.ts';
import type { CalendarState } from '../../domain/calendar/state.ts';
import type { Sql } from '../../projections/shared/projection.ts';

/** The read models a query names; each resolves to its live versioned table. */
export type ReadModelTable =
  'availability_slots' | 'resources' | 'price_rules' | 'price_overrides' | 'bookings';

/** Projection names whose positions read-your-writes waits for. */
export type ReadProjection = 'availability' | 'availability.redis' | 'resources' | 'bookings';

/** Wall clock of the read side: holds expire and availability is computed "as of now". */
export interface ReadClock {
  now(): Date;
}

/**
 * Redis's hot availability read model (`avail:{resourceId}:{date}` hashes).
 * A cache: every method answers `undefined` when Redis cannot answer (down,
 * or not caught up with Postgres), and the caller reads Postgres instead.
 */
export interface HotAvailability {
  /** Whether reads should try Redis at all: connected and its projection caught up. */
  isWarm(): boolean;
  /**
   * The raw hashes in key order, or undefined when Redis failed to answer. Keys
   * are the projection's logical keys; the adapter puts them in the install's namespace.
   */
  readHashes(
    keys: readonly string[],
  ): Promise<readonly Readonly<Record<string, string>>[] | undefined>;
}

/** Read-your-writes: how far a projection has applied the log. */
export interface ProjectionPositions {
  /**
   * Resolves once `projection` has applied everything up to `position` (a
   * write's `position`), or after `timeoutMs` with `reached: false`; throws
   * when the projection's store cannot be asked (e.g. Redis is down).
   */
  waitForPosition(
    projection: ReadProjection,
    position: string,
    timeoutMs: number,
  ): Promise<{ readonly reached: boolean; readonly position: string | undefined }>;
}

/** Imported calendar busy time of a resource (the `calendar-{resourceId}` stream, folded). */
export interface CalendarReader {
  busyTimeOf(resourceId: string): Promise<CalendarState>;
}

/** Everything the read routes need, built once by the composition root. */
export interface ReadSideDeps {
  /** Read-only SQL over the projection tables. */
  readonly sql: Sql;
  /** The physical name of a read model's live table (`resources` → `resources_v2`). */
  liveTable(table: ReadModelTable): Promise<string>;
  readonly hot: HotAvailability;
  readonly positions: ProjectionPositions;
  readonly calendar: CalendarReader;
  readonly clock: ReadClock;
  /** The platform's surge switch for quotes (DESIGN.md "Pricing"); default false. */
  readonly surgeEnabled?: boolean;
  /** How long resource configurations and calendars are reused between requests, ms. Default 1000; 0 turns it off. */
  readonly catalogCacheMs?: number;
  /** The PII store's reader: one booking's read shows its personal data to those allowed; absent → none shown. */
  readonly guestDirectory?: GuestDirectory | undefined;
  /** The stored versions answers are built from, for ETags and the answer cache; absent: no caching. */
  readonly versions?: StoredVersions;
  /** Entries of the in-process answer cache (LRU). Default 1000. */
  readonly answerCacheEntries?: number;
}

/** Where the read models stand in the log: changes whenever an answer may change. */
export interface StoredVersions {
  /**
   * One token over the live versions and checkpoints of the projections reads
   * use (resources, availability in Postgres and Redis) and the position of the
   * last calendar event (calendars are folded from their streams).
   */
  current(): Promise<string>;
}
