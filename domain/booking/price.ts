import { quote } from '../pricing/quote.ts';
import type { Quote } from '../pricing/quoteSchema.ts';
import type { GuestTaxStatus } from '../pricing/tax/guestTaxStatus.ts';
import type { ResourceConfig } from '../resource/schema.ts';
import { slotStream, type SlotKey } from '../shared/streams.ts';
import type { EpochMillis } from '../shared/time.ts';
import { activeHeldQuantity, bookedQuantity, capacityOf } from '../slot/state.ts';
import type { LoadedSlots } from './loaded.ts';

/** What the guest tells us that pricing needs (tax status, persons for city tax). */
export interface GuestFacts {
  readonly taxStatus: GuestTaxStatus;
  readonly persons: number;
}

export interface PriceRequest {
  readonly config: ResourceConfig;
  readonly slotKeys: readonly SlotKey[];
  readonly resourceId: string;
  readonly quantity: number;
  readonly slots: LoadedSlots;
  readonly now: EpochMillis;
  readonly guest: GuestFacts;
  readonly promoCode: string | null;
  /** The platform's surge switch (config SURGE_ENABLED); off neutralises occupancy and pace. */
  readonly surgeEnabled: boolean;
}

const FULL = 10_000;

/** Occupancy of each slot in basis points of its capacity, from the loaded slot streams. */
export const occupancyOf = (request: PriceRequest): Record<string, number> => {
  const occupancy: Record<string, number> = {};
  for (const slotKey of request.slotKeys) {
    const state = request.slots.get(slotStream(request.resourceId, slotKey))?.state;
    if (state === undefined) continue;
    const capacity = capacityOf(state, request.config.capacity);
    const used = activeHeldQuantity(state, request.now) + bookedQuantity(state);
    occupancy[slotKey] =
      capacity <= 0 ? FULL : Math.min(FULL, Math.round((used * FULL) / capacity));
  }
  return occupancy;
};

/**
 * Prices slots with the domain's `quote()`. The occupancy tier reads the slot
 * streams loaded for the decision; the booking pace is neutral (×1.0) until a
 * pace forecast read model feeds it, and it still shows in the quote's factors.
 */
export const priceSlots = (request: PriceRequest): Quote =>
  quote(
    {
      kind: request.config.kind,
      timeZone: request.config.zone,
      pricingRules: request.config.pricingRules,
      taxJurisdiction: request.config.taxJurisdiction,
    },
    request.slotKeys,
    request.quantity,
    {
      now: new Date(request.now).toISOString(),
      guest: request.guest.taxStatus,
      persons: request.guest.persons,
      promoCode: request.promoCode,
      occupancyBasisPoints: occupancyOf(request),
      bookingPaceBasisPoints: FULL,
      surgeEnabled: request.surgeEnabled,
    },
  );
