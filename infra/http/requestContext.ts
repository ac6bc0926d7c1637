import { randomUUID } from 'node:crypto';
import type { Context } from '@opentelemetry/api';
import type { NextFunction, Request, Response } from 'express';
import { Histogram, type Registry } from 'prom-client';
import type { Principal } from '../../domain/access/principal.ts';
import type { Logger } from '../observability/logger.ts';
import type { RateLimitDecision } from './ports.ts';

/** Per-request state shared by the middlewares of one app. */
export interface RequestContext {
  readonly requestId: string;
  readonly logger: Logger;
  principal?: Principal;
  /** The tightest window counted so far; its numbers go into X-RateLimit-*. */
  rateLimit?: RateLimitDecision;
  /** The matched route template (bounded cardinality for logs and metrics). */
  route?: string;
  /** The request's trace context (its server span), when the app traces requests. */
  trace?: Context;
}

export interface RequestContexts {
  get(res: Response): RequestContext;
  set(res: Response, context: RequestContext): void;
}

/** Kept per app (not on module scope) so two apps in one process never share state. */
export const createRequestContexts = (): RequestContexts => {
  const contexts = new WeakMap<Response, RequestContext>();
  return {
    get: (res) => {
      const context = contexts.get(res);
      if (!context)
        throw new Error('No request context: the request-logging middleware must run first.');
      return context;
    },
    set: (res, context) => void contexts.set(res, context),
  };
};

// Accept a caller's id only when it cannot smuggle anything into logs or headers.
const SANE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

const getDurationHistogram = (registry: Registry): Histogram => {
  const name = 'http_request_duration_seconds';
  const existing = registry.getSingleMetric(name);
  if (existing instanceof Histogram) return existing;
  return new Histogram({
    name,
    help: 'HTTP request duration in seconds by method, route template and status.',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
};

/**
 * Request id (X-Request-Id accepted if sane, else generated) and one structured
 * log line per request. Only method, path, route, status, duration and the
 * principal's id are logged: never headers, query strings or bodies, which carry
 * credentials and personal data.
 */
export const createRequestLogging = (deps: {
  readonly logger: Logger;
  readonly registry: Registry;
  readonly contexts: RequestContexts;
}) => {
  const duration = getDurationHistogram(deps.registry);
  return (req: Request, res: Response, next: NextFunction): void => {
    const started = process.hrtime.bigint();
    const offered = req.get('x-request-id');
    const requestId =
      offered !== undefined && SANE_REQUEST_ID.test(offered) ? offered : randomUUID();
    const context: RequestContext = { requestId, logger: deps.logger.child({ reqId: requestId }) };
    deps.contexts.set(res, context);
    res.setHeader('X-Request-Id', requestId);
    res.on('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const route = context.route ?? 'unmatched';
      duration.observe({ method: req.method, route, status: String(res.statusCode) }, seconds);
      const line = {
        method: req.method,
        path: req.path,
        route,
        status: res.statusCode,
        durationMs: Math.round(seconds * 1e5) / 100,
        ...(context.principal
          ? { principalId: context.principal.id, role: context.principal.role }
          : {}),
      };
      if (res.statusCode >= 500) context.logger.error(line, 'request failed');
      else context.logger.info(line, 'request completed');
    });
    next();
  };
};
