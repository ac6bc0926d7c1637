import { contentHash } from '../../domain/shared/canonicalJson.ts';
import type { RouteResult } from '../../commands/shared/route.ts';
import type { ReadContext } from './readContext.ts';
import { resolveFreshness, type Freshness } from './readYourWrites.ts';

/**
 * Now-dependent parts of an answer that no stored expiry names (a calendar
 * import going stale, a slot starting) are re-read at most this long after
 * they were computed: the validator carries the bucket of `now`, so a 304 is
 * never older than this. Seed 004's intent for computed availability is a
 * 5-minute TTL; one minute stays well inside it.
 */
export const NOW_BUCKET_MS = 60_000;

/** How many answers the in-process cache keeps (least recently used goes first). */
export const ANSWER_CACHE_ENTRIES = 1_000;

interface Entry {
  readonly etag: string;
  readonly body: unknown;
  /** The answer is the one a recomputation would give until this instant (ms). */
  readonly validUntil: number;
}

/**
 * An in-process cache of read answers, keyed by the canonical request, the
 * caller's visibility and the stored versions (projection checkpoints, the
 * calendar log head) the answer was built from. A new event moves the versions,
 * so the key changes: invalidation is by log position, never by a TTL. Bounded (LRU).
 */
export class AnswerCache {
  readonly #entries = new Map<string, Entry>();
  constructor(readonly maxEntries = ANSWER_CACHE_ENTRIES) {}

  get size(): number {
    return this.#entries.size;
  }

  get(key: string, now: number): Entry | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    this.#entries.delete(key);
    if (now >= entry.validUntil) return undefined;
    this.#entries.set(key, entry);
    return entry;
  }

  set(key: string, entry: Entry): void {
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    while (this.#entries.size > this.maxEntries) {
      const oldest = this.#entries.keys().next();
      if (oldest.done === true) break;
      this.#entries.delete(oldest.value);
    }
  }
}

const caches = new WeakMap<ReadContext, AnswerCache>();
/** The cache of one read side (one per composed context). */
export const answerCacheOf = (context: ReadContext): AnswerCache => {
  let cache = caches.get(context);
  if (cache === undefined) {
    cache = new AnswerCache(context.deps.answerCacheEntries ?? ANSWER_CACHE_ENTRIES);
    caches.set(context, cache);
  }
  return cache;
};

/** Whether an `If-None-Match` value names `etag` (a list, `*`, or weak forms of it). */
export const matchesEtag = (ifNoneMatch: string | undefined, etag: string): boolean => {
  if (ifNoneMatch === undefined) return false;
  const tags = ifNoneMatch.split(',').map((t) => t.trim().replace(/^W\//, ''));
  return tags.includes('*') || tags.includes(etag);
};

export interface ComputedAnswer {
  readonly body: unknown;
  readonly freshness: Freshness;
  /** The earliest stored hold expiry after `now` among the answer's inputs (ms), if any. */
  readonly nextExpiry: number | undefined;
}

export interface CachedReadRequest {
  /** The route and its validated inputs, without X-Min-Position and If-None-Match. */
  readonly request: unknown;
  /** What the caller may see: the same value only for principals whose answers are equal. */
  readonly visibility: string;
  readonly minPosition: string | undefined;
  readonly ifNoneMatch: string | undefined;
  /** Computes the answer; `fresh` bypasses the catalog TTL cache (the versions were read first). */
  readonly compute: (fresh: boolean) => Promise<ComputedAnswer>;
}

const CACHE_CONTROL = 'private, no-cache';

/**
 * Serves a read with a strong ETag derived from stored versions (never from
 * the answer), 304 on `If-None-Match`, and the in-process cache. Without
 * `deps.versions` (tests composing a bare read side) it only computes.
 */
export const cachedRead = async (
  context: ReadContext,
  read: CachedReadRequest,
): Promise<RouteResult> => {
  const versions = context.deps.versions;
  const plain = async (): Promise<RouteResult> => {
    const { body, freshness } = await read.compute(freshnessAsked(read.minPosition));
    return { status: 200, body, headers: { 'Cache-Control': 'no-store', ...asked(freshness) } };
  };
  if (versions === undefined) return plain();
  let waited: Freshness | undefined;
  if (read.minPosition !== undefined) {
    // Wait first, so the versions read next are at least the caller's position.
    waited = await resolveFreshness(context.deps, read.minPosition, { slots: true });
    if (waited.stale) return plain();
  }
  const stored = await versions.current();
  const now = context.deps.clock.now().getTime();
  // The store that will answer is part of the answer (`metadata.source`): Redis turning warm or
  // going down files answers apart, even when no position moved.
  const key = contentHash([read.request, read.visibility, stored, context.deps.hot.isWarm()]);
  const cache = answerCacheOf(context);
  const hit = cache.get(key, now);
  const respond = (entry: Entry, cached: boolean): RouteResult => {
    const headers: Record<string, string> = {
      ETag: entry.etag,
      'Cache-Control': CACHE_CONTROL,
      Vary: 'Authorization, X-Min-Position',
      'X-Answer-Cache': cached ? 'hit' : 'miss',
      ...(waited ? asked(waited) : {}),
    };
    return matchesEtag(read.ifNoneMatch, entry.etag)
      ? { status: 304, headers }
      : { status: 200, body: entry.body, headers };
  };
  if (hit !== undefined) return respond(hit, true);
  const { body, nextExpiry } = await read.compute(true);
  const bucketEnd = (Math.floor(now / NOW_BUCKET_MS) + 1) * NOW_BUCKET_MS;
  const validUntil = Math.min(bucketEnd, nextExpiry ?? Number.POSITIVE_INFINITY);
  const etag = `"${contentHash([key, bucketEnd, nextExpiry ?? null]).slice(0, 32)}"`;
  const entry: Entry = { etag, body, validUntil };
  cache.set(key, entry);
  return respond(entry, false);
};

const freshnessAsked = (minPosition: string | undefined): boolean => minPosition !== undefined;
const asked = (freshness: Freshness): Record<string, string> =>
  freshness.asked ? { 'X-Projection-Position': freshness.position ?? '' } : {};
