import type { EpochMillis } from '../shared/time.ts';
import { MINUTE_MS } from '../shared/time.ts';
import type { CalendarState, SourceState, StoredBlock } from './state.ts';

/** An import older than this is stale by default: the vendor may have booked since. */
export const DEFAULT_STALE_AFTER_MS = 24 * 60 * MINUTE_MS;

export type SourceFreshness = 'fresh' | 'stale' | 'failed';

/** One source's blocks inside a window, shaped like availability's `CalendarSource`. */
export interface SourceBusyTime {
  readonly sourceId: string;
  readonly status: SourceFreshness;
  readonly blocks: readonly StoredBlock[];
  readonly importedAt: EpochMillis | null;
  readonly failureReason: string | null;
}

export interface FreshnessOptions {
  /** The instant freshness is judged at; without it only failures and importer-declared staleness count. */
  readonly now?: EpochMillis;
  /** Age after which an import is stale (default 24 h). */
  readonly staleAfterMs?: number;
}

const freshnessOf = (source: SourceState, options: FreshnessOptions): SourceFreshness => {
  if (source.failure !== null || source.importedAt === null) return 'failed';
  if (source.importedStatus === 'stale') return 'stale';
  const { now, staleAfterMs = DEFAULT_STALE_AFTER_MS } = options;
  return now !== undefined && now - source.importedAt > staleAfterMs ? 'stale' : 'fresh';
};

/** Blocks overlapping [from, to); blocks are sorted by start, so the scan stops at the first one starting at or after `to`. */
const overlapping = (
  blocks: readonly StoredBlock[],
  from: EpochMillis,
  to: EpochMillis,
): StoredBlock[] => {
  const result: StoredBlock[] = [];
  for (const block of blocks) {
    if (block.start >= to) break;
    if (block.end > from) result.push(block);
  }
  return result;
};

/**
 * The imported busy time overlapping [fromMs, toMs), per source, with each
 * source's freshness: what the timed availability pipeline takes as
 * `calendars` (it lowers confidence for `stale` and `failed` sources). A
 * source that failed keeps its last blocks: stale knowledge beats none.
 */
export const busyBlocksOf = (
  state: CalendarState,
  fromMs: EpochMillis,
  toMs: EpochMillis,
  options: FreshnessOptions = {},
): SourceBusyTime[] => {
  if (state.status === 'Empty') return [];
  return [...state.sources.values()]
    .sort((a, b) => (a.source < b.source ? -1 : a.source > b.source ? 1 : 0))
    .map((source) => ({
      sourceId: source.source,
      status: freshnessOf(source, options),
      blocks: overlapping(source.blocks, fromMs, toMs),
      importedAt: source.importedAt,
      failureReason: source.failure?.reason ?? null,
    }));
};
