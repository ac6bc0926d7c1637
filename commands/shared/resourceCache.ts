import type { ResourceState } from '../../domain/resource/state.ts';

/** A resource stream folded at `revision`. */
export interface CachedResource {
  readonly state: ResourceState;
  readonly revision: number | undefined;
}

/**
 * Folded `resource-{id}` streams a process keeps between commands, so a hold
 * does not read its resource before it knows which slots to read. A cached
 * resource is only ever decided on together with a fresh read of its revision
 * in the same snapshot as the slots (`loadSlots`), so a stale entry costs a
 * retry, never a decision against an old config. Bounded: the least recently
 * used entry goes first.
 */
export interface ResourceCache {
  get(resourceId: string): CachedResource | undefined;
  set(resourceId: string, resource: CachedResource): void;
}

/** `maxEntries` (default 10 000) bounds the memory a catalogue can take. */
export const createResourceCache = (maxEntries = 10_000): ResourceCache => {
  const entries = new Map<string, CachedResource>();
  return {
    get(resourceId) {
      const entry = entries.get(resourceId);
      if (entry !== undefined) {
        entries.delete(resourceId);
        entries.set(resourceId, entry);
      }
      return entry;
    },
    set(resourceId, resource) {
      entries.delete(resourceId);
      entries.set(resourceId, resource);
      if (entries.size > maxEntries) {
        const oldest = entries.keys().next();
        if (oldest.done !== true) entries.delete(oldest.value);
      }
    },
  };
};
