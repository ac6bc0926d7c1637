import { createHash } from 'node:crypto';
import type { GuestDirectory } from '../../commands/shared/guestDirectory.ts';
import type { EventStore } from '../../commands/shared/eventStore.ts';
import type { PersonalDataVault } from '../../commands/shared/personalDataVault.ts';
import { decodeRecorded, type EventCodec } from '../../commands/shared/eventCodec.ts';
import type { PersonalDataLookup } from '../../domain/guest/personalData.ts';
import { guestPersonalDataSchema } from '../../domain/guest/personalDataSchema.ts';
import type { SealedPersonalData } from '../../domain/guest/sealedPersonalData.ts';
import type { ReservationEvent } from '../../domain/reservation/events.ts';
import { reservationStream } from '../../domain/shared/streams.ts';
import type { Queryable } from '../postgres/pool.ts';
import { openBytes, personalDataAad, sealBytes } from './envelope.ts';
import { createGuestKeyStore, type GuestKeyStore } from './guestKeyStore.ts';
import type { PiiMasterKey } from './masterKey.ts';

/** A name-based UUID (version 8 layout) of the guest and its destroyed keys. */
const erasureIdOf = (guestId: string, keyIds: readonly string[]): string => {
  const hex = createHash('sha256')
    .update(`booking-ledger/pii-erasure/v1/${guestId}/${[...keyIds].sort().join(',')}`)
    .digest('hex');
  const variant = ((parseInt(hex[16] ?? '0', 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
};

/** Opens one sealed part with an unwrapped data key; throws when the key does not fit. */
export const openSealed = (
  key: Buffer,
  sealed: SealedPersonalData,
  reservationId: string,
): unknown =>
  JSON.parse(
    openBytes(
      key,
      {
        iv: Buffer.from(sealed.iv, 'base64'),
        tag: Buffer.from(sealed.tag, 'base64'),
        ciphertext: Buffer.from(sealed.ciphertext, 'base64'),
      },
      personalDataAad(sealed.guestId, reservationId, sealed.keyId),
    ).toString('utf8'),
  );

/**
 * The PII store (issue 11): envelope encryption with a per-guest AES-256-GCM
 * data key wrapped by the master key. Sealed parts travel in the log; keys
 * stay in `pii_guest_keys`; erasure destroys keys.
 */
export const createPersonalDataStore = (deps: {
  readonly db: Queryable;
  readonly masterKey: PiiMasterKey;
  readonly store: Pick<EventStore, 'readStream'>;
  readonly codec: EventCodec;
}): { vault: PersonalDataVault; directory: GuestDirectory; keys: GuestKeyStore } => {
  const keys = createGuestKeyStore(deps.db, deps.masterKey);

  const sealedPartOf = async (
    reservationId: string,
  ): Promise<SealedPersonalData | null | undefined> => {
    const [first] = await deps.store.readStream(reservationStream(reservationId), {
      maxCount: 1,
    });
    if (first === undefined) return undefined;
    const event = decodeRecorded(deps.codec, first) as ReservationEvent;
    return event.type === 'ReservationRequested' ? event.data.personalData : null;
  };

  const vault: PersonalDataVault = {
    seal: async (guestId, reservationId, data) => {
      const { keyId, key } = await keys.keyFor(guestId);
      const plaintext = Buffer.from(JSON.stringify(guestPersonalDataSchema.parse(data)), 'utf8');
      const sealed = sealBytes(key, plaintext, personalDataAad(guestId, reservationId, keyId));
      return {
        guestId,
        keyId,
        algorithm: 'AES-256-GCM',
        iv: sealed.iv.toString('base64'),
        tag: sealed.tag.toString('base64'),
        ciphertext: sealed.ciphertext.toString('base64'),
      };
    },
    erase: async (guestId, now) => {
      const erased = await keys.erase(guestId, now);
      return { guestId, erasureId: erasureIdOf(guestId, erased.keyIds), ...erased };
    },
  };

  const directory: GuestDirectory = {
    personalDataOf: async (reservationId): Promise<PersonalDataLookup> => {
      const sealed = await sealedPartOf(reservationId);
      if (!sealed) return { status: 'none' };
      const found = await keys.lookup(sealed.keyId);
      switch (found.status) {
        case 'erased':
          return { status: 'erased', guestId: sealed.guestId, erasedAt: found.erasedAt };
        case 'missing':
          throw new Error(
            `The data key ${sealed.keyId} of reservation ${reservationId} is not in pii_guest_keys; was the key table restored from another install?`,
          );
        case 'live':
          return {
            status: 'present',
            guestId: sealed.guestId,
            data: guestPersonalDataSchema.parse(
              openSealed(found.dataKey.key, sealed, reservationId),
            ),
          };
        default: {
          const _never: never = found;
          return _never;
        }
      }
    },
  };

  return { vault, directory, keys };
};
