import type { GuestTaxStatus } from '../../domain/pricing/tax/guestTaxStatus.ts';
import type { Period } from '../../domain/availability/period.ts';
import { quoteOf } from '../shared/quoteOf.ts';
import type { ReadContext } from '../shared/readContext.ts';
import { loadResourcePeriod } from '../shared/resourcePeriod.ts';
import { explainLine } from './explain.ts';

export interface QuoteQuery {
  readonly resourceId: string;
  readonly period: Period;
  readonly quantity: number;
  readonly persons?: number | undefined;
  readonly guest: GuestTaxStatus;
  readonly promoCode?: string | undefined;
  readonly minPosition: string | undefined;
}

/** A quote as the hold would make it now: same `quote()`, occupancy from the read models. */
export const pricingQuote = async (context: ReadContext, query: QuoteQuery) => {
  const loaded = await loadResourcePeriod(
    context,
    query.resourceId,
    query.period,
    query.minPosition,
    { pricing: true },
  );
  const { config } = loaded.resource;
  const quote = quoteOf({
    config:
      loaded.pricing === undefined ? config : { ...config, pricingRules: loaded.pricing.rules },
    slotKeys: loaded.period.slotKeys,
    quantity: query.quantity,
    now: loaded.now,
    usage: loaded.usage,
    guest: query.guest,
    persons: query.persons ?? query.quantity,
    promoCode: query.promoCode ?? null,
    surgeEnabled: context.deps.surgeEnabled ?? false,
  });
  return {
    freshness: loaded.freshness,
    body: {
      resourceId: query.resourceId,
      slots: loaded.period.slotKeys,
      quote,
      explanation: quote.lines.map((line) => ({ lineId: line.id, text: explainLine(line) })),
      stale: loaded.freshness.stale,
    },
  };
};
