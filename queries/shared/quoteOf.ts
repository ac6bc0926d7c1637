import { quote } from '../../domain/pricing/quote.ts';
import type { Quote } from '../../domain/pricing/quoteSchema.ts';
import type { GuestTaxStatus } from '../../domain/pricing/tax/guestTaxStatus.ts';
import type { ResourceConfig } from '../../domain/resource/schema.ts';
import type { SlotUsage } from './slotUsage.ts';

const FULL = 10_000;

export interface QuoteRequest {
  readonly config: ResourceConfig;
  readonly slotKeys: readonly string[];
  readonly quantity: number;
  readonly now: Date;
  readonly usage: ReadonlyMap<string, SlotUsage>;
  readonly guest: GuestTaxStatus;
  readonly persons: number;
  readonly promoCode: string | null;
  readonly surgeEnabled: boolean;
}

/**
 * The domain's `quote()` fed from the read models: occupancy per slot from
 * its usage (shown in the factors even with surge off), booking pace neutral
 * until a pace forecast read model exists.
 */
export const quoteOf = (request: QuoteRequest): Quote => {
  const occupancy: Record<string, number> = {};
  for (const slotKey of request.slotKeys) {
    const slot = request.usage.get(slotKey);
    if (slot === undefined) continue;
    const used = slot.booked + slot.held;
    occupancy[slotKey] =
      slot.capacity <= 0 ? FULL : Math.min(FULL, Math.round((used * FULL) / slot.capacity));
  }
  return quote(
    {
      kind: request.config.kind,
      timeZone: request.config.zone,
      pricingRules: request.config.pricingRules,
      taxJurisdiction: request.config.taxJurisdiction,
    },
    request.slotKeys,
    request.quantity,
    {
      now: request.now.toISOString(),
      guest: request.guest,
      persons: request.persons,
      promoCode: request.promoCode,
      occupancyBasisPoints: occupancy,
      bookingPaceBasisPoints: FULL,
      surgeEnabled: request.surgeEnabled,
    },
  );
};
