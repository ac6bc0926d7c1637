import { defineRoute, type RouteModule } from '../shared/route.ts';
import { reservationIdParams } from '../shared/httpSchemas.ts';
import type { WriteSide } from '../shared/writeSide.ts';
import { getReservation } from './query.ts';

/** `GET /api/v1/reservations/{id}` (seed 004), with the version as ETag for a later If-Match. */
export const getGettingReservationRoute = (writeSide: WriteSide): RouteModule =>
  defineRoute({
    method: 'get',
    path: '/api/v1/reservations/{id}',
    summary: 'A reservation with its state history, quote, payment state and version',
    tags: ['reservations'],
    auth: ['guest', 'partner', 'vendor', 'admin', 'auditor', 'analyst'],
    params: reservationIdParams,
    responses: {
      200: { description: 'The reservation' },
      403: { description: 'Not yours' },
      404: { description: 'Unknown reservation' },
    },
    handler: async ({ params, principal }) => {
      const body = await getReservation(writeSide, principal, params.id);
      return { status: 200, body, headers: { ETag: `"${body.version}"` } };
    },
  });
