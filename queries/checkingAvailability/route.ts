import { z } from 'zod';
import { ValidationError } from '../../domain/shared/errors.ts';
import { defineRoute, type RouteModule } from '../../commands/shared/route.ts';
import { idSchema, localDateSchema } from '../shared/httpSchemas.ts';
import type { Period } from '../../domain/availability/period.ts';
import type { ReadContext } from '../shared/readContext.ts';
import { freshnessHeaders, minPositionHeaders } from '../shared/readYourWrites.ts';
import { toGuestTaxStatus } from '../shared/httpSchemas.ts';
import { checkAvailability } from './query.ts';

/** Seed 002's booking fields (snake_case), as `POST /bookings` takes them. */
const body = z.object({
  venue_id: idSchema,
  booking_date: localDateSchema,
  end_date: localDateSchema.optional(),
  booking_time: z
    .string()
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'booking_time is a local time HH:mm.')
    .optional(),
  duration_minutes: z
    .number()
    .int()
    .min(5)
    .max(1440 * 7)
    .optional(),
  quantity: z.number().int().min(1).max(100).default(1),
  party_size: z.number().int().min(1).max(100).optional(),
  guest_nationality: z
    .string()
    .regex(/^[A-Z]{2}$/)
    .optional(),
  guest_visa_type: z.string().min(1).max(20).optional(),
  promo_code: z
    .string()
    .regex(/^[A-Za-z0-9_-]{2,32}$/)
    .optional(),
});

const periodOf = (b: z.output<typeof body>): Period => {
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
    {
      fields: ['end_date', 'booking_time', 'duration_minutes'],
    },
  );
};

/** `POST /api/v1/bookings/availability/check` (seed 002): a read, so no Idempotency-Key and nothing written. */
export const getCheckAvailabilityRoute = (context: ReadContext): RouteModule =>
  defineRoute({
    method: 'post',
    path: '/api/v1/bookings/availability/check',
    summary: 'Check whether a stay or timed booking is available, with a price estimate',
    tags: ['bookings', 'availability'],
    auth: ['guest', 'partner', 'vendor', 'admin', 'auditor'],
    body,
    headers: minPositionHeaders,
    responses: {
      200: { description: 'Available or not, with reasons per night/slot and the estimate' },
      400: { description: 'Invalid body or wrong period shape for the resource' },
      404: { description: 'No such active resource' },
    },
    handler: async ({ body: b, headers }) => {
      const { body: answer, freshness } = await checkAvailability(context, {
        resourceId: b.venue_id,
        period: periodOf(b),
        quantity: b.quantity,
        persons: b.party_size ?? b.quantity,
        guest: toGuestTaxStatus({
          citizenships: b.guest_nationality,
          israeliVisa: b.guest_visa_type,
        }),
        promoCode: b.promo_code,
        minPosition: headers['x-min-position'],
      });
      return {
        status: 200,
        body: answer,
        headers: { 'Cache-Control': 'no-store', ...freshnessHeaders(freshness) },
      };
    },
  });
