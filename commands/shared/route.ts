import { z } from 'zod';
import { UnauthenticatedError, ValidationError } from '../../domain/shared/errors.ts';
import type { Principal, Role } from '../../domain/access/principal.ts';
import { assertSafeInput } from './inputGuard.ts';

/** What a route answers: a status, an optional JSON body and headers. */
export interface HttpResponse {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  /**
   * A body sent as it is produced (large reports), instead of `body`: the
   * chunks are written in order with back-pressure; set content-type in
   * `headers`. Never stored for idempotent replays — only for GET routes.
   */
  readonly stream?: AsyncIterable<string>;
}

type LogFn = (fields: object, message?: string) => void;
/** The structured logger a route gets (pino's shape); never log bodies, they carry PII. */
export interface Logger {
  readonly debug: LogFn;
  readonly info: LogFn;
  readonly warn: LogFn;
  readonly error: LogFn;
}

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';
/** Roles allowed to call the route, or 'public' for no authentication. */
export type AuthRequirement = readonly Role[] | 'public';
/** What a handler returns; thrown DomainErrors become the error envelope. */
export type RouteResult = HttpResponse;

export interface RouteResponseSpec {
  readonly description: string;
  /** Response body schema, documented in OpenAPI (not enforced at runtime). */
  readonly body?: z.ZodType;
}

type Parsed<S> = S extends z.ZodType ? z.output<S> : undefined;

export interface RouteContext<P, Q, B, H, A extends AuthRequirement> {
  readonly params: P;
  readonly query: Q;
  readonly body: B;
  readonly headers: H;
  /** Always present on non-public routes, with one of the allowed roles. */
  readonly principal: A extends 'public' ? Principal | undefined : Principal;
  readonly requestId: string;
  /** The request's Idempotency-Key when one was sent; put it in event metadata. */
  readonly idempotencyKey: string | undefined;
  /** The exact request bytes on `rawBytes` routes (signature checks); undefined elsewhere. */
  readonly rawBytes: Buffer | undefined;
  /** Child logger carrying the request id; never log bodies (they carry PII). */
  readonly logger: Logger;
}

export interface RouteDefinition<
  PS extends z.ZodType | undefined,
  QS extends z.ZodType | undefined,
  BS extends z.ZodType | undefined,
  HS extends z.ZodType | undefined,
  A extends AuthRequirement,
> {
  readonly method: HttpMethod;
  /** OpenAPI-style path with `{name}` parameters, e.g. `/api/v1/bookings/{id}`. */
  readonly path: string;
  readonly summary: string;
  readonly description?: string;
  readonly tags?: readonly string[];
  readonly auth: A;
  readonly params?: PS;
  /** Query values arrive as strings: use z.coerce for numbers and booleans. */
  readonly query?: QS;
  /** A top-level z.object is made strict, so unknown fields are a 400; nest z.strictObject. */
  readonly body?: BS;
  /** Validated against the lower-cased request headers. */
  readonly headers?: HS;
  readonly responses: Readonly<Record<number, RouteResponseSpec>>;
  /**
   * Honour `Idempotency-Key` on this unsafe route (true), or demand it ('required').
   * Default false. Keep it off for responses that carry secrets (they would be stored).
   */
  readonly idempotent?: boolean | 'required';
  /**
   * A media type (e.g. 'text/calendar') also accepted as a raw text body,
   * besides JSON; the body schema then sees a string. Default: JSON only.
   */
  readonly rawBody?: string;
  /**
   * Hand the handler the body exactly as received (`context.rawBytes`, any
   * content type, no JSON parsing) — for signatures over the raw bytes, such
   * as Stripe's webhooks. Default false.
   */
  readonly rawBytes?: boolean;
  readonly handler: (
    context: RouteContext<Parsed<PS>, Parsed<QS>, Parsed<BS>, Parsed<HS>, A>,
  ) => Promise<RouteResult>;
}

export interface RawRouteInput {
  readonly params: unknown;
  readonly query: unknown;
  readonly body: unknown;
  readonly headers: unknown;
  readonly principal: Principal | undefined;
  readonly requestId: string;
  readonly idempotencyKey: string | undefined;
  readonly rawBytes?: Buffer | undefined;
  readonly logger: Logger;
}

/** A route as plain data, type-erased so route files can be collected into one list. */
export interface RouteModule {
  readonly method: HttpMethod;
  readonly path: string;
  readonly summary: string;
  readonly description?: string | undefined;
  readonly tags?: readonly string[] | undefined;
  readonly auth: AuthRequirement;
  readonly schemas: {
    readonly params?: z.ZodType | undefined;
    readonly query?: z.ZodType | undefined;
    readonly body?: z.ZodType | undefined;
    readonly headers?: z.ZodType | undefined;
  };
  readonly responses: Readonly<Record<number, RouteResponseSpec>>;
  readonly idempotent: boolean | 'required';
  /** A media type accepted as a raw text body besides JSON. */
  readonly rawBody?: string | undefined;
  /** Whether the handler gets the exact request bytes (RouteDefinition.rawBytes). */
  readonly rawBytes?: boolean;
  /** Validates the raw input (400 with every issue) and runs the handler. */
  readonly run: (input: RawRouteInput) => Promise<RouteResult>;
}

const strictBody = (schema: z.ZodType | undefined): z.ZodType | undefined =>
  schema instanceof z.ZodObject ? schema.strict() : schema;

const parts = ['params', 'query', 'body', 'headers'] as const;

export const defineRoute = <
  A extends AuthRequirement,
  PS extends z.ZodType | undefined = undefined,
  QS extends z.ZodType | undefined = undefined,
  BS extends z.ZodType | undefined = undefined,
  HS extends z.ZodType | undefined = undefined,
>(
  definition: RouteDefinition<PS, QS, BS, HS, A>,
): RouteModule => {
  const schemas = {
    params: definition.params,
    query: definition.query,
    body: strictBody(definition.body),
    headers: definition.headers,
  };
  return {
    method: definition.method,
    path: definition.path,
    summary: definition.summary,
    description: definition.description,
    tags: definition.tags,
    auth: definition.auth,
    schemas,
    responses: definition.responses,
    idempotent: definition.idempotent ?? false,
    rawBody: definition.rawBody,
    rawBytes: definition.rawBytes ?? false,
    run: async (input) => {
      const parsed: Record<(typeof parts)[number], unknown> = {
        params: {},
        query: {},
        body: undefined,
        headers: {},
      };
      for (const part of ['params', 'query', 'body'] as const) assertSafeInput(part, input[part]);
      const issues: { path: string; code: string; message: string }[] = [];
      for (const part of parts) {
        const schema = schemas[part];
        if (!schema) continue;
        const result = await schema.safeParseAsync(input[part]);
        if (result.success) parsed[part] = result.data;
        else {
          for (const issue of result.error.issues) {
            issues.push({
              path: [part, ...issue.path.map(String)].join('.'),
              code: issue.code,
              message: issue.message,
            });
          }
        }
      }
      if (issues.length > 0) {
        throw new ValidationError('The request is invalid; see details.issues for each problem.', {
          issues,
        });
      }
      if (definition.auth !== 'public' && input.principal === undefined) {
        throw new UnauthenticatedError(
          'This endpoint needs "Authorization: Bearer <API key or access token>".',
        );
      }
      // The checks above establish what the context type promises.
      // Typed in full here, so only the parsed parts and principal are narrowed by the cast below.
      const context: RouteContext<unknown, unknown, unknown, unknown, 'public'> = {
        params: parsed.params,
        query: parsed.query,
        body: parsed.body,
        headers: parsed.headers,
        principal: input.principal,
        requestId: input.requestId,
        idempotencyKey: input.idempotencyKey,
        rawBytes: input.rawBytes,
        logger: input.logger,
      };
      return definition.handler(context as Parameters<typeof definition.handler>[0]);
    },
  };
};

/** `/bookings/{id}` → `/bookings/:id` for express. */
export const toExpressPath = (path: string): string => path.replace(/\{(\w+)\}/g, ':$1');
