/**
 * A problem with the machine or its set-up (a directory the database user
 * cannot reach, a port in use, a database that is unreachable), not a bug:
 * the CLI prints its message, which says what to do, without a stack trace.
 */
export class SetupError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SetupError';
  }
}
