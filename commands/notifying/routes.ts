import { z } from 'zod';
import { ForbiddenError, NotFoundError } from '../../domain/shared/errors.ts';
import { idSchema, reservationIdParams } from '../shared/httpSchemas.ts';
import { loadAccessibleReservation } from '../shared/reservationAccess.ts';
import { defineRoute, type RouteModule } from '../shared/route.ts';
import type { WriteSide } from '../shared/writeSide.ts';
import type { NotificationLog, OptOuts } from './ports.ts';

const messageId = z.string().regex(/^\d{1,18}$/, 'Expected a notification id (digits).');
const ERRORS = {
  400: { description: 'Invalid request' },
  401: { description: 'Missing or invalid credentials' },
  403: { description: 'Not allowed for this role' },
  404: { description: 'Not found' },
} as const;

export interface NotificationRouteDeps {
  readonly writeSide: WriteSide;
  readonly log: NotificationLog;
  readonly optOuts: OptOuts;
}

/** The delivery log, the dead letters and their retry, and the guest's opt-out. */
export const getNotificationRoutes = (deps: NotificationRouteDeps): RouteModule[] => [
  defineRoute({
    method: 'get',
    path: '/api/v1/reservations/{id}/notifications',
    summary: 'The messages sent (or being sent) about a reservation, oldest first',
    description: 'Same access as reading the reservation. No addresses or bodies are shown.',
    tags: ['notifications'],
    auth: ['guest', 'vendor', 'partner', 'admin', 'auditor', 'analyst'],
    params: reservationIdParams,
    query: z.strictObject({ limit: z.coerce.number().int().min(1).max(200).default(100) }),
    responses: { 200: { description: 'The delivery log' }, ...ERRORS },
    handler: async ({ principal, params, query }) => {
      await loadAccessibleReservation(deps.writeSide, principal, params.id, 'read');
      const notifications = await deps.log.forReservation(params.id, query.limit);
      return { status: 200, body: { reservationId: params.id, notifications } };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/admin/notifications/dead-letters',
    summary: 'Messages given up after their retries, newest first (page with `before`)',
    tags: ['notifications'],
    auth: ['admin'],
    query: z.strictObject({
      limit: z.coerce.number().int().min(1).max(100).default(50),
      before: messageId.optional(),
    }),
    responses: { 200: { description: 'A page of dead letters' }, ...ERRORS },
    handler: async ({ query }) => {
      const deadLetters = await deps.log.deadLetters(query.limit, query.before);
      const last =
        deadLetters.length === query.limit ? deadLetters[deadLetters.length - 1] : undefined;
      return { status: 200, body: { deadLetters, next: last?.id ?? null } };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/api/v1/admin/notifications/dead-letters/{id}/retry',
    summary: 'Send a dead letter again (same Message-ID), with a fresh round of retries',
    tags: ['notifications'],
    auth: ['admin'],
    params: z.strictObject({ id: messageId }),
    idempotent: true,
    responses: { 202: { description: 'Queued again' }, ...ERRORS },
    handler: async ({ params }) => {
      if (!(await deps.log.retry(params.id, deps.writeSide.clock.now())))
        throw new NotFoundError(
          `No dead letter ${params.id}; list them with GET /api/v1/admin/notifications/dead-letters.`,
          { id: params.id },
          'DEAD_LETTER_NOT_FOUND',
        );
      return { status: 202, body: { id: params.id, status: 'pending' } };
    },
  }),
  defineRoute({
    method: 'put',
    path: '/api/v1/guests/{guestId}/notification-preferences',
    summary: 'Opt the guest in or out of non-transactional messages (reminders)',
    description:
      'Confirmations, changes and cancellations are always sent; `reminders: false` stops reminders.',
    tags: ['notifications'],
    auth: ['guest', 'admin'],
    params: z.strictObject({ guestId: idSchema }),
    body: z.strictObject({ reminders: z.boolean() }),
    responses: { 200: { description: 'The preference now in force' }, ...ERRORS },
    handler: async ({ principal, params, body }) => {
      if (principal.role === 'guest' && principal.guestId !== params.guestId)
        throw new ForbiddenError('A guest sets only their own notification preferences.');
      await deps.optOuts.set(params.guestId, !body.reminders, deps.writeSide.clock.now());
      return { status: 200, body: { guestId: params.guestId, reminders: body.reminders } };
    },
  }),
];
