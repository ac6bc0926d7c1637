import { ForbiddenError, UnauthenticatedError } from '../../domain/shared/errors.ts';
import type { Pool } from '../postgres/pool.ts';
import { createAccessTokens } from './accessTokens.ts';
import { getApiKeyStore, type ApiKeyScope } from './apiKeyStore.ts';
import { getCredentialStore, sha256, type NewApiKey, type UserRecord } from './credentialStore.ts';
import { hashPassword, verifyPassword, type PasswordHashOptions } from './passwords.ts';
import type { Principal, Role } from '../../domain/access/principal.ts';
import { createRefreshTokens } from './refreshTokens.ts';
import type { AuthenticatedPrincipal } from '../http/ports.ts';

export interface AuthServiceOptions {
  readonly pool: Pool;
  /** HMAC secret for access tokens (config JWT_SECRET, or random per process). */
  readonly jwtSecret: Uint8Array;
  readonly now?: () => Date;
  /** Access token lifetime in seconds (default 900). */
  readonly accessTokenTtlSeconds?: number;
  /** Refresh token lifetime in seconds (default 14 days). */
  readonly refreshTokenTtlSeconds?: number;
  /** scrypt cost; tests lower it (default N=2^15, r=8, p=1). */
  readonly passwordCost?: PasswordHashOptions;
  /**
   * How long a verified API key's principal is reused without asking Postgres, in
   * milliseconds (default 5000; 0 looks every key up on every request). A key
   * revoked or deleted in the database stops working within this time.
   */
  readonly apiKeyCacheTtlMs?: number;
  /**
   * How long an access token's session is known to be active without asking
   * Postgres, in milliseconds (default 5000; 0 asks on every request). A session
   * revoked on another instance (refresh-token reuse, logout, a disabled user)
   * stops its access tokens there within this time; on the instance that
   * revoked it, at once.
   */
  readonly sessionCacheTtlMs?: number;
}

export interface TokenPair {
  readonly accessToken: string;
  readonly refreshToken: string;
  /** Access token lifetime in seconds. */
  readonly expiresIn: number;
  readonly tokenType: 'Bearer';
}

export interface CreateUserInput {
  readonly email: string;
  readonly password: string;
  readonly role: Role;
  readonly vendorId?: string | undefined;
  readonly guestId?: string | undefined;
  readonly partnerId?: string | undefined;
}

// Bounds the API key cache; when full it is cleared rather than tracked per entry.
const API_KEY_CACHE_MAX_ENTRIES = 10_000;

const SESSION_CACHE_MAX_ENTRIES = 10_000;

// A JWT is three base64url segments; anything else presented as a bearer is an API key.
const JWT_SHAPE = /^[\w-]+\.[\w-]+\.[\w-]+$/;

const toPrincipal = (user: UserRecord): Principal => ({
  id: user.id,
  role: user.role,
  ...(user.vendorId === undefined ? {} : { vendorId: user.vendorId }),
  ...(user.guestId === undefined ? {} : { guestId: user.guestId }),
  ...(user.partnerId === undefined ? {} : { partnerId: user.partnerId }),
});

export const createAuthService = (options: AuthServiceOptions) => {
  const now = options.now ?? (() => new Date());
  const store = getCredentialStore(options.pool);
  const apiKeyStore = getApiKeyStore(options.pool);
  const accessTokens = createAccessTokens({
    secret: options.jwtSecret,
    now,
    ...(options.accessTokenTtlSeconds === undefined
      ? {}
      : { ttlSeconds: options.accessTokenTtlSeconds }),
  });
  const refreshTokens = createRefreshTokens({
    pool: options.pool,
    now,
    ...(options.refreshTokenTtlSeconds === undefined
      ? {}
      : { ttlSeconds: options.refreshTokenTtlSeconds }),
  });
  // Unknown emails still pay for one scrypt so response time does not reveal which emails exist.
  let decoyHash: Promise<string> | undefined;
  // Only known keys are cached: unknown ones always reach Postgres, so a key
  // created a moment ago works at once and random guesses cannot fill the cache.
  const apiKeyCacheTtlMs = options.apiKeyCacheTtlMs ?? 5000;
  const knownApiKeys = new Map<
    string,
    { readonly principal: AuthenticatedPrincipal; readonly until: number }
  >();
  const findPrincipalByApiKey = async (
    apiKey: string,
  ): Promise<AuthenticatedPrincipal | undefined> => {
    if (apiKeyCacheTtlMs <= 0) return store.findPrincipalByApiKey(apiKey);
    const at = now().getTime();
    const digest = sha256(apiKey);
    const cached = knownApiKeys.get(digest);
    if (cached !== undefined && cached.until > at) return cached.principal;
    const principal = await store.findPrincipalByApiKey(apiKey);
    if (principal === undefined) {
      knownApiKeys.delete(digest);
      return undefined;
    }
    if (knownApiKeys.size >= API_KEY_CACHE_MAX_ENTRIES) knownApiKeys.clear();
    knownApiKeys.set(digest, { principal, until: at + apiKeyCacheTtlMs });
    return principal;
  };
  const forgetApiKey = (id: string) => {
    for (const [digest, entry] of knownApiKeys) {
      if (entry.principal.id === id) knownApiKeys.delete(digest);
    }
  };

  const sessionCacheTtlMs = options.sessionCacheTtlMs ?? 5000;
  const activeSessions = new Map<string, number>();
  const forgetSession = (sessionId: string) => activeSessions.delete(sessionId);
  const assertSessionActive = async (sessionId: string, userId: string): Promise<void> => {
    const at = now().getTime();
    const until = activeSessions.get(sessionId);
    if (until !== undefined && until > at) return;
    if (!(await refreshTokens.isSessionActive(sessionId, userId))) {
      activeSessions.delete(sessionId);
      throw new UnauthenticatedError(
        'The session of this access token was revoked (logout, a reused refresh token or a disabled account); log in again.',
      );
    }
    if (sessionCacheTtlMs <= 0) return;
    if (activeSessions.size >= SESSION_CACHE_MAX_ENTRIES) activeSessions.clear();
    activeSessions.set(sessionId, at + sessionCacheTtlMs);
  };
  const verifyAccessToken = async (token: string): Promise<Principal> => {
    const { principal, sessionId } = await accessTokens.verify(token);
    await assertSessionActive(sessionId, principal.id);
    return principal;
  };

  const decoy = () => (decoyHash ??= hashPassword('decoy password', options.passwordCost));

  const issuePair = async (
    principal: Principal,
    session: { readonly sessionId: string; readonly token: string },
  ): Promise<TokenPair> => ({
    accessToken: await accessTokens.issue(principal, session.sessionId),
    refreshToken: session.token,
    expiresIn: accessTokens.ttlSeconds,
    tokenType: 'Bearer',
  });

  return {
    /**
     * Resolves `Authorization: Bearer <JWT or API key>`. Undefined when the header
     * is absent; UnauthenticatedError when it is present but not valid.
     */
    authenticate: async (
      authorization: string | undefined,
    ): Promise<AuthenticatedPrincipal | undefined> => {
      if (authorization === undefined || authorization === '') return undefined;
      const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
      const credential = match?.[1];
      if (credential === undefined) {
        throw new UnauthenticatedError(
          'The Authorization header must be "Bearer <API key or access token>".',
        );
      }
      if (JWT_SHAPE.test(credential)) return verifyAccessToken(credential);
      const principal = await findPrincipalByApiKey(credential);
      if (!principal)
        throw new UnauthenticatedError(
          'The API key is unknown or revoked; ask an admin for a new one.',
        );
      return principal;
    },

    login: async (email: string, password: string): Promise<TokenPair> => {
      const user = await store.findUserByEmail(email);
      const valid = await verifyPassword(password, user?.passwordHash ?? (await decoy()));
      if (!user || !valid || user.disabled) {
        throw new UnauthenticatedError('The email or password is wrong; check both and try again.');
      }
      return issuePair(toPrincipal(user), await refreshTokens.issue(user.id));
    },

    /** Ends the session of `accessToken` (its refresh tokens and every access token of it). */
    logout: async (accessToken: string): Promise<void> => {
      const { principal, sessionId } = await accessTokens.verify(accessToken);
      await refreshTokens.revokeSession(sessionId, principal.id);
      forgetSession(sessionId);
    },

    refresh: async (refreshToken: string): Promise<TokenPair> => {
      const rotated = await refreshTokens.rotate(refreshToken, forgetSession);
      const user = await store.findUserById(rotated.userId);
      if (!user || user.disabled) {
        await refreshTokens.revokeAllForUser(rotated.userId);
        forgetSession(rotated.sessionId);
        throw new ForbiddenError('This account is disabled; contact an admin.');
      }
      return issuePair(toPrincipal(user), rotated);
    },

    createUser: async (input: CreateUserInput): Promise<Principal & { readonly email: string }> => {
      const user = await store.insertUser({
        ...input,
        passwordHash: await hashPassword(input.password, options.passwordCost),
      });
      return { ...toPrincipal(user), email: user.email };
    },

    /** The clear key is in the result and nowhere else; show it once. */
    createApiKey: (key: NewApiKey) => store.insertApiKey(key),

    /**
     * Listing, revoking, rotating and limiting keys within a scope. Each change
     * evicts the key from this instance's cache at once; other instances stop
     * accepting a revoked key within `apiKeyCacheTtlMs`.
     */
    apiKeys: {
      list: apiKeyStore.list,
      get: apiKeyStore.get,
      revoke: async (id: string, scope: ApiKeyScope) => {
        const key = await apiKeyStore.revoke(id, scope, now());
        forgetApiKey(id);
        return key;
      },
      rotate: async (id: string, scope: ApiKeyScope) => {
        const key = await apiKeyStore.rotate(id, scope, now());
        forgetApiKey(id);
        return key;
      },
      setRateLimit: async (id: string, perMinute: number | null) => {
        const key = await apiKeyStore.setRateLimit(id, perMinute);
        forgetApiKey(id);
        return key;
      },
    },
  };
};

export type AuthService = ReturnType<typeof createAuthService>;
