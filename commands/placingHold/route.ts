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
import { holdWebhookOwner } from './holdWebhook.ts';
import { periodOf } from './period.ts';
import { bookingDetailsFields, holdResponseExtras, personalDataOf } from './personalDataInput.ts';

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
  /** Seed 004: a one-off webhook endpoint for this reservation's events (docs/webhooks.md). */
  webhookUrl: z.string().trim().min(1).max(2048).optional(),
  ...bookingDetailsFields,
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
      const input = {
        resourceId: b.resourceId,
        period: periodOf(b),
        quantity: b.quantity,
        guest: b.guest,
        requesterId: b.requesterId,
        promoCode: b.promoCode,
        personalData: personalDataOf({
          ...b.guest,
          specialRequests: b.specialRequests,
          notes: b.notes,
          source: b.source,
          metadata: b.metadata,
        }),
      };
      if (b.webhookUrl === undefined) {
        const { reservation, position } = await placeHold(writeSide, input, callerOf(context));
        return reservationWriteResponse(
          201,
          reservation,
          position,
          holdResponseExtras(reservation),
        );
      }
      const owner = holdWebhookOwner(context.principal, writeSide.holdWebhooks);
      const reservationId = writeSide.ids.uuid();
      const webhook = await writeSide.holdWebhooks!.register({
        owner,
        reservationId,
        url: b.webhookUrl,
      });
      try {
        const { reservation, position } = await placeHold(
          writeSide,
          { ...input, reservationId },
          callerOf(context),
        );
        return reservationWriteResponse(201, reservation, position, {
          ...holdResponseExtras(reservation),
          webhookUrl: b.webhookUrl,
          webhook: { endpointId: webhook.endpointId, secret: webhook.secret },
        });
      } catch (error) {
        await writeSide.holdWebhooks?.remove(webhook.endpointId);
        throw error;
      }
    },
  });

/** Every route of the hold use case: seed 004's, and seed 002's and seed 000's aliases. */
export const getPlacingHoldRoutes = (writeSide: WriteSide): RouteModule[] => [
  getPlacingHoldRoute(writeSide),
  getCreateBookingRoute(writeSide),
  getReserveInventoryRoute(writeSide),
];
