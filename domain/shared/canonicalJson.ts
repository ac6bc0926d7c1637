/**
 * Canonical JSON: object keys sorted, `undefined` members dropped, Maps as
 * sorted entry lists, so equal values always serialize to equal strings. Used
 * for change detection and for content hashes (computedVersion).
 */
export const canonicalJson = (value: unknown): string => JSON.stringify(canonicalize(value));

const canonicalize = (value: unknown): unknown => {
  if (value instanceof Map) {
    return [...(value as Map<unknown, unknown>).entries()]
      .map(([k, v]) => [canonicalize(k), canonicalize(v)] as const)
      .sort(([a], [b]) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
  }
  if (Array.isArray(value)) return value.map(canonicalize);
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return Object.fromEntries(entries.map(([k, v]) => [k, canonicalize(v)]));
  }
  return value;
};

/**
 * 64-bit FNV-1a over the UTF-16 code units of a string, as 16 hex digits. Not
 * cryptographic: it names a computation's inputs (cache keys, versions), and
 * node:crypto is off limits in the pure domain.
 */
export const fnv1a64 = (text: string): string => {
  const prime = 0x100000001b3n;
  const mask = 0xffffffffffffffffn;
  let hash = 0xcbf29ce484222325n;
  for (let i = 0; i < text.length; i++) {
    hash ^= BigInt(text.charCodeAt(i));
    hash = (hash * prime) & mask;
  }
  return hash.toString(16).padStart(16, '0');
};

export const contentHash = (value: unknown): string => fnv1a64(canonicalJson(value));
