import { z } from 'zod';

/**
 * What tax rules need to know about the guest. Citizenships are all of them,
 * so a dual Israeli citizen is visibly Israeli.
 */
export const guestTaxStatusSchema = z.object({
  citizenships: z.array(z.string().regex(/^[A-Z]{2}$/)).default([]),
  /** The Israeli visa class the guest entered on, e.g. "B/2"; null for citizens and residents. */
  israeliVisa: z.string().nullable().default(null),
});

export type GuestTaxStatus = z.infer<typeof guestTaxStatusSchema>;

/** B/2 tourist, B/3 (entered through Allenby/Jordan crossings), B/4 volunteer. */
const TOURIST_VISAS: ReadonlySet<string> = new Set(['B/2', 'B/3', 'B/4']);

/**
 * Israeli VAT Law §30(a)(8) zero-rates hotel accommodation and in-hotel
 * services to a "tourist": a foreign resident on a B/2, B/3 or B/4 visa.
 * Israeli citizens never qualify, including dual citizens entering on a
 * foreign passport.
 */
export const isIsraeliTouristExempt = (guest: GuestTaxStatus): boolean =>
  !guest.citizenships.includes('IL') &&
  guest.israeliVisa !== null &&
  TOURIST_VISAS.has(guest.israeliVisa);
