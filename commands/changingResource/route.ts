import { z } from 'zod';
import { resourceChangesSchema } from '../../domain/resource/changes.ts';
import { pricingRulesSchema } from '../../domain/pricing/rules.ts';
import { defineRoute, type RouteModule } from '../shared/route.ts';
import {
  expectedVersionOf,
  resourceIdParams,
  resourceWriteAnswerSchema,
} from '../shared/resourceAdmin.ts';
import type { WriteSide } from '../shared/writeSide.ts';
import { changeResource } from './handler.ts';

const ifMatchHeaders = z.object({ 'if-match': z.string().max(100).optional() });
const versionSchema = z.number().int().min(1).max(1_000_000_000);

const responses = {
  200: { description: 'Changed (or nothing to change)', body: resourceWriteAnswerSchema },
  403: { description: 'Not the caller’s resource' },
  404: { description: 'Unknown resource' },
  409: { description: 'Version mismatch, or the resource is retired' },
} as const;

const answer = (body: { version: number }) => ({
  status: 200,
  body,
  headers: { etag: `"${body.version}"` },
});

export const getChangeResourceRoute = (writeSide: WriteSide): RouteModule =>
  defineRoute({
    method: 'patch',
    path: '/api/v1/resources/{id}',
    summary: 'Change part of a resource’s configuration',
    description:
      'Any subset of the changeable fields (vendorId, kind, zone and currency are fixed). Optional optimistic check: `version` in the body or If-Match.',
    tags: ['resources'],
    auth: ['vendor', 'admin'],
    params: resourceIdParams,
    headers: ifMatchHeaders,
    body: resourceChangesSchema.extend({ version: versionSchema.optional() }),
    idempotent: true,
    responses,
    handler: async ({ params, headers, body, principal, requestId, idempotencyKey }) => {
      const { version, ...changes } = body;
      const expected = expectedVersionOf(version, headers['if-match']);
      return answer(
        await changeResource(
          writeSide,
          params.id,
          changes,
          { principal, requestId, idempotencyKey },
          expected,
        ),
      );
    },
  });

/** A convenience over PATCH: replaces the pricing rules as one document. */
export const getPutPricingRulesRoute = (writeSide: WriteSide): RouteModule =>
  defineRoute({
    method: 'put',
    path: '/api/v1/resources/{id}/pricing-rules',
    summary: 'Replace a resource’s pricing rules',
    description:
      'The body is the whole pricing-rules document; If-Match makes it a compare-and-set.',
    tags: ['resources'],
    auth: ['vendor', 'admin'],
    params: resourceIdParams,
    headers: ifMatchHeaders,
    body: pricingRulesSchema,
    idempotent: true,
    responses,
    handler: async ({ params, headers, body, principal, requestId, idempotencyKey }) =>
      answer(
        await changeResource(
          writeSide,
          params.id,
          { pricingRules: body },
          { principal, requestId, idempotencyKey },
          expectedVersionOf(undefined, headers['if-match']),
        ),
      ),
  });
