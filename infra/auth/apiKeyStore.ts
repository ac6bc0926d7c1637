import { ConflictError, NotFoundError } from '../../domain/shared/errors.ts';
import type { Role } from '../../domain/access/principal.ts';
import { withTransaction, type Pool } from '../postgres/pool.ts';
import { ENV_ADMIN_KEY_ID, getCredentialStore } from './credentialStore.ts';

/** An API key as listed: never its secret nor its digest. */
export interface ApiKeyView {
  readonly id: string;
  readonly role: Role;
  readonly label: string;
  readonly partnerId: string | null;
  readonly vendorId: string | null;
  /** Requests a minute allowed to this key; null → the default per-principal limit. */
  readonly rateLimitPerMinute: number | null;
  /** The key this one replaced by rotation, if any. */
  readonly rotatedFrom: string | null;
  readonly createdAt: string;
  readonly revokedAt: string | null;
}

/** Which keys a caller may see: every key (admin) or one partner's partner keys. */
export type ApiKeyScope =
  { readonly kind: 'all' } | { readonly kind: 'partner'; readonly partnerId: string };

interface KeyRow {
  id: string;
  role: Role;
  label: string;
  partner_id: string | null;
  vendor_id: string | null;
  rate_limit_per_minute: number | null;
  rotated_from: string | null;
  created_at: Date;
  revoked_at: Date | null;
}

const COLUMNS =
  'id, role, label, partner_id, vendor_id, rate_limit_per_minute, rotated_from, created_at, revoked_at';

const toView = (row: KeyRow): ApiKeyView => ({
  id: row.id,
  role: row.role,
  label: row.label,
  partnerId: row.partner_id,
  vendorId: row.vendor_id,
  rateLimitPerMinute: row.rate_limit_per_minute,
  rotatedFrom: row.rotated_from,
  createdAt: row.created_at.toISOString(),
  revokedAt: row.revoked_at?.toISOString() ?? null,
});

// A partner manages only partner keys of its own partner id (never an admin key
// that happens to carry it, which rotating would hand over).
const scopeSql = (scope: ApiKeyScope, first: number): { sql: string; values: string[] } =>
  scope.kind === 'all'
    ? { sql: 'TRUE', values: [] }
    : { sql: `role = 'partner' AND partner_id = $${first}`, values: [scope.partnerId] };

const notFound = (id: string) =>
  new NotFoundError(
    `There is no API key "${id}" among the keys you manage.`,
    { id },
    'API_KEY_NOT_FOUND',
  );

// Start-up re-registers ADMIN_API_KEY under this id, so revoking or rotating it would not last.
const assertNotEnvironmentKey = (id: string) => {
  if (id !== ENV_ADMIN_KEY_ID) return;
  throw new ConflictError(
    'API_KEY_FROM_ENVIRONMENT',
    `The key "${id}" is ADMIN_API_KEY from the environment; change that variable and restart instead.`,
    { id },
  );
};

/** Listing, revoking and rotating API keys, always within the caller's scope. */
export const getApiKeyStore = (pool: Pool) => {
  const find = async (id: string, scope: ApiKeyScope): Promise<KeyRow | undefined> => {
    const where = scopeSql(scope, 2);
    const { rows } = await pool.query<KeyRow>(
      `SELECT ${COLUMNS} FROM api_keys WHERE id = $1 AND ${where.sql}`,
      [id, ...where.values],
    );
    return rows[0];
  };

  return {
    /** One page in id order after `after`; `nextCursor` when more follow. */
    list: async (
      scope: ApiKeyScope,
      page: {
        readonly limit: number;
        readonly after?: string | undefined;
        readonly partnerId?: string | undefined;
        readonly includeRevoked: boolean;
      },
    ): Promise<{ apiKeys: ApiKeyView[]; nextCursor: string | null }> => {
      const where = scopeSql(scope, 1);
      const values: (string | number)[] = [...where.values];
      const conditions = [where.sql];
      if (page.partnerId !== undefined) {
        values.push(page.partnerId);
        conditions.push(`partner_id = $${values.length}`);
      }
      if (page.after !== undefined) {
        values.push(page.after);
        conditions.push(`id > $${values.length}`);
      }
      if (!page.includeRevoked) conditions.push('revoked_at IS NULL');
      values.push(page.limit + 1);
      const { rows } = await pool.query<KeyRow>(
        `SELECT ${COLUMNS} FROM api_keys WHERE ${conditions.join(' AND ')} ORDER BY id LIMIT $${values.length}`,
        values,
      );
      const more = rows.length > page.limit;
      const shown = rows.slice(0, page.limit);
      return { apiKeys: shown.map(toView), nextCursor: more ? (shown.at(-1)?.id ?? null) : null };
    },

    get: async (id: string, scope: ApiKeyScope): Promise<ApiKeyView> => {
      const row = await find(id, scope);
      if (!row) throw notFound(id);
      return toView(row);
    },

    /** Revokes at once; revoking a revoked key changes nothing and answers it again. */
    revoke: async (id: string, scope: ApiKeyScope, at: Date): Promise<ApiKeyView> => {
      if (!(await find(id, scope))) throw notFound(id);
      assertNotEnvironmentKey(id);
      const where = scopeSql(scope, 3);
      const { rows } = await pool.query<KeyRow>(
        `UPDATE api_keys SET revoked_at = coalesce(revoked_at, $2)
          WHERE id = $1 AND ${where.sql} RETURNING ${COLUMNS}`,
        [id, at, ...where.values],
      );
      if (!rows[0]) throw notFound(id);
      return toView(rows[0]);
    },

    /**
     * A new key with the old one's role, owner, label and limit; the old key is
     * revoked in the same transaction (no overlap). The clear key is in the result only.
     */
    rotate: async (
      id: string,
      scope: ApiKeyScope,
      at: Date,
    ): Promise<ApiKeyView & { readonly apiKey: string }> =>
      withTransaction(pool, async (client) => {
        const where = scopeSql(scope, 2);
        const { rows } = await client.query<KeyRow>(
          `SELECT ${COLUMNS} FROM api_keys WHERE id = $1 AND ${where.sql} FOR UPDATE`,
          [id, ...where.values],
        );
        const old = rows[0];
        if (!old) throw notFound(id);
        assertNotEnvironmentKey(id);
        if (old.revoked_at) {
          throw new ConflictError(
            'API_KEY_REVOKED',
            `The API key "${id}" is revoked; create a new key instead of rotating it.`,
            { id },
          );
        }
        const created = await getCredentialStore(client).insertApiKey({
          role: old.role,
          label: old.label,
          partnerId: old.partner_id ?? undefined,
          vendorId: old.vendor_id ?? undefined,
          rateLimitPerMinute: old.rate_limit_per_minute ?? undefined,
          rotatedFrom: old.id,
        });
        await client.query('UPDATE api_keys SET revoked_at = $2 WHERE id = $1', [id, at]);
        const { rows: fresh } = await client.query<KeyRow>(
          `SELECT ${COLUMNS} FROM api_keys WHERE id = $1`,
          [created.id],
        );
        return { ...toView(fresh[0] as KeyRow), apiKey: created.apiKey };
      }),

    /** Admin only: the key's own requests-per-minute limit, or null for the default. */
    setRateLimit: async (id: string, perMinute: number | null): Promise<ApiKeyView> => {
      const { rows } = await pool.query<KeyRow>(
        `UPDATE api_keys SET rate_limit_per_minute = $2 WHERE id = $1 RETURNING ${COLUMNS}`,
        [id, perMinute],
      );
      if (!rows[0]) throw notFound(id);
      return toView(rows[0]);
    },
  };
};

export type ApiKeyStore = ReturnType<typeof getApiKeyStore>;
