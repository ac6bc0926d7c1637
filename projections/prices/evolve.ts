import type { DateOverride } from '../../domain/pricing/priceModel.ts';
import type { ResourceEvent } from '../../domain/resource/events.ts';
import type { ResourceConfig } from '../../domain/resource/schema.ts';
import { evolveResource, type ResourceState } from '../../domain/resource/state.ts';
import { localDayOf, plusDays } from './days.ts';

/** Longest run of dates the rules row says it prices: two years. */
export const MAX_PRICED_DAYS = 731;

/**
 * What the price model of one resource is folded from. `fromDate`–`untilDate`
 * is the range the rules are effective for as of the last change: from the
 * registration day to the last change's day + the booking horizon, in the
 * resource's zone (a pure function of the log, no clock).
 */
export interface PriceSource {
  readonly resourceId: string;
  readonly config: ResourceConfig;
  readonly retired: boolean;
  readonly fromDate: string;
  readonly untilDate: string;
  readonly version: number;
}

const eventInstant = (event: ResourceEvent): string =>
  event.type === 'ResourceRegistered'
    ? event.data.registeredAt
    : event.type === 'ResourceRetired'
      ? event.data.retiredAt
      : event.data.changedAt;

/** Pure; an event at a revision already folded changes nothing. */
export const evolvePriceSource = (
  source: PriceSource | undefined,
  event: ResourceEvent,
  revision: number,
): PriceSource => {
  if (source !== undefined && revision < source.version) return source;
  const previous: ResourceState =
    source === undefined
      ? { status: 'Unregistered' }
      : { status: 'Active', resourceId: source.resourceId, config: source.config };
  const state = evolveResource(previous, event);
  if (state.status === 'Unregistered') throw new Error('A price source needs a registration.');
  const day = localDayOf(Date.parse(eventInstant(event)), state.config.zone);
  const fromDate = source?.fromDate ?? day;
  const until = plusDays(day, state.config.horizonDays);
  const capped = plusDays(fromDate, MAX_PRICED_DAYS - 1);
  return {
    resourceId: state.resourceId,
    config: state.config,
    retired: state.status === 'Retired',
    fromDate,
    untilDate: until < capped ? until : capped,
    version: revision + 1,
  };
};

/** The override rows a source stands for: none once retired. */
export const overridesOf = (source: PriceSource | undefined): readonly DateOverride[] =>
  source === undefined || source.retired ? [] : source.config.pricingRules.dateOverrides;
