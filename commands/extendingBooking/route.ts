import { z } from 'zod';
import { ValidationError } from '../../domain/shared/errors.ts';
import { defineRoute, type RouteModule } from '../shared/route.ts';
import {
  callerOf,
  instantSchema,
  localDateSchema,
  reservationIdParams,
  WRITE_ERRORS,
} from '../shared/httpSchemas.ts';
import { reservationWriteResponse } from '../shared/reservationBody.ts';
import type { WriteSide } from '../shared/writeSide.ts';
import { extendBooking } from './handler.ts';

const body = z.strictObject({
  checkOut: localDateSchema.optional(),
  slotEnd: instantSchema.optional(),
});

/** `POST /api/v1/bookings/{id}/extend` (seed 001): more nights or slots, if free. */
export const getExtendingBookingRoute = (writeSide: WriteSide): RouteModule =>
  defineRoute({
    method: 'post',
    path: '/api/v1/bookings/{id}/extend',
    summary: 'Extend a booking by the nights or slots after its end',
    tags: ['bookings'],
    auth: ['guest', 'partner', 'admin'],
    params: reservationIdParams,
    body,
    idempotent: true,
    responses: { 200: { description: 'Extended' }, ...WRITE_ERRORS },
    handler: async (context) => {
      const { checkOut, slotEnd } = context.body;
      if ((checkOut === undefined) === (slotEnd === undefined)) {
        throw new ValidationError('Send either checkOut (nightly) or slotEnd (timed).');
      }
      const { reservation, position } = await extendBooking(
        writeSide,
        callerOf(context),
        context.params.id,
        checkOut !== undefined ? { checkOut } : { slotEnd: slotEnd ?? '' },
      );
      return reservationWriteResponse(200, reservation, position);
    },
  });
