import {
  PUBLIC_EVENT_TYPES,
  PUBLIC_EVENTS_VERSION,
  publicEventJsonSchemas,
} from '../../domain/integration/publicEventSchema.ts';
import { defineRoute, type RouteModule } from '../../commands/shared/route.ts';

/** `GET /api/v1/events/schema`: the public event contract as JSON Schemas (docs/events.md). */
export const getEventSchemaRoute = (): RouteModule => {
  const body = {
    version: PUBLIC_EVENTS_VERSION,
    types: PUBLIC_EVENT_TYPES,
    schemas: publicEventJsonSchemas(),
  };
  return defineRoute({
    method: 'get',
    path: '/api/v1/events/schema',
    summary: 'JSON Schemas of the public events sent by webhooks and the NATS relay',
    tags: ['events'],
    auth: 'public',
    responses: { 200: { description: '`version`, `types` and one JSON Schema per type' } },
    handler: () => Promise.resolve({ status: 200, body }),
  });
};
