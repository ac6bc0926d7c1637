import { z } from 'zod';

const base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'must be base64');

/**
 * The part of a ReservationRequested event that holds the guest's personal
 * data: AES-256-GCM ciphertext under the guest's data key (`keyId`), never
 * the data in clear. Destroying that key (erasure) leaves these bytes in the
 * log, unreadable forever, so the hash chain and every replay stay intact.
 */
export const sealedPersonalDataSchema = z.object({
  guestId: z.string().min(1),
  /** The guest data key that sealed it (one guest may have had several across erasures). */
  keyId: z.string().min(1),
  algorithm: z.literal('AES-256-GCM'),
  /** 12-byte GCM nonce, base64. */
  iv: base64,
  /** 16-byte GCM authentication tag, base64. */
  tag: base64,
  ciphertext: base64,
});

export type SealedPersonalData = z.infer<typeof sealedPersonalDataSchema>;
