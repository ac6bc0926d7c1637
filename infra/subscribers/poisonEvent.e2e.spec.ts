import { execFile } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { pino } from 'pino';
import { availabilityProjection } from '../../projections/availability/project.ts';
import { DEMO_RESOURCES } from '../composition/demoCatalog.ts';
import { loadConfig } from '../config/config.ts';
import { getPostgresCheckpointStore } from '../eventStore/postgres/checkpointStore.ts';
import { startServer, type RunningServer } from '../main.ts';
import { createPool, quoteIdentifier, type Pool } from '../postgres/pool.ts';
import { TEST_DATABASE_URL } from '../postgres/testing.ts';
import { checksumProjection } from '../projections/checksum.ts';
import { rebuildProjection } from '../projections/rebuild.ts';
import { checkpointName, readVersion } from '../projections/versions.ts';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const waitFor = async <T>(what: string, probe: () => Promise<T | undefined>): Promise<T> => {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}.`);
    await pause(100);
  }
};

interface ReadyBody {
  readonly ready: boolean;
  readonly degraded?: readonly string[];
  readonly checks: Record<string, { ok: boolean; message?: string }>;
}

/**
 * Issue 9 item 1 "Shown by": an event nobody can decode, written straight
 * into the log, stops the one projection that reads it. Every other
 * projection, the payment saga and new bookings carry on; /ready, /metrics
 * and `projections status` name it; once the event is corrected it catches
 * up by itself and equals a rebuild.
 */
describe('a poison event stops one subscriber alone, visibly, until it is fixed', function () {
  this.timeout(90_000);
  const schema = `poison_${randomBytes(5).toString('hex')}`;
  const adminKey = randomBytes(24).toString('base64url');
  let server: RunningServer;
  let pool: Pool;
  const admin = { 'content-type': 'application/json', authorization: `Bearer ${adminKey}` };
  let partner: Record<string, string>;

  before(async () => {
    server = await startServer(
      loadConfig({
        DATABASE_URL: TEST_DATABASE_URL,
        DATABASE_SCHEMA: schema,
        DATABASE_POOL_SIZE: '8',
        ADMIN_API_KEY: adminKey,
        PORT: '0',
        LOG_LEVEL: 'silent',
        SUBSCRIBER_MAX_BACKOFF_MS: '1000',
      }),
      pino({ level: 'silent' }),
    );
    pool = createPool({ connectionString: TEST_DATABASE_URL, schema, max: 2 });
    for (const id of ['poison-a', 'poison-b']) {
      const registered = await fetch(`${server.url}/api/v1/resources`, {
        method: 'POST',
        headers: admin,
        body: JSON.stringify({ resourceId: id, ...DEMO_RESOURCES['demo-tlv-sea-view'] }),
      });
      expect(registered.status, await registered.clone().text()).to.equal(201);
    }
    const key = await fetch(`${server.url}/api/v1/admin/api-keys`, {
      method: 'POST',
      headers: admin,
      body: JSON.stringify({ role: 'partner', partnerId: 'poison-partner', label: 'p' }),
    });
    const { apiKey } = (await key.json()) as { apiKey: string };
    partner = { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` };
  });
  after(async () => {
    await server?.close();
    await pool?.query(`DROP SCHEMA IF EXISTS ${quoteIdentifier(schema)} CASCADE`);
    await pool?.end();
  });

  const ready = async (): Promise<{ status: number; body: ReadyBody }> => {
    const response = await fetch(`${server.url}/ready`);
    return { status: response.status, body: (await response.json()) as ReadyBody };
  };
  const bookAndConfirm = async (resourceId: string, checkIn: string, checkOut: string) => {
    const hold = await fetch(`${server.url}/api/v1/reservations`, {
      method: 'POST',
      headers: partner,
      body: JSON.stringify({
        resourceId,
        checkIn,
        checkOut,
        quantity: 1,
        guest: { name: 'Ada', guestId: 'ada' },
        requesterId: 'ada',
      }),
    });
    expect(hold.status, await hold.clone().text()).to.equal(201);
    const { reservationId } = (await hold.json()) as { reservationId: string };
    const state = async () => {
      const r = await fetch(`${server.url}/api/v1/reservations/${reservationId}`, {
        headers: partner,
      });
      return ((await r.json()) as { state: string }).state;
    };
    await waitFor('the saga to ask for the requester', async () =>
      (await state()) === 'AWAITING_REQUESTER_AUTH' ? true : undefined,
    );
    const paid = await fetch(`${server.url}/api/v1/reservations/${reservationId}/confirm`, {
      method: 'POST',
      headers: { ...partner, 'idempotency-key': `confirm-${reservationId}` },
      body: JSON.stringify({ paymentMethod: 'pm_card_visa' }),
    });
    expect(paid.status, await paid.clone().text()).to.equal(202);
    await waitFor('the saga to confirm', async () =>
      (await state()) === 'CONFIRMED' ? true : undefined,
    );
    return reservationId;
  };
  const availabilityCaughtUp = async () => {
    const head = await pool.query<{ n: string }>(
      "SELECT count(*) AS n FROM events WHERE category = 'slot'",
    );
    const version = await readVersion(pool, 'availability');
    const cp = await getPostgresCheckpointStore(pool).load(
      checkpointName('availability', version?.liveVersion ?? 1),
    );
    return { slotEvents: Number(head.rows[0]?.n), checkpoint: cp };
  };

  it('stalls availability on the poison, keeps everything else going, and catches up once it is fixed', async () => {
    await bookAndConfirm('poison-a', '2027-03-10', '2027-03-12');
    const poisonId = randomUUID();
    await pool.query(
      `INSERT INTO events (stream_name, category, stream_revision, event_id, event_type, schema_version, data, metadata)
       VALUES ('slot-poison-x.2027-03-10', 'slot', 0, $1, 'SlotOpened', 1, '{"bogus": true}', '{}')`,
      [poisonId],
    );

    const stalled = await waitFor('/ready to name the stalled projection', async () => {
      const r = await ready();
      return r.body.degraded?.includes('availability') ? r : undefined;
    });
    expect(stalled.status, 'the instance still serves').to.equal(200);
    const check = stalled.body.checks['projection:availability'];
    expect(check?.ok).to.equal(false);
    expect(check?.message)
      .to.include(poisonId)
      .and.include('SlotOpened')
      .and.include('slot-poison-x.2027-03-10');
    expect(stalled.body.checks['projection:bookings']?.ok).to.equal(true);
    expect(stalled.body.checks['projection:ledger']?.ok).to.equal(true);
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(metrics).to.match(/subscriber_stalled\{subscriber="availability"\} 1/);

    const cli = await promisify(execFile)('npx', ['tsx', 'scripts/projections.ts', 'status'], {
      env: {
        ...process.env,
        DATABASE_URL: TEST_DATABASE_URL,
        DATABASE_SCHEMA: schema,
        LOG_LEVEL: 'silent',
      },
    });
    const stalledLine = cli.stdout.split('\n').find((line) => line.includes('STALLED'));
    expect(stalledLine, cli.stdout).to.include('SlotOpened').and.include(poisonId);

    // The saga, the bookings read model and new bookings carry on.
    const later = await bookAndConfirm('poison-b', '2027-04-01', '2027-04-03');
    const booking = await waitFor('the bookings read model', async () => {
      const r = await fetch(`${server.url}/api/v1/bookings/${later}`, { headers: partner });
      const body = (await r.json()) as { status?: string };
      return body.status === 'CONFIRMED' ? body : undefined;
    });
    expect(booking.status).to.equal('CONFIRMED');
    // Only readers of the poisoned slot event stop (availability, and analytics which reads every event).
    const degraded = (await ready()).body.degraded ?? [];
    expect(degraded).to.include('availability');
    for (const other of ['bookings', 'ledger', 'resources', 'prices', 'payment-saga'])
      expect(degraded).to.not.include(other);

    // The fix is deployed: here the row is corrected; the backoff's next retry picks it up.
    await pool.query(`UPDATE events SET data = $2 WHERE event_id = $1`, [
      poisonId,
      {
        resourceId: 'poison-x',
        slotKey: '2027-03-10',
        capacity: 1,
        openedAt: '2027-02-28T23:45:00.000Z',
      },
    ]);
    let last: unknown;
    await waitFor(`availability to resume (last /ready: ${JSON.stringify(last)})`, async () => {
      const r = await ready();
      last = r.body;
      return r.body.degraded === undefined && r.body.checks['projection:availability']?.ok
        ? true
        : undefined;
    });
    const stalls = await pool.query('SELECT * FROM subscriber_stalls');
    expect(stalls.rows).to.deep.equal([]);
    const head = await pool.query<{ cp: string }>(
      `SELECT transaction_id::text || ':' || global_position AS cp FROM events
        WHERE category = 'slot' ORDER BY transaction_id DESC, global_position DESC LIMIT 1`,
    );
    await waitFor('availability to reach the head of the slot events', async () =>
      (await availabilityCaughtUp()).checkpoint === head.rows[0]?.cp ? true : undefined,
    );
    const live = await readVersion(pool, 'availability');
    const before = await checksumProjection(pool, availabilityProjection, live?.liveVersion ?? 1);
    const rebuilt = await rebuildProjection(
      pool,
      getPostgresCheckpointStore(pool),
      availabilityProjection,
    );
    const after = await checksumProjection(pool, availabilityProjection, rebuilt.version);
    expect(after.checksum).to.equal(before.checksum);
  });
});
