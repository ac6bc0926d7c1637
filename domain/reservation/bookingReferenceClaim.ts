import { z } from 'zod';
import { defineEvent, type DomainEvent } from '../shared/eventDefinition.ts';
import { assertBookingReference } from './bookingReference.ts';

/**
 * Booking references are unique because each one is claimed by appending to
 * its own `bookingref-{reference}` stream with expected revision `no_stream`,
 * in the same write as the reservation: a second reservation drawing the same
 * reference loses that append and draws again.
 */
export const BookingReferenceClaimed = defineEvent(
  'BookingReferenceClaimed',
  1,
  z.object({ bookingReference: z.string(), reservationId: z.string(), claimedAt: z.string() }),
);

export const BOOKING_REFERENCE_EVENTS = [BookingReferenceClaimed] as const;

export type BookingReferenceClaimedEvent = DomainEvent<
  'BookingReferenceClaimed',
  z.infer<typeof BookingReferenceClaimed.schema>
>;

export const bookingReferenceStream = (reference: string): string =>
  `bookingref-${assertBookingReference(reference)}`;

export const claimBookingReference = (
  bookingReference: string,
  reservationId: string,
  now: string,
): BookingReferenceClaimedEvent => ({
  type: 'BookingReferenceClaimed',
  data: { bookingReference, reservationId, claimedAt: now },
});
