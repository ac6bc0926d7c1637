import { assertConfiguredAmount } from '../shared/moneyLimits.ts';
import type { RefundRule } from '../pricing/rules.ts';
import type { ResourceConfig } from './schema.ts';

const refundAmounts = (path: string, rule: RefundRule | undefined): [string, number][] =>
  rule?.kind === 'fixed' ? [[`${path}.amount`, rule.amount]] : [];

/** Every amount of money a vendor can configure on a resource, by its path in the body. */
export const configuredAmounts = (config: Partial<ResourceConfig>): [string, number][] => {
  const out: [string, number][] = [];
  const rules = config.pricingRules;
  if (rules) {
    out.push(['pricingRules.basePrice', rules.basePrice]);
    rules.dateOverrides.forEach((o, i) =>
      out.push([`pricingRules.dateOverrides.${i}.price`, o.price]),
    );
    if (rules.minPrice !== undefined) out.push(['pricingRules.minPrice', rules.minPrice]);
    if (rules.maxPrice !== undefined) out.push(['pricingRules.maxPrice', rules.maxPrice]);
    rules.promoCodes.forEach((p, i) => {
      if (p.discount.kind === 'fixed')
        out.push([`pricingRules.promoCodes.${i}.discount.amount`, p.discount.amount]);
    });
    out.push(['pricingRules.fees.cleaningPerStay', rules.fees.cleaningPerStay]);
  }
  const cityTax = config.taxJurisdiction?.cityTax;
  if (cityTax?.kind === 'perPersonPerNight')
    out.push(['taxJurisdiction.cityTax.amount', cityTax.amount]);
  const policy = config.cancellationPolicy;
  if (policy) {
    policy.tiers.forEach((t, i) =>
      out.push(...refundAmounts(`cancellationPolicy.tiers.${i}.refund`, t.refund)),
    );
    out.push(...refundAmounts('cancellationPolicy.noShowFee', policy.noShowFee));
  }
  if (config.vendorDeposit) out.push(['vendorDeposit.amount', config.vendorDeposit.amount]);
  return out;
};

/** Refuses (422 MONEY_LIMIT_EXCEEDED) any configured amount past MAX_MONEY_AMOUNT. */
export const assertConfiguredAmounts = (config: Partial<ResourceConfig>): void => {
  for (const [path, amount] of configuredAmounts(config)) assertConfiguredAmount(amount, path);
};
