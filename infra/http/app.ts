import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import type { Tracer } from '@opentelemetry/api';
import type { Registry } from 'prom-client';
import type { Logger } from '../observability/logger.ts';
import { HttpError, logFailure, toErrorResponse } from './errorResponse.ts';
import { API_INFO, createOpenApiDocument, type OpenApiInfo } from './openapi.ts';
import type { Authenticator, Idempotency, Readiness, RequestRateLimiter } from './ports.ts';
import { createIpRateLimit } from './rateLimitHeaders.ts';
import {
  createRequestContexts,
  createRequestLogging,
  type RequestContexts,
} from './requestContext.ts';
import { toExpressPath, type RouteModule } from '../../commands/shared/route.ts';
import { assertSafeInput } from '../../commands/shared/inputGuard.ts';
import { createRouteHandler } from './routeHandler.ts';
import { createRequestTracing } from './requestTracing.ts';
import { createConsoleRouter } from '../console/consoleStatic.ts';

export type { RouteModule } from '../../commands/shared/route.ts';

export interface HttpAppDeps {
  readonly logger: Logger;
  readonly registry: Registry;
  readonly routes: readonly RouteModule[];
  readonly auth: Authenticator;
  readonly idempotency: Idempotency;
  readonly rateLimiter: RequestRateLimiter;
  readonly readiness: () => Promise<Readiness>;
  /** Largest accepted JSON body (default '256kb'); larger → 413. */
  readonly bodyLimit?: string;
  /** Express "trust proxy" (default false: the socket address is the client IP). */
  readonly trustProxy?: boolean | number | string;
  readonly openApiInfo?: OpenApiInfo;
  /** Tests: every handler's answer is checked against the route's OpenAPI responses. */
  readonly checkResponses?: boolean;
  /** Traces every request (a server span, `traceparent` in and out); absent → no spans. */
  readonly tracer?: Tracer | undefined;
  /** Folder of the built web console served at `/console` (default `console/dist`). */
  readonly consoleDir?: string;
}

/** The one error middleware: everything thrown anywhere becomes the seed-004 envelope. */
const createErrorMiddleware =
  (contexts: RequestContexts) =>
  (error: unknown, _req: Request, res: Response, _next: NextFunction): void => {
    const context = contexts.get(res);
    const response = toErrorResponse(error, context.requestId);
    logFailure(context.logger, error, response);
    if (res.headersSent) {
      res.destroy();
      return;
    }
    for (const [name, value] of Object.entries(response.headers ?? {})) res.setHeader(name, value);
    res.status(response.status).json(response.body);
  };

export const createHttpApp = (deps: HttpAppDeps): Express => {
  const app = express();
  app.disable('x-powered-by');
  // No weak ETags hashed from every computed body: read routes send strong
  // ETags from stored versions (queries/shared/answerCache.ts).
  app.set('etag', false);
  app.set('trust proxy', deps.trustProxy ?? false);
  app.set('query parser', 'simple');
  const contexts = createRequestContexts();
  app.use(createRequestLogging({ logger: deps.logger, registry: deps.registry, contexts }));
  if (deps.tracer) app.use(createRequestTracing({ tracer: deps.tracer, contexts }));

  app.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/ready', async (_req, res) => {
    let readiness: Readiness;
    try {
      readiness = await deps.readiness();
    } catch (error) {
      readiness = {
        ready: false,
        checks: {
          readiness: { ok: false, message: error instanceof Error ? error.message : String(error) },
        },
      };
    }
    res.status(readiness.ready ? 200 : 503).json(readiness);
  });
  app.get('/metrics', async (_req, res) => {
    res.type(deps.registry.contentType).send(await deps.registry.metrics());
  });
  app.use('/console', createConsoleRouter(deps.consoleDir));
  const openApi = createOpenApiDocument(deps.routes, deps.openApiInfo ?? API_INFO);
  for (const path of ['/api/v1/openapi.json', '/openapi.json']) {
    app.get(path, (_req, res) => {
      res.json(openApi);
    });
  }

  app.use('/api', createIpRateLimit({ rateLimiter: deps.rateLimiter, contexts }));
  // Raw-body routes take the bytes before the JSON parser (which then skips the request).
  for (const route of deps.routes.filter((r) => r.rawBytes)) {
    app[route.method](
      toExpressPath(route.path),
      express.raw({ limit: deps.bodyLimit ?? '256kb', type: () => true }),
    );
  }
  app.use(
    express.json({
      limit: deps.bodyLimit ?? '256kb',
      type: ['application/json', 'application/*+json'],
    }),
  );
  // Too deep or carrying NUL: refused before anything walks the body (the idempotency hash, zod).
  app.use((req, _res, next) => {
    assertSafeInput('body', req.body);
    next();
  });

  const router = express.Router();
  const seen = new Set<string>();
  for (const route of deps.routes) {
    const id = `${route.method.toUpperCase()} ${route.path}`;
    if (seen.has(id))
      throw new Error(`Route ${id} is defined twice; remove one of the definitions.`);
    seen.add(id);
    const handler = createRouteHandler(route, { ...deps, contexts });
    const limit = deps.bodyLimit ?? '256kb';
    if (route.rawBody === undefined) router[route.method](toExpressPath(route.path), handler);
    else
      router[route.method](
        toExpressPath(route.path),
        express.text({ type: route.rawBody, limit }),
        handler,
      );
  }
  app.use(router);

  app.use((req, _res, next) => {
    next(
      new HttpError(
        404,
        'ROUTE_NOT_FOUND',
        `There is no ${req.method} ${req.path}; see /api/v1/openapi.json for the endpoints.`,
        {
          method: req.method,
        },
      ),
    );
  });
  app.use(createErrorMiddleware(contexts));
  return app;
};
