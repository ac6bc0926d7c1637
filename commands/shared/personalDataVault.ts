import type { GuestPersonalData } from '../../domain/guest/personalData.ts';
import type { SealedPersonalData } from '../../domain/guest/sealedPersonalData.ts';

/**
 * The PII store's write side (issue 11): seals a guest's personal data with
 * that guest's data key before it goes into the log, and destroys the keys on
 * erasure. Implemented in infra/pii with node:crypto; injected through WriteSide.
 */
export interface PersonalDataVault {
  /**
   * Seals `data` with the guest's current data key (created on first use,
   * wrapped by the master key), bound to `reservationId` so the ciphertext
   * cannot be replayed onto another booking.
   */
  seal(
    guestId: string,
    reservationId: string,
    data: GuestPersonalData,
  ): Promise<SealedPersonalData>;
  /**
   * Destroys every live data key of the guest (crypto-shredding). Idempotent:
   * when nothing is left to destroy it answers the earlier erasure again.
   * `erasedAt` is the last erasure's instant; `keyIds` the keys it destroyed.
   */
  erase(guestId: string, now: Date): Promise<GuestErasure>;
}

export interface GuestErasure {
  readonly guestId: string;
  /** A UUID derived from the guest and the keys destroyed: the event id that records this erasure, so a retry appends nothing new. */
  readonly erasureId: string;
  /** Every key of this guest that is destroyed (this call's and earlier ones). */
  readonly keyIds: readonly string[];
  /** Keys this call destroyed; empty when it only repeated an earlier erasure. */
  readonly newlyErased: readonly string[];
  /** ISO instant of the latest erasure; null when the guest never had personal data. */
  readonly erasedAt: string | null;
}
