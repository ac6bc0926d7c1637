import { z } from 'zod';
import { ValidationError } from '../../domain/shared/errors.ts';
import { defineRoute, type RouteModule } from '../shared/route.ts';
import {
  callerOf,
  instantSchema,
  localDateSchema,
  quantitySchema,
  reservationIdParams,
  WRITE_ERRORS,
} from '../shared/httpSchemas.ts';
import { reservationWriteResponse } from '../shared/reservationBody.ts';
import type { WriteSide } from '../shared/writeSide.ts';
import { modifyBooking } from './handler.ts';

const body = z.strictObject({
  version: z.number().int().min(1).optional(),
  expected_version: z.number().int().min(1).optional(),
  checkIn: localDateSchema.optional(),
  checkOut: localDateSchema.optional(),
  slotStart: instantSchema.optional(),
  slotEnd: instantSchema.optional(),
  quantity: quantitySchema.optional(),
});

/** The expected version from the body (`version`/`expected_version`) or `If-Match: "3"`. */
const expectedVersionOf = (b: z.output<typeof body>, ifMatch: string | undefined): number => {
  const fromHeader =
    ifMatch === undefined ? undefined : Number(ifMatch.replace(/^W\//, '').replace(/"/g, ''));
  const candidates = [b.version, b.expected_version, fromHeader].filter((v) => v !== undefined);
  const version = candidates[0];
  if (
    version === undefined ||
    !Number.isSafeInteger(version) ||
    candidates.some((v) => v !== version)
  ) {
    throw new ValidationError(
      'Send the version you read, as "version" in the body or an If-Match header (e.g. If-Match: "3"), and only one value.',
      {},
      'VERSION_REQUIRED',
    );
  }
  return version;
};

/** `PUT /api/v1/bookings/{id}` (seed 002): change dates/times or quantity with optimistic concurrency. */
export const getModifyingBookingRoute = (writeSide: WriteSide): RouteModule =>
  defineRoute({
    method: 'put',
    path: '/api/v1/bookings/{id}',
    summary: 'Modify a booking (expected version in the body or If-Match)',
    tags: ['bookings'],
    auth: ['guest', 'partner', 'admin'],
    params: reservationIdParams,
    headers: z.object({ 'if-match': z.string().max(40).optional() }),
    body,
    idempotent: true,
    responses: { 200: { description: 'Modified' }, ...WRITE_ERRORS },
    handler: async (context) => {
      const b = context.body;
      const nights = b.checkIn !== undefined && b.checkOut !== undefined;
      const slots = b.slotStart !== undefined && b.slotEnd !== undefined;
      if (nights === slots) {
        throw new ValidationError('Send either checkIn and checkOut, or slotStart and slotEnd.');
      }
      const { reservation, position } = await modifyBooking(
        writeSide,
        callerOf(context),
        context.params.id,
        {
          expectedVersion: expectedVersionOf(b, context.headers['if-match']),
          period: nights
            ? { kind: 'nights', checkIn: b.checkIn ?? '', checkOut: b.checkOut ?? '' }
            : { kind: 'instants', start: b.slotStart ?? '', end: b.slotEnd ?? '' },
          quantity: b.quantity,
        },
      );
      return reservationWriteResponse(200, reservation, position);
    },
  });
