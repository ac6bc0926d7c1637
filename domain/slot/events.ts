import { z } from 'zod';
import type { DomainEvent, EventDefinition } from '../shared/eventDefinition.ts';
import { defineEvent } from '../shared/eventDefinition.ts';

/**
 * Events of a `slot-{resourceId}.{slotKey}` stream. Every event names its
 * resource and slot so projections reading the global log need not parse
 * stream names. Instants are ISO 8601 UTC (`Z`), written by the decider.
 */
const instant = z.iso.datetime({ offset: true });
const slot = { resourceId: z.string().min(1), slotKey: z.string().min(1) };
const reservation = { reservationId: z.string().min(1), quantity: z.number().int().positive() };

export const SlotOpened = defineEvent(
  'SlotOpened',
  1,
  z.object({ ...slot, capacity: z.number().int().nonnegative(), openedAt: instant }),
);
export const SlotHeld = defineEvent(
  'SlotHeld',
  1,
  z.object({ ...slot, ...reservation, expiresAt: instant, heldAt: instant }),
);
export const HoldReleased = defineEvent(
  'HoldReleased',
  1,
  z.object({ ...slot, ...reservation, reason: z.string().min(1), releasedAt: instant }),
);
export const HoldExpired = defineEvent(
  'HoldExpired',
  1,
  z.object({ ...slot, ...reservation, expiresAt: instant, expiredAt: instant }),
);
export const SlotBooked = defineEvent(
  'SlotBooked',
  1,
  z.object({ ...slot, ...reservation, bookedAt: instant }),
);
export const BookingReleased = defineEvent(
  'BookingReleased',
  1,
  z.object({ ...slot, ...reservation, reason: z.string().min(1), releasedAt: instant }),
);
export const SlotCapacityOverridden = defineEvent(
  'SlotCapacityOverridden',
  1,
  z.object({
    ...slot,
    capacity: z.number().int().nonnegative(),
    previousCapacity: z.number().int().nonnegative(),
    overriddenAt: instant,
  }),
);
export const SlotClosed = defineEvent(
  'SlotClosed',
  1,
  z.object({ ...slot, reason: z.string().min(1), closedAt: instant }),
);
export const SlotReopened = defineEvent(
  'SlotReopened',
  1,
  z.object({ ...slot, reopenedAt: instant }),
);

export const slotEventDefinitions = [
  SlotOpened,
  SlotHeld,
  HoldReleased,
  HoldExpired,
  SlotBooked,
  BookingReleased,
  SlotCapacityOverridden,
  SlotClosed,
  SlotReopened,
] as const;

type EventOf<D> = D extends EventDefinition<infer T, infer S> ? DomainEvent<T, z.infer<S>> : never;

export type SlotEvent = EventOf<(typeof slotEventDefinitions)[number]>;
export type SlotEventType = SlotEvent['type'];
