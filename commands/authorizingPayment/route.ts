import { z } from 'zod';
import { defineRoute, type RouteModule } from '../shared/route.ts';
import { callerOf, reservationIdParams, WRITE_ERRORS } from '../shared/httpSchemas.ts';
import { reservationWriteResponse } from '../shared/reservationBody.ts';
import type { WriteSide } from '../shared/writeSide.ts';
import { paymentStateAfterMethod } from './awaitAuthorization.ts';
import { providePaymentMethod } from './handler.ts';

const body = z.strictObject({
  /** The payment provider's token for the method (e.g. a Stripe PaymentMethod id). */
  paymentMethod: z.string().regex(/^[A-Za-z0-9_-]{3,255}$/, 'Expected a payment method token.'),
});

const PAYERS = ['guest', 'partner', 'admin'] as const;
const ACCEPTED = {
  202: {
    description:
      'Payment method recorded; the payment saga authorizes with it once the reservation awaits the requester. `paymentState` is the saga after a short bounded wait (PAYMENT_ANSWER_WAIT_MS): the authorization, or `requiresAction` with the 3-D Secure client secret',
  },
};

/** `POST /api/v1/reservations/{id}/authorize`: record the payer's payment method (PaymentMethodProvided). */
export const getAuthorizePaymentRoute = (writeSide: WriteSide): RouteModule =>
  defineRoute({
    method: 'post',
    path: '/api/v1/reservations/{id}/authorize',
    summary: 'Provide the payment method the reservation is authorized with',
    tags: ['reservations'],
    auth: PAYERS,
    params: reservationIdParams,
    body,
    idempotent: true,
    responses: { ...ACCEPTED, ...WRITE_ERRORS },
    handler: async (context) => {
      const { reservation, position } = await providePaymentMethod(
        writeSide,
        callerOf(context),
        context.params.id,
        context.body.paymentMethod,
      );
      const paymentState = await paymentStateAfterMethod(
        writeSide,
        reservation.reservationId,
        writeSide.paymentAnswerWaitMs ?? 0,
      );
      return reservationWriteResponse(202, reservation, position, { paymentState });
    },
  });

/** `POST /api/v1/reservations/{id}/confirm` (seed 003): confirming a hold is providing how to pay for it; the key is required. */
export const getConfirmReservationRoute = (writeSide: WriteSide): RouteModule =>
  defineRoute({
    method: 'post',
    path: '/api/v1/reservations/{id}/confirm',
    summary: 'Confirm a hold (seed 003): provides the payment method; Idempotency-Key required',
    tags: ['reservations'],
    auth: PAYERS,
    params: reservationIdParams,
    body,
    idempotent: 'required',
    responses: { ...ACCEPTED, ...WRITE_ERRORS },
    handler: async (context) => {
      const { reservation, position } = await providePaymentMethod(
        writeSide,
        callerOf(context),
        context.params.id,
        context.body.paymentMethod,
      );
      const paymentState = await paymentStateAfterMethod(
        writeSide,
        reservation.reservationId,
        writeSide.paymentAnswerWaitMs ?? 0,
      );
      return reservationWriteResponse(202, reservation, position, { paymentState });
    },
  });
