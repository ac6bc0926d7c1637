import { createHash } from 'node:crypto';
import { context as otelContext } from '@opentelemetry/api';
import { once } from 'node:events';
import type { Request, Response } from 'express';
import { ValidationError } from '../../domain/shared/errors.ts';
import { assertRole } from '../../domain/access/principal.ts';
import { HttpError, toErrorResponse, type HttpResponse } from './errorResponse.ts';
import type { Authenticator, Idempotency, RequestRateLimiter } from './ports.ts';
import { applyRateLimit } from './rateLimitHeaders.ts';
import { responseContractBreach } from './responseContract.ts';
import type { RequestContexts } from './requestContext.ts';
import type { RouteModule } from '../../commands/shared/route.ts';
import { MAX_INPUT_DEPTH, tooDeep } from '../../commands/shared/inputGuard.ts';

export interface RouteHandlerDeps {
  readonly auth: Authenticator;
  readonly idempotency: Idempotency;
  readonly rateLimiter: RequestRateLimiter;
  readonly contexts: RequestContexts;
  /** Tests: answer 500 RESPONSE_CONTRACT_BROKEN when a handler's answer breaks the OpenAPI document. */
  readonly checkResponses?: boolean;
}

const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const SANE_IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

const hasBody = (req: Request): boolean =>
  req.headers['transfer-encoding'] !== undefined ||
  (req.headers['content-length'] !== undefined && req.headers['content-length'] !== '0');

/**
 * JSON with object keys sorted, so field order does not change a request's
 * hash. Bodies are depth-checked at the parser; the bound here (the body sits
 * one level down in the hashed tuple) keeps the recursion shallow regardless.
 */
const canonicalJson = (value: unknown, depth = 0): string => {
  if (depth > MAX_INPUT_DEPTH + 1) throw tooDeep('body');
  const nested = (item: unknown) => canonicalJson(item, depth + 1);
  if (Array.isArray(value)) return `[${value.map(nested).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${nested(item)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
};

/** Writes a streamed body chunk by chunk, waiting for 'drain'; a failure half-way cuts the connection. */
const sendStream = async (res: Response, stream: AsyncIterable<string>): Promise<void> => {
  try {
    for await (const chunk of stream) {
      if (res.destroyed) return;
      if (!res.write(chunk)) await once(res, 'drain');
    }
    res.end();
  } catch (error) {
    if (!res.headersSent) throw error;
    res.destroy(error instanceof Error ? error : new Error(String(error)));
  }
};

const send = async (res: Response, response: HttpResponse, replayed: boolean): Promise<void> => {
  res.status(response.status);
  for (const [name, value] of Object.entries(response.headers ?? {})) res.setHeader(name, value);
  if (replayed) res.setHeader('Idempotent-Replayed', 'true');
  if (response.stream !== undefined) await sendStream(res, response.stream);
  else if (response.body === undefined) res.end();
  else res.json(response.body);
};

/**
 * One route's pipeline: authenticate → role → per-principal rate limit →
 * content type → validate + handle (inside the idempotency guard when the
 * route opts in) → send. Every refusal is thrown to the one error middleware.
 */
const createUntracedRouteHandler =
  (route: RouteModule, deps: RouteHandlerDeps) =>
  async (req: Request, res: Response): Promise<void> => {
    const context = deps.contexts.get(res);
    context.route = route.path;
    const principal = await deps.auth.authenticate(req.get('authorization'));
    if (principal) context.principal = principal;
    if (route.auth !== 'public' && principal) assertRole(principal, route.auth);
    if (principal)
      applyRateLimit(
        res,
        context,
        await deps.rateLimiter.checkPrincipal(principal.id, principal.rateLimitPerMinute),
        'principal',
      );
    const accepted = [
      'application/json',
      'application/*+json',
      ...(route.rawBody ? [route.rawBody] : []),
    ];
    if (route.schemas.body && hasBody(req) && !req.is(accepted)) {
      throw new HttpError(
        415,
        'UNSUPPORTED_MEDIA_TYPE',
        route.rawBody
          ? `This endpoint accepts JSON or ${route.rawBody} bodies; send one of those Content-Types.`
          : 'This endpoint accepts only JSON bodies; send Content-Type: application/json.',
      );
    }
    const key = req.get('idempotency-key');
    const answer = () =>
      route.run({
        params: req.params,
        query: req.query,
        body: route.rawBytes ? undefined : (req.body as unknown),
        headers: req.headers,
        principal,
        requestId: context.requestId,
        idempotencyKey: key,
        rawBytes: route.rawBytes && Buffer.isBuffer(req.body) ? req.body : undefined,
        logger: context.logger,
      });
    const run = async (): Promise<HttpResponse> => {
      const response = await answer();
      const breach = deps.checkResponses ? responseContractBreach(route, response) : undefined;
      if (breach !== undefined) throw new HttpError(500, 'RESPONSE_CONTRACT_BROKEN', breach);
      return response;
    };

    if (
      !route.idempotent ||
      !UNSAFE_METHODS.has(req.method) ||
      (key === undefined && route.idempotent !== 'required')
    ) {
      return send(res, await run(), false);
    }
    if (key === undefined || !SANE_IDEMPOTENCY_KEY.test(key)) {
      throw new ValidationError(
        'This endpoint needs an Idempotency-Key header of 1 to 255 visible ASCII characters (a UUID is ideal).',
        {},
        key === undefined ? 'IDEMPOTENCY_KEY_REQUIRED' : 'INVALID_IDEMPOTENCY_KEY',
      );
    }
    const scope = principal?.id ?? 'anonymous';
    const requestHash = createHash('sha256')
      .update(canonicalJson([req.method, req.originalUrl, scope, req.body ?? null]))
      .digest('hex');
    const outcome = await deps.idempotency.execute({
      scope,
      key,
      requestHash,
      // Refusals (4xx) are stored and replayed like successes; a 5xx is thrown so
      // the key is released and a retry runs again.
      run: async () => {
        try {
          return await run();
        } catch (error) {
          const response = toErrorResponse(error, context.requestId);
          if (response.status >= 500) throw error;
          return response;
        }
      },
    });
    await send(res, outcome.response, outcome.replayed);
  };

export const createRouteHandler = (route: RouteModule, deps: RouteHandlerDeps) => {
  const handle = createUntracedRouteHandler(route, deps);
  // Body parsers read through stream events, which lose the async context, so
  // the request's trace is entered here, around the handler itself.
  return (req: Request, res: Response): Promise<void> => {
    const traced = deps.contexts.get(res).trace;
    return traced === undefined
      ? handle(req, res)
      : otelContext.with(traced, handle, null, req, res);
  };
};
