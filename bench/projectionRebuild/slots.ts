import { randomUUID } from 'node:crypto';
import type { StreamAppend } from '../../commands/shared/eventStore.ts';
import { DomainError } from '../../domain/shared/errors.ts';
import { fold } from '../../domain/shared/decider.ts';
import type { SlotCommand } from '../../domain/slot/commands.ts';
import type { SlotEvent } from '../../domain/slot/events.ts';
import { slotDecider } from '../../domain/slot/slotDecider.ts';
import type { SlotState } from '../../domain/slot/state.ts';

/** What becomes of a reservation's holds once its lifecycle ends where it ends. */
export type SlotOutcome = 'book' | 'release' | 'expire' | 'keep';

const HOLD_MS = 15 * 60_000;
const iso = (ms: number) => new Date(ms).toISOString();
const toAppend = (stream: string, events: readonly SlotEvent[]): StreamAppend => ({
  stream,
  expectedRevision: 'any',
  events: events.map((e) => ({
    eventId: randomUUID(),
    type: e.type,
    schemaVersion: 1,
    data: e.data,
  })),
});

/**
 * Slot streams driven through the real slot decider, state kept in memory:
 * a hold that capacity or a closure refuses is refused here too, exactly as
 * the write side would refuse it.
 */
export const holdSlots = () => {
  const states = new Map<string, SlotState>();
  const stream = (resourceId: string, key: string) => `slot-${resourceId}.${key}`;
  const decide = (name: string, command: SlotCommand) => {
    const state = states.get(name) ?? slotDecider.initialState();
    const events = slotDecider.decide(command, state);
    return { events, state: fold(slotDecider, events, state) };
  };

  /** Holds every slot or none; undefined when one is full or closed. */
  const hold = (
    resourceId: string,
    capacity: number,
    keys: readonly string[],
    reservationId: string,
    quantity: number,
    now: number,
  ): StreamAppend[] | undefined => {
    try {
      const decided = keys.map((slotKey) => ({
        name: stream(resourceId, slotKey),
        ...decide(stream(resourceId, slotKey), {
          type: 'PlaceHold',
          resourceId,
          slotKey,
          resourceCapacity: capacity,
          reservationId,
          quantity,
          expiresAt: iso(now + HOLD_MS),
          now: iso(now),
        }),
      }));
      for (const d of decided) states.set(d.name, d.state);
      return decided.map((d) => toAppend(d.name, d.events));
    } catch (error) {
      if (error instanceof DomainError) return undefined;
      throw error;
    }
  };

  /** The holds' end: booked (sometimes released again later), released, expired or left active. */
  const settle = (
    resourceId: string,
    keys: readonly string[],
    reservationId: string,
    outcome: SlotOutcome,
    now: number,
    random: { int(n: number): number },
  ): StreamAppend[] => {
    if (outcome === 'keep') return [];
    const at = iso(now + (outcome === 'expire' ? HOLD_MS + 60_000 : 5 * 60_000));
    const command = (): SlotCommand =>
      outcome === 'book'
        ? { type: 'BookHold', reservationId, now: at }
        : outcome === 'release'
          ? { type: 'ReleaseHold', reservationId, reason: 'cancelled', now: at }
          : { type: 'ExpireHolds', now: at };
    const appends = keys.map((key) => {
      const name = stream(resourceId, key);
      const first = decide(name, command());
      let { events, state } = first;
      // A booking cancelled after confirmation, and now and then a vendor closing and re-opening the night.
      if (outcome === 'book' && random.int(10) === 0) {
        const more = slotDecider.decide(
          { type: 'ReleaseBooking', reservationId, reason: 'cancelled', now: at },
          state,
        );
        events = [...events, ...more];
        state = fold(slotDecider, more, state);
      }
      if (random.int(50) === 0) {
        const target = { resourceId, slotKey: key, resourceCapacity: 0 };
        for (const c of [
          { type: 'CloseSlot', ...target, reason: 'maintenance', now: at },
          { type: 'OpenSlot', ...target, now: at },
        ] as const) {
          const more = slotDecider.decide(c, state);
          events = [...events, ...more];
          state = fold(slotDecider, more, state);
        }
      }
      states.set(name, state);
      return toAppend(name, events);
    });
    return appends.filter((a) => a.events.length > 0);
  };

  return { hold, settle };
};
