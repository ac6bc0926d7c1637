import { SpanKind, SpanStatusCode, trace, type Context, type Tracer } from '@opentelemetry/api';
import type { NextFunction, Request, Response } from 'express';
import { contextFromTraceparent, traceparentOf } from '../observability/tracing.ts';
import type { RequestContexts } from './requestContext.ts';

/**
 * One server span per request (docs/tracing.md): a child of the caller's
 * `traceparent` header when it is well formed, else the root of a new trace
 * (a malformed header is ignored, never refused). The span's own traceparent
 * is echoed in the response; the route handler runs inside its context, so
 * the events it appends carry it. Ended when the response is finished.
 */
export const createRequestTracing = (deps: {
  readonly tracer: Tracer;
  readonly contexts: RequestContexts;
}) => {
  return (req: Request, res: Response, next: NextFunction): void => {
    const parent = contextFromTraceparent(req.headers['traceparent']);
    const span = deps.tracer.startSpan(
      `${req.method} request`,
      { kind: SpanKind.SERVER, attributes: { 'http.request.method': req.method } },
      parent,
    );
    const traced: Context = trace.setSpan(parent, span);
    const context = deps.contexts.get(res);
    context.trace = traced;
    const traceparent = traceparentOf(traced);
    if (traceparent !== undefined) res.setHeader('traceparent', traceparent);
    let ended = false;
    const end = () => {
      if (ended) return;
      ended = true;
      const route = context.route ?? 'unmatched';
      span.updateName(`${req.method} ${route}`);
      span.setAttributes({ 'http.route': route, 'http.response.status_code': res.statusCode });
      if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    };
    res.on('finish', end);
    res.on('close', end);
    next();
  };
};
