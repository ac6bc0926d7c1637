import { localDateOf, type LocalDate } from '../../domain/shared/time.ts';
import { quoteOf, type QuoteRequest } from '../shared/quoteOf.ts';

/** Entries kept at most; past it the memo starts over (answers stay exact, just slower). */
const MAX_ENTRIES = 50_000;

export interface PricedTotal {
  readonly total: { readonly amount: number; readonly currency: string };
  readonly breakdown: { readonly subtotal: number; readonly fees: number; readonly taxes: number };
}

export interface TotalRequest extends QuoteRequest {
  readonly resourceId: string;
  /** The resource row's version: any change to its configuration gives a new key. */
  readonly version: number;
}

/**
 * The slot usage `quote()` reads, and only when it changes an amount: with
 * surge off occupancy is shown as ×1.0 whatever it is, so it is left out of
 * the key (and totals are shared across every usage of the same stay).
 */
const usagePart = (request: TotalRequest): string =>
  request.surgeEnabled
    ? request.slotKeys
        .map((key) => {
          const slot = request.usage.get(key);
          return slot === undefined ? '-' : `${slot.booked}+${slot.held}/${slot.capacity}`;
        })
        .join(',')
    : 'surge-off';

/**
 * Exact totals of `quote()` for search, memoized on everything the total is a
 * function of: the resource's configuration (id + version), the slot keys,
 * quantity, persons, guest tax status, promo code, the booking date (the
 * local date of `now` in the resource's zone, which is all `quote()` reads of
 * `now` for amounts: lead time and promo validity) and, with surge on, the
 * occupancy of each slot. `quote()` is pure, so a hit is the very total a
 * hold quoting the same stay for the same guest at the same date would get;
 * there is no TTL because nothing in the key can go stale. Instances are made
 * per search route, never per module.
 */
export const createTotalMemo = () => {
  const entries = new Map<string, PricedTotal>();
  // One luxon conversion per zone and request instant instead of one per candidate.
  const bookingDates = new Map<string, LocalDate>();
  const bookingDateOf = (now: Date, zone: string): LocalDate => {
    const key = `${now.getTime()}|${zone}`;
    let date = bookingDates.get(key);
    if (date === undefined) {
      if (bookingDates.size >= 1_000) bookingDates.clear();
      date = localDateOf(now.getTime(), zone);
      bookingDates.set(key, date);
    }
    return date;
  };
  const keyOf = (request: TotalRequest): string =>
    [
      request.resourceId,
      request.version,
      request.slotKeys.join(','),
      request.quantity,
      request.persons,
      JSON.stringify(request.guest),
      request.promoCode ?? '',
      bookingDateOf(request.now, request.config.zone),
      usagePart(request),
    ].join('|');
  return {
    /** Whether this total is already known (no quote needed). */
    has: (request: TotalRequest): boolean => entries.has(keyOf(request)),
    totalOf: (request: TotalRequest): PricedTotal => {
      const key = keyOf(request);
      const hit = entries.get(key);
      if (hit !== undefined) return hit;
      const quote = quoteOf(request);
      const priced: PricedTotal = {
        total: quote.total,
        breakdown: {
          subtotal: quote.subtotal.amount,
          fees: quote.fees.amount,
          taxes: quote.taxes.amount,
        },
      };
      if (entries.size >= MAX_ENTRIES) entries.clear();
      entries.set(key, priced);
      return priced;
    },
  };
};

export type TotalMemo = ReturnType<typeof createTotalMemo>;
