import type { PricingRules } from './rules.ts';
import { unitLine } from './unitLine.ts';

/** One per-date price that replaces the base price (a `dateOverrides` entry). */
export interface DateOverride {
  readonly date: string;
  readonly price: number;
}

/**
 * A resource's pricing as the `prices` read model stores it: the rules once
 * (base price, seasons with their date ranges, weekday factors, tiers, fees),
 * and per-date rows only where an override exists. A pricing change therefore
 * writes one rules row plus the overrides it added, changed or removed — not
 * one row per date of the horizon.
 */
export interface PriceModel {
  readonly resourceId: string;
  /** The resource stream's version these rules are as of (revision + 1). */
  readonly version: number;
  /** The rules without `dateOverrides` (they live in their own rows). */
  readonly rules: PricingRules;
}

/** The rules without their overrides: what the rules row stores. */
export const rulesWithoutOverrides = (rules: PricingRules): PricingRules => ({
  ...rules,
  dateOverrides: [],
});

/**
 * The pricing rules a quote reads for a period: the model's rules with the
 * overrides that fall inside it. `unitLine` looks an override up by the
 * priced date only, so a quote of dates inside the period is the same with
 * these rules as with the resource's full list.
 */
export const pricingRulesFor = (
  model: PriceModel,
  overridesInPeriod: readonly DateOverride[],
): PricingRules => ({ ...model.rules, dateOverrides: [...overridesInPeriod] });

/** `unitLine` takes the first override of a date; so does the stored model. */
const firstByDate = (list: readonly DateOverride[]): Map<string, number> => {
  const byDate = new Map<string, number>();
  for (const o of list) if (!byDate.has(o.date)) byDate.set(o.date, o.price);
  return byDate;
};

/** Which overrides to delete and which to write when the list goes from `before` to `after`. */
export const diffOverrides = (
  before: readonly DateOverride[],
  after: readonly DateOverride[],
): { readonly removed: readonly string[]; readonly written: readonly DateOverride[] } => {
  const old = firstByDate(before);
  const next = firstByDate(after);
  return {
    removed: [...old.keys()].filter((date) => !next.has(date)),
    written: [...next]
      .filter(([date, price]) => old.get(date) !== price)
      .map(([date, price]) => ({ date, price })),
  };
};

/**
 * One unit for one night or slot on `date`, net of VAT, surge off, no promo
 * or length-of-stay discount, booked on the day itself: the quote's own unit
 * line, so it can never disagree with a quote's per-unit base.
 */
export const unitPriceOn = (rules: PricingRules, date: string): number =>
  unitLine({
    rules,
    slotKey: date,
    date,
    bookingDate: date,
    units: 1,
    quantity: 1,
    promoBasisPoints: null,
    demand: { occupancyBasisPoints: {}, bookingPaceBasisPoints: 10_000, surgeEnabled: false },
  }).amount;
