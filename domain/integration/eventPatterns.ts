import { ValidationError } from '../shared/errors.ts';
import { PUBLIC_EVENT_TYPES } from './publicEventSchema.ts';

/** `*`, a family (`booking.*`, `reservation.*`) or one public event type. */
export type EventPattern = string;

const FAMILIES = [...new Set(PUBLIC_EVENT_TYPES.map((type) => type.split('.')[0]))].map(
  (family) => `${family}.*`,
);

/** Every pattern an endpoint may subscribe with. */
export const EVENT_PATTERNS: readonly string[] = ['*', ...FAMILIES, ...PUBLIC_EVENT_TYPES];

export const isEventPattern = (value: string): boolean => EVENT_PATTERNS.includes(value);

/** Throws a ValidationError naming the unknown patterns and the accepted ones. */
export const assertEventPatterns = (patterns: readonly string[]): void => {
  const unknown = patterns.filter((pattern) => !isEventPattern(pattern));
  if (unknown.length === 0) return;
  throw new ValidationError(
    `Unknown event pattern(s) ${unknown.map((p) => `"${p}"`).join(', ')}; use "*", ${FAMILIES.map((f) => `"${f}"`).join(', ')} or a public event type (GET /api/v1/events/schema lists them).`,
    { unknown, accepted: EVENT_PATTERNS },
  );
};

export const matchesPattern = (pattern: EventPattern, type: string): boolean =>
  pattern === '*' ||
  pattern === type ||
  (pattern.endsWith('.*') && type.startsWith(pattern.slice(0, -1)));

export const matchesAny = (patterns: readonly EventPattern[], type: string): boolean =>
  patterns.some((pattern) => matchesPattern(pattern, type));
