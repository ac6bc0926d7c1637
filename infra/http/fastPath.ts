import { randomUUID } from 'node:crypto';
import {
  createServer,
  type IncomingMessage,
  type RequestListener,
  type Server,
  type ServerResponse,
} from 'node:http';
import { parse as parseQuery } from 'node:querystring';
import { Histogram, type Registry } from 'prom-client';
import { assertRole } from '../../domain/access/principal.ts';
import type { Logger } from '../observability/logger.ts';
import { answerClientErrorsWithEnvelope } from './clientError.ts';
import { logFailure, toErrorResponse } from './errorResponse.ts';
import { applyFastRateLimit, sendJson } from './fastPathResponse.ts';
import type { Authenticator, RateLimitDecision, RequestRateLimiter } from './ports.ts';
import type { RouteModule } from '../../commands/shared/route.ts';

/** What the lean handler shares with the Express app: the same ports, so the same answers. */
export interface FastPathDeps {
  readonly auth: Authenticator;
  readonly rateLimiter: RequestRateLimiter;
  readonly logger: Logger;
  /** The app's registry: requests are observed in its `http_request_duration_seconds` when present. */
  readonly registry?: Registry | undefined;
}

interface CompiledRoute {
  readonly route: RouteModule;
  readonly pattern: RegExp;
  readonly names: readonly string[];
}

// Same rule as requestContext.ts: a caller's id only when it cannot smuggle anything into logs or headers.
const SANE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** `/vendors/{id}/availability` → a regex with Express's defaults: case-insensitive, optional trailing slash. */
const compile = (route: RouteModule): CompiledRoute => {
  const names: string[] = [];
  const source = route.path
    .split(/(\{\w+\})/)
    .map((part) => {
      const name = /^\{(\w+)\}$/.exec(part)?.[1];
      if (name === undefined) return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      names.push(name);
      return '([^/]+?)';
    })
    .join('');
  return { route, pattern: new RegExp(`^${source}/?$`, 'i'), names };
};

const match = (routes: readonly CompiledRoute[], path: string) => {
  for (const compiled of routes) {
    const found = compiled.pattern.exec(path);
    if (!found) continue;
    const params: Record<string, string> = {};
    try {
      compiled.names.forEach((name, i) => (params[name] = decodeURIComponent(found[i + 1] ?? '')));
    } catch {
      return undefined; // a malformed escape: Express answers it, so it stays Express's answer
    }
    return { route: compiled.route, params };
  }
  return undefined;
};

const histogramOf = (registry: Registry | undefined): Histogram | undefined => {
  const metric = registry?.getSingleMetric('http_request_duration_seconds');
  return metric instanceof Histogram ? metric : undefined;
};

/**
 * DESIGN.md "Speed": a bare `node:http` handler in front of Express that
 * answers only `fastRoutes` (GETs) through the very RouteModules Express
 * mounts — same zod validation, auth, rate limits and error envelope — and
 * hands every other request to `app` untouched.
 */
export const createFastPathServer = (
  app: RequestListener,
  fastRoutes: readonly RouteModule[],
  deps: FastPathDeps,
): Server => {
  const routes = fastRoutes.filter((r) => r.method === 'get').map(compile);
  const duration = histogramOf(deps.registry);

  const serve = async (
    req: IncomingMessage,
    res: ServerResponse,
    found: { route: RouteModule; params: Record<string, string> },
    path: string,
    query: string,
  ): Promise<void> => {
    const started = process.hrtime.bigint();
    const offered = req.headers['x-request-id'];
    const requestId =
      typeof offered === 'string' && SANE_REQUEST_ID.test(offered) ? offered : randomUUID();
    const logger = deps.logger.child({ reqId: requestId });
    const headers: Record<string, string> = { 'X-Request-Id': requestId };
    const limits: { tightest?: RateLimitDecision } = {};
    let principalLog: object = {};
    try {
      const ip = req.socket.remoteAddress ?? 'unknown';
      applyFastRateLimit(headers, limits, await deps.rateLimiter.checkIp(ip), 'ip');
      const principal = await deps.auth.authenticate(req.headers.authorization);
      if (principal) {
        principalLog = { principalId: principal.id, role: principal.role };
        if (found.route.auth !== 'public') assertRole(principal, found.route.auth);
        applyFastRateLimit(
          headers,
          limits,
          await deps.rateLimiter.checkPrincipal(principal.id, principal.rateLimitPerMinute),
          'principal',
        );
      }
      const response = await found.route.run({
        params: found.params,
        query: parseQuery(query),
        body: undefined,
        headers: req.headers,
        principal,
        requestId,
        idempotencyKey: undefined,
        logger,
      });
      sendJson(req, res, response, headers);
    } catch (error) {
      const response = toErrorResponse(error, requestId);
      logFailure(logger, error, response);
      sendJson(req, res, response, headers);
    }
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    duration?.observe(
      { method: 'GET', route: found.route.path, status: String(res.statusCode) },
      seconds,
    );
    const line = {
      method: 'GET',
      path,
      route: found.route.path,
      status: res.statusCode,
      durationMs: Math.round(seconds * 1e5) / 100,
      ...principalLog,
    };
    if (res.statusCode >= 500) logger.error(line, 'request failed');
    else logger.info(line, 'request completed');
  };

  const server = createServer((req, res) => {
    const url = req.url ?? '/';
    const at = url.indexOf('?');
    const path = at < 0 ? url : url.slice(0, at);
    const found = req.method === 'GET' ? match(routes, path) : undefined;
    if (found === undefined) {
      app(req, res);
      return;
    }
    serve(req, res, found, path, at < 0 ? '' : url.slice(at + 1)).catch((error: unknown) => {
      deps.logger.error({ err: error }, 'fast path failed to answer');
      if (!res.headersSent) res.writeHead(500).end();
      else res.destroy();
    });
  });
  answerClientErrorsWithEnvelope(server, deps.logger);
  return server;
};
