import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, readlinkSync, statSync } from 'node:fs';
import { chmod, cp, mkdir, rename, rm, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { SetupError } from '../config/setupError.ts';

/** The account PostgreSQL runs as: itself, or `postgres` when we are root (it refuses root). */
export interface ServerAccount {
  readonly uid: number;
  readonly gid: number;
}

/** Where the server's binaries and data live for one start. */
export interface Placement {
  readonly account: ServerAccount | undefined;
  readonly initdb: string;
  readonly postgres: string;
  /** The data directory PostgreSQL is given (a real path the account can reach). */
  readonly dataDir: string;
}

/** Root only: where binaries and data go when the checkout is not reachable by `postgres`. */
export const SYSTEM_DIR = '/var/lib/booking-ledger/embedded-postgres';

const run = (command: string, args: readonly string[], account?: ServerAccount) =>
  spawnSync(command, args, { encoding: 'utf8', ...(account ?? {}) });

const accountOf = (name: string): ServerAccount | undefined => {
  const uid = run('id', ['-u', name]);
  const gid = run('id', ['-g', name]);
  if (uid.status !== 0 || gid.status !== 0) return undefined;
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
};

/** As root, the `postgres` account (created when missing, as the Debian package would). */
const serverAccount = (): ServerAccount | undefined => {
  if (process.getuid?.() !== 0) return undefined;
  const existing = accountOf('postgres');
  if (existing) return existing;
  run('groupadd', ['--system', 'postgres']);
  run('useradd', ['--system', '--gid', 'postgres', '--no-create-home', 'postgres']);
  const created = accountOf('postgres');
  if (!created) {
    throw new SetupError(
      'PostgreSQL refuses to run as root and no `postgres` user could be created. ' +
        'Create one (useradd --system postgres), run as another user, or set DATABASE_URL.',
    );
  }
  return created;
};

/** Whether `account` may `test -<flag>` the path (every parent traversable, etc.). */
export const canAccess = (account: ServerAccount, target: string, flag: 'x' | 'w'): boolean =>
  run('test', [`-${flag}`, target], account).status === 0;

const platformBinaries = async (): Promise<{ initdb: string; postgres: string }> => {
  const name = `@embedded-postgres/${process.platform}-${process.arch}`;
  try {
    return (await import(name)) as { initdb: string; postgres: string };
  } catch (error) {
    throw new SetupError(
      `The embedded PostgreSQL has no binaries for ${process.platform}-${process.arch} (${name} is not installed). ` +
        'Run `make setup` (npm ci), or set DATABASE_URL to a PostgreSQL of yours.',
      { cause: error },
    );
  }
};

/** Copies the binaries once to a system directory every account can traverse. */
const reachableBinaries = async (
  native: string,
  account: ServerAccount,
): Promise<{ initdb: string; postgres: string }> => {
  const binary = statSync(path.join(native, 'bin', 'postgres'));
  const key = createHash('sha256')
    .update(`${process.platform}-${process.arch}:${binary.size}:${Math.trunc(binary.mtimeMs)}`)
    .digest('hex')
    .slice(0, 16);
  const target = path.join(SYSTEM_DIR, `bin-${key}`);
  if (!existsSync(path.join(target, '.complete'))) {
    await mkdir(SYSTEM_DIR, { recursive: true, mode: 0o755 });
    await chmod(path.dirname(SYSTEM_DIR), 0o755);
    await chmod(SYSTEM_DIR, 0o755);
    const staging = `${target}.${process.pid}`;
    await rm(staging, { recursive: true, force: true });
    await cp(native, staging, { recursive: true, verbatimSymlinks: true });
    await chmod(staging, 0o755);
    await writeFile(path.join(staging, '.complete'), '');
    await rm(target, { recursive: true, force: true });
    await rename(staging, target);
  }
  const placed = {
    initdb: path.join(target, 'bin', 'initdb'),
    postgres: path.join(target, 'bin', 'postgres'),
  };
  if (!canAccess(account, placed.postgres, 'x')) {
    throw new SetupError(
      `The postgres user cannot run ${placed.postgres}; check the modes of ${SYSTEM_DIR}.`,
    );
  }
  return placed;
};

/**
 * The data directory under `root` (`<root>/data`). As root, when the `postgres`
 * account cannot reach `root` (a checkout under /root, a mode-700 folder), the
 * data lives in SYSTEM_DIR and `<root>/data` is a symlink to it: deleting
 * `root` still starts from nothing, because a missing link wipes the old data.
 */
const reachableDataDir = async (
  root: string,
  account: ServerAccount | undefined,
): Promise<string> => {
  const link = path.join(root, 'data');
  if (account === undefined || canAccess(account, root, 'x')) return link;
  const isLink = existsSync(link) && lstatSync(link).isSymbolicLink();
  if (isLink) return path.resolve(root, readlinkSync(link));
  if (existsSync(link)) {
    throw new SetupError(
      `The postgres user cannot reach ${link}. Move the checkout (or EMBEDDED_PG_DIR) somewhere it can ` +
        `traverse, or delete ${root} to start again from nothing.`,
    );
  }
  const key = createHash('sha256').update(root).digest('hex').slice(0, 16);
  const target = path.join(SYSTEM_DIR, `data-${key}`);
  await mkdir(SYSTEM_DIR, { recursive: true, mode: 0o755 });
  await rm(target, { recursive: true, force: true });
  await symlink(target, link);
  return target;
};

/** Decides where binaries and data go so the server account can reach both. */
export const placeEmbeddedPostgres = async (
  root: string,
  /** The installed binaries; tests pass a copy inside an unreachable folder. */
  installed?: { readonly initdb: string; readonly postgres: string },
): Promise<Placement> => {
  const binaries = installed ?? (await platformBinaries());
  const account = serverAccount();
  const native = path.dirname(path.dirname(binaries.postgres));
  const placed =
    account === undefined || canAccess(account, binaries.postgres, 'x')
      ? binaries
      : await reachableBinaries(native, account);
  return { account, ...placed, dataDir: await reachableDataDir(root, account) };
};
