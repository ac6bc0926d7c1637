import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { getPostgresEventStore } from '../infra/eventStore/postgres/postgresEventStore.ts';
import { createTestDatabase, type TestDatabase } from '../infra/postgres/testing.ts';

const run = promisify(execFile);
const CLI = new URL('../bin/booking-ledger', import.meta.url).pathname;

interface CliResult {
  readonly code: number;
  readonly stdout: string;
}

describe('booking-ledger audit (CLI)', function () {
  // Each case starts the CLI as a child process (tsx compiles on start): seconds each on a busy machine.
  this.timeout(90_000);
  let db: TestDatabase;
  const stream = `reservation-${randomUUID()}`;

  const cli = async (...args: string[]): Promise<CliResult> => {
    const env = {
      ...process.env,
      DATABASE_URL: db.connectionString,
      DATABASE_SCHEMA: db.schema,
      LOG_LEVEL: 'silent',
    };
    try {
      const { stdout } = await run(CLI, args, { env });
      return { code: 0, stdout };
    } catch (error) {
      const failed = error as { code: number; stdout: string };
      return { code: failed.code, stdout: failed.stdout };
    }
  };

  before(async () => {
    db = await createTestDatabase({ max: 2, prefix: 'audit' });
    const store = getPostgresEventStore(db.pool, {
      schema: db.schema,
      connectionString: db.connectionString,
    });
    await store.append([
      {
        stream,
        expectedRevision: 'no_stream',
        events: ['a', 'b', 'c'].map((note) => ({
          eventId: randomUUID(),
          type: 'AuditProbe',
          schemaVersion: 1,
          data: { note },
        })),
      },
    ]);
  });
  after(async () => db.dispose());

  it('prints a stream history as JSON lines', async () => {
    const { code, stdout } = await cli('audit', 'history', stream);
    expect(code).to.equal(0);
    const notes = stdout
      .trim()
      .split('\n')
      .map((line) => (JSON.parse(line) as { data: { note: string } }).data.note);
    expect(notes).to.deep.equal(['a', 'b', 'c']);
  });

  it('verifies the log, then names the first tampered event and exits 1', async () => {
    expect((await cli('audit', 'verify')).code).to.equal(0);
    await db.pool.query(
      `UPDATE events SET data = '{"note":"B"}' WHERE stream_name = $1 AND stream_revision = 1`,
      [stream],
    );
    const { code, stdout } = await cli('audit', 'verify', stream);
    expect(code).to.equal(1);
    const report = JSON.parse(stdout) as { ok: boolean; stream: string; revision: number };
    expect(report).to.include({ ok: false, stream, revision: 1 });
  });
});
