import { z } from 'zod';
import type { HttpResponse } from '../../commands/shared/route.ts';
import {
  ConcurrencyError,
  ConflictError,
  DomainError,
  ForbiddenError,
  IdempotencyKeyReusedError,
  IllegalStateError,
  NotFoundError,
  RateLimitedError,
  UnauthenticatedError,
  UnavailableError,
  ValidationError,
  type ErrorDetails,
} from '../../domain/shared/errors.ts';
import { MoneyLimitExceededError } from '../../domain/shared/moneyLimits.ts';
import { EventRejectedError } from '../../domain/events/registry.ts';

/** Refusals that exist only at the HTTP boundary (413, 415, …); same envelope as the rest. */
export class HttpError extends DomainError {
  constructor(
    readonly status: number,
    code: string,
    message: string,
    details: ErrorDetails = {},
  ) {
    super(code, message, details);
  }
}

export interface ErrorEnvelope {
  readonly error: {
    readonly code: string;
    readonly message: string;
    readonly details: ErrorDetails;
    readonly retryable: boolean;
    readonly retryAfter?: number;
  };
}

export type { HttpResponse };

/** The envelope schema, for the OpenAPI document. */
export const errorEnvelopeSchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.record(z.string(), z.unknown()),
    retryable: z.boolean(),
    retryAfter: z.number().int().optional(),
  }),
});

const statusOf = (error: DomainError): number => {
  if (error instanceof HttpError) return error.status;
  if (error instanceof ValidationError) return 400;
  if (error instanceof UnauthenticatedError) return 401;
  if (error instanceof ForbiddenError) return 403;
  if (error instanceof NotFoundError) return 404;
  if (error instanceof ConflictError || error instanceof IllegalStateError) return 409;
  if (error instanceof ConcurrencyError) return 409;
  if (error instanceof IdempotencyKeyReusedError) return 422;
  if (error instanceof MoneyLimitExceededError || error instanceof EventRejectedError) return 422;
  if (error instanceof RateLimitedError) return 429;
  if (error instanceof UnavailableError) return 503;
  // A DomainError subclass this table does not know is still a refusal of the
  // request, not a bug: answer 400 rather than 500.
  return 400;
};

const retryAfterOf = (error: DomainError): number | undefined =>
  error instanceof RateLimitedError || error instanceof UnavailableError
    ? Math.max(1, Math.ceil(error.retryAfterSeconds))
    : undefined;

const envelope = (
  code: string,
  message: string,
  details: ErrorDetails,
  retryable: boolean,
  retryAfter?: number,
): ErrorEnvelope => ({
  error: { code, message, details, retryable, ...(retryAfter === undefined ? {} : { retryAfter }) },
});

/** body-parser's errors carry a `type` and a 4xx `status` (http-errors). */
interface BodyParserError {
  readonly type: string;
  readonly status: number;
}
const isBodyParserError = (error: unknown): error is BodyParserError =>
  error instanceof Error &&
  typeof (error as Partial<BodyParserError>).type === 'string' &&
  typeof (error as Partial<BodyParserError>).status === 'number';

const fromBodyParser = (error: BodyParserError): HttpError | undefined => {
  switch (error.type) {
    case 'entity.too.large':
      return new HttpError(
        413,
        'PAYLOAD_TOO_LARGE',
        'The request body is larger than this API accepts; send a smaller body.',
      );
    case 'entity.parse.failed':
      return new HttpError(
        400,
        'MALFORMED_JSON',
        'The request body is not valid JSON; send a JSON document.',
      );
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new HttpError(
        415,
        'UNSUPPORTED_MEDIA_TYPE',
        'The body encoding or charset is not supported; send UTF-8 JSON.',
      );
    case 'request.aborted':
    case 'request.size.invalid':
      return new HttpError(
        400,
        'INCOMPLETE_BODY',
        'The request body ended before its declared length; resend it.',
      );
    default:
      return error.status >= 400 && error.status < 500
        ? new HttpError(
            error.status,
            'INVALID_REQUEST',
            'The request body could not be read; check its headers and content.',
          )
        : undefined;
  }
};

const toDomainError = (error: unknown): DomainError | undefined => {
  if (error instanceof DomainError) return error;
  if (error instanceof z.ZodError) {
    return new ValidationError('The request is invalid; see details.issues for each problem.', {
      issues: error.issues.map((issue) => ({
        path: issue.path.map(String).join('.'),
        code: issue.code,
        message: issue.message,
      })),
    });
  }
  if (isBodyParserError(error)) return fromBodyParser(error);
  // The router's "Failed to decode param" (a path segment such as %ff that is not UTF-8).
  if (error instanceof URIError) {
    return new HttpError(
      400,
      'MALFORMED_URL',
      'A path segment is not valid percent-encoded UTF-8; encode the id with encodeURIComponent.',
    );
  }
  return undefined;
};

/**
 * Logs a refusal as what it is: anything the error family does not know is a
 * bug (error, with the stack); a known 5xx — a dependency or a setting
 * missing, such as STRIPE_WEBHOOK_SECRET — is a warning with its code; a 4xx
 * is the caller's and is not logged here.
 */
export const logFailure = (
  logger: {
    error: (fields: object, message: string) => void;
    warn: (fields: object, message: string) => void;
  },
  error: unknown,
  response: HttpResponse,
): void => {
  const known = toDomainError(error);
  if (known === undefined) logger.error({ err: error }, 'unhandled error (a bug)');
  else if (response.status >= 500)
    logger.warn(
      { code: known.code, status: response.status, reason: known.message },
      'request refused: a dependency or setting is unavailable',
    );
};

/**
 * The one mapping from anything thrown to a response: the DomainError family,
 * zod errors and body-parser errors become 4xx/503 envelopes; everything else
 * is a 500 (a bug), whose details never leak.
 */
export const toErrorResponse = (error: unknown, requestId: string): HttpResponse => {
  const known = toDomainError(error);
  if (!known) {
    return {
      status: 500,
      body: envelope(
        'INTERNAL_ERROR',
        `An unexpected error occurred and was logged with request id ${requestId}; retry later or report the id.`,
        { requestId },
        true,
      ),
    };
  }
  const status = statusOf(known);
  const retryAfter = retryAfterOf(known);
  const headers: Record<string, string> = {};
  if (retryAfter !== undefined) headers['Retry-After'] = String(retryAfter);
  if (status === 401) headers['WWW-Authenticate'] = 'Bearer';
  return {
    status,
    body: envelope(known.code, known.message, known.details, known.retryable, retryAfter),
    headers,
  };
};
