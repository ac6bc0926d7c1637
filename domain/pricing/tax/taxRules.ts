import { ValidationError } from '../../shared/errors.ts';
import type { TaxJurisdiction } from '../rules.ts';
import type { QuoteComponent } from '../quoteSchema.ts';
import type { GuestTaxStatus } from './guestTaxStatus.ts';
import { isIsraeliTouristExempt } from './guestTaxStatus.ts';
import type { VatCategory } from './vatTable.ts';
import { findVatRow, hasAccommodationRate } from './vatTable.ts';

/** The VAT decision for one line: its rate and the reason, recorded as a quote factor. */
export interface VatDecision {
  readonly basisPoints: number;
  readonly reason: string;
}

/**
 * Which taxable supply a line is:
 * - accommodation and cleaning of a stay are the hotel's supply (cleaning is an
 *   in-hotel service and follows the stay);
 * - service is a timed resource's service, at the standard rate;
 * - platformFee is the platform's own service: never the dealer's exemptions;
 * - insurance is VAT-exempt (EU VAT Directive art. 135(1)(a); Israel taxes
 *   insurers through profit tax, not VAT on premiums).
 */
export const vatDecision = (
  component: Exclude<QuoteComponent, 'vat' | 'cityTax'>,
  date: string,
  jurisdiction: TaxJurisdiction,
  guest: GuestTaxStatus,
  stayComponent: 'accommodation' | 'service',
): VatDecision => {
  if (component === 'insurance') return { basisPoints: 0, reason: 'insurance is VAT-exempt' };
  const suppliedByDealer = component !== 'platformFee';
  const hotelSupply =
    suppliedByDealer && (component === 'accommodation' || stayComponent === 'accommodation');
  if (jurisdiction.country === 'IL' && suppliedByDealer && jurisdiction.eilatDealer) {
    return { basisPoints: 0, reason: 'Eilat dealer: VAT-exempt (Eilat Free Trade Zone Law 1985)' };
  }
  if (jurisdiction.country === 'IL' && hotelSupply && isIsraeliTouristExempt(guest)) {
    return {
      basisPoints: 0,
      reason: `tourist on ${guest.israeliVisa ?? ''} visa: zero-rated (VAT Law §30(a)(8))`,
    };
  }
  const category: VatCategory =
    hotelSupply && hasAccommodationRate(jurisdiction.country) ? 'accommodation' : 'standard';
  const found = findVatRow(jurisdiction.country, category, date);
  if (found === undefined) {
    throw new ValidationError(
      `No ${category} VAT rate is known for ${jurisdiction.country} on ${date}; add the rate to domain/pricing/tax/vatTable.ts before quoting.`,
      { country: jurisdiction.country, category, date },
      'TAX_RATE_UNKNOWN',
    );
  }
  return {
    basisPoints: found.basisPoints,
    reason: `${jurisdiction.country} ${category} rate from ${found.from} (${found.source})`,
  };
};
