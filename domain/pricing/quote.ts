import { DateTime } from 'luxon';
import { ValidationError } from '../shared/errors.ts';
import { isLocalDate } from '../shared/time.ts';
import { allocate, roundHalfUp } from '../shared/money.ts';
import { assertComputedAmount, sumWithinCeiling } from '../shared/moneyLimits.ts';
import type { PricingRules, PromoCode, TaxJurisdiction } from './rules.ts';
import type { Quote, QuoteLine } from './quoteSchema.ts';
import type { GuestTaxStatus } from './tax/guestTaxStatus.ts';
import { taxLines } from './tax/taxLines.ts';
import { TAX_TABLE_VERSION } from './tax/vatTable.ts';
import type { DemandSignal } from './unitLine.ts';
import { unitLine } from './unitLine.ts';

/** The parts of a Resource that pricing reads. */
export interface PricedResource {
  readonly kind: 'nightly' | 'timed';
  readonly timeZone: string;
  readonly pricingRules: PricingRules;
  readonly taxJurisdiction: TaxJurisdiction;
}

export interface QuoteContext extends DemandSignal {
  /** The instant of quoting; its local date in the resource's zone is the booking date (lead time, promo validity). */
  readonly now: string;
  readonly guest: GuestTaxStatus;
  /** Persons staying, for city tax per person per night. */
  readonly persons: number;
  readonly promoCode: string | null;
}

const resolvePromo = (
  rules: PricingRules,
  code: string | null,
  bookingDate: string,
  units: number,
): PromoCode | null => {
  if (code === null) return null;
  const promo = rules.promoCodes.find((p) => p.code === code.toUpperCase());
  const valid =
    promo !== undefined &&
    (promo.validFrom === undefined || promo.validFrom <= bookingDate) &&
    (promo.validTo === undefined || bookingDate <= promo.validTo) &&
    (promo.minUnits === undefined || units >= promo.minUnits);
  if (!valid) {
    throw new ValidationError(
      `Promo code "${code}" does not apply to this booking (unknown, outside its validity on ${bookingDate}, or below its minimum stay); remove it or use another.`,
      { promoCode: code },
      'PROMO_CODE_INVALID',
    );
  }
  return promo;
};

const slotDate = (slotKey: string): string => {
  const date = slotKey.slice(0, 10);
  if (!isLocalDate(date)) {
    throw new ValidationError(
      `Slot keys start with a local date, e.g. 2026-12-24 or 2026-12-24T09:00 (got "${slotKey}").`,
    );
  }
  return date;
};

/** Σ of the lines' amounts; past MAX_MONEY_TOTAL (per line or in sum) it refuses to price. */
const sumOf = (lines: readonly QuoteLine[], currency: string, what: string) => ({
  amount: sumWithinCeiling(
    lines.map((line) => line.amount.amount),
    what,
  ),
  currency,
});

/**
 * The quote of DESIGN.md "Pricing, fees, taxes": per-unit lines, then fees,
 * then taxes per line. Pure and deterministic: same inputs, same quote.
 * Rounding: every line is rounded half-up once from exact integer arithmetic,
 * then the totals are plain sums of the rounded lines (so total = Σ lines
 * exactly, and each line is within half a minor unit of its exact value).
 */
export const quote = (
  resource: PricedResource,
  slots: readonly string[],
  quantity: number,
  context: QuoteContext,
): Quote => {
  const rules = resource.pricingRules;
  const currency = rules.currency;
  if (slots.length === 0 || new Set(slots).size !== slots.length) {
    throw new ValidationError(
      `A quote needs one or more distinct slot keys (got ${slots.join(', ') || 'none'}).`,
    );
  }
  if (!Number.isSafeInteger(quantity) || quantity < 1)
    throw new ValidationError(`quantity must be a positive whole number (got ${quantity}).`);
  const now = DateTime.fromISO(context.now, { setZone: true });
  const bookingDate = now.setZone(resource.timeZone).toISODate();
  if (!now.isValid || bookingDate === null) {
    throw new ValidationError(
      `now must be an ISO instant and timeZone an IANA zone (got "${context.now}", "${resource.timeZone}").`,
    );
  }
  const sorted = [...slots].sort();
  const units = sorted.length;
  const promo = resolvePromo(rules, context.promoCode, bookingDate, units);
  const component = resource.kind === 'nightly' ? 'accommodation' : 'service';

  const charges: QuoteLine[] = sorted.map((slotKey) => {
    const date = slotDate(slotKey);
    if (date < bookingDate)
      throw new ValidationError(
        `Slot ${slotKey} is before the booking date ${bookingDate}; it cannot be priced.`,
      );
    const percent =
      promo?.discount.kind === 'percent'
        ? { code: promo.code, basisPoints: promo.discount.discountBasisPoints }
        : null;
    const line = unitLine({
      rules,
      slotKey,
      date,
      bookingDate,
      units,
      quantity,
      promoBasisPoints: percent,
      demand: context,
    });
    assertComputedAmount(line.amount, `price of ${slotKey}`);
    return {
      id: `unit:${slotKey}`,
      kind: 'charge',
      component,
      date,
      slotKey,
      amount: { amount: line.amount, currency },
      factors: line.factors,
    };
  });

  if (promo?.discount.kind === 'fixed') {
    // A fixed promo is spread over the unit lines in proportion to their amounts, never below zero.
    const before = sumOf(charges, currency, 'subtotal').amount;
    const off = Math.min(promo.discount.amount, before);
    if (off > 0) {
      const shares = allocate(
        { amount: off, currency },
        charges.map((line) => line.amount.amount),
      );
      charges.forEach((line, i) => {
        const share = shares[i]?.amount ?? 0;
        line.amount = { amount: line.amount.amount - share, currency };
        line.factors.push({
          name: 'promoFixed',
          input: promo.code,
          value: -share,
          unit: 'minorUnits',
          ruleVersion: rules.version,
        });
      });
    }
  }

  const subtotal = sumOf(charges, currency, 'subtotal');
  const firstDate = charges[0]?.date ?? bookingDate;
  const fee = (
    id: string,
    feeComponent: 'platformFee' | 'cleaning' | 'insurance',
    amount: number,
    name: string,
    input: string,
    value: number,
    unit: 'basisPoints' | 'minorUnits',
  ): QuoteLine => {
    assertComputedAmount(amount, `${id} fee`);
    return {
      id: `fee:${id}`,
      kind: 'fee',
      component: feeComponent,
      date: firstDate,
      amount: { amount, currency },
      factors: [{ name, input, value, unit, ruleVersion: rules.version }],
    };
  };
  const percentOfSubtotal = (basisPoints: number) =>
    roundHalfUp(BigInt(subtotal.amount) * BigInt(basisPoints), 10_000n);
  const { commissionBasisPoints, cleaningPerStay, insuranceBasisPoints } = rules.fees;
  const fees: QuoteLine[] = [
    ...(commissionBasisPoints > 0
      ? [
          fee(
            'commission',
            'platformFee',
            percentOfSubtotal(commissionBasisPoints),
            'commission',
            'subtotal',
            commissionBasisPoints,
            'basisPoints',
          ),
        ]
      : []),
    ...(cleaningPerStay > 0
      ? [
          fee(
            'cleaning',
            'cleaning',
            cleaningPerStay * quantity,
            'cleaningPerStay',
            `× quantity ${quantity}`,
            cleaningPerStay,
            'minorUnits',
          ),
        ]
      : []),
    ...(insuranceBasisPoints > 0
      ? [
          fee(
            'insurance',
            'insurance',
            percentOfSubtotal(insuranceBasisPoints),
            'insurance',
            'subtotal',
            insuranceBasisPoints,
            'basisPoints',
          ),
        ]
      : []),
  ];
  const taxes = taxLines(
    [...charges, ...fees],
    resource.taxJurisdiction,
    context.guest,
    context.persons,
    component,
  );
  const lines = [...charges, ...fees, ...taxes];
  return {
    currency,
    ruleVersion: rules.version,
    taxTableVersion: TAX_TABLE_VERSION,
    quotedAt: context.now,
    quantity,
    lines,
    subtotal,
    fees: sumOf(fees, currency, 'fees'),
    taxes: sumOf(taxes, currency, 'taxes'),
    total: sumOf(lines, currency, 'total'),
  };
};
