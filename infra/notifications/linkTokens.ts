import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { LinkClaims, LinkTokens } from '../../commands/notifying/ports.ts';
import type { Queryable } from '../postgres/pool.ts';

const claimsSchema = z.strictObject({
  v: z.literal(1),
  jti: z.string().min(1).max(64),
  rid: z.string().min(1).max(128),
  vid: z.string().min(1).max(128),
  uid: z.string().min(1).max(64),
  exp: z.iso.datetime(),
});

/** The HMAC key: NOTIFY_LINK_SECRET, else one generated once and kept in the database. */
export const loadLinkSecret = async (db: Queryable, configured?: string): Promise<Buffer> => {
  if (configured) return Buffer.from(configured, 'utf8');
  await db.query(
    `INSERT INTO notification_link_secret (secret) VALUES ($1) ON CONFLICT (id) DO NOTHING`,
    [randomBytes(32).toString('base64url')],
  );
  const { rows } = await db.query<{ secret: string }>(
    'SELECT secret FROM notification_link_secret',
  );
  const secret = rows[0]?.secret;
  if (!secret) throw new Error('The notification link secret could not be read back.');
  return Buffer.from(secret, 'base64url');
};

/**
 * Vendor action tokens: base64url(JSON claims) "." base64url(HMAC-SHA256),
 * compared in constant time; single use through notification_link_uses.
 */
export const getHmacLinkTokens = (db: Queryable, secret: () => Promise<Buffer>): LinkTokens => {
  const mac = async (payload: string) =>
    createHmac('sha256', await secret())
      .update(payload)
      .digest();
  return {
    sign: async (claims: LinkClaims) => {
      const payload = Buffer.from(
        JSON.stringify({
          v: 1,
          jti: claims.tokenId,
          rid: claims.reservationId,
          vid: claims.vendorId,
          uid: claims.userId,
          exp: claims.expiresAt,
        }),
      ).toString('base64url');
      return `${payload}.${(await mac(payload)).toString('base64url')}`;
    },
    verify: async (token, now) => {
      const [payload, signature] = token.split('.');
      if (!payload || !signature) return { ok: false, reason: 'malformed' };
      const expected = await mac(payload);
      const given = Buffer.from(signature, 'base64url');
      if (given.length !== expected.length || !timingSafeEqual(given, expected))
        return { ok: false, reason: 'forged' };
      let parsed: z.infer<typeof claimsSchema>;
      try {
        parsed = claimsSchema.parse(JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')));
      } catch {
        return { ok: false, reason: 'malformed' };
      }
      if (Date.parse(parsed.exp) <= now.getTime()) return { ok: false, reason: 'expired' };
      return {
        ok: true,
        claims: {
          tokenId: parsed.jti,
          reservationId: parsed.rid,
          vendorId: parsed.vid,
          userId: parsed.uid,
          expiresAt: parsed.exp,
        },
      };
    },
    consume: async (tokenId, action, now) =>
      (
        await db.query(
          `INSERT INTO notification_link_uses (token_id, action, used_at) VALUES ($1, $2, $3)
           ON CONFLICT (token_id) DO NOTHING`,
          [tokenId, action, now],
        )
      ).rowCount === 1,
    release: async (tokenId) => {
      await db.query('DELETE FROM notification_link_uses WHERE token_id = $1', [tokenId]);
    },
  };
};
