import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import {
  placeBooking,
  quoteFor,
  reservationCommand,
} from '../../commands/payments/paymentSaga/testing/sagaFixtures.ts';
import { loadStream, type WriteDeps } from '../../commands/shared/commandHandler.ts';
import { domainEventCodec } from '../../commands/shared/eventCodec.ts';
import { createManualClock, testIds } from '../../commands/shared/testing/fixedIds.ts';
import { reservationDecider } from '../../domain/reservation/decider.ts';
import { reservationStream } from '../../domain/shared/streams.ts';
import { getPostgresEventStore } from '../eventStore/postgres/postgresEventStore.ts';
import { getSimulatedPaymentGateway } from '../payments/simulated/simulatedPaymentGateway.ts';
import { createTestDatabase, type TestDatabase } from '../postgres/testing.ts';

const CHILD = fileURLToPath(new URL('./testing/sagaChild.ts', import.meta.url));
const START = '2026-12-01T09:00:00.000Z';
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('settlement of changes survives kill -9 after each new step (child process)', function () {
  this.timeout(120_000);
  let db: TestDatabase;
  let write: WriteDeps;
  const children: ChildProcess[] = [];
  before(async () => {
    db = await createTestDatabase({ max: 5, prefix: 'settlecrash' });
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
  const reservation = async (id: string) =>
    (await loadStream(write, reservationStream(id), reservationDecider)).state;
  const succeeded = async (id: string) =>
    (await write.store.readStream(`payment-${id}`))
      .filter((e) => e.type === 'PaymentStepSucceeded')
      .map((e) => e.data as { step: string; attempt: number })
      .map((d) => `${d.step}/${d.attempt}`);
  const until = async (what: string, probe: () => Promise<boolean>) => {
    for (let i = 0; i < 600; i += 1) {
      if (await probe()) return;
      await pause(50);
    }
    throw new Error(`Timed out waiting for ${what}.`);
  };

  it('after the difference’s authorization, after its capture and after a refund: each happens once', async () => {
    const id = 'r-settle-crash';
    const clock = createManualClock(START);
    await placeBooking(write, clock, {
      reservationId: id,
      resourceId: 'room-settle-crash',
      policy: 'instant',
      deposit: null,
    });
    const first = startSaga();
    await until('the booking', async () => (await reservation(id)).status === 'CONFIRMED');
    first.kill('SIGTERM');
    await once(first, 'exit');

    await reservationCommand(write, {
      type: 'Extend',
      reservationId: id,
      now: START,
      addedSlots: ['2026-12-26', '2026-12-27'],
      endsAt: '2026-12-27T23:00:00.000Z',
      additionalQuote: quoteFor(START, 30_000),
    });
    expect(await killedBy(startSaga('settle-auth'))).to.equal('SIGKILL');
    expect(await killedBy(startSaga('settle-capture'))).to.equal('SIGKILL');
    const state = await reservation(id);
    if (state.status === 'NONE') throw new Error('no reservation');
    await reservationCommand(write, {
      type: 'Modify',
      reservationId: id,
      now: START,
      expectedVersion: state.version,
      slots: ['2026-12-24', '2026-12-25'],
      quantity: 1,
      startsAt: '2026-12-23T23:00:00.000Z',
      endsAt: '2026-12-25T23:00:00.000Z',
      quote: quoteFor(START, 20_000),
    });
    expect(await killedBy(startSaga('settle-refund'))).to.equal('SIGKILL');

    const last = startSaga();
    await until('both refunds', async () => (await succeeded(id)).includes('settle-refund/2'));
    last.kill('SIGTERM');
    await once(last, 'exit');
    const operations = (await getSimulatedPaymentGateway(db.pool).listOperations(id)).map(
      (op) => `${op.operation}:${op.idempotencyKey.replace(`-${id}-`, '-#-')}=${op.amount.amount}`,
    );
    expect(operations).to.deep.equal([
      'authorize:requester-auth-#-1=44720',
      'capture:requester-capture-#-1=44720',
      'authorize:settle-auth-#-1=33540',
      'capture:settle-capture-#-1=33540',
      'refund:settle-refund-#-1=33540',
      'refund:settle-refund-#-2=22360',
    ]);
    // Each success is recorded once, also those whose process died before recording them.
    const recorded = await succeeded(id);
    expect(recorded.filter((s) => s.startsWith('settle-'))).to.deep.equal([
      'settle-auth/1',
      'settle-capture/1',
      'settle-refund/1',
      'settle-refund/2',
    ]);
  });
});
