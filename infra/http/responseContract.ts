import { isDeepStrictEqual } from 'node:util';
import type { HttpResponse, RouteModule } from '../../commands/shared/route.ts';

const asJson = (value: unknown): unknown =>
  value === undefined ? undefined : (JSON.parse(JSON.stringify(value)) as unknown);

/** Paths (a.b[0].c) present in `actual` but not in `documented`. */
const undocumented = (actual: unknown, documented: unknown, at = ''): string[] => {
  if (Array.isArray(actual) && Array.isArray(documented)) {
    return actual.flatMap((item, i) => undocumented(item, documented[i], `${at}[${i}]`));
  }
  if (actual === null || typeof actual !== 'object') return [];
  const known = (documented ?? {}) as Record<string, unknown>;
  return Object.entries(actual as Record<string, unknown>).flatMap(([key, value]) => {
    const path = at === '' ? key : `${at}.${key}`;
    return key in known ? undocumented(value, known[key], path) : [path];
  });
};

/**
 * Why `response` breaks the route's OpenAPI document, or undefined when it
 * keeps it: its status must be documented, and a documented body schema must
 * accept the body with no field beyond the ones it lists (the document says
 * `additionalProperties: false`). Error envelopes are checked by the error
 * middleware's own schema; this checks what handlers return.
 */
export const responseContractBreach = (
  route: Pick<RouteModule, 'method' | 'path' | 'responses'>,
  response: HttpResponse,
): string | undefined => {
  const name = `${route.method.toUpperCase()} ${route.path}`;
  const spec = route.responses[response.status];
  if (spec === undefined) {
    return `${name} answered ${response.status}, a status its OpenAPI document does not list.`;
  }
  // A streamed body (a large report) is written as produced and not held to check.
  if (spec.body === undefined || response.stream !== undefined) return undefined;
  const body = asJson(response.body);
  const parsed = spec.body.safeParse(body);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`);
    return `${name} ${response.status} body does not match its schema: ${issues.join('; ')}.`;
  }
  const extra = undocumented(body, asJson(parsed.data));
  if (extra.length > 0 || !isDeepStrictEqual(asJson(parsed.data), body)) {
    return `${name} ${response.status} body has fields its schema does not document: ${extra.join(', ') || '(values changed by the schema)'}.`;
  }
  return undefined;
};
