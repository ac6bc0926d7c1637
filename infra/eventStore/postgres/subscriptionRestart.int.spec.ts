import { expect } from 'chai';
import { createPool, type Pool, type Queryable } from '../../postgres/pool.ts';
import { createTestDatabase, type TestDatabase } from '../../postgres/testing.ts';
import { subscribePostgres } from './subscription.ts';
import { collect, delay, writeEvents, type WrittenEvent } from './subscriptionTesting.ts';

describe('Postgres subscriptions survive terminated connections', function () {
  this.timeout(60_000);
  let db: TestDatabase;
  let readers: Pool;
  let readerName: string;
  let listenerName: string;

  before(async () => {
    db = await createTestDatabase({ max: 4 });
    readerName = `restart-readers-${db.schema}`;
    listenerName = `booking-ledger-subscription:restart-${db.schema}`;
    readers = createPool({
      connectionString: db.connectionString,
      schema: db.schema,
      max: 3,
      applicationName: readerName,
    });
  });
  after(async () => {
    await readers.end();
    await db.dispose();
  });

  const backends = async (
    on: Queryable = db.pool,
  ): Promise<{ pid: number; application_name: string; waiting: boolean }[]> =>
    (
      await on.query<{ pid: number; application_name: string; waiting: boolean }>(
        `SELECT pid, application_name, wait_event_type IS NOT DISTINCT FROM 'Lock' AS waiting
         FROM pg_stat_activity WHERE application_name IN ($1, $2)`,
        [readerName, listenerName],
      )
    ).rows;

  it('resumes from its last delivered checkpoint after pg_terminate_backend, without loss or duplicates', async () => {
    const committed: WrittenEvent[] = [];
    let writing = true;
    const writer = (async () => {
      for (let i = 0; writing; i += 1) {
        committed.push(
          ...(await writeEvents(db.pool, `restart-${i % 3}`, ['A', 'B'].slice(0, 1 + (i % 2)))),
        );
        await delay(2);
      }
    })();
    const seen = collect(
      subscribePostgres(
        {
          pool: readers,
          connectionString: db.connectionString,
          schema: db.schema,
          subscriptionName: `restart-${db.schema}`,
          pollIntervalMs: 200,
          maxBackoffMs: 400,
        },
        { filter: { categories: ['restart'] } },
      ),
    );
    try {
      for (let round = 1; round <= 3; round += 1) {
        await seen.waitFor(round * 150, 20_000);
        const listener = (await backends()).find((b) => b.application_name === listenerName);
        expect(listener, 'the LISTEN connection is up before the kill').to.not.equal(undefined);
        // Lock the events table so the subscriber's next read is certainly in
        // flight when its connections die, then kill them all.
        const admin = await db.pool.connect();
        try {
          await admin.query('BEGIN');
          await admin.query('LOCK TABLE events IN ACCESS EXCLUSIVE MODE');
          while (
            !(await backends(admin)).some((b) => b.application_name === readerName && b.waiting)
          ) {
            await delay(20);
          }
          const { rows } = await admin.query<{ name: string; killed: boolean }>(
            `SELECT application_name AS name, pg_terminate_backend(pid) AS killed
             FROM pg_stat_activity WHERE application_name IN ($1, $2)`,
            [readerName, listenerName],
          );
          expect(rows.filter((row) => row.killed).map((row) => row.name)).to.include.members([
            readerName,
            listenerName,
          ]);
        } finally {
          await admin.query('ROLLBACK');
          admin.release();
        }
        // It comes back on its own: a new LISTEN connection, and deliveries go on.
        const deliveredAtKill = seen.events.length;
        const deadline = Date.now() + 10_000;
        while (
          !(await backends()).some(
            (b) => b.application_name === listenerName && b.pid !== listener!.pid,
          )
        ) {
          if (Date.now() > deadline)
            throw new Error('The LISTEN connection was not re-established within 10 s.');
          await delay(50);
        }
        await seen.waitFor(deliveredAtKill + 20, 10_000);
      }
    } finally {
      writing = false;
      await writer;
    }
    try {
      await seen.waitFor(committed.length, 20_000);
      await delay(500);
      expect(seen.error()).to.equal(undefined);
      expect(seen.events.map((e) => e.eventId)).to.have.length(committed.length);
      // One writer, one transaction at a time: delivery order is exactly commit order.
      expect(seen.events.map((e) => e.eventId)).to.deep.equal(committed.map((e) => e.eventId));
    } finally {
      seen.subscription.unsubscribe();
    }
  });
});
