import { resourceConfigSchema } from '../../domain/resource/schema.ts';
import { defineRoute, type RouteModule } from '../shared/route.ts';
import { resourceIdParams, resourceWriteAnswerSchema } from '../shared/resourceAdmin.ts';
import type { WriteSide } from '../shared/writeSide.ts';
import { registerResource } from './handler.ts';

const bodySchema = resourceConfigSchema.extend({
  /** Chosen by the client (stable ids make retries safe); a UUID is made when absent. */
  resourceId: resourceIdParams.shape.id.optional(),
});

export const getRegisterResourceRoute = (writeSide: WriteSide): RouteModule =>
  defineRoute({
    method: 'post',
    path: '/api/v1/resources',
    summary: 'Register a resource (a room type, a vendor service, a table)',
    description:
      'A vendor registers resources for their own vendorId; an admin for anyone. Registering the same configuration again answers 200 with the current version.',
    tags: ['resources'],
    auth: ['vendor', 'admin'],
    body: bodySchema,
    idempotent: true,
    responses: {
      201: { description: 'Registered', body: resourceWriteAnswerSchema },
      200: {
        description: 'Already registered with this configuration',
        body: resourceWriteAnswerSchema,
      },
      403: {
        description: 'A vendor registering for another vendor, or an id owned by another vendor',
      },
      409: { description: 'The id is registered with another configuration (ALREADY_REGISTERED)' },
    },
    handler: async ({ body, principal, requestId, idempotencyKey }) => {
      const { resourceId, ...config } = body;
      const answer = await registerResource(
        writeSide,
        { resourceId: resourceId ?? writeSide.ids.uuid(), config },
        { principal, requestId, idempotencyKey },
      );
      const { created, ...rest } = answer;
      return {
        status: created ? 201 : 200,
        body: rest,
        headers: {
          location: `/api/v1/resources/${answer.resourceId}`,
          etag: `"${answer.version}"`,
        },
      };
    },
  });
