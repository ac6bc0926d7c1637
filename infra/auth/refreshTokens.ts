import { randomBytes, randomUUID } from 'node:crypto';
import { UnauthenticatedError } from '../../domain/shared/errors.ts';
import { withTransaction, type Pool, type Queryable } from '../postgres/pool.ts';
import { sha256 } from './credentialStore.ts';

export interface RefreshTokenOptions {
  readonly pool: Pool;
  readonly now: () => Date;
  /** Lifetime of a refresh token in seconds (default 14 days). */
  readonly ttlSeconds?: number;
}

interface TokenRow {
  family_id: string;
  user_id: string;
  expires_at: Date;
  rotated_at: Date | null;
  revoked_at: Date | null;
}

type Rotation =
  | {
      readonly kind: 'rotated';
      readonly userId: string;
      readonly sessionId: string;
      readonly token: string;
    }
  | { readonly kind: 'refused'; readonly reason: string; readonly sessionId?: string };

/**
 * Rotating refresh tokens. Each token is usable once; using it yields a new one
 * in the same family. Presenting an already rotated token means a copy leaked,
 * so the whole family is revoked and both holders must log in again. A family
 * is a login session: its id is the `sid` of the access tokens issued with it,
 * and a revoked family ends those access tokens too (`isSessionActive`).
 */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const createRefreshTokens = (options: RefreshTokenOptions) => {
  const ttlMs = (options.ttlSeconds ?? 14 * 24 * 3600) * 1000;

  const insert = async (db: Queryable, userId: string, familyId: string): Promise<string> => {
    const token = randomBytes(32).toString('base64url');
    const now = options.now();
    await db.query(
      `INSERT INTO refresh_tokens (token_hash, family_id, user_id, created_at, expires_at)
       VALUES ($1, $2, $3, $4, $5)`,
      [sha256(token), familyId, userId, now, new Date(now.getTime() + ttlMs)],
    );
    return token;
  };

  return {
    /** Starts a new family (one per login): its id is the session id. */
    issue: async (userId: string): Promise<{ sessionId: string; token: string }> => {
      const sessionId = randomUUID();
      return { sessionId, token: await insert(options.pool, userId, sessionId) };
    },

    /**
     * Exchanges a token for its successor; throws UnauthenticatedError when
     * refused. `onRevoked` hears of a session revoked because its token was reused.
     */
    rotate: async (
      token: string,
      onRevoked?: (sessionId: string) => void,
    ): Promise<{ userId: string; sessionId: string; token: string }> => {
      // The revocation of a reused family must commit, so refusals are returned
      // from the transaction and thrown only after it.
      const outcome = await withTransaction(options.pool, async (client): Promise<Rotation> => {
        const { rows } = await client.query<TokenRow>(
          'SELECT family_id, user_id, expires_at, rotated_at, revoked_at FROM refresh_tokens WHERE token_hash = $1 FOR UPDATE',
          [sha256(token)],
        );
        const row = rows[0];
        const now = options.now();
        if (!row) return { kind: 'refused', reason: 'unknown' };
        if (row.revoked_at) return { kind: 'refused', reason: 'revoked' };
        if (row.rotated_at) {
          await client.query(
            'UPDATE refresh_tokens SET revoked_at = $2 WHERE family_id = $1 AND revoked_at IS NULL',
            [row.family_id, now],
          );
          return { kind: 'refused', reason: 'reused', sessionId: row.family_id };
        }
        if (row.expires_at.getTime() <= now.getTime())
          return { kind: 'refused', reason: 'expired' };
        await client.query('UPDATE refresh_tokens SET rotated_at = $2 WHERE token_hash = $1', [
          sha256(token),
          now,
        ]);
        return {
          kind: 'rotated',
          userId: row.user_id,
          sessionId: row.family_id,
          token: await insert(client, row.user_id, row.family_id),
        };
      });
      if (outcome.kind === 'refused') {
        if (outcome.sessionId !== undefined) onRevoked?.(outcome.sessionId);
        throw new UnauthenticatedError(
          outcome.reason === 'reused'
            ? 'This refresh token was already used, so every token of its session is now revoked; log in again.'
            : 'The refresh token is unknown, expired or revoked; log in again.',
          { reason: outcome.reason },
        );
      }
      return { userId: outcome.userId, sessionId: outcome.sessionId, token: outcome.token };
    },

    /**
     * Whether access tokens of this session may still be used: none of its
     * refresh tokens was revoked and its user exists and is not disabled.
     */
    isSessionActive: async (sessionId: string, userId: string): Promise<boolean> => {
      if (!UUID.test(sessionId) || !UUID.test(userId)) return false;
      const { rows } = await options.pool.query<{ active: boolean }>(
        `SELECT NOT u.disabled
            AND NOT EXISTS (SELECT 1 FROM refresh_tokens t
                             WHERE t.family_id = $1 AND t.revoked_at IS NOT NULL) AS active
           FROM users u WHERE u.id = $2`,
        [sessionId, userId],
      );
      return rows[0]?.active === true;
    },

    /** Revokes one session (logout). */
    revokeSession: async (sessionId: string, userId: string): Promise<void> => {
      await options.pool.query(
        'UPDATE refresh_tokens SET revoked_at = $3 WHERE family_id = $1 AND user_id = $2 AND revoked_at IS NULL',
        [sessionId, userId, options.now()],
      );
    },

    /** Revokes every session of a user (e.g. when disabling them). */
    revokeAllForUser: async (userId: string): Promise<void> => {
      await options.pool.query(
        'UPDATE refresh_tokens SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL',
        [userId, options.now()],
      );
    },
  };
};

export type RefreshTokens = ReturnType<typeof createRefreshTokens>;
