import { z } from 'zod';
import { defineRoute, type RouteModule } from '../shared/route.ts';
import {
  callerOf,
  reasonSchema,
  reservationIdParams,
  WRITE_ERRORS,
} from '../shared/httpSchemas.ts';
import { reservationWriteResponse } from '../shared/reservationBody.ts';
import type { WriteSide } from '../shared/writeSide.ts';
import { cancelReservation } from './handler.ts';

const body = z.strictObject({ reason: reasonSchema });

const cancelRoute = (writeSide: WriteSide, method: 'post' | 'patch'): RouteModule =>
  defineRoute({
    method,
    path: '/api/v1/bookings/{id}/cancel',
    summary: `Cancel a booking or hold (seed ${method === 'post' ? '002' : '000'}); releases its slots`,
    tags: ['bookings'],
    auth: ['guest', 'partner', 'vendor', 'admin'],
    params: reservationIdParams,
    body,
    idempotent: true,
    responses: {
      200: { description: 'Cancelled, with the refund the policy allows' },
      ...WRITE_ERRORS,
    },
    handler: async (context) => {
      const { reservation, position, refund } = await cancelReservation(
        writeSide,
        callerOf(context),
        context.params.id,
        context.body.reason,
      );
      return reservationWriteResponse(200, reservation, position, { refund });
    },
  });

/** `POST` (seed 002) and `PATCH` (seed 000) `/api/v1/bookings/{id}/cancel`. */
export const getCancellingBookingRoutes = (writeSide: WriteSide): RouteModule[] => [
  cancelRoute(writeSide, 'post'),
  cancelRoute(writeSide, 'patch'),
];
