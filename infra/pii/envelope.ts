import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/** AES-256-GCM with a random 96-bit nonce; `aad` binds the ciphertext to where it belongs. */
export interface Sealed {
  readonly iv: Buffer;
  readonly tag: Buffer;
  readonly ciphertext: Buffer;
}

const ALGORITHM = 'aes-256-gcm';
const IV_BYTES = 12;
const TAG_BYTES = 16;

export const DATA_KEY_BYTES = 32;

export const sealBytes = (key: Buffer, plaintext: Buffer, aad: string): Sealed => {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return { iv, tag: cipher.getAuthTag(), ciphertext };
};

/** Throws when the key is wrong, the bytes were changed or `aad` differs (GCM authentication). */
export const openBytes = (key: Buffer, sealed: Sealed, aad: string): Buffer => {
  const decipher = createDecipheriv(ALGORITHM, key, sealed.iv, { authTagLength: TAG_BYTES });
  decipher.setAAD(Buffer.from(aad, 'utf8'));
  decipher.setAuthTag(sealed.tag);
  return Buffer.concat([decipher.update(sealed.ciphertext), decipher.final()]);
};

/** A wrapped data key as stored: IV || tag || ciphertext. */
export const packSealed = (sealed: Sealed): Buffer =>
  Buffer.concat([sealed.iv, sealed.tag, sealed.ciphertext]);

export const unpackSealed = (packed: Buffer): Sealed => ({
  iv: packed.subarray(0, IV_BYTES),
  tag: packed.subarray(IV_BYTES, IV_BYTES + TAG_BYTES),
  ciphertext: packed.subarray(IV_BYTES + TAG_BYTES),
});

/** Associated data of a wrapped guest key: the key belongs to this guest under this id. */
export const dataKeyAad = (guestId: string, keyId: string): string =>
  `booking-ledger/pii-data-key/v1/${guestId}/${keyId}`;

/** Associated data of sealed personal data: it belongs to this guest, this reservation, this key. */
export const personalDataAad = (guestId: string, reservationId: string, keyId: string): string =>
  `booking-ledger/pii/v1/${guestId}/${reservationId}/${keyId}`;
