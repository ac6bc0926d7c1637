import { z } from 'zod';
import { ValidationError } from '../../domain/shared/errors.ts';
import { defineRoute, type RouteModule } from '../shared/route.ts';
import type { HoldPeriod } from '../../domain/booking/holdPeriod.ts';
import {
  callerOf,
  countryCodeSchema,
  idSchema,
  localDateSchema,
  localTimeSchema,
  promoCodeSchema,
  quantitySchema,
  WRITE_ERRORS,
} from '../shared/httpSchemas.ts';
import { reservationWriteResponse } from '../shared/reservationBody.ts';
import type { WriteSide } from '../shared/writeSide.ts';
import { placeHold } from './handler.ts';
import { periodOf } from './period.ts';
import { holdResponseExtras, personalDataOf } from './personalDataInput.ts';
import {
  bookingMetadataSchema,
  bookingSourceSchema,
  guestEmailSchema,
  guestLanguageSchema,
  guestNameSchema,
  guestPhoneSchema,
  guestTextSchema,
} from '../../domain/guest/personalDataSchema.ts';

/** Seed 002's booking fields (snake_case); the guest's personal fields are sealed by the PII store. */
const bookingBody = z.strictObject({
  venue_id: idSchema,
  guest_id: idSchema.optional(),
  guest_name: guestNameSchema,
  guest_email: guestEmailSchema.optional(),
  guest_phone: guestPhoneSchema.optional(),
  guest_language: guestLanguageSchema.optional(),
  guest_nationality: countryCodeSchema.optional(),
  guest_visa_type: z.string().min(1).max(20).optional(),
  party_size: z.number().int().min(1).max(100),
  booking_date: localDateSchema,
  /** Timed venues: local start time and duration. */
  booking_time: localTimeSchema.optional(),
  duration_minutes: z
    .number()
    .int()
    .min(5)
    .max(1440 * 7)
    .optional(),
  /** Nightly venues: the check-out date (booking_date is the check-in). */
  end_date: localDateSchema.optional(),
  quantity: quantitySchema.default(1),
  special_requests: guestTextSchema.optional(),
  /** Seed 002's `internal_notes`; `notes` is accepted too. */
  internal_notes: guestTextSchema.optional(),
  notes: guestTextSchema.optional(),
  promo_code: promoCodeSchema.optional(),
  source: bookingSourceSchema.optional(),
  metadata: bookingMetadataSchema.optional(),
});

const bookingPeriod = (b: z.output<typeof bookingBody>): HoldPeriod => {
  if (b.end_date !== undefined && b.booking_time === undefined && b.duration_minutes === undefined)
    return { kind: 'nights', checkIn: b.booking_date, checkOut: b.end_date };
  if (b.end_date === undefined && b.booking_time !== undefined && b.duration_minutes !== undefined)
    return {
      kind: 'localTime',
      date: b.booking_date,
      time: b.booking_time,
      durationMinutes: b.duration_minutes,
    };
  throw new ValidationError(
    'Send end_date for a nightly stay, or booking_time and duration_minutes for a timed booking.',
    { fields: ['end_date', 'booking_time', 'duration_minutes'] },
  );
};

/** `POST /api/v1/bookings` (seed 002 create): the hold flow under seed 002's field names. */
export const getCreateBookingRoute = (writeSide: WriteSide): RouteModule =>
  defineRoute({
    method: 'post',
    path: '/api/v1/bookings',
    summary: 'Create a booking (seed 002); starts as a hold',
    tags: ['bookings'],
    auth: ['guest', 'partner', 'admin'],
    body: bookingBody,
    idempotent: true,
    responses: { 201: { description: 'Booking created (HELD)' }, ...WRITE_ERRORS },
    handler: async (context) => {
      const b = context.body;
      const { reservation, position } = await placeHold(
        writeSide,
        {
          resourceId: b.venue_id,
          period: bookingPeriod(b),
          quantity: b.quantity,
          guest: {
            guestId: b.guest_id,
            persons: b.party_size,
            nationality: b.guest_nationality,
            visaType: b.guest_visa_type,
          },
          requesterId: b.guest_id,
          promoCode: b.promo_code,
          personalData: personalDataOf({
            name: b.guest_name,
            email: b.guest_email,
            phone: b.guest_phone,
            language: b.guest_language,
            specialRequests: b.special_requests,
            notes: b.internal_notes ?? b.notes,
            source: b.source,
            metadata: b.metadata,
          }),
        },
        callerOf(context),
      );
      return reservationWriteResponse(201, reservation, position, {
        ...holdResponseExtras(reservation),
        id: reservation.reservationId,
        booking_reference: reservation.bookingReference,
      });
    },
  });

/** Seed 000's reserve: `sku` is the resource, `dates` an ISO 8601 interval of dates or instants. */
const reserveBody = z.strictObject({
  sku: idSchema,
  dates: z.string().min(3).max(80),
  quantity: quantitySchema.default(1),
  customer_id: idSchema,
  customer_name: guestNameSchema.optional(),
  customer_email: guestEmailSchema.optional(),
  customer_phone: guestPhoneSchema.optional(),
  promo_code: promoCodeSchema.optional(),
});

const intervalPeriod = (dates: string): HoldPeriod => {
  const [from = '', to = '', ...rest] = dates.split('/');
  const isDate = (s: string) => localDateSchema.safeParse(s).success;
  if (rest.length === 0 && isDate(from) && isDate(to))
    return periodOf({ checkIn: from, checkOut: to });
  if (rest.length === 0 && from.includes('T') && to.includes('T'))
    return periodOf({ slotStart: from, slotEnd: to });
  throw new ValidationError(
    `dates must be an ISO 8601 interval such as 2026-12-24/2026-12-26 or 2026-12-24T09:00:00Z/2026-12-24T10:00:00Z (got "${dates}").`,
  );
};

/** `POST /api/v1/inventory/reserve` (seed 000): the hold flow under seed 000's field names. */
export const getReserveInventoryRoute = (writeSide: WriteSide): RouteModule =>
  defineRoute({
    method: 'post',
    path: '/api/v1/inventory/reserve',
    summary: 'Reserve inventory (seed 000); places a hold',
    tags: ['inventory'],
    auth: ['guest', 'partner', 'admin'],
    body: reserveBody,
    idempotent: true,
    responses: { 201: { description: 'Reserved (HELD)' }, ...WRITE_ERRORS },
    handler: async (context) => {
      const b = context.body;
      const { reservation, position } = await placeHold(
        writeSide,
        {
          resourceId: b.sku,
          period: intervalPeriod(b.dates),
          quantity: b.quantity,
          guest: { guestId: b.customer_id },
          requesterId: b.customer_id,
          promoCode: b.promo_code,
          // Seed 000 names no guest fields beyond the customer; without a name nothing is recorded.
          personalData:
            b.customer_name === undefined
              ? undefined
              : personalDataOf({
                  name: b.customer_name,
                  email: b.customer_email,
                  phone: b.customer_phone,
                }),
        },
        callerOf(context),
      );
      return reservationWriteResponse(201, reservation, position, {
        ...holdResponseExtras(reservation),
        reservation_id: reservation.reservationId,
      });
    },
  });
