import {
  GuestPersonalDataErased,
  guestStream,
  type GuestPersonalDataErasedEvent,
} from '../../domain/guest/guestEvents.ts';
import { NotFoundError } from '../../domain/shared/errors.ts';
import type { Checkpoint } from '../shared/eventStore.ts';
import { metadataFor, type Caller } from '../shared/writeMetadata.ts';
import type { WriteSide } from '../shared/writeSide.ts';

export interface PersonalDataErased {
  readonly guestId: string;
  readonly erased: true;
  /** When the guest's data keys were destroyed (the latest erasure). */
  readonly erasedAt: string;
  readonly position: Checkpoint;
}

/**
 * Erasure (GDPR art. 17) by crypto-shredding: destroys the guest's data keys
 * in the PII store, then records `GuestPersonalDataErased` on `guest-{id}`
 * with an event id derived from the keys destroyed — so a repeated call (or a
 * retry after a crash between the two steps) records the fact once and
 * answers the same.
 */
export const erasePersonalData = async (
  writeSide: WriteSide,
  guestId: string,
  caller: Caller,
): Promise<PersonalDataErased> => {
  // Without a PII store nothing was ever recorded, which is what the answer says.
  const erasure = await writeSide.personalData?.erase(guestId, writeSide.clock.now());
  if (erasure === undefined || erasure.erasedAt === null) {
    throw new NotFoundError(
      `No personal data was ever recorded for guest ${guestId}; there is nothing to erase.`,
      { guestId },
      'PERSONAL_DATA_NOT_FOUND',
    );
  }
  const erasedAt = erasure.erasedAt;
  const event: GuestPersonalDataErasedEvent = {
    type: 'GuestPersonalDataErased',
    data: { guestId, keyIds: [...erasure.keyIds], erasedAt },
  };
  const stream = guestStream(guestId);
  // A repeat (or a concurrent twin) finds the fact already recorded and answers its position.
  const recorded = async (): Promise<Checkpoint | undefined> =>
    (await writeSide.store.readStream(stream)).find((e) => e.eventId === erasure.erasureId)
      ?.checkpoint;
  const encoded = writeSide.codec.encode(GuestPersonalDataErased.type, event.data);
  const position =
    (await recorded()) ??
    (await writeSide.store
      .append([
        {
          stream,
          expectedRevision: 'any',
          events: [
            {
              eventId: erasure.erasureId,
              type: event.type,
              schemaVersion: encoded.schemaVersion,
              data: encoded.data,
              metadata: metadataFor(caller),
            },
          ],
        },
      ])
      .then(
        (result) => result.position,
        async (error: unknown) => {
          const twin = await recorded();
          if (twin === undefined) throw error;
          return twin;
        },
      ));
  return { guestId, erased: true, erasedAt, position };
};
