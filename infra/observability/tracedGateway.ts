import { SpanKind, type Tracer } from '@opentelemetry/api';
import type { PaymentGateway } from '../../commands/payments/paymentGateway.ts';
import { withSpan } from './tracing.ts';

const call = <R>(
  tracer: Tracer,
  operation: string,
  attributes: Readonly<Record<string, string | number>>,
  fn: () => Promise<R>,
): Promise<R> =>
  withSpan(
    tracer,
    `payment.${operation}`,
    { kind: SpanKind.CLIENT, attributes: { 'payment.operation': operation, ...attributes } },
    fn,
  );

/**
 * The payment gateway with one client span per call, a child of whatever
 * runs it (the saga's span for the event or timer that asked): the trace of a
 * booking shows each authorization, capture, refund and payout. Attributes
 * name the operation, the idempotency key and the reservation, never card or
 * provider data.
 */
export const traceGateway = (gateway: PaymentGateway, tracer: Tracer): PaymentGateway => ({
  authorize: (request) =>
    call(
      tracer,
      'authorize',
      {
        'payment.idempotency_key': request.idempotencyKey,
        'reservation.id': request.metadata.reservationId,
      },
      () => gateway.authorize(request),
    ),
  capture: (request) =>
    call(tracer, 'capture', { 'payment.idempotency_key': request.idempotencyKey }, () =>
      gateway.capture(request),
    ),
  cancelAuthorization: (request) =>
    call(
      tracer,
      'cancel_authorization',
      { 'payment.idempotency_key': request.idempotencyKey },
      () => gateway.cancelAuthorization(request),
    ),
  refund: (request) =>
    call(tracer, 'refund', { 'payment.idempotency_key': request.idempotencyKey }, () =>
      gateway.refund(request),
    ),
  transfer: (request) =>
    call(
      tracer,
      'transfer',
      {
        'payment.idempotency_key': request.idempotencyKey,
        'reservation.id': request.metadata.reservationId,
      },
      () => gateway.transfer(request),
    ),
  retrievePayment: (authorizationId) =>
    call(tracer, 'retrieve_payment', {}, () => gateway.retrievePayment(authorizationId)),
  listPayments: (query) =>
    call(tracer, 'list_payments', { 'reservation.id': query.reservationId }, () =>
      gateway.listPayments(query),
    ),
});
