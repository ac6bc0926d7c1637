import { slotStream, type SlotKey } from '../../domain/shared/streams.ts';
import { slotDecider } from '../../domain/slot/slotDecider.ts';
import type { SlotState } from '../../domain/slot/state.ts';
import { loadStream, type LoadedStream, type WriteDeps } from './commandHandler.ts';

/** Slot streams as loaded, keyed by stream name (what the claim executor looks expected revisions up by). */
export type LoadedSlots = ReadonlyMap<
  string,
  LoadedStream<SlotState> & { readonly slotKey: SlotKey }
>;

/**
 * Loads every `slot-{resourceId}.{key}` stream (absent streams read as Empty
 * at no revision). Loads run concurrently; the pool bounds them.
 */
export const loadSlots = async (
  deps: Pick<WriteDeps, 'store' | 'codec'>,
  resourceId: string,
  slotKeys: readonly SlotKey[],
): Promise<LoadedSlots> => {
  const unique = [...new Set(slotKeys)];
  const loaded = await Promise.all(
    unique.map(async (slotKey) => {
      const stream = slotStream(resourceId, slotKey);
      return [stream, { ...(await loadStream(deps, stream, slotDecider)), slotKey }] as const;
    }),
  );
  return new Map(loaded);
};

/** The state of one loaded slot; a slot that was not loaded is a bug in the caller. */
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
