import { ValidationError } from '../../domain/shared/errors.ts';
import type { Candidate } from './candidates.ts';

/** The currency a candidate's totals are quoted in (its pricing rules'). */
export const currencyOf = (candidate: Candidate): string =>
  candidate.row.config.pricingRules.currency;

/**
 * An ISO 4217 code as one sort-key number (A=0 … Z=25, base 26), so a price
 * sort groups results by currency first and never orders 100 ILS against 90 EUR.
 */
export const currencyRank = (currency: string): number =>
  [...currency.toUpperCase()].reduce((n, c) => n * 26 + (c.charCodeAt(0) - 65), 0);

/**
 * Amounts in different currencies are not comparable, so a price range needs
 * one currency: the `currency` parameter, or else the single currency every
 * catalog match is priced in. A range over a mixed catalog without it is refused.
 */
export const assertComparableRange = (
  query: {
    readonly minPrice?: number | undefined;
    readonly maxPrice?: number | undefined;
    readonly currency?: string | undefined;
  },
  candidates: readonly Candidate[],
): void => {
  if (query.currency !== undefined) return;
  if (query.minPrice === undefined && query.maxPrice === undefined) return;
  const currencies = [...new Set(candidates.map(currencyOf))].sort();
  if (currencies.length > 1)
    throw new ValidationError(
      `minPrice/maxPrice are amounts in one currency, but the matches are priced in ${currencies.join(', ')}; add currency= (one of them) to the search.`,
      { currencies },
      'CURRENCY_REQUIRED',
    );
};
