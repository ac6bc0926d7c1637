import type { Money } from '../../shared/money.ts';
import { roundHalfUp } from '../../shared/money.ts';
import type { TaxJurisdiction } from '../rules.ts';
import type { QuoteLine } from '../quoteSchema.ts';
import type { GuestTaxStatus } from './guestTaxStatus.ts';
import { vatDecision } from './taxRules.ts';
import { TAX_TABLE_VERSION } from './vatTable.ts';

const percentOf = (amount: Money, basisPoints: number): Money => ({
  amount: roundHalfUp(BigInt(amount.amount) * BigInt(basisPoints), 10_000n),
  currency: amount.currency,
});

/**
 * Taxes per line: one VAT line for every charge and fee line (zero-rated and
 * exempt lines too, so the quote shows why nothing was charged), and city tax
 * on accommodation lines. City tax is not itself subject to VAT. Each tax line
 * is rounded half-up on its own.
 */
export const taxLines = (
  lines: readonly QuoteLine[],
  jurisdiction: TaxJurisdiction,
  guest: GuestTaxStatus,
  persons: number,
  stayComponent: 'accommodation' | 'service',
): QuoteLine[] => {
  const out: QuoteLine[] = [];
  for (const line of lines) {
    if (line.component === 'vat' || line.component === 'cityTax') continue;
    const vat = vatDecision(line.component, line.date, jurisdiction, guest, stayComponent);
    out.push({
      id: `vat:${line.id}`,
      kind: 'tax',
      component: 'vat',
      date: line.date,
      appliesTo: line.id,
      amount: percentOf(line.amount, vat.basisPoints),
      factors: [
        {
          name: 'vatRate',
          input: vat.reason,
          value: vat.basisPoints,
          unit: 'basisPoints',
          ruleVersion: TAX_TABLE_VERSION,
        },
      ],
    });
  }
  const cityTax = jurisdiction.cityTax;
  if (cityTax === undefined) return out;
  for (const line of lines) {
    if (line.component !== 'accommodation') continue;
    const base = {
      id: `cityTax:${line.id}`,
      kind: 'tax',
      component: 'cityTax',
      date: line.date,
      appliesTo: line.id,
    } as const;
    switch (cityTax.kind) {
      case 'percentOfRoom':
        out.push({
          ...base,
          amount: percentOf(line.amount, cityTax.basisPoints),
          factors: [
            {
              name: 'cityTaxPercentOfRoom',
              input: line.id,
              value: cityTax.basisPoints,
              unit: 'basisPoints',
              ruleVersion: TAX_TABLE_VERSION,
            },
          ],
        });
        break;
      case 'perPersonPerNight':
        out.push({
          ...base,
          amount: { amount: cityTax.amount * persons, currency: line.amount.currency },
          factors: [
            {
              name: 'cityTaxPerPersonPerNight',
              input: line.date,
              value: cityTax.amount,
              unit: 'minorUnits',
              ruleVersion: TAX_TABLE_VERSION,
            },
            {
              name: 'persons',
              input: 'guest.persons',
              value: persons,
              unit: 'count',
              ruleVersion: TAX_TABLE_VERSION,
            },
          ],
        });
        break;
      default: {
        const _never: never = cityTax;
        return _never;
      }
    }
  }
  return out;
};
