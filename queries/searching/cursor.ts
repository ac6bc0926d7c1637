import { contentHash } from '../../domain/shared/canonicalJson.ts';
import { ValidationError } from '../../domain/shared/errors.ts';

/** A position in one search's total order: the sort key of the last result shown, then its id. */
export interface CursorPosition {
  readonly key: readonly number[];
  readonly id: string;
}

export const compareKeys = (a: CursorPosition, b: CursorPosition): number => {
  for (let i = 0; i < Math.max(a.key.length, b.key.length); i++) {
    const d = (a.key[i] ?? 0) - (b.key[i] ?? 0);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
};

/**
 * Opaque to clients; bound to the query it came from (the fingerprint), so a
 * cursor reused with other filters is refused instead of paging nonsense.
 * Keyset, not offset: a result added or removed before the cursor never
 * shifts the next page into duplicates or gaps.
 */
export const encodeCursor = (fingerprint: string, position: CursorPosition): string =>
  Buffer.from(JSON.stringify({ f: fingerprint, k: position.key, i: position.id })).toString(
    'base64url',
  );

const invalid = (): ValidationError =>
  new ValidationError(
    'cursor is not a nextCursor this search returned for the same filters; start again without a cursor.',
    {},
    'INVALID_CURSOR',
  );

export const decodeCursor = (fingerprint: string, cursor: string): CursorPosition => {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (typeof parsed !== 'object' || parsed === null) throw invalid();
  const { f, k, i } = parsed as { f?: unknown; k?: unknown; i?: unknown };
  if (f !== fingerprint || typeof i !== 'string' || !Array.isArray(k)) throw invalid();
  if (!k.every((n): n is number => typeof n === 'number' && Number.isFinite(n))) throw invalid();
  return { key: k, id: i };
};

export const fingerprintOf = (filters: Readonly<Record<string, unknown>>): string =>
  contentHash(filters);
