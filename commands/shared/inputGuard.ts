import { ValidationError } from '../../domain/shared/errors.ts';

/**
 * Deepest nesting of arrays and objects a request may send. No route's schema
 * nests past a handful of levels; the bound keeps every walk over a body
 * (validation, the idempotency hash) shallow whatever a caller sends.
 */
export const MAX_INPUT_DEPTH = 32;

/** Where a request's values come from, for the error's details. */
export type InputPart = 'params' | 'query' | 'body' | 'headers';

const nulRefusal = (part: InputPart, path: readonly (string | number)[]): ValidationError =>
  new ValidationError(
    `The request's ${part} contains a NUL character (\\u0000) at "${[part, ...path].join('.')}"; remove it.`,
    { part, path: [part, ...path].join('.') },
    'INVALID_CHARACTER',
  );

/** Throws INPUT_TOO_DEEP when a value nests arrays or objects deeper than MAX_INPUT_DEPTH. */
export const tooDeep = (part: InputPart): ValidationError =>
  new ValidationError(
    `The request's ${part} nests arrays or objects more than ${MAX_INPUT_DEPTH} levels deep; send a flatter document.`,
    { part, maxDepth: MAX_INPUT_DEPTH },
    'INPUT_TOO_DEEP',
  );

/**
 * Refuses, before any schema or store sees them, what no field of any route
 * can hold: NUL characters (PostgreSQL text and jsonb refuse 0x00) in any
 * string or key, and nesting deeper than MAX_INPUT_DEPTH. Iterative, so a
 * hostile depth cannot exhaust the stack.
 */
export const assertSafeInput = (part: InputPart, value: unknown): void => {
  const stack: { value: unknown; path: (string | number)[] }[] = [{ value, path: [] }];
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    const { value: current, path } = item;
    if (typeof current === 'string') {
      if (current.includes('\u0000')) throw nulRefusal(part, path);
      continue;
    }
    // Raw bodies (signed webhook bytes) are bytes, not a document to walk.
    if (current === null || typeof current !== 'object' || ArrayBuffer.isView(current)) continue;
    if (path.length >= MAX_INPUT_DEPTH) throw tooDeep(part);
    if (Array.isArray(current)) {
      current.forEach((entry: unknown, i) => stack.push({ value: entry, path: [...path, i] }));
      continue;
    }
    for (const [key, entry] of Object.entries(current)) {
      if (key.includes('\u0000')) throw nulRefusal(part, [...path, key.replace(/\0/g, '\\0')]);
      stack.push({ value: entry, path: [...path, key] });
    }
  }
};
