import { resourceDecider } from '../../domain/resource/resourceDecider.ts';
import { ConcurrencyError } from '../../domain/shared/errors.ts';
import { resourceStream, slotStream, type SlotKey } from '../../domain/shared/streams.ts';
import { slotDecider } from '../../domain/slot/slotDecider.ts';
import type { SlotState } from '../../domain/slot/state.ts';
import { loadStream, type LoadedStream, type WriteDeps } from './commandHandler.ts';
import { NO_STREAM } from './eventStore.ts';

/** Slot streams as loaded, keyed by stream name (what the claim executor looks expected revisions up by). */
export type LoadedSlots = ReadonlyMap<
  string,
  LoadedStream<SlotState> & { readonly slotKey: SlotKey }
>;

/**
 * Loads every `slot-{resourceId}.{key}` stream (absent streams read as Empty
 * at no revision), started together so a coalescing store reads them in one
 * round trip. With a `resourceCache` holding the resource, its stream is read
 * in the same round trip: a cached resource that is no longer current makes
 * this throw a ConcurrencyError (the write retries from a fresh load).
 */
export const loadSlots = async (
  deps: Pick<WriteDeps, 'store' | 'codec' | 'resourceCache'>,
  resourceId: string,
  slotKeys: readonly SlotKey[],
): Promise<LoadedSlots> => {
  const unique = [...new Set(slotKeys)];
  const cached = deps.resourceCache?.get(resourceId);
  // Started together, so a store that coalesces reads answers them in one round trip.
  const [resource, ...loaded] = await Promise.all([
    cached === undefined
      ? undefined
      : loadStream(deps, resourceStream(resourceId), resourceDecider),
    ...unique.map(async (slotKey) => {
      const stream = slotStream(resourceId, slotKey);
      return [stream, { ...(await loadStream(deps, stream, slotDecider)), slotKey }] as const;
    }),
  ]);
  if (cached !== undefined && resource !== undefined) {
    deps.resourceCache?.set(resourceId, resource);
    // The caller may have decided on the cached resource (loadActiveResource): retry on the current one.
    if (resource.revision !== cached.revision) {
      throw new ConcurrencyError(
        resourceStream(resourceId),
        cached.revision === undefined ? NO_STREAM : String(cached.revision),
        resource.revision === undefined ? NO_STREAM : String(resource.revision),
      );
    }
  }
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
