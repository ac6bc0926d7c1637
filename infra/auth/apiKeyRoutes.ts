import { z } from 'zod';
import { defineRoute, type RouteModule } from '../../commands/shared/route.ts';
import { ROLES, type Principal } from '../../domain/access/principal.ts';
import { ForbiddenError } from '../../domain/shared/errors.ts';
import type { ApiKeyScope } from './apiKeyStore.ts';
import type { AuthService } from './authService.ts';

/** Key ids are `key_` and hex (or `env-admin`); anything else is a 400, never a query. */
const keyId = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be an API key id (letters, digits, _ and -)');
const ownerId = z
  .string()
  .trim()
  .min(1)
  .max(128)
  .regex(/^[\x21-\x7e]+$/, 'must be visible ASCII');

export const rateLimitPerMinute = z
  .number()
  .int()
  .min(1)
  .max(1_000_000)
  .describe('Requests a minute allowed to this key; replaces the default per-principal limit.');

export const apiKeyView = z.object({
  id: z.string(),
  role: z.enum(ROLES),
  label: z.string(),
  partnerId: z.string().nullable(),
  vendorId: z.string().nullable(),
  rateLimitPerMinute: z.number().int().nullable(),
  rotatedFrom: z.string().nullable().describe('The key this one replaced by rotation.'),
  createdAt: z.string(),
  revokedAt: z.string().nullable(),
});

const PARTNER_OR_ADMIN = ['admin', 'partner'] as const;

/** Admins manage every key; a partner only its own partner keys. */
const scopeOf = (principal: Principal): ApiKeyScope => {
  if (principal.role === 'admin') return { kind: 'all' };
  if (principal.role === 'partner' && principal.partnerId !== undefined) {
    return { kind: 'partner', partnerId: principal.partnerId };
  }
  throw new ForbiddenError('Only admins and partners (on their own keys) manage API keys.', {
    role: principal.role,
  });
};

const notFoundResponse = {
  description:
    'No such key among the keys the caller manages (another partner’s key is not found either).',
};

/**
 * API key management. Revoking takes effect at once on the instance that
 * served it (its key cache is evicted) and within the key cache time (5 s) on
 * every other instance. Rotation creates a new key with the same role, owner,
 * label and limit and revokes the old one in the same transaction: no overlap.
 * Lists never carry secrets or digests.
 */
export const getApiKeyRoutes = (auth: AuthService): RouteModule[] => [
  defineRoute({
    method: 'get',
    path: '/api/v1/admin/api-keys',
    summary: 'List API keys: every key for an admin, its own partner keys for a partner.',
    tags: ['admin'],
    auth: PARTNER_OR_ADMIN,
    query: z.object({
      limit: z.coerce.number().int().min(1).max(100).default(50),
      cursor: keyId.optional().describe('`nextCursor` of the previous page.'),
      partnerId: ownerId.optional(),
      includeRevoked: z.enum(['true', 'false']).default('false'),
    }),
    responses: {
      200: {
        description: 'One page of keys in id order.',
        body: z.object({ apiKeys: z.array(apiKeyView), nextCursor: z.string().nullable() }),
      },
    },
    handler: async ({ query, principal }) => {
      const scope = scopeOf(principal);
      if (
        scope.kind === 'partner' &&
        query.partnerId !== undefined &&
        query.partnerId !== scope.partnerId
      ) {
        throw new ForbiddenError('A partner lists only its own API keys.', {
          partnerId: query.partnerId,
        });
      }
      const page = await auth.apiKeys.list(scope, {
        limit: query.limit,
        after: query.cursor,
        partnerId: query.partnerId,
        includeRevoked: query.includeRevoked === 'true',
      });
      return { status: 200, body: page };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/admin/api-keys/{id}',
    summary: 'One API key (never its secret): any key for an admin, its own for a partner.',
    tags: ['admin'],
    auth: PARTNER_OR_ADMIN,
    params: z.object({ id: keyId }),
    responses: { 200: { description: 'The key.', body: apiKeyView }, 404: notFoundResponse },
    handler: async ({ params, principal }) => ({
      status: 200,
      body: await auth.apiKeys.get(params.id, scopeOf(principal)),
    }),
  }),
  defineRoute({
    method: 'delete',
    path: '/api/v1/admin/api-keys/{id}',
    summary: 'Revoke an API key at once (idempotent: a revoked key answers as it is).',
    tags: ['admin'],
    auth: PARTNER_OR_ADMIN,
    params: z.object({ id: keyId }),
    responses: {
      200: { description: 'The key, revoked.', body: apiKeyView },
      404: notFoundResponse,
      409: { description: 'ADMIN_API_KEY from the environment (API_KEY_FROM_ENVIRONMENT).' },
    },
    handler: async ({ params, principal }) => ({
      status: 200,
      body: await auth.apiKeys.revoke(params.id, scopeOf(principal)),
    }),
  }),
  defineRoute({
    method: 'post',
    path: '/api/v1/admin/api-keys/{id}/rotate',
    summary:
      'Replace an API key by a new one (same role, owner, label, limit); the old key stops at once.',
    description:
      'The new secret is in this response only. Not idempotent on purpose: a stored response would keep the secret.',
    tags: ['admin'],
    auth: PARTNER_OR_ADMIN,
    params: z.object({ id: keyId }),
    responses: {
      201: {
        description: 'The new key; store `apiKey` now, it cannot be shown again.',
        body: apiKeyView.extend({ apiKey: z.string() }),
      },
      404: notFoundResponse,
      409: { description: 'The key is revoked (API_KEY_REVOKED) or from the environment.' },
    },
    handler: async ({ params, principal }) => {
      const rotated = await auth.apiKeys.rotate(params.id, scopeOf(principal));
      return {
        status: 201,
        body: rotated,
        headers: { Location: `/api/v1/admin/api-keys/${rotated.id}` },
      };
    },
  }),
  defineRoute({
    method: 'patch',
    path: '/api/v1/admin/api-keys/{id}',
    summary: "Set an API key's own rate limit (admin only); null returns it to the default.",
    tags: ['admin'],
    auth: ['admin'],
    params: z.object({ id: keyId }),
    body: z.object({ rateLimitPerMinute: rateLimitPerMinute.nullable() }),
    responses: {
      200: { description: 'The key with its limit.', body: apiKeyView },
      404: notFoundResponse,
    },
    handler: async ({ params, body }) => ({
      status: 200,
      body: await auth.apiKeys.setRateLimit(params.id, body.rateLimitPerMinute),
    }),
  }),
];
