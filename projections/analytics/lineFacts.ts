import type { QuoteLine } from '../../domain/pricing/quoteSchema.ts';
import { roundHalfUp } from '../../domain/shared/money.ts';
import type { BookingFacts } from './bookingFacts.ts';

/** How VAT treated a line: charged, zero-rated (Israeli tourist, VAT Law §30(a)(8)) or exempt (Eilat dealer, insurance). */
export type TaxTreatment = 'taxable' | 'zero_rated' | 'exempt';

/** One quote line of a reservation as the `analytics_lines` table stores it. */
export interface LineFact {
  readonly reservation_id: string;
  readonly line_id: string;
  readonly resource_id: string;
  readonly vendor_id: string;
  readonly partner_id: string;
  readonly currency: string;
  readonly jurisdiction: string;
  readonly guest: 'tourist' | 'resident';
  readonly local_date: string;
  readonly kind: QuoteLine['kind'];
  readonly component: QuoteLine['component'];
  readonly amount: number;
  readonly recognized: number;
  readonly base_component: string | null;
  readonly base_recognized: number | null;
  readonly rate_bp: number | null;
  readonly treatment: TaxTreatment | null;
}

/** True once the guest's money was captured (the reservation was committed). */
export const isCommitted = (facts: BookingFacts): boolean => facts.committedAt !== null;

/**
 * What of a line the business keeps: the whole line once committed, scaled by
 * (total − refunded) / total after refunds, rounded half-up per line; nothing
 * before the commit. Documented in docs/analytics.md.
 */
export const recognizedAmount = (facts: BookingFacts, amount: number): number => {
  if (!isCommitted(facts)) return 0;
  const total = facts.lines.reduce((sum, line) => sum + line.amount.amount, 0);
  if (total === 0) return 0;
  const kept = Math.max(0, total - facts.ledger.refunded);
  return roundHalfUp(BigInt(amount) * BigInt(kept), BigInt(total));
};

const treatmentOf = (line: QuoteLine): { rate: number | null; treatment: TaxTreatment | null } => {
  if (line.kind !== 'tax') return { rate: null, treatment: null };
  const factor = line.factors.find((f) => f.unit === 'basisPoints');
  const rate = factor?.value ?? null;
  if (line.component !== 'vat') return { rate, treatment: 'taxable' };
  const reason = String(factor?.input ?? '');
  if (rate === 0 && reason.startsWith('tourist on')) return { rate, treatment: 'zero_rated' };
  if (rate === 0 && reason.includes('exempt')) return { rate, treatment: 'exempt' };
  return { rate, treatment: 'taxable' };
};

/** Every current quote line of the reservation with what of it is recognized. */
export const lineFacts = (facts: BookingFacts): LineFact[] => {
  const byId = new Map(facts.lines.map((line) => [line.id, line]));
  return facts.lines.map((line) => {
    const base = line.appliesTo === undefined ? undefined : byId.get(line.appliesTo);
    const { rate, treatment } = treatmentOf(line);
    return {
      reservation_id: facts.reservationId,
      line_id: line.id,
      resource_id: facts.resourceId,
      vendor_id: facts.vendorId,
      partner_id: facts.partnerId,
      currency: line.amount.currency,
      jurisdiction: facts.jurisdiction,
      guest: facts.guest,
      local_date: line.date,
      kind: line.kind,
      component: line.component,
      amount: line.amount.amount,
      recognized: recognizedAmount(facts, line.amount.amount),
      base_component: base?.component ?? null,
      base_recognized: base === undefined ? null : recognizedAmount(facts, base.amount.amount),
      rate_bp: rate,
      treatment,
    };
  });
};
