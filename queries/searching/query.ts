import { ValidationError } from '../../domain/shared/errors.ts';
import type { GuestTaxStatus } from '../../domain/pricing/tax/guestTaxStatus.ts';
import { daysBetween, type LocalDate } from '../../domain/shared/time.ts';
import type { ReadContext } from '../shared/readContext.ts';
import { resolveFreshness } from '../shared/readYourWrites.ts';
import { loadSlotUsage, type SlotUsage } from '../shared/slotUsage.ts';
import { createTtlCache, type TtlCache } from '../shared/ttlCache.ts';
import { availableUnitsOf, usageDatesOf } from './availableUnits.ts';
import { cachedCandidates, type Candidate, type CandidateFilters } from './candidates.ts';
import { assertComparableRange, currencyOf, currencyRank } from './currency.ts';
import {
  compareKeys,
  decodeCursor,
  encodeCursor,
  fingerprintOf,
  type CursorPosition,
} from './cursor.ts';
import { MoneyLimitExceededError } from '../../domain/shared/moneyLimits.ts';
import { loadPriceModels, pricingOf, type PeriodPricing } from '../shared/priceModel.ts';
import { createTotalMemo, type PricedTotal, type TotalMemo, type TotalRequest } from './totals.ts';

const withinMoneyCeiling = <T>(price: () => T): T | undefined => {
  try {
    return price();
  } catch (error) {
    if (error instanceof MoneyLimitExceededError) return undefined;
    throw error;
  }
};

export const MAX_PAGE = 100;
/** Longest stay or window a search prices; longer ones go through the quote endpoint. */
export const MAX_SEARCH_NIGHTS = 30;

export interface SearchQuery extends CandidateFilters {
  readonly checkIn: LocalDate;
  readonly checkOut: LocalDate;
  readonly quantity: number;
  readonly persons?: number | undefined;
  /** Only resources priced in this ISO currency; the price range is in it. */
  readonly currency?: string | undefined;
  readonly minPrice?: number | undefined;
  readonly maxPrice?: number | undefined;
  readonly sort: 'price' | 'rating' | 'relevance';
  readonly limit: number;
  readonly cursor?: string | undefined;
  readonly guest: GuestTaxStatus;
  readonly minPosition: string | undefined;
}

/** What one search route keeps between requests (built once per route, never per module). */
export interface SearchCaches {
  readonly candidates: TtlCache<Candidate[]>;
  readonly totals: TotalMemo;
}

export const createSearchCaches = (catalogCacheMs: number): SearchCaches => ({
  candidates: createTtlCache<Candidate[]>(catalogCacheMs),
  totals: createTotalMemo(),
});

interface Ranked {
  readonly candidate: Candidate;
  readonly units: readonly string[];
  /** Present when the order or the range needed it; otherwise priced for the page only. */
  readonly priced?: PricedTotal;
  readonly position: CursorPosition;
}

/** Rating or relevance order, known from the catalog alone (no price needed). */
const catalogKey = (sort: SearchQuery['sort'], candidate: Candidate): number[] => {
  const rating = -(candidate.row.config.listing.rating ?? -1);
  return sort === 'rating' ? [rating] : [-candidate.rank, rating];
};

const assertStay = (query: SearchQuery): void => {
  const nights = daysBetween(query.checkIn, query.checkOut);
  if (nights < 1 || nights > MAX_SEARCH_NIGHTS)
    throw new ValidationError(
      `checkOut must be 1 to ${MAX_SEARCH_NIGHTS} days after checkIn (got ${query.checkIn} → ${query.checkOut}).`,
    );
};

/**
 * Seed 001's search, cheapest work first: catalog filters (SQL, cached for the
 * catalog TTL unless read-your-writes), then availability of every candidate
 * from one batched usage read, and only then `quote()`. Sorting by rating or
 * relevance quotes just the page; sorting by price or a price range needs every
 * available candidate's total, which comes from the exact total memo (see
 * totals.ts) — one real `quote()` per distinct stay, guest and booking date,
 * fed by the price model (rules + the stay's overrides) read only for the
 * candidates whose total is not known yet. Ordering and the totals shown are
 * the same `quote()`, so they cannot disagree with a hold's.
 */
export const search = async (context: ReadContext, caches: SearchCaches, query: SearchQuery) => {
  assertStay(query);
  const { cursor, limit, minPosition, ...filters } = query;
  const fingerprint = fingerprintOf({ ...filters, guest: query.guest });
  const after = cursor === undefined ? undefined : decodeCursor(fingerprint, cursor);
  const freshness = await resolveFreshness(context.deps, minPosition, { slots: true });
  const catalog = await cachedCandidates(context, caches.candidates, query, freshness.asked);
  const candidates =
    query.currency === undefined
      ? catalog
      : catalog.filter((c) => currencyOf(c) === query.currency);
  assertComparableRange(query, candidates);
  const now = context.deps.clock.now();
  const { usage, source } = await loadSlotUsage(context, freshness.source, {
    resourceIds: candidates.map((c) => c.row.resourceId),
    ...usageDatesOf(query),
    now: now.getTime(),
  });
  const empty: ReadonlyMap<string, SlotUsage> = new Map();
  const requestOf = (candidate: Candidate, units: readonly string[]): TotalRequest => ({
    resourceId: candidate.row.resourceId,
    version: candidate.row.version,
    config: candidate.row.config,
    slotKeys: units,
    quantity: query.quantity,
    now,
    usage: usage.get(candidate.row.resourceId) ?? empty,
    guest: query.guest,
    persons: query.persons ?? query.quantity,
    promoCode: null,
    surgeEnabled: context.deps.surgeEnabled ?? false,
  });
  /**
   * Totals of many candidates: known totals from the memo; for the rest one
   * read of their price models (rules + the stay's overrides), then `quote()`.
   * A resource whose stay prices past the money ceiling cannot be booked: it
   * drops out, alone.
   */
  const priceAll = async (
    items: readonly { readonly candidate: Candidate; readonly units: readonly string[] }[],
  ): Promise<(PricedTotal | undefined)[]> => {
    const requests = items.map(({ candidate, units }) => requestOf(candidate, units));
    const missing = requests.filter((r) => !caches.totals.has(r)).map((r) => r.resourceId);
    const dates = usageDatesOf(query);
    const models =
      missing.length === 0
        ? new Map<string, PeriodPricing>()
        : await loadPriceModels(context, missing, dates.fromDate, dates.toDate);
    return requests.map((request, i) =>
      withinMoneyCeiling(() => {
        const row = items[i]!.candidate.row;
        const pricing = pricingOf(row, models.get(row.resourceId));
        return caches.totals.totalOf({
          ...request,
          config: { ...row.config, pricingRules: pricing.rules },
        });
      }),
    );
  };
  const byPrice =
    query.sort === 'price' || query.minPrice !== undefined || query.maxPrice !== undefined;
  const bookable: { candidate: Candidate; units: readonly string[] }[] = [];
  for (const candidate of candidates) {
    const units = availableUnitsOf(
      query,
      candidate,
      usage.get(candidate.row.resourceId) ?? empty,
      now.getTime(),
      context.zoneTime,
    );
    if (units !== undefined) bookable.push({ candidate, units });
  }
  const ranked: Ranked[] = [];
  if (!byPrice) {
    for (const { candidate, units } of bookable) {
      const position = { key: catalogKey(query.sort, candidate), id: candidate.row.resourceId };
      ranked.push({ candidate, units, position });
    }
  } else {
    const totals = await priceAll(bookable);
    for (const [i, { candidate, units }] of bookable.entries()) {
      const priced = totals[i];
      if (priced === undefined) continue;
      const { amount, currency } = priced.total;
      if (query.minPrice !== undefined && amount < query.minPrice) continue;
      if (query.maxPrice !== undefined && amount > query.maxPrice) continue;
      const key =
        query.sort === 'price'
          ? [currencyRank(currency), amount]
          : catalogKey(query.sort, candidate);
      ranked.push({ candidate, units, priced, position: { key, id: candidate.row.resourceId } });
    }
  }
  ranked.sort((a, b) => compareKeys(a.position, b.position));
  const rest =
    after === undefined ? ranked : ranked.filter((p) => compareKeys(p.position, after) > 0);
  const page = rest.slice(0, limit);
  const last = page.at(-1);
  const pageTotals = byPrice ? page.map((p) => p.priced) : await priceAll(page);
  return {
    freshness,
    body: {
      results: page.flatMap(({ candidate, units }, i) => {
        const { row, rank } = candidate;
        const pricedNow = pageTotals[i];
        if (pricedNow === undefined) return [];
        const { total, breakdown } = pricedNow;
        return {
          resourceId: row.resourceId,
          vendorId: row.config.vendorId,
          kind: row.config.kind,
          name: row.config.listing.name,
          city: row.config.listing.location.city,
          country: row.config.listing.location.country,
          rating: row.config.listing.rating,
          relevance: rank,
          units,
          totalPrice: total,
          price: { ...breakdown, total: total.amount, currency: total.currency },
        };
      }),
      count: page.length,
      matched: ranked.length,
      nextCursor:
        last !== undefined && rest.length > limit ? encodeCursor(fingerprint, last.position) : null,
      stale: freshness.stale,
      metadata: { source, sort: query.sort },
    },
  };
};
