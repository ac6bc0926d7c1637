import { expect } from 'chai';
import {
  createStaticPaymentAccounts,
  type VendorNotifier,
} from '../../../commands/payments/paymentSaga/ports.ts';
import type { PaymentSagaDeps } from '../../../commands/payments/paymentSaga/sagaDeps.ts';
import { loadRunningSaga } from '../../../commands/payments/paymentSaga/sagaStream.ts';
import { loadReservationState } from '../../../commands/payments/paymentSaga/reservationCommands.ts';
import type { WriteDeps } from '../../../commands/shared/commandHandler.ts';
import { domainEventCodec } from '../../../commands/shared/eventCodec.ts';
import { createManualClock, testIds } from '../../../commands/shared/testing/fixedIds.ts';
import { DEFAULT_SAGA_OPTIONS } from '../../../domain/payment/sagaDecider.ts';
import type { RunningSaga } from '../../../domain/payment/sagaState.ts';
import type { ReservationStatus } from '../../../domain/reservation/status.ts';
import { getPostgresCheckpointStore } from '../../eventStore/postgres/checkpointStore.ts';
import { getPostgresEventStore } from '../../eventStore/postgres/postgresEventStore.ts';
import {
  getSimulatedPaymentGateway,
  type SimulatedPaymentGateway,
} from '../../payments/simulated/simulatedPaymentGateway.ts';
import { createTestDatabase, type TestDatabase } from '../../postgres/testing.ts';
import { startPaymentSaga, type RunningPaymentSaga } from '../paymentSagaProcess.ts';
import { getPostgresSagaTimers } from '../postgresSagaTimers.ts';

export interface SagaHarness {
  readonly db: TestDatabase;
  readonly write: WriteDeps;
  readonly clock: ReturnType<typeof createManualClock>;
  readonly gateway: SimulatedPaymentGateway;
  readonly deps: PaymentSagaDeps;
  /** Vendor notifications fail while this is above zero (one per call). */
  notifyFailures: number;
  /** Errors the saga restarted after (a bug unless a test provoked it). */
  readonly errors: unknown[];
  start(): void;
  stop(): void;
  waitForStatus(
    reservationId: string,
    status: ReservationStatus,
    timeoutMs?: number,
  ): Promise<void>;
  waitForSaga(
    reservationId: string,
    done: (saga: RunningSaga) => boolean,
    timeoutMs?: number,
  ): Promise<RunningSaga>;
  dispose(): Promise<void>;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The saga on a fresh schema with the simulated gateway and a manual clock, for integration tests. */
export const createSagaHarness = async (
  options: {
    readonly disputeWindowHours?: number;
    readonly scaTimeoutSeconds?: number;
    readonly scaPollSeconds?: number;
  } = {},
): Promise<SagaHarness> => {
  const db = await createTestDatabase({ max: 5, prefix: 'saga' });
  const store = getPostgresEventStore(db.pool, {
    schema: db.schema,
    connectionString: db.connectionString,
  });
  const write: WriteDeps = { store, codec: domainEventCodec, ids: testIds };
  const clock = createManualClock('2026-12-01T09:00:00.000Z');
  // The provider's clock is the saga's: an uncaptured authorization lapses after 7 days of it.
  const gateway = getSimulatedPaymentGateway(db.pool, { clock });
  const errors: unknown[] = [];
  let running: RunningPaymentSaga | undefined;
  const notifier: VendorNotifier = {
    notifyVendor: () => {
      if (harness.notifyFailures <= 0) return Promise.resolve();
      harness.notifyFailures -= 1;
      return Promise.reject(new Error('The notification service answered 503.'));
    },
  };
  const deps: PaymentSagaDeps = {
    write,
    gateway,
    clock,
    jitter: () => 0.5,
    accounts: createStaticPaymentAccounts(),
    notifier,
    timers: getPostgresSagaTimers(db.pool),
    options: {
      ...DEFAULT_SAGA_OPTIONS,
      disputeWindowHours: options.disputeWindowHours ?? 72,
      ...(options.scaTimeoutSeconds === undefined
        ? {}
        : { scaTimeoutSeconds: options.scaTimeoutSeconds }),
      ...(options.scaPollSeconds === undefined ? {} : { scaPollSeconds: options.scaPollSeconds }),
    },
  };
  const waitUntil = async <T>(
    what: string,
    probe: () => Promise<T | undefined>,
    timeoutMs: number,
  ) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await probe();
      if (value !== undefined) return value;
      if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}.`);
      await pause(25);
    }
  };
  const harness: SagaHarness = {
    db,
    write,
    clock,
    gateway,
    deps,
    notifyFailures: 0,
    errors,
    start: () => {
      running = startPaymentSaga(deps, {
        store,
        checkpoints: getPostgresCheckpointStore(db.pool),
        timerPollMs: 25,
        onError: (error) => errors.push(error),
      });
    },
    stop: () => running?.stop(),
    waitForStatus: async (reservationId, status, timeoutMs = 10_000) => {
      await waitUntil(
        `reservation ${reservationId} to reach ${status}`,
        async () => {
          const state = await loadReservationState(deps, reservationId);
          return state.status === status ? true : undefined;
        },
        timeoutMs,
      ).catch(async (error: unknown) => {
        const state = await loadReservationState(deps, reservationId);
        throw new Error(
          `${String(error)} It is ${state.status}; saga errors: ${errors.map(String).join('; ')}`,
        );
      });
    },
    waitForSaga: (reservationId, done, timeoutMs = 10_000) =>
      waitUntil(
        `the payment saga of ${reservationId}`,
        async () => {
          const saga = await loadRunningSaga(deps, reservationId);
          return saga !== undefined && done(saga) ? saga : undefined;
        },
        timeoutMs,
      ),
    dispose: async () => {
      running?.stop();
      await pause(50);
      await db.dispose();
    },
  };
  return harness;
};

/** The gateway's operations for a reservation as `operation:idempotencyKey`, in order. */
export const operationsOf = async (gateway: SimulatedPaymentGateway, reservationId: string) =>
  (await gateway.listOperations(reservationId)).map(
    (op) => `${op.operation}:${op.idempotencyKey.replace(`-${reservationId}-`, '-#-')}`,
  );

export const expectNoSagaErrors = (harness: SagaHarness) =>
  expect(harness.errors.map(String)).to.deep.equal([]);
