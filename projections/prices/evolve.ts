import { unitLine } from '../../domain/pricing/unitLine.ts';
import type { ResourceEvent } from '../../domain/resource/events.ts';
import type { ResourceConfig } from '../../domain/resource/schema.ts';
import { evolveResource, type ResourceState } from '../../domain/resource/state.ts';
import { addDays, daysBetween, localDateOf, toEpochMillis } from '../../domain/shared/time.ts';

/** Longest run of dates priced per resource: two years bounds a rebuild's work. */
export const MAX_PRICED_DAYS = 731;

/**
 * What the price table of one resource is computed from. Dates run from the
 * registration day to the last change's day + the booking horizon, in the
 * resource's zone: every date bookable as of the last change, and a pure
 * function of the log (no clock), so a rebuild computes the same rows.
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
  const day = localDateOf(toEpochMillis(eventInstant(event)), state.config.zone);
  const fromDate = source?.fromDate ?? day;
  const until = addDays(day, state.config.horizonDays);
  const capped = addDays(fromDate, MAX_PRICED_DAYS - 1);
  return {
    resourceId: state.resourceId,
    config: state.config,
    retired: state.status === 'Retired',
    fromDate,
    untilDate: until < capped ? until : capped,
    version: revision + 1,
  };
};

export interface DatePrice {
  readonly resourceId: string;
  readonly date: string;
  /** One unit for one night/slot, net of VAT, minor units. */
  readonly price: number;
  readonly currency: string;
  readonly rulesVersion: string;
}

/**
 * The effective base price per date: the quote's own per-unit line for one
 * unit with surge off, no promo and no length-of-stay discount, booked on the
 * day itself (lead time 0). Search filters price ranges with it; the exact
 * total of a stay still comes from `quote`.
 */
export const pricesOf = (source: PriceSource): DatePrice[] => {
  if (source.retired) return [];
  const rules = source.config.pricingRules;
  const days = daysBetween(source.fromDate, source.untilDate) + 1;
  return Array.from({ length: Math.max(0, days) }, (_, i) => {
    const date = addDays(source.fromDate, i);
    const line = unitLine({
      rules,
      slotKey: date,
      date,
      bookingDate: date,
      units: 1,
      quantity: 1,
      promoBasisPoints: null,
      demand: { occupancyBasisPoints: {}, bookingPaceBasisPoints: 10_000, surgeEnabled: false },
    });
    return {
      resourceId: source.resourceId,
      date,
      price: line.amount,
      currency: rules.currency,
      rulesVersion: rules.version,
    };
  });
};
