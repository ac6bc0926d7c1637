import { pricingRulesFor, type DateOverride } from '../../domain/pricing/priceModel.ts';
import type { PricingRules } from '../../domain/pricing/rules.ts';
import type { ResourceRow } from '../../projections/resources/evolve.ts';
import type { ReadContext } from './readContext.ts';

/** The pricing rules a quote of one resource reads for a period, and which version of the resource they are. */
export interface PeriodPricing {
  readonly rules: PricingRules;
  readonly version: number;
}

/**
 * The price models of `resourceIds` for local dates `fromDate`–`toDate`, in
 * one statement: each resource's rules row and only the override rows inside
 * the period. Retired resources and resources the projector has not seen yet
 * are absent.
 */
export const loadPriceModels = async (
  context: ReadContext,
  resourceIds: readonly string[],
  fromDate: string,
  toDate: string,
): Promise<Map<string, PeriodPricing>> => {
  if (resourceIds.length === 0) return new Map();
  const [rules, overrides] = await Promise.all([
    context.table('price_rules'),
    context.table('price_overrides'),
  ]);
  const { rows } = await context.deps.sql.query<{
    id: string;
    version: number;
    rules: PricingRules;
    overrides: DateOverride[] | null;
  }>(
    `SELECT r.id, r.version, r.rules,
       (SELECT json_agg(json_build_object('date', to_char(o.price_date, 'YYYY-MM-DD'), 'price', o.price)
                        ORDER BY o.price_date)
        FROM ${overrides} o
        WHERE o.resource_id = r.id AND o.price_date BETWEEN $2::date AND $3::date) AS overrides
     FROM ${rules} r WHERE r.id = ANY($1::text[]) AND NOT r.retired`,
    [resourceIds, fromDate, toDate],
  );
  return new Map(
    rows.map((row) => [
      row.id,
      {
        version: row.version,
        rules: pricingRulesFor(
          { resourceId: row.id, version: row.version, rules: row.rules },
          (row.overrides ?? []).map((o) => ({ date: o.date, price: Number(o.price) })),
        ),
      },
    ]),
  );
};

/**
 * The pricing of the resource version `row` is: the price model's when it is
 * at the same version, otherwise (the two projectors run apart and one of
 * them lags) the row's own rules. Either way fees, taxes and prices come from
 * one version of the resource, so a quote here is the quote a hold made on
 * that version gets.
 */
export const pricingOf = (row: ResourceRow, model: PeriodPricing | undefined): PeriodPricing =>
  model !== undefined && model.version === row.version
    ? model
    : { rules: row.config.pricingRules, version: row.version };
