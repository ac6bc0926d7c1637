import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { domainEventCodec } from '../../commands/shared/eventCodec.ts';
import { createManualClock, testIds } from '../../commands/shared/testing/fixedIds.ts';
import type { WriteDeps } from '../../commands/shared/commandHandler.ts';
import { reservationDecider } from '../../domain/reservation/decider.ts';
import { reservationStream } from '../../domain/shared/streams.ts';
import { loadStream } from '../../commands/shared/commandHandler.ts';
import {
  placeBooking,
  reservationCommand,
} from '../../commands/payments/paymentSaga/testing/sagaFixtures.ts';
import { getPostgresEventStore } from '../eventStore/postgres/postgresEventStore.ts';
import { getSimulatedPaymentGateway } from '../payments/simulated/simulatedPaymentGateway.ts';
import { createTestDatabase, type TestDatabase } from '../postgres/testing.ts';

const CHILD = fileURLToPath(new URL('./testing/sagaChild.ts', import.meta.url));
const START = '2026-12-01T09:00:00.000Z';

describe('payment saga survives kill -9 after each gateway step (child process)', function () {
  this.timeout(90_000);
  let db: TestDatabase;
  let write: WriteDeps;
  const children: ChildProcess[] = [];
  before(async () => {
    db = await createTestDatabase({ max: 5, prefix: 'crash' });
    write = {
      store: getPostgresEventStore(db.pool, {
        schema: db.schema,
        connectionString: db.connectionString,
      }),
      codec: domainEventCodec,
      ids: testIds,
    };
  });
  after(async () => {
    for (const child of children)
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await db.dispose();
  });

  const startSaga = (crashAfter?: string): ChildProcess => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD], {
      env: {
        ...process.env,
        SAGA_DATABASE_URL: db.connectionString,
        SAGA_SCHEMA: db.schema,
        SAGA_CLOCK_START: START,
        ...(crashAfter ? { SAGA_CRASH_AFTER: crashAfter } : {}),
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    children.push(child);
    return child;
  };
  const killedBy = async (child: ChildProcess) => {
    const [code, signal] = (await once(child, 'exit')) as [number | null, string | null];
    return signal ?? `exit ${code}`;
  };
  const statusOf = async (id: string) =>
    (await loadStream(write, reservationStream(id), reservationDecider)).state.status;
  const waitForStatus = async (id: string, status: string) => {
    for (let i = 0; i < 600 && (await statusOf(id)) !== status; i += 1)
      await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await statusOf(id)).to.equal(status);
  };

  it('resumes from its stream after each kill and charges every step exactly once', async () => {
    const id = 'r-crash';
    const clock = createManualClock(START);
    await placeBooking(write, clock, {
      reservationId: id,
      resourceId: 'room-crash',
      policy: 'instant',
      deposit: 5_000,
    });

    expect(await killedBy(startSaga('authorize'))).to.equal('SIGKILL');
    expect(await killedBy(startSaga('capture'))).to.equal('SIGKILL');
    const third = startSaga('transfer');
    await waitForStatus(id, 'CONFIRMED');
    await reservationCommand(write, { type: 'CheckIn', reservationId: id, now: START });
    await reservationCommand(write, { type: 'Complete', reservationId: id, now: START });
    expect(await killedBy(third)).to.equal('SIGKILL');
    expect(await killedBy(startSaga('refund'))).to.equal('SIGKILL');

    const last = startSaga();
    const gateway = getSimulatedPaymentGateway(db.pool);
    const recorded = async () =>
      (await write.store.readStream(`payment-${id}`)).filter(
        (e) => e.type === 'PaymentStepSucceeded',
      ).length;
    for (let i = 0; i < 400 && (await recorded()) < 7; i += 1)
      await new Promise((resolve) => setTimeout(resolve, 50));
    last.kill('SIGTERM');
    const keys = (await gateway.listOperations(id)).map(
      (op) => `${op.operation}:${op.idempotencyKey}`,
    );
    expect(keys).to.deep.equal([
      `authorize:vendor-auth-${id}-1`,
      `authorize:requester-auth-${id}-1`,
      `capture:vendor-capture-${id}-1`,
      `capture:requester-capture-${id}-1`,
      `transfer:payout-${id}-1`,
      `refund:vendor-refund-${id}-1`,
    ]);
    expect(await statusOf(id)).to.equal('COMPLETED');
    // Each step's success is recorded once, even the ones whose process died before recording.
    const succeeded = (await write.store.readStream(`payment-${id}`))
      .filter((e) => e.type === 'PaymentStepSucceeded')
      .map((e) => (e.data as { step: string }).step);
    expect(succeeded).to.have.members([
      'vendor-auth',
      'requester-auth',
      'revalidate',
      'vendor-capture',
      'requester-capture',
      'payout',
      'vendor-refund',
    ]);
  });
});
