/**
 * The one error family. Every refusal in the system is a DomainError with a
 * stable machine-readable `code`; the HTTP layer maps the class to a status in
 * one place (infra/http), so nothing else hand-writes status switches.
 */
export type ErrorDetails = Readonly<Record<string, unknown>>;

export class DomainError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details: ErrorDetails = {},
    readonly retryable = false,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** Input that can never succeed as sent (HTTP 400). */
export class ValidationError extends DomainError {
  constructor(message: string, details: ErrorDetails = {}, code = 'INVALID_REQUEST') {
    super(code, message, details);
  }
}

/** The addressed thing does not exist (HTTP 404). */
export class NotFoundError extends DomainError {
  constructor(message: string, details: ErrorDetails = {}, code = 'NOT_FOUND') {
    super(code, message, details);
  }
}

/** The request lost to the current state of the world, e.g. no capacity left (HTTP 409). */
export class ConflictError extends DomainError {
  constructor(code: string, message: string, details: ErrorDetails = {}, retryable = false) {
    super(code, message, details, retryable);
  }
}

/** The aggregate's state does not allow this command, e.g. confirming a cancelled booking (HTTP 409). */
export class IllegalStateError extends DomainError {
  constructor(message: string, details: ErrorDetails = {}, code = 'ILLEGAL_STATE') {
    super(code, message, details);
  }
}

/** Optimistic concurrency: the stream moved on since the caller read it (HTTP 409, retryable). */
export class ConcurrencyError extends DomainError {
  constructor(
    readonly stream: string,
    readonly expected: string,
    readonly actual: string,
  ) {
    super(
      'VERSION_MISMATCH',
      `Stream ${stream} is at revision ${actual}, but revision ${expected} was expected; reload and retry.`,
      { stream, expectedRevision: expected, actualRevision: actual },
      true,
    );
  }
}

/** Authentication is missing or invalid (HTTP 401). */
export class UnauthenticatedError extends DomainError {
  constructor(message: string, details: ErrorDetails = {}) {
    super('UNAUTHENTICATED', message, details);
  }
}

/** Authenticated, but this principal may not do this (HTTP 403). */
export class ForbiddenError extends DomainError {
  constructor(message: string, details: ErrorDetails = {}) {
    super('FORBIDDEN', message, details);
  }
}

/** An Idempotency-Key reused with a different request (HTTP 422). */
export class IdempotencyKeyReusedError extends DomainError {
  constructor(message: string, details: ErrorDetails = {}) {
    super('IDEMPOTENCY_KEY_REUSED', message, details);
  }
}

/** Too many requests (HTTP 429); `retryAfterSeconds` becomes the Retry-After header. */
export class RateLimitedError extends DomainError {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
    details: ErrorDetails = {},
  ) {
    super('RATE_LIMITED', message, details, true);
  }
}

/** A dependency is unavailable right now; try again later (HTTP 503). */
export class UnavailableError extends DomainError {
  constructor(
    message: string,
    readonly retryAfterSeconds = 1,
    details: ErrorDetails = {},
  ) {
    super('SERVICE_UNAVAILABLE', message, details, true);
  }
}

export const isDomainError = (error: unknown): error is DomainError => error instanceof DomainError;
