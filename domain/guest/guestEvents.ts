import { z } from 'zod';
import { defineEvent, type DomainEvent } from '../shared/eventDefinition.ts';
import { assertStreamId } from '../shared/streams.ts';

/**
 * The fact that a guest's personal data was erased (GDPR art. 17) by
 * destroying their data keys: no personal data, only the guest id, the keys
 * destroyed, when, and by whom (the actor is in the metadata). Auditors see
 * it on the `guest-{guestId}` stream.
 */
export const GuestPersonalDataErased = defineEvent(
  'GuestPersonalDataErased',
  1,
  z.object({
    guestId: z.string().min(1),
    keyIds: z.array(z.string().min(1)),
    erasedAt: z.string().min(1),
  }),
);

export const GUEST_EVENTS = [GuestPersonalDataErased] as const;

export type GuestPersonalDataErasedEvent = DomainEvent<
  'GuestPersonalDataErased',
  z.infer<typeof GuestPersonalDataErased.schema>
>;

export const guestStream = (guestId: string): string =>
  `guest-${assertStreamId(guestId, 'guestId')}`;
