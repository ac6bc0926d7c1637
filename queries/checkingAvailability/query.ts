import type { GuestTaxStatus } from '../../domain/pricing/tax/guestTaxStatus.ts';
import { DomainError } from '../../domain/shared/errors.ts';
import { toIsoInstant } from '../../domain/shared/time.ts';
import { stayOf, timedSlotsOf } from '../shared/computeAvailability.ts';
import type { Period } from '../../domain/availability/period.ts';
import { quoteOf } from '../shared/quoteOf.ts';
import type { ReadContext } from '../shared/readContext.ts';
import { loadResourcePeriod, type LoadedPeriod } from '../shared/resourcePeriod.ts';

export interface CheckQuery {
  readonly resourceId: string;
  readonly period: Period;
  readonly quantity: number;
  readonly persons: number;
  readonly guest: GuestTaxStatus;
  readonly promoCode?: string | undefined;
  readonly minPosition: string | undefined;
}

const checkUnits = async (context: ReadContext, loaded: LoadedPeriod, quantity: number) => {
  const { resource, period, usage, now, freshness } = loaded;
  if (period.kind === 'nightly') {
    const stay = stayOf({
      resourceId: resource.resourceId,
      config: resource.config,
      checkIn: period.checkIn,
      checkOut: period.checkOut,
      quantity,
      now: now.getTime(),
      usage,
      zoneTime: context.zoneTime,
    });
    return {
      available: stay.bookable,
      reasons: [...new Set([...stay.reasons, ...stay.nights.flatMap((n) => n.reasons)])],
      // `available` is a yes/no per night, as for timed slots; the units left are `remaining`.
      units: stay.nights.map((n) => ({
        slot: n.date,
        available: n.reasons.length === 0,
        remaining: n.available,
        reasons: n.reasons,
      })),
    };
  }
  const calendar = await context.calendarOf(resource.resourceId, freshness.asked);
  const slots = timedSlotsOf({
    config: resource.config,
    from: period.start,
    to: period.end,
    now: now.getTime(),
    quantity,
    usage,
    calendar,
    zoneTime: context.zoneTime,
  }).slots;
  // A period off the grid or outside the hours lists fewer slots than it covers.
  const whole =
    slots.length === period.slotKeys.length &&
    slots.every((s, i) => s.slotKey === period.slotKeys[i]);
  const reasons = [...new Set(slots.flatMap((s) => s.reasons))];
  return {
    available: whole && slots.every((s) => s.isAvailable),
    reasons: whole ? reasons : [...reasons, 'OUTSIDE_HOURS'],
    units: slots.map((s) => ({
      slot: s.slotKey,
      startTime: s.startTime,
      available: s.isAvailable,
      confidence: s.confidence,
      reasons: s.reasons,
    })),
  };
};

/**
 * Seed 002's availability check: the same rules as the hold (stay
 * restrictions and every night, or hours, buffers, calendar and notice for
 * timed slots) plus the price estimate a hold would quote now.
 */
export const checkAvailability = async (context: ReadContext, query: CheckQuery) => {
  const loaded = await loadResourcePeriod(
    context,
    query.resourceId,
    query.period,
    query.minPosition,
  );
  const result = await checkUnits(context, loaded, query.quantity);
  let estimate: { amount: number; currency: string } | null = null;
  let priceError: string | null = null;
  if (result.available) {
    try {
      estimate = quoteOf({
        config: loaded.resource.config,
        slotKeys: loaded.period.slotKeys,
        quantity: query.quantity,
        now: loaded.now,
        usage: loaded.usage,
        guest: query.guest,
        persons: query.persons,
        promoCode: query.promoCode ?? null,
        surgeEnabled: context.deps.surgeEnabled ?? false,
      }).total;
    } catch (error) {
      // An inapplicable promo code does not make the slots unavailable; say why there is no estimate.
      if (!(error instanceof DomainError)) throw error;
      priceError = error.message;
    }
  }
  return {
    freshness: loaded.freshness,
    body: {
      venue_id: query.resourceId,
      available: result.available,
      reasons: result.reasons,
      quantity: query.quantity,
      slots: result.units,
      estimated_price: estimate,
      price_error: priceError,
      computed_at: toIsoInstant(loaded.now.getTime()),
      stale: loaded.freshness.stale,
    },
  };
};
