import { SignJWT, jwtVerify } from 'jose';
import { UnauthenticatedError } from '../../domain/shared/errors.ts';
import { isRole, type Principal } from '../../domain/access/principal.ts';

const ISSUER = 'booking-ledger';
const AUDIENCE = 'booking-ledger-api';

export interface AccessTokenOptions {
  /** HMAC secret, at least 32 bytes of entropy (config JWT_SECRET). */
  readonly secret: Uint8Array;
  /** Lifetime in seconds (default 900 = 15 minutes). */
  readonly ttlSeconds?: number;
  readonly now: () => Date;
}

export interface AccessTokens {
  readonly ttlSeconds: number;
  /** `sessionId`: the login session (refresh-token family) the token belongs to, claim `sid`. */
  issue(principal: Principal, sessionId: string): Promise<string>;
  /** Throws UnauthenticatedError for any bad, expired or foreign token, or one without a session. */
  verify(token: string): Promise<{ readonly principal: Principal; readonly sessionId: string }>;
}

const optionalString = (value: unknown): string | undefined =>
  typeof value === 'string' && value.length > 0 ? value : undefined;

export const createAccessTokens = (options: AccessTokenOptions): AccessTokens => {
  const ttlSeconds = options.ttlSeconds ?? 900;
  return {
    ttlSeconds,
    issue: async (principal, sessionId) => {
      const issuedAt = Math.floor(options.now().getTime() / 1000);
      return new SignJWT({
        role: principal.role,
        ...(principal.vendorId === undefined ? {} : { vendorId: principal.vendorId }),
        ...(principal.guestId === undefined ? {} : { guestId: principal.guestId }),
        ...(principal.partnerId === undefined ? {} : { partnerId: principal.partnerId }),
        sid: sessionId,
      })
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setSubject(principal.id)
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        .setIssuedAt(issuedAt)
        .setExpirationTime(issuedAt + ttlSeconds)
        .sign(options.secret);
    },
    verify: async (token) => {
      let payload;
      try {
        ({ payload } = await jwtVerify(token, options.secret, {
          algorithms: ['HS256'],
          issuer: ISSUER,
          audience: AUDIENCE,
          currentDate: options.now(),
        }));
      } catch (_error) {
        throw new UnauthenticatedError(
          'The access token is invalid or expired; log in again or use POST /api/v1/auth/token_refresh.',
        );
      }
      const sessionId = optionalString(payload['sid']);
      if (typeof payload.sub !== 'string' || !isRole(payload['role']) || sessionId === undefined) {
        throw new UnauthenticatedError(
          'The access token lacks a subject, role or session; log in again.',
        );
      }
      const vendorId = optionalString(payload['vendorId']);
      const guestId = optionalString(payload['guestId']);
      const partnerId = optionalString(payload['partnerId']);
      return {
        principal: {
          id: payload.sub,
          role: payload['role'],
          ...(vendorId === undefined ? {} : { vendorId }),
          ...(guestId === undefined ? {} : { guestId }),
          ...(partnerId === undefined ? {} : { partnerId }),
        },
        sessionId,
      };
    },
  };
};
