import { ConfigError } from '../infra/config/config.ts';

/** Runs a CLI body; a configuration error prints its message (naming the variable) and exits 2. */
export const runCli = async (body: () => Promise<void>): Promise<void> => {
  try {
    await body();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    }
    process.stderr.write(
      `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  }
};
