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
import { answerAsVendor } from './handler.ts';

const body = z.strictObject({
  decision: z.enum(['confirm', 'decline']),
  reason: reasonSchema.optional(),
});

/** `POST /api/v1/reservations/{id}/vendor-confirmation` (seed 004 step 3). */
export const getConfirmingByVendorRoute = (writeSide: WriteSide): RouteModule =>
  defineRoute({
    method: 'post',
    path: '/api/v1/reservations/{id}/vendor-confirmation',
    summary: 'The vendor confirms or declines a request for its resource',
    tags: ['reservations'],
    auth: ['vendor', 'admin'],
    params: reservationIdParams,
    body,
    idempotent: true,
    responses: { 200: { description: 'Answer recorded' }, ...WRITE_ERRORS },
    handler: async (context) => {
      const { decision, reason } = context.body;
      const { reservation, position } = await answerAsVendor(
        writeSide,
        callerOf(context),
        context.params.id,
        decision === 'confirm'
          ? { decision }
          : { decision, reason: reason ?? 'Declined by the vendor.' },
      );
      return reservationWriteResponse(200, reservation, position);
    },
  });
