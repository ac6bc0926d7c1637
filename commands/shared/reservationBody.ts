import type { Reservation } from '../../domain/reservation/state.ts';
import { amountOwed } from '../../domain/reservation/state.ts';
import type { HttpResponse } from './route.ts';
import type { Checkpoint } from './eventStore.ts';

/** The reservation as write responses show it (seed 004 field names, plus seed 002's version). */
export const toReservationBody = (reservation: Reservation) => ({
  reservationId: reservation.reservationId,
  bookingReference: reservation.bookingReference,
  state: reservation.status,
  status: reservation.status,
  resourceId: reservation.resource.resourceId,
  vendorId: reservation.resource.vendorId,
  kind: reservation.resource.kind,
  slots: reservation.slots,
  quantity: reservation.quantity,
  startsAt: reservation.startsAt,
  endsAt: reservation.endsAt,
  requesterId: reservation.requesterId,
  partnerId: reservation.partnerId,
  guestId: reservation.guest.guestId,
  createdAt: reservation.requestedAt,
  expiresAt: reservation.expiresAt,
  vendorConfirmationRequired: reservation.resource.confirmationPolicy === 'vendor',
  quote: reservation.quote,
  extensionQuotes: reservation.extensionQuotes,
  amountOwed: amountOwed(reservation),
  // Whether the requester provided a payment method; the token itself stays in the log.
  paymentMethodProvided: reservation.paymentMethod !== null,
  failureReason: reservation.failureReason,
  cancellation: reservation.cancellation,
  version: reservation.version,
});

/**
 * A write's answer: the reservation, its `version` (also as ETag, for
 * If-Match) and the log `position` to pass as `X-Min-Position` — for a no-op
 * that appended nothing, the position its answer was decided at.
 */
export const reservationWriteResponse = (
  status: number,
  reservation: Reservation,
  position: Checkpoint | undefined,
  extra: Record<string, unknown> = {},
): HttpResponse => ({
  status,
  body: { ...toReservationBody(reservation), ...extra, position: position ?? null },
  headers: {
    ETag: `"${reservation.version}"`,
    Location: `/api/v1/reservations/${reservation.reservationId}`,
  },
});
