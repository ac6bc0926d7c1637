import { guestTaxStatusSchema } from '../pricing/tax/guestTaxStatus.ts';
import { z } from 'zod';
import { moneySchema } from '../pricing/quoteSchema.ts';
import { RESERVATION_STATUSES } from './status.ts';

/** Instants in events are ISO 8601 with an offset (we write UTC `Z`). */
export const instant = z.iso.datetime({ offset: true });

export const reservationStatusSchema = z.enum(RESERVATION_STATUSES);

/**
 * What the reservation needs to know about the resource at request time,
 * recorded so later decisions (which steps apply, how long holds last) do not
 * depend on the resource's later edits.
 */
export const resourceSnapshotSchema = z.object({
  resourceId: z.string().min(1),
  vendorId: z.string().min(1),
  kind: z.enum(['nightly', 'timed']),
  confirmationPolicy: z.enum(['instant', 'vendor']),
  /** The vendor's deposit to authorize (seed 004 step 4), or null when the resource has none. */
  vendorDeposit: moneySchema.nullable(),
  timeZone: z.string().min(1),
});

export const guestSchema = z.object({
  guestId: z.string().min(1),
  /** Persons staying; city tax per person per night counts them. */
  persons: z.number().int().positive(),
  /** Recorded so a modification or extension is priced for the same guest (VAT exemptions). */
  taxStatus: guestTaxStatusSchema,
});

/** Slot keys as the slot streams name them: `2026-12-24` (night) or `2026-12-24T09:00` (timed), in the resource's zone. */
export const slotKeysSchema = z.array(z.string().min(1)).min(1);

export const cancelledBySchema = z.enum([
  'guest',
  'requester',
  'partner',
  'vendor',
  'admin',
  'system',
]);

export const authorizationSchema = z.object({
  /** The payment provider's id for the authorization (a PaymentIntent id with Stripe). */
  authorizationId: z.string().min(1),
  amount: moneySchema,
});

export type ResourceSnapshot = z.infer<typeof resourceSnapshotSchema>;
export type Guest = z.infer<typeof guestSchema>;
export type CancelledBy = z.infer<typeof cancelledBySchema>;
export type Authorization = z.infer<typeof authorizationSchema>;
