import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { RateLimitedError } from '../../domain/shared/errors.ts';
import type { HttpResponse } from './errorResponse.ts';
import type { RateLimitDecision } from './ports.ts';

/**
 * Express's default weak ETag (the `etag` package: byte length in hex, then
 * the first 27 characters of the base64 SHA-1), so conditional GETs behave the
 * same on both paths.
 */
export const weakEtag = (body: Buffer): string =>
  body.length === 0
    ? 'W/"0-2jmj7l5rSw0yVb/vlWAYkK/YBwk"'
    : `W/"${body.length.toString(16)}-${createHash('sha1').update(body).digest('base64').substring(0, 27)}"`;

/** The `fresh` package's rule for If-None-Match, which Express applies before sending a 2xx. */
const isFresh = (req: IncomingMessage, etag: string): boolean => {
  const match = req.headers['if-none-match'];
  if (match === undefined) return false;
  if (/(?:^|,)\s*no-cache\s*(?:,|$)/.test(req.headers['cache-control'] ?? '')) return false;
  if (match.trim() === '*') return true;
  const bare = (tag: string) => tag.trim().replace(/^W\//, '');
  return match.split(',').some((tag) => bare(tag) === bare(etag));
};

/** Sends like Express's `res.status().set().json()`: same headers, ETag and 304 handling. */
export const sendJson = (
  req: IncomingMessage,
  res: ServerResponse,
  response: HttpResponse,
  extraHeaders: Readonly<Record<string, string>>,
): void => {
  for (const [name, value] of Object.entries(extraHeaders)) res.setHeader(name, value);
  for (const [name, value] of Object.entries(response.headers ?? {})) res.setHeader(name, value);
  if (response.body === undefined) {
    res.statusCode = response.status;
    res.end();
    return;
  }
  const body = Buffer.from(JSON.stringify(response.body), 'utf8');
  const etag = res.hasHeader('etag') ? String(res.getHeader('etag')) : weakEtag(body);
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', String(body.length));
  res.setHeader('ETag', etag);
  const ok = response.status >= 200 && response.status < 300;
  if (ok && isFresh(req, etag)) {
    res.statusCode = 304;
    res.removeHeader('Content-Type');
    res.removeHeader('Content-Length');
    res.end();
    return;
  }
  res.statusCode = response.status;
  res.end(body);
};

/**
 * The same bookkeeping as rateLimitHeaders.ts `applyRateLimit` (which is
 * typed to Express's Response): the tightest window goes into X-RateLimit-*,
 * a refusal throws the same RateLimitedError. The parity test guards that the
 * two stay identical.
 */
export const applyFastRateLimit = (
  headers: Record<string, string>,
  state: { tightest?: RateLimitDecision },
  decision: RateLimitDecision | undefined,
  scope: 'ip' | 'principal',
): void => {
  if (!decision) return;
  if (!state.tightest || decision.remaining <= state.tightest.remaining || !decision.allowed) {
    state.tightest = decision;
    headers['X-RateLimit-Limit'] = String(decision.limit);
    headers['X-RateLimit-Remaining'] = String(decision.remaining);
    headers['X-RateLimit-Reset'] = String(decision.resetSeconds);
  }
  if (!decision.allowed) {
    throw new RateLimitedError(
      `Too many requests: the limit is ${decision.limit} per window for this ${scope === 'ip' ? 'address' : 'caller'}; retry after ${decision.retryAfterSeconds} s.`,
      decision.retryAfterSeconds,
      { scope, limit: decision.limit },
    );
  }
};
