import { ValidationError } from '../../domain/shared/errors.ts';
import type { GuestTaxStatus } from '../../domain/pricing/tax/guestTaxStatus.ts';
import {
  addDays,
  daysBetween,
  localToEpochMillis,
  nightsOf,
  type LocalDate,
} from '../../domain/shared/time.ts';
import { stayOf, timedSlotsOf } from '../shared/computeAvailability.ts';
import { quoteOf } from '../shared/quoteOf.ts';
import type { ReadContext } from '../shared/readContext.ts';
import { resolveFreshness } from '../shared/readYourWrites.ts';
import { loadSlotUsage, type SlotUsage } from '../shared/slotUsage.ts';
import { findCandidates, type Candidate, type CandidateFilters } from './candidates.ts';
import {
  compareKeys,
  decodeCursor,
  encodeCursor,
  fingerprintOf,
  type CursorPosition,
} from './cursor.ts';

export const MAX_PAGE = 100;
/** Longest stay or window a search prices; longer ones go through the quote endpoint. */
export const MAX_SEARCH_NIGHTS = 30;

export interface SearchQuery extends CandidateFilters {
  readonly checkIn: LocalDate;
  readonly checkOut: LocalDate;
  readonly quantity: number;
  readonly persons?: number | undefined;
  readonly minPrice?: number | undefined;
  readonly maxPrice?: number | undefined;
  readonly sort: 'price' | 'rating' | 'relevance';
  readonly limit: number;
  readonly cursor?: string | undefined;
  readonly guest: GuestTaxStatus;
  readonly minPosition: string | undefined;
}

interface Priced {
  readonly candidate: Candidate;
  readonly total: { readonly amount: number; readonly currency: string };
  readonly breakdown: { subtotal: number; fees: number; taxes: number };
  readonly units: readonly string[];
}

const sortKey = (sort: SearchQuery['sort'], p: Priced): number[] => {
  const rating = -(p.candidate.row.config.listing.rating ?? -1);
  if (sort === 'price') return [p.total.amount];
  if (sort === 'rating') return [rating];
  return [-p.candidate.rank, rating];
};

/** The first bookable unit(s) of one candidate and their quote, or undefined when nothing is bookable. */
const priceCandidate = (
  context: ReadContext,
  query: SearchQuery,
  candidate: Candidate,
  usage: ReadonlyMap<string, SlotUsage>,
  now: Date,
): Priced | undefined => {
  const { resourceId, config } = candidate.row;
  let units: readonly string[];
  if (config.kind === 'nightly') {
    const stay = stayOf({
      resourceId,
      config,
      checkIn: query.checkIn,
      checkOut: query.checkOut,
      quantity: query.quantity,
      now: now.getTime(),
      usage,
    });
    if (!stay.bookable) return undefined;
    units = nightsOf(query.checkIn, query.checkOut);
  } else {
    const window = timedSlotsOf({
      config,
      from: localToEpochMillis(query.checkIn, 0, config.zone),
      to: localToEpochMillis(query.checkOut, 0, config.zone),
      now: now.getTime(),
      quantity: query.quantity,
      usage,
      calendar: { status: 'Empty' },
    });
    const first = window.slots.find((slot) => slot.isAvailable);
    if (first === undefined) return undefined;
    units = [first.slotKey];
  }
  const quote = quoteOf({
    config,
    slotKeys: units,
    quantity: query.quantity,
    now,
    usage,
    guest: query.guest,
    persons: query.persons ?? query.quantity,
    promoCode: null,
    surgeEnabled: context.deps.surgeEnabled ?? false,
  });
  return {
    candidate,
    total: quote.total,
    breakdown: {
      subtotal: quote.subtotal.amount,
      fees: quote.fees.amount,
      taxes: quote.taxes.amount,
    },
    units,
  };
};

const assertStay = (query: SearchQuery): void => {
  const nights = daysBetween(query.checkIn, query.checkOut);
  if (nights < 1 || nights > MAX_SEARCH_NIGHTS)
    throw new ValidationError(
      `checkOut must be 1 to ${MAX_SEARCH_NIGHTS} days after checkIn (got ${query.checkIn} → ${query.checkOut}).`,
    );
};

/**
 * Seed 001's search: catalog filters in SQL, then availability and the TOTAL
 * price of the stay (`quote()`: weekend factors, fees, VAT) per candidate,
 * price range on that total, ranking, and keyset pagination over a total order.
 * Timed resources show their first free slot in the window.
 */
export const search = async (context: ReadContext, query: SearchQuery) => {
  assertStay(query);
  const { cursor, limit, minPosition, ...filters } = query;
  const fingerprint = fingerprintOf({ ...filters, guest: query.guest });
  const after = cursor === undefined ? undefined : decodeCursor(fingerprint, cursor);
  const freshness = await resolveFreshness(context.deps, minPosition, { slots: true });
  const candidates = await findCandidates(context, query);
  const now = context.deps.clock.now();
  const { usage, source } = await loadSlotUsage(context, freshness.source, {
    resourceIds: candidates.map((c) => c.row.resourceId),
    // Timed slots near midnight may sit on a neighbouring local date.
    fromDate: addDays(query.checkIn, -1),
    toDate: query.checkOut,
    now: now.getTime(),
  });
  const ranked = candidates
    .map((c) => priceCandidate(context, query, c, usage.get(c.row.resourceId) ?? new Map(), now))
    .filter((p): p is Priced => p !== undefined)
    .filter(
      (p) =>
        (query.minPrice === undefined || p.total.amount >= query.minPrice) &&
        (query.maxPrice === undefined || p.total.amount <= query.maxPrice),
    )
    .map((p): Priced & { position: CursorPosition } => ({
      ...p,
      position: { key: sortKey(query.sort, p), id: p.candidate.row.resourceId },
    }))
    .sort((a, b) => compareKeys(a.position, b.position));
  const rest =
    after === undefined ? ranked : ranked.filter((p) => compareKeys(p.position, after) > 0);
  const page = rest.slice(0, limit);
  const last = page.at(-1);
  return {
    freshness,
    body: {
      results: page.map(({ candidate: { row, rank }, total, breakdown, units }) => ({
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
      })),
      count: page.length,
      matched: ranked.length,
      nextCursor:
        last !== undefined && rest.length > limit ? encodeCursor(fingerprint, last.position) : null,
      stale: freshness.stale,
      metadata: { source, sort: query.sort },
    },
  };
};
