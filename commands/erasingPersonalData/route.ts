import { z } from 'zod';
import { assertCanAccess } from '../../domain/access/principal.ts';
import { callerOf, idSchema } from '../shared/httpSchemas.ts';
import { defineRoute, type RouteModule } from '../shared/route.ts';
import type { WriteSide } from '../shared/writeSide.ts';
import { erasePersonalData } from './handler.ts';

const params = z.strictObject({ guestId: idSchema });

/**
 * `DELETE /api/v1/guests/{guestId}/personal-data` (issue 11): an admin, or the
 * guest themself, erases the guest's personal data by destroying its keys.
 * Idempotent: a repeat answers 200 with the same erasure.
 */
export const getErasingPersonalDataRoute = (writeSide: WriteSide): RouteModule =>
  defineRoute({
    method: 'delete',
    path: '/api/v1/guests/{guestId}/personal-data',
    summary: "Erase a guest's personal data (crypto-shredding; idempotent)",
    tags: ['guests'],
    auth: ['guest', 'admin'],
    params,
    idempotent: true,
    responses: {
      200: { description: 'Erased (now or by an earlier call): { guestId, erased, erasedAt }' },
      400: { description: 'Invalid guest id' },
      401: { description: 'Missing or invalid credentials' },
      403: { description: 'Only the guest themself or an admin may erase' },
      404: { description: 'No personal data was ever recorded for this guest' },
    },
    handler: async (context) => {
      const { guestId } = context.params;
      assertCanAccess(
        context.principal,
        { guestId },
        'write',
        `the personal data of guest ${guestId}`,
      );
      const erased = await erasePersonalData(writeSide, guestId, callerOf(context));
      return { status: 200, body: erased };
    },
  });
