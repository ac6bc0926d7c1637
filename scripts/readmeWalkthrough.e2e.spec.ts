import { execFileSync, spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'chai';

const ROOT = path.resolve(new URL('..', import.meta.url).pathname);
const PORT = 3132;
const EMBEDDED_PG_PORT = 54435;

/** The README's walkthrough: the sh block that starts with `make run &`. */
const walkthrough = async (): Promise<string> => {
  const readme = await readFile(path.join(ROOT, 'README.md'), 'utf8');
  const blocks = [...readme.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');
  const block = blocks.find((b) => /^make run &/m.test(b));
  if (block === undefined) throw new Error('README.md has no sh block with `make run &`.');
  return block;
};

/**
 * Runs the README walkthrough verbatim with bash, as a newcomer pasting it
 * would, in a fresh clone (every top-level entry linked, no `.data`) inside a
 * mode-700 folder, so the embedded default must cope with a checkout the
 * `postgres` account cannot traverse.
 */
describe('README walkthrough, pasted verbatim into a fresh clone', function () {
  this.timeout(240_000);
  let clone: string;
  let group: number | undefined;

  before(async () => {
    // `make setup` builds dist/ (a clone links this checkout's): bring it up to date first.
    execFileSync('make', ['-s', 'dist/.built'], { cwd: ROOT, stdio: 'ignore' });
    const folder = await mkdtemp(path.join(tmpdir(), 'readme-'));
    expect((await stat(folder)).mode & 0o777).to.equal(0o700);
    clone = path.join(folder, 'booking-ledger');
    await import('node:fs/promises').then((fs) => fs.mkdir(clone));
    for (const entry of readdirSync(ROOT)) {
      if (entry === '.data' || entry === '.git') continue;
      await symlink(path.join(ROOT, entry), path.join(clone, entry));
    }
  });

  after(async () => {
    if (group !== undefined) {
      try {
        process.kill(-group, 'SIGINT');
      } catch {
        // already gone
      }
      const deadline = Date.now() + 20_000;
      const alive = () => {
        try {
          process.kill(-(group ?? 0), 0);
          return true;
        } catch {
          return false;
        }
      };
      while (alive() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      if (alive()) process.kill(-group, 'SIGKILL');
    }
    const link = path.join(clone, '.data', 'pg', 'data');
    const target = await import('node:fs/promises').then((fs) =>
      fs.readlink(link).catch(() => undefined),
    );
    if (target !== undefined) await rm(target, { recursive: true, force: true });
    await rm(path.dirname(clone), { recursive: true, force: true });
  });

  it('prints the hold and reads it back by the captured reservationId and position', async () => {
    const script = await walkthrough();
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PORT: String(PORT),
      EMBEDDED_PG_PORT: String(EMBEDDED_PG_PORT),
      LOG_LEVEL: 'warn',
    };
    for (const name of ['DATABASE_URL', 'REDIS_URL', 'ADMIN_API_KEY', 'EMBEDDED_PG_DIR'])
      delete env[name];
    const child = spawn('bash', ['-c', `set -o pipefail\n${script}`], {
      cwd: clone,
      env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    group = child.pid;
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    const lines = stdout.split('\n').filter((line) => line.startsWith('{"reservationId"'));
    expect(code, `exit status\n${stdout}\n${stderr}`).to.equal(0);
    expect(lines, stdout).to.have.length(2);
    const hold = JSON.parse(lines[0] ?? '{}') as Record<string, unknown>;
    const read = JSON.parse(lines[1] ?? '{}') as Record<string, unknown>;
    expect(hold).to.include({ status: 'HELD', version: 1 });
    expect(hold['reservationId']).to.match(/^[0-9a-f-]{36}$/);
    expect(hold['bookingReference']).to.match(/^BR-\d{8}-[A-Z0-9]{6}$/);
    expect(hold['position']).to.match(/^\d+:\d+$/);
    expect(hold['total']).to.have.property('currency');
    expect(read).to.include({ reservationId: hold['reservationId'], stale: false });
    expect(['HELD', 'AWAITING_REQUESTER_AUTH']).to.include(read['status']);
    expect(read['version']).to.equal(read['status'] === 'HELD' ? 1 : 2);
  });
});
