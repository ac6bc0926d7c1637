import { z } from 'zod';
import { defineRoute, type RouteModule } from '../shared/route.ts';
import {
  resourceIdParams,
  resourceWriteAnswerSchema,
  writeOwnedResource,
} from '../shared/resourceAdmin.ts';
import type { WriteSide } from '../shared/writeSide.ts';

/**
 * Retires a resource: it takes no new holds; existing reservations run their
 * course. Retiring twice is a no-op answered with the current version.
 */
export const getRetireResourceRoute = (writeSide: WriteSide): RouteModule =>
  defineRoute({
    method: 'post',
    path: '/api/v1/resources/{id}/retire',
    summary: 'Retire a resource',
    tags: ['resources'],
    auth: ['vendor', 'admin'],
    params: resourceIdParams,
    body: z.object({ reason: z.string().trim().min(1).max(500) }),
    idempotent: true,
    responses: {
      200: { description: 'Retired (or already retired)', body: resourceWriteAnswerSchema },
      403: { description: 'Not the caller’s resource' },
      404: { description: 'Unknown resource' },
    },
    handler: async ({ params, body, principal, requestId, idempotencyKey }) => {
      const result = await writeOwnedResource(
        writeSide,
        params.id,
        { principal, requestId, idempotencyKey },
        () => ({
          type: 'RetireResource',
          resourceId: params.id,
          reason: body.reason,
          now: writeSide.clock.now().toISOString(),
        }),
      );
      return { status: 200, body: result, headers: { etag: `"${result.version}"` } };
    },
  });
