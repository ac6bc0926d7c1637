import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { ConflictError } from '../../domain/shared/errors.ts';
import type { Queryable } from '../postgres/pool.ts';
import type { Principal, Role } from '../../domain/access/principal.ts';
import type { AuthenticatedPrincipal } from '../http/ports.ts';

export const sha256 = (value: string): string => createHash('sha256').update(value).digest('hex');

export interface NewUser {
  readonly email: string;
  readonly passwordHash: string;
  readonly role: Role;
  readonly vendorId?: string | undefined;
  readonly guestId?: string | undefined;
  readonly partnerId?: string | undefined;
}

export interface UserRecord extends Principal {
  readonly email: string;
  readonly passwordHash: string;
  readonly disabled: boolean;
}

export interface NewApiKey {
  readonly role: Role;
  readonly label: string;
  readonly partnerId?: string | undefined;
  readonly vendorId?: string | undefined;
  /** Requests a minute for this key (admin-set); absent → the default per-principal limit. */
  readonly rateLimitPerMinute?: number | undefined;
  /** The key a rotation replaces. */
  readonly rotatedFrom?: string | undefined;
}

interface UserRow {
  id: string;
  email: string;
  password_hash: string;
  role: Role;
  vendor_id: string | null;
  guest_id: string | null;
  partner_id: string | null;
  disabled: boolean;
}

interface KeyRow {
  id: string;
  role: Role;
  vendor_id: string | null;
  partner_id: string | null;
  rate_limit_per_minute: number | null;
}

const present = <K extends string>(key: K, value: string | null) =>
  (value === null ? {} : { [key]: value }) as Partial<Record<K, string>>;

const toUser = (row: UserRow): UserRecord => ({
  id: row.id,
  email: row.email,
  passwordHash: row.password_hash,
  role: row.role,
  disabled: row.disabled,
  ...present('vendorId', row.vendor_id),
  ...present('guestId', row.guest_id),
  ...present('partnerId', row.partner_id),
});

/** Postgres storage of users and API keys; API keys exist here only as sha256 digests. */
export const getCredentialStore = (db: Queryable) => ({
  insertUser: async (user: NewUser): Promise<UserRecord> => {
    const { rows } = await db.query<UserRow>(
      `INSERT INTO users (id, email, password_hash, role, vendor_id, guest_id, partner_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (email) DO NOTHING
       RETURNING *`,
      [
        randomUUID(),
        user.email.toLowerCase(),
        user.passwordHash,
        user.role,
        user.vendorId ?? null,
        user.guestId ?? null,
        user.partnerId ?? null,
      ],
    );
    const row = rows[0];
    if (!row) {
      throw new ConflictError(
        'EMAIL_TAKEN',
        'A user with this email already exists; choose another email.',
      );
    }
    return toUser(row);
  },

  findUserByEmail: async (email: string): Promise<UserRecord | undefined> => {
    const { rows } = await db.query<UserRow>('SELECT * FROM users WHERE email = $1', [
      email.toLowerCase(),
    ]);
    return rows[0] && toUser(rows[0]);
  },

  findUserById: async (id: string): Promise<UserRecord | undefined> => {
    const { rows } = await db.query<UserRow>('SELECT * FROM users WHERE id = $1', [id]);
    return rows[0] && toUser(rows[0]);
  },

  /** Returns the clear key exactly once; only its digest is stored. */
  insertApiKey: async (
    key: NewApiKey,
  ): Promise<{ readonly id: string; readonly apiKey: string }> => {
    const id = `key_${randomBytes(8).toString('hex')}`;
    const apiKey = `bl_${randomBytes(32).toString('base64url')}`;
    await db.query(
      `INSERT INTO api_keys (id, key_hash, role, partner_id, vendor_id, label, rate_limit_per_minute, rotated_from)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [
        id,
        sha256(apiKey),
        key.role,
        key.partnerId ?? null,
        key.vendorId ?? null,
        key.label,
        key.rateLimitPerMinute ?? null,
        key.rotatedFrom ?? null,
      ],
    );
    return { id, apiKey };
  },

  /** Registers (or replaces, when the environment's key changed) a key under a fixed id. */
  upsertApiKey: async (id: string, apiKey: string, key: NewApiKey): Promise<void> => {
    await db.query(
      `INSERT INTO api_keys (id, key_hash, role, partner_id, vendor_id, label) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (id) DO UPDATE SET key_hash = EXCLUDED.key_hash, role = EXCLUDED.role, revoked_at = NULL`,
      [id, sha256(apiKey), key.role, key.partnerId ?? null, key.vendorId ?? null, key.label],
    );
  },

  findPrincipalByApiKey: async (apiKey: string): Promise<AuthenticatedPrincipal | undefined> => {
    const { rows } = await db.query<KeyRow>(
      'SELECT id, role, vendor_id, partner_id, rate_limit_per_minute FROM api_keys WHERE key_hash = $1 AND revoked_at IS NULL',
      [sha256(apiKey)],
    );
    const row = rows[0];
    if (!row) return undefined;
    return {
      id: row.id,
      role: row.role,
      ...present('vendorId', row.vendor_id),
      ...present('partnerId', row.partner_id),
      ...(row.rate_limit_per_minute === null
        ? {}
        : { rateLimitPerMinute: row.rate_limit_per_minute }),
    };
  },
});

export type CredentialStore = ReturnType<typeof getCredentialStore>;

/** The id under which ADMIN_API_KEY is registered; a changed key replaces the old one. */
export const ENV_ADMIN_KEY_ID = 'env-admin';

/** Registers the environment's ADMIN_API_KEY as an admin key (idempotent, run at start-up). */
export const ensureAdminApiKey = async (db: Queryable, adminApiKey: string): Promise<void> => {
  await getCredentialStore(db).upsertApiKey(ENV_ADMIN_KEY_ID, adminApiKey, {
    role: 'admin',
    label: 'ADMIN_API_KEY from the environment',
  });
};
