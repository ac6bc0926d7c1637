import type { z } from 'zod';
import {
  bookingMetadataSchema,
  bookingSourceSchema,
  guestTextSchema,
  toPersonalData,
} from '../../domain/guest/personalDataSchema.ts';
import type { GuestPersonalData } from '../../domain/guest/personalData.ts';
import type { Reservation } from '../../domain/reservation/state.ts';

/** The booking's own personal fields beside the guest (seed 002: special requests, notes, source, metadata). */
export const bookingDetailsFields = {
  specialRequests: guestTextSchema.optional(),
  notes: guestTextSchema.optional(),
  source: bookingSourceSchema.optional(),
  /** String keys and values, at most 20 entries (docs/personal-data.md). */
  metadata: bookingMetadataSchema.optional(),
};

/** What the PII store seals for a hold; only the fields given are kept. */
export const personalDataOf = (input: {
  readonly name: string;
  readonly email?: string | undefined;
  readonly phone?: string | undefined;
  readonly language?: string | undefined;
  readonly specialRequests?: string | undefined;
  readonly notes?: string | undefined;
  readonly source?: string | undefined;
  readonly metadata?: Readonly<Record<string, string>> | undefined;
}): GuestPersonalData => toPersonalData(input);

/**
 * Seed 004's `estimatedConfirmationTime`: for a resource the vendor confirms,
 * the latest instant the vendor's answer can arrive (the hold's deadline, after
 * which it fails FAILED_VENDOR_TIMEOUT); null when the resource confirms
 * instantly (there is nothing to wait for).
 */
export const estimatedConfirmationTimeOf = (reservation: Reservation): string | null =>
  reservation.resource.confirmationPolicy === 'vendor' ? reservation.expiresAt : null;

export const holdResponseExtras = (reservation: Reservation) => ({
  estimatedConfirmationTime: estimatedConfirmationTimeOf(reservation),
});

export type BookingDetails = z.infer<z.ZodObject<typeof bookingDetailsFields>>;
