import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { pino } from 'pino';
import { ConfigError, loadConfig } from '../config/config.ts';
import { startServer } from '../main.ts';
import { createPool, quoteIdentifier } from '../postgres/pool.ts';
import { createTestDatabase, TEST_DATABASE_URL, type TestDatabase } from '../postgres/testing.ts';
import { selectEventStore } from './eventStore.ts';

/** A loopback port nothing listens on. */
const closedPort = async (): Promise<number> => {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
};

const rejection = async (promise: Promise<unknown>): Promise<unknown> => {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
};

describe('choosing the event store from EVENTSTORE_URL (no EventStoreDB server here)', function () {
  this.timeout(60_000);
  let db: TestDatabase;
  let unreachable: string;
  before(async () => {
    db = await createTestDatabase({ max: 2, prefix: 'es' });
    unreachable = `esdb://admin:s3cret-pass@127.0.0.1:${await closedPort()}?tls=false`;
  });
  after(() => db.dispose());

  it('keeps the PostgreSQL store (atomic multi-stream appends) when EVENTSTORE_URL is unset', () => {
    const selected = selectEventStore({ EVENTSTORE_URL: undefined }, db, undefined);
    expect(selected.kind).to.equal('postgres');
    expect(selected.store.capabilities.atomicMultiStreamAppend).to.equal(true);
    expect(selected.projectionLog).to.equal(undefined);
  });

  it('selects the EventStoreDB adapter when it is set: ordered claims, projections on its subscription', async () => {
    const selected = selectEventStore({ EVENTSTORE_URL: unreachable }, db, undefined);
    try {
      expect(selected.kind).to.equal('eventstoredb');
      // The real adapter's flag, which sends holds down the ordered-claim path (claimSlots.ts).
      expect(selected.store.capabilities.atomicMultiStreamAppend).to.equal(false);
      expect(selected.projectionLog?.kind).to.equal('store');
      // Its checkpoints ("<commit>:<prepare>") order like the store says.
      expect(selected.projectionLog?.compare('10:9', '9:99')).to.equal(1);
      expect(selected.projectionLog?.compare('10:9', '10:9')).to.equal(0);
    } finally {
      await selected.close();
    }
  });

  it('refuses an unreachable EventStoreDB with a ConfigError naming the variable, without the password', async () => {
    const selected = selectEventStore({ EVENTSTORE_URL: unreachable }, db, undefined);
    const error = await rejection(selected.verifyReachable(3000));
    expect(error).to.be.instanceOf(ConfigError);
    const { message } = error as Error;
    expect(message).to.match(/EVENTSTORE_URL: no EventStoreDB answered at esdb:\/\/admin:\*\*\*@/);
    expect(message).to.include('unset EVENTSTORE_URL');
    expect(message).not.to.include('s3cret-pass');
  });

  it('start-up fails with that message, not a stack trace (serve exits 2)', async () => {
    const schema = `es_${randomBytes(5).toString('hex')}`;
    try {
      const config = loadConfig({
        DATABASE_URL: TEST_DATABASE_URL,
        DATABASE_SCHEMA: schema,
        EVENTSTORE_URL: unreachable,
        PORT: '0',
      });
      expect(await rejection(startServer(config, pino({ level: 'silent' })))).to.be.instanceOf(
        ConfigError,
      );
      const cli = spawn(
        fileURLToPath(new URL('../../bin/booking-ledger', import.meta.url)),
        ['serve'],
        {
          env: {
            ...process.env,
            DATABASE_URL: TEST_DATABASE_URL,
            DATABASE_SCHEMA: schema,
            EVENTSTORE_URL: unreachable,
            PORT: '0',
            LOG_LEVEL: 'silent',
          },
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      let stderr = '';
      cli.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const [code] = (await once(cli, 'exit')) as [number];
      expect(code).to.equal(2);
      expect(stderr).to.include('EVENTSTORE_URL: no EventStoreDB answered');
      expect(stderr).not.to.match(/\n\s+at /);
      expect(stderr).not.to.include('s3cret-pass');
    } finally {
      const pool = createPool({ connectionString: TEST_DATABASE_URL, max: 1 });
      await pool.query(`DROP SCHEMA IF EXISTS ${quoteIdentifier(schema)} CASCADE`);
      await pool.end();
    }
  });
});
