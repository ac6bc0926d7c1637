import { usageOfSlotState, type SlotUsageSummary } from '../availability/usage.ts';
import type { CalendarState } from '../calendar/state.ts';
import type { ResourceSnapshot } from '../reservation/eventParts.ts';
import type { ResourceConfig } from '../resource/schema.ts';
import type { DomainEvent } from '../shared/eventDefinition.ts';
import { slotStream, type SlotKey } from '../shared/streams.ts';
import type { SlotState } from '../slot/state.ts';

/** A stream's expected revision in a plan: the revision it was decided against, or "must not exist". */
export type PlannedRevision = number | 'no_stream';

/** What a plan is decided against, per slot stream: its state and revision (`undefined` = no stream). */
export interface LoadedSlot {
  readonly slotKey: SlotKey;
  readonly state: SlotState;
  readonly revision: number | undefined;
}
/** Loaded slot streams keyed by stream name (`slot-{resourceId}.{key}`). */
export type LoadedSlots = ReadonlyMap<string, LoadedSlot>;

/** A resource that sells now, as loaded (`resource-{id}` at `revision`). */
export interface LoadedResource {
  readonly resourceId: string;
  readonly config: ResourceConfig;
  readonly revision: number | undefined;
}

/** Everything a hold or a rebooking is decided against: one read's worth of streams. */
export interface LoadedBooking {
  readonly resource: LoadedResource;
  /** Every slot of the period, its buffer neighbours and (rebooking) the slots given back. */
  readonly slots: LoadedSlots;
  /** `calendar-{resourceId}` (timed resources). */
  readonly calendar?: CalendarState | undefined;
}

/** One stream's append in a plan: plain data, decided against the loaded revision. */
export interface StreamWrite {
  readonly stream: string;
  readonly expectedRevision: PlannedRevision;
  readonly events: readonly DomainEvent[];
}

export const expectedOf = (revision: number | undefined): PlannedRevision =>
  revision === undefined ? 'no_stream' : revision;

/** The state of one loaded slot; a slot that was not loaded is a bug in the loader. */
export const slotStateOf = (
  slots: LoadedSlots,
  resourceId: string,
  slotKey: SlotKey,
): SlotState => {
  const loaded = slots.get(slotStream(resourceId, slotKey));
  if (loaded === undefined) {
    throw new Error(`Slot ${slotKey} of ${resourceId} was not loaded before it was used.`);
  }
  return loaded.state;
};

/** The loaded slots as availability usage (the write side's view), leaving `except`'s own units out. */
export const usageOfLoaded = (
  slots: LoadedSlots,
  except?: string,
): Map<SlotKey, SlotUsageSummary> => {
  const usage = new Map<SlotKey, SlotUsageSummary>();
  for (const { slotKey, state } of slots.values()) {
    const summary = usageOfSlotState(state, except);
    if (summary !== undefined) usage.set(slotKey, summary);
  }
  return usage;
};

/** What a reservation records about its resource at request time. */
export const resourceSnapshotOf = (resource: LoadedResource): ResourceSnapshot => ({
  resourceId: resource.resourceId,
  vendorId: resource.config.vendorId,
  kind: resource.config.kind,
  confirmationPolicy: resource.config.confirmationPolicy,
  vendorDeposit: resource.config.vendorDeposit,
  timeZone: resource.config.zone,
});
