import type { ResourceConfig } from '../../resource/schema.ts';
import { slotStream, type SlotKey } from '../../shared/streams.ts';
import { MINUTE_MS, toEpochMillis, toIsoInstant } from '../../shared/time.ts';
import type { SlotCommand } from '../../slot/commands.ts';
import { slotDecider } from '../../slot/slotDecider.ts';
import type { SlotState } from '../../slot/state.ts';
import type { HoldPeriod } from '../holdPeriod.ts';
import type { LoadedBooking, LoadedSlot } from '../loaded.ts';
import { holdSlotKeys } from '../planHold.ts';

/** Fixtures for the booking plans' given/when/then tests: loaded streams built from slot commands. */
export const NOW = toEpochMillis('2026-12-01T10:00:00Z');

/** A slot stream after some slot commands, with its revision (events − 1). */
export const slotAfter = (
  resourceId: string,
  slotKey: SlotKey,
  commands: readonly SlotCommand[],
): LoadedSlot => {
  let state: SlotState = slotDecider.initialState();
  let count = 0;
  for (const command of commands) {
    const events = slotDecider.decide(command, state);
    state = events.reduce((s, e) => slotDecider.evolve(s, e), state);
    count += events.length;
  }
  return { slotKey, state, revision: count === 0 ? undefined : count - 1 };
};

export const heldBy = (
  reservationId: string,
  config: ResourceConfig,
  slotKey: SlotKey,
  quantity: number,
  minutes = 30,
): SlotCommand => ({
  type: 'PlaceHold',
  resourceId: 'res-1',
  slotKey,
  resourceCapacity: config.capacity,
  reservationId,
  quantity,
  expiresAt: toIsoInstant(NOW + minutes * MINUTE_MS),
  now: toIsoInstant(NOW - MINUTE_MS),
});

/** Given: the resource and the streams a hold of `period` loads (absent ones empty, others as given). */
export const given = (
  config: ResourceConfig,
  period: HoldPeriod,
  history: Readonly<Record<SlotKey, readonly SlotCommand[]>> = {},
): LoadedBooking => {
  const { slotKeys } = holdSlotKeys(config, period);
  const slots = new Map<string, LoadedSlot>();
  for (const key of new Set([...slotKeys, ...Object.keys(history)])) {
    slots.set(slotStream('res-1', key), slotAfter('res-1', key, history[key] ?? []));
  }
  return { resource: { resourceId: 'res-1', config, revision: 0 }, slots };
};
