import type { LoadedBooking } from '../../domain/booking/loaded.ts';
import type { BookingPlan } from '../../domain/booking/plan.ts';
import { calendarDecider, calendarStream } from '../../domain/calendar/calendarDecider.ts';
import type { SlotKey } from '../../domain/shared/streams.ts';
import type { ResourceConfig } from '../../domain/resource/schema.ts';
import type { PreparedSlotWrite } from './claimSlots.ts';
import { loadStream } from './commandHandler.ts';
import { loadActiveResource } from './loadResource.ts';
import { loadSlots, type LoadedSlots } from './loadSlots.ts';
import { toSlotStep } from './slotSteps.ts';
import type { WriteSide } from './writeSide.ts';

/** What a booking decision loaded, with the slots as the executor takes them. */
export type LoadedForBooking = LoadedBooking & { readonly slots: LoadedSlots };

/**
 * Loads what a booking decision reads: the active resource, then the slot
 * streams `slotKeysOf` names for its config and, for timed resources, the
 * calendar stream (together).
 */
export const loadBooking = async (
  writeSide: WriteSide,
  resourceId: string,
  slotKeysOf: (config: ResourceConfig) => readonly SlotKey[],
): Promise<LoadedForBooking> => {
  const resource = await loadActiveResource(writeSide, resourceId);
  const { config } = resource;
  const [slots, calendar] = await Promise.all([
    loadSlots(writeSide, resourceId, slotKeysOf(config)),
    config.kind === 'timed'
      ? loadStream(writeSide, calendarStream(resourceId), calendarDecider).then((l) => l.state)
      : Promise.resolve(undefined),
  ]);
  return { resource, slots, calendar };
};

/** A domain booking plan as the slot-write executor runs it (the atomic path appends its decided events). */
export const preparedOf = <R>(plan: BookingPlan<R>, slots: LoadedSlots): PreparedSlotWrite<R> => ({
  plan: {
    claims: plan.claims.map(toSlotStep),
    aggregates: plan.aggregates,
    releases: plan.releases.map(toSlotStep),
  },
  slots,
  result: plan.result,
  decided: plan.slotWrites,
});
