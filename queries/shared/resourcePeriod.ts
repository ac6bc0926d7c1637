import {
  READ_PERIOD_RULES,
  resolvePeriod,
  type Period,
  type ResolvedPeriod,
} from '../../domain/availability/period.ts';
import { NotFoundError } from '../../domain/shared/errors.ts';
import { addDays } from '../../domain/shared/time.ts';
import type { ResourceRow } from '../../projections/resources/evolve.ts';
import { timedUsageDates } from './computeAvailability.ts';
import type { ReadContext } from './readContext.ts';
import { resolveFreshness, type Freshness } from './readYourWrites.ts';
import { loadPriceModels, pricingOf, type PeriodPricing } from './priceModel.ts';
import { loadSlotUsage, type SlotUsage } from './slotUsage.ts';

export interface LoadedPeriod {
  readonly resource: ResourceRow;
  readonly period: ResolvedPeriod;
  readonly usage: ReadonlyMap<string, SlotUsage>;
  readonly freshness: Freshness;
  readonly now: Date;
  /** The resource's pricing for the period from the price model; present when asked for. */
  readonly pricing?: PeriodPricing;
}

/** One resource, the slots a period covers on it and their usage: what a check or a quote reads. */
export const loadResourcePeriod = async (
  context: ReadContext,
  resourceId: string,
  requested: Period,
  minPosition: string | undefined,
  options: { readonly pricing?: boolean } = {},
): Promise<LoadedPeriod> => {
  const freshness = await resolveFreshness(context.deps, minPosition, { slots: true });
  const [resource] = await context.resourcesByIds([resourceId], freshness.asked);
  if (resource === undefined)
    throw new NotFoundError(
      `No active resource ${resourceId}; check the id.`,
      { resourceId },
      'RESOURCE_NOT_FOUND',
    );
  const period = resolvePeriod(resource.config, requested, READ_PERIOD_RULES);
  const dates =
    period.kind === 'nightly'
      ? { fromDate: period.checkIn, toDate: addDays(period.checkOut, -1) }
      : timedUsageDates(resource.config, period.start, period.end);
  const now = context.deps.clock.now();
  const [{ usage, source }, models] = await Promise.all([
    loadSlotUsage(context, freshness.source, {
      resourceIds: [resourceId],
      ...dates,
      now: now.getTime(),
    }),
    options.pricing === true
      ? loadPriceModels(context, [resourceId], dates.fromDate, dates.toDate)
      : undefined,
  ]);
  return {
    resource,
    period,
    usage: usage.get(resourceId) ?? new Map(),
    freshness: { ...freshness, source },
    now,
    ...(models === undefined ? {} : { pricing: pricingOf(resource, models.get(resourceId)) }),
  };
};
