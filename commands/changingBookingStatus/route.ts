import { z } from 'zod';
import { defineRoute, type RouteModule } from '../shared/route.ts';
import { callerOf, reservationIdParams, WRITE_ERRORS } from '../shared/httpSchemas.ts';
import { reservationWriteResponse } from '../shared/reservationBody.ts';
import type { WriteSide } from '../shared/writeSide.ts';
import { BOOKING_STATUSES, changeBookingStatus } from './handler.ts';

const body = z.strictObject({ status: z.enum(BOOKING_STATUSES) });

/** `POST /api/v1/bookings/{id}/status` (seed 002): CHECKED_IN, COMPLETED or NO_SHOW. */
export const getChangingBookingStatusRoute = (writeSide: WriteSide): RouteModule =>
  defineRoute({
    method: 'post',
    path: '/api/v1/bookings/{id}/status',
    summary: 'Check in, complete or mark a booking as no-show',
    tags: ['bookings'],
    auth: ['vendor', 'admin'],
    params: reservationIdParams,
    body,
    idempotent: true,
    responses: { 200: { description: 'Status changed' }, ...WRITE_ERRORS },
    handler: async (context) => {
      const { reservation, position, noShowFee } = await changeBookingStatus(
        writeSide,
        callerOf(context),
        context.params.id,
        context.body.status,
      );
      return reservationWriteResponse(200, reservation, position, noShowFee ? { noShowFee } : {});
    },
  });
