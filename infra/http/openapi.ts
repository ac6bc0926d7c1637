import { z } from 'zod';
import { errorEnvelopeSchema } from './errorResponse.ts';
import type { RouteModule } from '../../commands/shared/route.ts';

type JsonSchema = Record<string, unknown>;

export interface OpenApiInfo {
  readonly title: string;
  readonly version: string;
  readonly description?: string;
}

/** The served document's info block. */
export const API_INFO: OpenApiInfo = {
  title: 'booking-ledger API',
  version: '1',
  description:
    'Event-sourced booking ledger: holds, reservations, bookings, availability, pricing, payments.',
};

const toSchema = (schema: z.ZodType, io: 'input' | 'output'): JsonSchema => {
  // Transforms and dates have no JSON Schema; document them as "any" rather than fail start-up.
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, {
    io,
    unrepresentable: 'any',
    target: 'draft-2020-12',
  });
  return rest;
};

const errorResponse = (description: string) => ({
  description,
  content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorEnvelope' } } },
});

const toParameters = (schema: z.ZodType | undefined, location: 'path' | 'query' | 'header') => {
  if (!(schema instanceof z.ZodObject)) return [];
  const shape = schema.shape as Record<string, z.ZodType>;
  return Object.entries(shape).map(([name, property]) => ({
    name,
    in: location,
    required: location === 'path' || !property.safeParse(undefined).success,
    schema: toSchema(property, 'input'),
    ...(property.description === undefined ? {} : { description: property.description }),
  }));
};

const toOperation = (route: RouteModule) => {
  const { params, query, body, headers } = route.schemas;
  const responses: Record<string, unknown> = {};
  for (const [status, spec] of Object.entries(route.responses)) {
    responses[status] = {
      description: spec.description,
      ...(spec.body
        ? { content: { 'application/json': { schema: toSchema(spec.body, 'output') } } }
        : {}),
    };
  }
  responses['400'] ??= errorResponse('Invalid request (envelope with details.issues).');
  if (route.auth !== 'public') {
    responses['401'] ??= errorResponse('Missing or invalid credentials.');
    responses['403'] ??= errorResponse(`Allowed roles: ${route.auth.join(', ')}.`);
  }
  if (body) {
    responses['413'] ??= errorResponse('Body too large.');
    responses['415'] ??= errorResponse(
      `Body is not application/json${route.rawBody ? ` or ${route.rawBody}` : ''}.`,
    );
  }
  if (route.idempotent) {
    responses['409'] ??= errorResponse(
      'Conflict, or the first request with this Idempotency-Key is still running.',
    );
    responses['422'] ??= errorResponse('Idempotency-Key reused with a different request.');
  }
  responses['429'] ??= errorResponse('Rate limited; see Retry-After.');
  responses['500'] ??= errorResponse('Internal error (a bug; retryable).');

  const idempotencyHeader = route.idempotent
    ? [
        {
          name: 'Idempotency-Key',
          in: 'header',
          required: route.idempotent === 'required',
          schema: { type: 'string', maxLength: 255 },
        },
      ]
    : [];
  return {
    summary: route.summary,
    ...(route.description === undefined ? {} : { description: route.description }),
    ...(route.tags === undefined ? {} : { tags: route.tags }),
    operationId: `${route.method}${route.path.replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ?? '').toUpperCase())}`,
    ...(route.auth === 'public' ? { security: [] } : { 'x-roles': route.auth }),
    parameters: [
      ...toParameters(params, 'path'),
      ...toParameters(query, 'query'),
      ...toParameters(headers, 'header'),
      ...idempotencyHeader,
    ],
    ...(body
      ? {
          requestBody: {
            required: true,
            content: {
              'application/json': { schema: toSchema(body, 'input') },
              ...(route.rawBody ? { [route.rawBody]: { schema: { type: 'string' } } } : {}),
            },
          },
        }
      : {}),
    responses,
  };
};

/** OpenAPI 3.1 generated from the routes' zod schemas (JSON Schema 2020-12 dialect). */
export const createOpenApiDocument = (routes: readonly RouteModule[], info: OpenApiInfo) => {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    if (route.aliasOf !== undefined) continue;
    (paths[route.path] ??= {})[route.method] = toOperation(route);
  }
  return {
    openapi: '3.1.0',
    info: { ...info, license: { name: 'UNLICENSED', identifier: 'UNLICENSED' } },
    // Relative: a client resolves the paths against wherever it fetched this document.
    servers: [{ url: '/', description: 'The server that serves this document.' }],
    paths,
    components: {
      schemas: { ErrorEnvelope: toSchema(errorEnvelopeSchema, 'output') },
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          description: 'A partner/admin API key or a JWT access token.',
        },
      },
    },
    security: [{ bearer: [] }],
  };
};
