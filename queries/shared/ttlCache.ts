/** Entries kept at most; past it the cache starts over (reads stay correct, just slower). */
const MAX_ENTRIES = 10_000;

/**
 * Reuses a loaded value for `ttlMs` of real time. Only for inputs that may lag
 * by a second (resource configuration, calendar busy time); callers bypass it
 * when the client asked for read-your-writes. A failed load is not kept.
 */
export const createTtlCache = <V>(ttlMs: number) => {
  const entries = new Map<string, { readonly until: number; readonly value: Promise<V> }>();
  return {
    get: (key: string, load: () => Promise<V>, bypass = false): Promise<V> => {
      const now = Date.now();
      const hit = entries.get(key);
      if (!bypass && ttlMs > 0 && hit !== undefined && hit.until > now) return hit.value;
      const value = load();
      if (ttlMs > 0) {
        if (entries.size >= MAX_ENTRIES) entries.clear();
        entries.set(key, { until: now + ttlMs, value });
        value.catch(() => entries.delete(key));
      }
      return value;
    },
  };
};

export type TtlCache<V> = ReturnType<typeof createTtlCache<V>>;
