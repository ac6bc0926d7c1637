import { daysBetween, dayOfWeek, WEEKDAYS } from '../shared/time.ts';
import { roundHalfUp } from '../shared/money.ts';
import type { PricingRules } from './rules.ts';
import type { PriceFactor } from './quoteSchema.ts';

const ONE = 10_000;

/** Demand inputs computed elsewhere (the availability read model and a pace forecast); the quote only applies them. */
export interface DemandSignal {
  /** Occupancy per slot key, basis points of capacity (0–10 000); a missing key counts as 0. */
  readonly occupancyBasisPoints: Readonly<Record<string, number>>;
  /** Booking-pace multiplier, basis points (10 000 = on forecast). */
  readonly bookingPaceBasisPoints: number;
  /** The platform switch: false neutralizes occupancy and pace (both become ×1.0, still shown). */
  readonly surgeEnabled: boolean;
}

export interface UnitLineInput {
  readonly rules: PricingRules;
  readonly slotKey: string;
  readonly date: string;
  readonly bookingDate: string;
  readonly units: number;
  readonly quantity: number;
  readonly promoBasisPoints: { readonly code: string; readonly basisPoints: number } | null;
  readonly demand: DemandSignal;
}

const highest = <T>(
  items: readonly T[],
  matches: (item: T) => boolean,
  key: (item: T) => number,
): T | undefined =>
  items
    .filter(matches)
    .reduce<T | undefined>(
      (best, item) => (best === undefined || key(item) > key(best) ? item : best),
      undefined,
    );

/**
 * One night's (or slot's) price line. The whole chain is exact integer
 * arithmetic — base × season × day-of-week × occupancy × pace × lead time,
 * clamped to [minPrice, maxPrice] per unit, × quantity × (1 − length-of-stay)
 * × (1 − promo %) — and is rounded half-up exactly once, so the line is within
 * half a minor unit of the exact price its factors describe.
 */
export const unitLine = (input: UnitLineInput): { amount: number; factors: PriceFactor[] } => {
  const { rules, date, demand } = input;
  const v = rules.version;
  const factors: PriceFactor[] = [];
  const bp = (name: string, inputValue: string | number, value: number): bigint => {
    factors.push({ name, input: inputValue, value, unit: 'basisPoints', ruleVersion: v });
    return BigInt(value);
  };

  const override = rules.dateOverrides.find((o) => o.date === date);
  const base = override?.price ?? rules.basePrice;
  factors.push({
    name: override ? 'dateOverride' : 'base',
    input: date,
    value: base,
    unit: 'minorUnits',
    ruleVersion: v,
  });

  const season = rules.seasons.find((s) => s.from <= date && date <= s.to);
  // ISO weekday, 1 = Monday … 7 = Sunday.
  const weekday = WEEKDAYS.indexOf(dayOfWeek(date)) + 1;
  const dow = rules.dayOfWeek.find((d) => d.days.includes(weekday));
  const occupancy = demand.occupancyBasisPoints[input.slotKey] ?? 0;
  const tier = highest(
    rules.occupancyTiers,
    (t) => t.minOccupancyBasisPoints <= occupancy,
    (t) => t.minOccupancyBasisPoints,
  );
  const leadDays = daysBetween(input.bookingDate, date);
  const lead = highest(
    rules.leadTimeTiers,
    (t) => t.minDaysBefore <= leadDays,
    (t) => t.minDaysBefore,
  );

  let numerator =
    BigInt(base) *
    bp('season', season?.name ?? 'none', season?.basisPoints ?? ONE) *
    bp('dayOfWeek', weekday, dow?.basisPoints ?? ONE) *
    bp(
      'occupancy',
      demand.surgeEnabled ? occupancy : 'surge off',
      demand.surgeEnabled ? (tier?.basisPoints ?? ONE) : ONE,
    ) *
    bp(
      'bookingPace',
      demand.surgeEnabled ? demand.bookingPaceBasisPoints : 'surge off',
      demand.surgeEnabled ? demand.bookingPaceBasisPoints : ONE,
    ) *
    bp('leadTime', leadDays, lead?.basisPoints ?? ONE);
  const denominator = BigInt(ONE) ** 5n;

  if (rules.minPrice !== undefined && numerator < BigInt(rules.minPrice) * denominator) {
    numerator = BigInt(rules.minPrice) * denominator;
    factors.push({
      name: 'clampMin',
      input: 'minPrice',
      value: rules.minPrice,
      unit: 'minorUnits',
      ruleVersion: v,
    });
  } else if (rules.maxPrice !== undefined && numerator > BigInt(rules.maxPrice) * denominator) {
    numerator = BigInt(rules.maxPrice) * denominator;
    factors.push({
      name: 'clampMax',
      input: 'maxPrice',
      value: rules.maxPrice,
      unit: 'minorUnits',
      ruleVersion: v,
    });
  }

  factors.push({
    name: 'quantity',
    input: 'quantity',
    value: input.quantity,
    unit: 'count',
    ruleVersion: v,
  });
  const los = highest(
    rules.lengthOfStay,
    (t) => t.minUnits <= input.units,
    (t) => t.minUnits,
  );
  const losDiscount = los?.discountBasisPoints ?? 0;
  const promo = input.promoBasisPoints;
  const multiplied =
    numerator *
    BigInt(input.quantity) *
    bp('lengthOfStayDiscount', input.units, ONE - losDiscount) *
    (promo ? bp('promoPercent', promo.code, ONE - promo.basisPoints) : BigInt(ONE));
  return { amount: roundHalfUp(multiplied, denominator * BigInt(ONE) * BigInt(ONE)), factors };
};
