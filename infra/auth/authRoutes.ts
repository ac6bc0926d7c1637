import { z } from 'zod';
import { defineRoute, type RouteModule } from '../../commands/shared/route.ts';
import { getApiKeyRoutes, rateLimitPerMinute } from './apiKeyRoutes.ts';
import type { AuthService } from './authService.ts';
import { ROLES, type Role } from '../../domain/access/principal.ts';
import { ValidationError } from '../../domain/shared/errors.ts';

const tokenPair = z.object({
  accessToken: z.string(),
  refreshToken: z.string(),
  expiresIn: z.number().int().describe('Access token lifetime in seconds.'),
  tokenType: z.literal('Bearer'),
});

const id = z.string().trim().min(1).max(128);

const OWNER_FIELD: Partial<Record<Role, 'guestId' | 'vendorId' | 'partnerId'>> = {
  guest: 'guestId',
  vendor: 'vendorId',
  partner: 'partnerId',
};

/** A guest, vendor or partner without their id could never own anything. */
const assertOwnerId = (body: {
  role: Role;
  guestId?: string | undefined;
  vendorId?: string | undefined;
  partnerId?: string | undefined;
}) => {
  const field = OWNER_FIELD[body.role];
  if (field !== undefined && body[field] === undefined) {
    throw new ValidationError(`A ${body.role} needs "${field}"; add it to the body.`, {
      issues: [
        { path: `body.${field}`, code: 'missing', message: `required for role ${body.role}` },
      ],
    });
  }
};

/**
 * Login, refresh and the admin endpoints that create users and API keys.
 * None is idempotent on purpose: their responses carry secrets, and a stored
 * response would keep a clear copy of them for 24 h. Duplicate creations are
 * refused (EMAIL_TAKEN) or harmless (an unused API key).
 */
export const getAuthRoutes = (auth: AuthService): RouteModule[] => [
  defineRoute({
    method: 'post',
    path: '/api/v1/auth/login',
    summary: 'Exchange email and password for an access token and a refresh token.',
    tags: ['auth'],
    auth: 'public',
    body: z.object({ email: z.email().max(320), password: z.string().min(1).max(1024) }),
    responses: { 200: { description: 'Tokens issued.', body: tokenPair } },
    handler: async ({ body }) => ({
      status: 200,
      body: await auth.login(body.email, body.password),
    }),
  }),
  defineRoute({
    method: 'post',
    path: '/api/v1/auth/token_refresh',
    summary: 'Rotate a refresh token: returns new tokens; the old refresh token stops working.',
    description:
      'Presenting an already rotated refresh token revokes every token of that login session.',
    tags: ['auth'],
    auth: 'public',
    body: z.object({ refreshToken: z.string().min(1).max(512) }),
    responses: { 200: { description: 'Tokens rotated.', body: tokenPair } },
    handler: async ({ body }) => ({ status: 200, body: await auth.refresh(body.refreshToken) }),
  }),
  defineRoute({
    method: 'post',
    path: '/api/v1/admin/users',
    summary: 'Create a user who logs in with email and password.',
    tags: ['admin'],
    auth: ['admin'],
    body: z.object({
      email: z.email().max(320),
      password: z.string().min(12, 'must be at least 12 characters').max(1024),
      role: z.enum(ROLES),
      vendorId: id.optional(),
      guestId: id.optional(),
      partnerId: id.optional(),
    }),
    responses: {
      201: {
        description: 'User created.',
        body: z.object({ id: z.string(), email: z.string(), role: z.enum(ROLES) }),
      },
      409: { description: 'A user with this email exists (EMAIL_TAKEN).' },
    },
    handler: async ({ body }) => {
      assertOwnerId(body);
      const user = await auth.createUser(body);
      return { status: 201, body: user, headers: { Location: `/api/v1/admin/users/${user.id}` } };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/api/v1/admin/api-keys',
    summary: 'Create an API key (partner systems); the key is in this response only.',
    tags: ['admin'],
    auth: ['admin'],
    body: z.object({
      role: z.enum(ROLES).default('partner'),
      label: z.string().trim().min(1).max(200),
      partnerId: id.optional(),
      vendorId: id.optional(),
      rateLimitPerMinute: rateLimitPerMinute.optional(),
    }),
    responses: {
      201: {
        description: 'API key created; store it now, it cannot be shown again.',
        body: z.object({
          id: z.string(),
          apiKey: z.string(),
          role: z.enum(ROLES),
          label: z.string(),
          rateLimitPerMinute: z.number().int().nullable(),
        }),
      },
    },
    handler: async ({ body }) => {
      assertOwnerId(body);
      const created = await auth.createApiKey(body);
      return {
        status: 201,
        body: {
          ...created,
          role: body.role,
          label: body.label,
          rateLimitPerMinute: body.rateLimitPerMinute ?? null,
        },
      };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/api/v1/auth/logout',
    summary: 'End the login session of the access token sent: its refresh and access tokens stop.',
    description:
      'The instance that answers stops the access tokens at once; other instances within 5 s (their session cache).',
    tags: ['auth'],
    auth: ROLES,
    headers: z.object({ authorization: z.string().max(8192) }),
    responses: { 204: { description: 'Logged out.' } },
    handler: async ({ headers }) => {
      const token = /^Bearer\s+(\S+)\s*$/i.exec(headers.authorization)?.[1];
      if (token === undefined || token.split('.').length !== 3) {
        throw new ValidationError(
          'Logout ends a login session: send the access token from POST /api/v1/auth/login (an API key has no session; revoke it instead).',
          {},
        );
      }
      await auth.logout(token);
      return { status: 204 };
    },
  }),
  ...getApiKeyRoutes(auth),
];
