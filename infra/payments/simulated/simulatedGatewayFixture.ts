import { randomUUID } from 'node:crypto';
import type { AuthorizeRequest, Authorization } from '../../../commands/payments/paymentGateway.ts';
import { money } from '../../../domain/shared/money.ts';
import { createTestDatabase, type TestDatabase } from '../../postgres/testing.ts';
import { createPaymentScript } from './paymentScript.ts';
import {
  getSimulatedPaymentGateway,
  type SimulatedPaymentGateway,
} from './simulatedPaymentGateway.ts';

/** Test support for the simulated gateway's integration specs: not used in production. */
export interface SimulatedGatewayFixture {
  readonly db: TestDatabase;
  readonly gateway: SimulatedPaymentGateway;
  /** A fresh reservation id per test. */
  readonly reservationId: string;
  authorizeRequest(overrides?: Partial<AuthorizeRequest>): AuthorizeRequest;
  authorize(overrides?: Partial<AuthorizeRequest>): Promise<Authorization>;
  /** The reservation's effects as `operation:amount`, in order. */
  operations(): Promise<string[]>;
}

/** Registers mocha hooks: one migrated schema per file, a fresh gateway and reservation per test. */
export const useSimulatedGateway = (): SimulatedGatewayFixture => {
  let db: TestDatabase | undefined;
  let gateway: SimulatedPaymentGateway | undefined;
  let reservationId = '';
  before(async () => {
    db = await createTestDatabase({ max: 5, prefix: 'paysim' });
  });
  after(async () => {
    await db?.dispose();
  });
  beforeEach(() => {
    reservationId = randomUUID();
    if (db) gateway = getSimulatedPaymentGateway(db.pool, { script: createPaymentScript() });
  });
  const ready = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('The fixture is used before its before() hook ran.');
    return value;
  };
  const fixture: SimulatedGatewayFixture = {
    get db() {
      return ready(db);
    },
    get gateway() {
      return ready(gateway);
    },
    get reservationId() {
      return reservationId;
    },
    authorizeRequest: (overrides = {}) => ({
      idempotencyKey: `requester-auth-${reservationId}-1`,
      amount: money(10_000, 'EUR'),
      paymentMethod: 'pm_card_visa',
      metadata: {
        reservationId,
        bookingReference: `BK-${reservationId.slice(0, 6)}`,
        partnerId: 'partner-1',
        attempt: 1,
      },
      ...overrides,
    }),
    authorize: (overrides = {}) => fixture.gateway.authorize(fixture.authorizeRequest(overrides)),
    operations: async () =>
      (await fixture.gateway.listOperations(reservationId)).map(
        (op) => `${op.operation}:${op.amount.amount}`,
      ),
  };
  return fixture;
};

/** The error a promise rejects with; fails the test when it resolves. */
export const rejection = async (promise: Promise<unknown>): Promise<unknown> => {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to be rejected, but it resolved');
};
