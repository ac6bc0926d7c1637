import { z } from 'zod';
import { defineRoute, type RouteModule } from '../shared/route.ts';
import {
  callerOf,
  guestSchema,
  idSchema,
  instantSchema,
  localDateSchema,
  promoCodeSchema,
  quantitySchema,
  WRITE_ERRORS,
} from '../shared/httpSchemas.ts';
import { reservationWriteResponse } from '../shared/reservationBody.ts';
import type { WriteSide } from '../shared/writeSide.ts';
import { getCreateBookingRoute, getReserveInventoryRoute } from './aliasRoutes.ts';
import { placeHold } from './handler.ts';
import { periodOf } from './period.ts';

const body = z.strictObject({
  resourceId: idSchema,
  checkIn: localDateSchema.optional(),
  checkOut: localDateSchema.optional(),
  slotStart: instantSchema.optional(),
  slotEnd: instantSchema.optional(),
  quantity: quantitySchema.default(1),
  guest: guestSchema,
  requesterId: idSchema,
  promoCode: promoCodeSchema.optional(),
});

/** `POST /api/v1/reservations` (seed 004): place a hold. */
export const getPlacingHoldRoute = (writeSide: WriteSide): RouteModule =>
  defineRoute({
    method: 'post',
    path: '/api/v1/reservations',
    summary: 'Place a hold (a reservation in HELD)',
    tags: ['reservations'],
    auth: ['guest', 'partner', 'admin'],
    body,
    idempotent: true,
    responses: { 201: { description: 'Hold placed' }, ...WRITE_ERRORS },
    handler: async (context) => {
      const b = context.body;
      const { reservation, position } = await placeHold(
        writeSide,
        {
          resourceId: b.resourceId,
          period: periodOf(b),
          quantity: b.quantity,
          guest: b.guest,
          requesterId: b.requesterId,
          promoCode: b.promoCode,
        },
        callerOf(context),
      );
      return reservationWriteResponse(201, reservation, position);
    },
  });

/** Every route of the hold use case: seed 004's, and seed 002's and seed 000's aliases. */
export const getPlacingHoldRoutes = (writeSide: WriteSide): RouteModule[] => [
  getPlacingHoldRoute(writeSide),
  getCreateBookingRoute(writeSide),
  getReserveInventoryRoute(writeSide),
];
