import { z } from 'zod';

/**
 * Configuration shapes that a Resource carries and the quote reads: pricing
 * rules, tax jurisdiction and cancellation policy. Prices are NET of VAT, in
 * integer minor units of `currency`; every multiplier is integer basis points
 * (10 000 = ×1.0, 11 500 = ×1.15) so no float ever touches an amount.
 */

const minorUnits = z.number().int().nonnegative();
const basisPoints = z.number().int().nonnegative().max(1_000_000);
const discountBasisPoints = z.number().int().nonnegative().max(10_000);
const localDate = z.iso.date();

/** A season is a local date range, both ends inclusive. */
export const seasonRuleSchema = z
  .object({ name: z.string().min(1), from: localDate, to: localDate, basisPoints })
  .refine((r) => r.from <= r.to, {
    message: 'A season must end on or after its start (from ≤ to).',
  });

/** ISO weekday 1 = Monday … 7 = Sunday, as luxon numbers them. */
export const dayOfWeekRuleSchema = z.object({
  days: z.array(z.number().int().min(1).max(7)).min(1),
  basisPoints,
});

/** Applies when the slot's occupancy (basis points of capacity) is at least `minOccupancyBasisPoints`; the highest matching tier wins. */
export const occupancyTierSchema = z.object({
  minOccupancyBasisPoints: z.number().int().min(0).max(10_000),
  basisPoints,
});

/** Applies when the slot starts at least `minDaysBefore` local days after the booking date; the highest matching tier wins. */
export const leadTimeTierSchema = z.object({
  minDaysBefore: z.number().int().nonnegative(),
  basisPoints,
});

/** Discount in basis points once the stay has at least `minUnits` nights/slots; the highest matching tier wins. */
export const lengthOfStayTierSchema = z.object({
  minUnits: z.number().int().positive(),
  discountBasisPoints,
});

export const promoCodeSchema = z.object({
  code: z
    .string()
    .regex(/^[A-Z0-9_-]{2,32}$/, 'Promo codes are 2–32 upper-case letters, digits, "_" or "-".'),
  discount: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('percent'), discountBasisPoints }),
    z.object({ kind: z.literal('fixed'), amount: minorUnits }),
  ]),
  validFrom: localDate.optional(),
  validTo: localDate.optional(),
  minUnits: z.number().int().positive().optional(),
});

export const feeRulesSchema = z.object({
  /** Platform commission charged to the guest, basis points of the accommodation/service subtotal. */
  commissionBasisPoints: discountBasisPoints.default(0),
  /** Flat cleaning fee per stay and per unit booked, minor units. */
  cleaningPerStay: minorUnits.default(0),
  /** Cancellation insurance, basis points of the accommodation/service subtotal. */
  insuranceBasisPoints: discountBasisPoints.default(0),
});

export const pricingRulesSchema = z
  .object({
    /** Recorded in every quote factor so a replay knows which rules produced a price. */
    version: z.string().min(1),
    currency: z.string().regex(/^[A-Z]{3}$/),
    /** Price of one night (nightly) or one slot (timed), net of VAT. */
    basePrice: minorUnits,
    dateOverrides: z.array(z.object({ date: localDate, price: minorUnits })).default([]),
    seasons: z.array(seasonRuleSchema).default([]),
    dayOfWeek: z.array(dayOfWeekRuleSchema).default([]),
    occupancyTiers: z.array(occupancyTierSchema).default([]),
    leadTimeTiers: z.array(leadTimeTierSchema).default([]),
    minPrice: minorUnits.optional(),
    maxPrice: minorUnits.optional(),
    lengthOfStay: z.array(lengthOfStayTierSchema).default([]),
    promoCodes: z.array(promoCodeSchema).default([]),
    fees: feeRulesSchema.default({
      commissionBasisPoints: 0,
      cleaningPerStay: 0,
      insuranceBasisPoints: 0,
    }),
  })
  .refine((r) => r.minPrice === undefined || r.maxPrice === undefined || r.minPrice <= r.maxPrice, {
    message: 'minPrice must not exceed maxPrice.',
  });

export type PricingRules = z.infer<typeof pricingRulesSchema>;
export type PromoCode = z.infer<typeof promoCodeSchema>;

export const cityTaxSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('percentOfRoom'), basisPoints: discountBasisPoints }),
  z.object({ kind: z.literal('perPersonPerNight'), amount: minorUnits }),
]);

export const taxJurisdictionSchema = z.object({
  /** ISO 3166-1 alpha-2 country whose VAT applies, e.g. "IL", "DE". */
  country: z.string().regex(/^[A-Z]{2}$/),
  /** Israel's Eilat free-trade zone: dealers located there are VAT-exempt (Eilat Free Trade Zone Law, 1985). */
  eilatDealer: z.boolean().default(false),
  cityTax: cityTaxSchema.optional(),
});

export type TaxJurisdiction = z.infer<typeof taxJurisdictionSchema>;
export type CityTax = z.infer<typeof cityTaxSchema>;

export const refundRuleSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('percent'), basisPoints: discountBasisPoints }),
  z.object({ kind: z.literal('fixed'), amount: minorUnits }),
]);

/**
 * Cancellation tiers: cancelling at least `minHoursBefore` hours before the
 * start refunds per `refund`; the tier with the largest matching threshold
 * wins; with no matching tier nothing is refunded. Refunds never exceed the
 * amount paid.
 */
export const cancellationPolicySchema = z.object({
  tiers: z.array(
    z.object({ minHoursBefore: z.number().int().nonnegative(), refund: refundRuleSchema }),
  ),
  noShowFee: refundRuleSchema.default({ kind: 'percent', basisPoints: 10_000 }),
});

export type CancellationPolicy = z.infer<typeof cancellationPolicySchema>;
export type RefundRule = z.infer<typeof refundRuleSchema>;
