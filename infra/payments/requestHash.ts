import { createHash } from 'node:crypto';

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/**
 * JSON with object keys sorted at every depth and `undefined` members dropped,
 * so two equal requests hash equally whatever order their fields were built in.
 */
export const canonicalJson = (value: unknown): string => {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, member]) => member !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, member]) => `${JSON.stringify(key)}:${canonicalJson(member)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
};

/** sha256 hex of the canonical JSON: what "the same parameters" means for idempotency. */
export const requestHash = (value: unknown): string => sha256(canonicalJson(value));

/**
 * A provider-style id derived from the idempotency key (`pi_sim_3f…`), so a
 * replay, a restarted process and a test all see the same id for one key.
 */
export const idFromKey = (prefix: string, idempotencyKey: string): string =>
  `${prefix}_${sha256(idempotencyKey).slice(0, 24)}`;
