import { z } from 'zod';
import { defineRoute, type RouteModule } from '../../infra/http/route.ts';
import { callerOf, reservationIdParams, WRITE_ERRORS } from '../shared/httpSchemas.ts';
import { reservationWriteResponse } from '../shared/reservationBody.ts';
import type { WriteSide } from '../shared/writeSide.ts';
import { requestAuthorization } from './handler.ts';

const body = z.strictObject({
  /** The payment provider's token for the method (e.g. a Stripe PaymentMethod id). */
  paymentMethod: z.string().regex(/^[A-Za-z0-9_-]{3,255}$/, 'Expected a payment method token.'),
});

const PAYERS = ['guest', 'partner', 'admin'] as const;
const ACCEPTED = { 202: { description: 'Authorization requested; the payment saga runs it' } };

/** `POST /api/v1/reservations/{id}/authorize`: record the payer's authorization request. */
export const getAuthorizePaymentRoute = (writeSide: WriteSide): RouteModule =>
  defineRoute({
    method: 'post',
    path: '/api/v1/reservations/{id}/authorize',
    summary: 'Request the payment authorization of a reservation',
    tags: ['reservations'],
    auth: PAYERS,
    params: reservationIdParams,
    body,
    idempotent: true,
    responses: { ...ACCEPTED, ...WRITE_ERRORS },
    handler: async (context) => {
      const { reservation, position } = await requestAuthorization(
        writeSide,
        callerOf(context),
        context.params.id,
        context.body.paymentMethod,
      );
      return reservationWriteResponse(202, reservation, position);
    },
  });

/** `POST /api/v1/reservations/{id}/confirm` (seed 003): confirming a hold is asking to pay for it; the key is required. */
export const getConfirmReservationRoute = (writeSide: WriteSide): RouteModule =>
  defineRoute({
    method: 'post',
    path: '/api/v1/reservations/{id}/confirm',
    summary: 'Confirm a hold (seed 003): requests payment authorization; Idempotency-Key required',
    tags: ['reservations'],
    auth: PAYERS,
    params: reservationIdParams,
    body,
    idempotent: 'required',
    responses: { ...ACCEPTED, ...WRITE_ERRORS },
    handler: async (context) => {
      const { reservation, position } = await requestAuthorization(
        writeSide,
        callerOf(context),
        context.params.id,
        context.body.paymentMethod,
      );
      return reservationWriteResponse(202, reservation, position);
    },
  });
