import { randomBytes, randomUUID } from 'node:crypto';
import type { Queryable } from '../postgres/pool.ts';
import {
  DATA_KEY_BYTES,
  dataKeyAad,
  openBytes,
  packSealed,
  sealBytes,
  unpackSealed,
} from './envelope.ts';
import type { PiiMasterKey } from './masterKey.ts';

/** A guest's data key, unwrapped for one operation and never cached. */
export interface GuestDataKey {
  readonly keyId: string;
  readonly key: Buffer;
}

export type KeyLookup =
  | { readonly status: 'live'; readonly dataKey: GuestDataKey }
  | { readonly status: 'erased'; readonly erasedAt: string }
  | { readonly status: 'missing' };

interface KeyRow {
  readonly key_id: string;
  readonly guest_id: string;
  readonly wrapped_key: Buffer | null;
  readonly master_key_id: string;
  readonly erased_at: string | null;
}

/**
 * The `pii_guest_keys` table: guest data keys wrapped by the master key.
 * Unwrapped keys live only for the call that needs them, so an erasure on one
 * instance is in force on every instance at once.
 */
export const createGuestKeyStore = (db: Queryable, master: PiiMasterKey) => {
  const unwrap = (row: KeyRow & { wrapped_key: Buffer }): GuestDataKey => {
    if (row.master_key_id !== master.id) {
      throw new Error(
        `Guest data key ${row.key_id} is wrapped by master key ${row.master_key_id}, but PII_MASTER_KEY is ${master.id}; start with the master key the data was written under (docs/personal-data.md, key rotation).`,
      );
    }
    return {
      keyId: row.key_id,
      key: openBytes(
        master.key,
        unpackSealed(row.wrapped_key),
        dataKeyAad(row.guest_id, row.key_id),
      ),
    };
  };

  const liveKeyOf = async (guestId: string): Promise<GuestDataKey | undefined> => {
    const { rows } = await db.query<KeyRow & { wrapped_key: Buffer }>(
      `SELECT key_id, guest_id, wrapped_key, master_key_id, erased_at::text AS erased_at
         FROM pii_guest_keys WHERE guest_id = $1 AND erased_at IS NULL`,
      [guestId],
    );
    const row = rows[0];
    return row === undefined ? undefined : unwrap(row);
  };

  return {
    /** The guest's live data key, made and stored (wrapped) when the guest has none. */
    keyFor: async (guestId: string): Promise<GuestDataKey> => {
      // Two attempts: a concurrent first booking of the same guest may insert between our statements.
      for (let attempt = 0; attempt < 3; attempt++) {
        const existing = await liveKeyOf(guestId);
        if (existing) return existing;
        const keyId = randomUUID();
        const key = randomBytes(DATA_KEY_BYTES);
        const wrapped = packSealed(sealBytes(master.key, key, dataKeyAad(guestId, keyId)));
        const { rowCount } = await db.query(
          `INSERT INTO pii_guest_keys (key_id, guest_id, wrapped_key, master_key_id)
           VALUES ($1, $2, $3, $4)
           ON CONFLICT (guest_id) WHERE erased_at IS NULL DO NOTHING`,
          [keyId, guestId, wrapped, master.id],
        );
        if (rowCount === 1) return { keyId, key };
      }
      throw new Error(`Could not create or read the data key of a guest; try again.`);
    },

    lookup: async (keyId: string): Promise<KeyLookup> => {
      const { rows } = await db.query<KeyRow>(
        `SELECT key_id, guest_id, wrapped_key, master_key_id,
                to_char(erased_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS erased_at
           FROM pii_guest_keys WHERE key_id = $1`,
        [keyId],
      );
      const row = rows[0];
      if (row === undefined) return { status: 'missing' };
      if (row.wrapped_key === null || row.erased_at !== null)
        return { status: 'erased', erasedAt: row.erased_at ?? '' };
      return { status: 'live', dataKey: unwrap({ ...row, wrapped_key: row.wrapped_key }) };
    },

    /** Destroys every live key of the guest; answers all of the guest's destroyed keys. */
    erase: async (guestId: string, now: Date) => {
      const destroyed = await db.query<{ key_id: string }>(
        `UPDATE pii_guest_keys SET wrapped_key = NULL, erased_at = $2
          WHERE guest_id = $1 AND erased_at IS NULL RETURNING key_id`,
        [guestId, now],
      );
      const { rows } = await db.query<{ key_id: string; erased_at: string }>(
        `SELECT key_id,
                to_char(erased_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS erased_at
           FROM pii_guest_keys WHERE guest_id = $1 AND erased_at IS NOT NULL
          ORDER BY erased_at, key_id`,
        [guestId],
      );
      return {
        newlyErased: destroyed.rows.map((r) => r.key_id).sort(),
        keyIds: rows.map((r) => r.key_id),
        erasedAt: rows.reduce<string | null>(
          (latest, r) => (latest === null || r.erased_at > latest ? r.erased_at : latest),
          null,
        ),
      };
    },
  };
};

export type GuestKeyStore = ReturnType<typeof createGuestKeyStore>;
