/**
 * Which failures a subscription rides out (reconnect with backoff) and which end
 * it. Connection loss is expected — a database restart, a failover, an operator
 * terminating the backend — and must never lose or repeat an event, so the
 * subscription retries from its last delivered checkpoint. Anything else (a
 * missing table, bad SQL) will not heal by waiting and is reported to the
 * subscriber.
 */

// SQLSTATE classes/codes that mean "the connection or server went away".
const TRANSIENT_SQLSTATES = new Set([
  '57P01', // admin_shutdown (pg_terminate_backend, fast shutdown)
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now (starting up, recovering)
  '53300', // too_many_connections
  '40001', // serialization_failure
  '40P01', // deadlock_detected
]);
const TRANSIENT_ERRNOS = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENOTFOUND',
]);
// node-postgres reports a dropped socket with plain Errors carrying these messages.
const TRANSIENT_MESSAGES = [
  'Connection terminated',
  'connection timeout',
  'timeout exceeded when trying to connect',
  'Client has encountered a connection error and is not queryable',
];

const field = (error: object, name: string): string | undefined => {
  const value = (error as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : undefined;
};

export const isTransientConnectionError = (error: unknown): boolean => {
  if (!(error instanceof Error)) return false;
  const code = field(error, 'code');
  if (code !== undefined) {
    if (code.startsWith('08') || TRANSIENT_SQLSTATES.has(code) || TRANSIENT_ERRNOS.has(code)) {
      return true;
    }
  }
  return TRANSIENT_MESSAGES.some((message) => error.message.includes(message));
};

/** Exponential backoff with full jitter: attempt 1 waits up to `baseMs`, doubling up to `maxMs`. */
export const backoffDelay = (attempt: number, baseMs: number, maxMs: number): number => {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
};
