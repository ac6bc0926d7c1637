import { ConfigError } from '../infra/config/config.ts';
import { SetupError } from '../infra/config/setupError.ts';

/** pg and Node error codes that mean the database is unreachable or refuses us: a set-up problem. */
const SETUP_CODES: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'nothing listens there; start PostgreSQL (make services) or fix DATABASE_URL',
  ENOTFOUND: 'the host name does not resolve; fix DATABASE_URL',
  ETIMEDOUT: 'the connection timed out; check the host and port of DATABASE_URL',
  '28P01': 'the password was refused; fix DATABASE_URL',
  '28000': 'the server refuses this user or host; fix DATABASE_URL or pg_hba.conf',
  '3D000': 'the database does not exist; create it or fix DATABASE_URL',
};

/** What to print for an error: a set-up problem gets its message and what to do, a bug its stack. */
export const describeError = (error: unknown): { message: string; code: number } => {
  if (error instanceof ConfigError) return { message: error.message, code: 2 };
  if (error instanceof SetupError) return { message: error.message, code: 1 };
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS') && error instanceof Error)
    return { message: `${error.message} (--help lists the options)`, code: 2 };
  if (typeof code === 'string' && code in SETUP_CODES) {
    const message = error instanceof Error ? error.message : String(code);
    return { message: `Cannot use the database (${message}): ${SETUP_CODES[code]}.`, code: 1 };
  }
  if (error instanceof Error) return { message: error.stack ?? error.message, code: 1 };
  return {
    message: `Failed: ${error === undefined ? 'an unknown error (no detail was given)' : JSON.stringify(error)}`,
    code: 1,
  };
};

/** Runs a CLI body; a configuration error exits 2, a set-up problem prints only its message and exits 1. */
export const runCli = async (body: () => Promise<void>): Promise<void> => {
  try {
    await body();
  } catch (error) {
    const { message, code } = describeError(error);
    process.stderr.write(`${message}\n`);
    process.exit(code);
  }
};
