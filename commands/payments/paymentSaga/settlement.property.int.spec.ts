import { expect } from 'chai';
import fc from 'fast-check';
import { cancellationRefund, noShowRefund } from '../../../domain/payment/settlementPolicy.ts';
import type { CancellationPolicy } from '../../../domain/pricing/rules.ts';
import type { ReservationStatus } from '../../../domain/reservation/status.ts';
import { checkLedger } from '../../../infra/processManagers/testing/ledgerCheck.ts';
import {
  createSagaHarness,
  type SagaHarness,
} from '../../../infra/processManagers/testing/sagaHarness.ts';
import type { ScriptRule } from '../../../infra/payments/simulated/paymentScript.ts';
import { loadReservationState } from './reservationCommands.ts';
import { loadRunningSaga } from './sagaStream.ts';
import { EUR, placeBooking, quoteFor, reservationCommand } from './testing/sagaFixtures.ts';

/**
 * Issue 10 "Shown by": random sequences of bookings, changes, endings and
 * gateway failures against real PostgreSQL and the simulated gateway. After
 * each sequence, for the booking: what the gateway captured minus refunded is
 * what the model (the policy in force at booking, applied to what was paid)
 * says is due; no PaymentIntent is refunded more than it captured; the ledger
 * balances per entry and per booking; every gateway operation ran once per key.
 */
const STARTS_AT = '2026-12-23T23:00:00.000Z';
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

type Failure = 'settle-auth-decline' | 'settle-capture-refused' | 'capture-timeout' | 'refund-5xx';
type Op =
  | { readonly kind: 'modify'; readonly accommodation: number; readonly quantity: number }
  | { readonly kind: 'extend'; readonly accommodation: number }
  | { readonly kind: 'cancel'; readonly by: 'guest' | 'vendor'; readonly afterHours: number }
  | { readonly kind: 'noShow' | 'checkIn' | 'complete' | 'payout' }
  | { readonly kind: 'fail'; readonly failure: Failure };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    kind: fc.constant('modify' as const),
    accommodation: fc.integer({ min: 0, max: 80 }).map((n) => n * 1_000),
    quantity: fc.integer({ min: 1, max: 2 }),
  }),
  fc.record({
    kind: fc.constant('extend' as const),
    accommodation: fc.integer({ min: 0, max: 40 }).map((n) => n * 1_000),
  }),
  fc.record({
    kind: fc.constant('cancel' as const),
    by: fc.constantFrom('guest' as const, 'vendor' as const),
    afterHours: fc.integer({ min: 0, max: 200 }),
  }),
  fc.record({ kind: fc.constantFrom('noShow' as const, 'checkIn' as const, 'complete' as const) }),
  fc.record({ kind: fc.constant('payout' as const) }),
  fc.record({
    kind: fc.constant('fail' as const),
    failure: fc.constantFrom<Failure>(
      'settle-auth-decline',
      'settle-capture-refused',
      'capture-timeout',
      'refund-5xx',
    ),
  }),
);

const policyArb: fc.Arbitrary<CancellationPolicy> = fc.record({
  tiers: fc.uniqueArray(
    fc.record({
      minHoursBefore: fc.integer({ min: 0, max: 720 }),
      refund: fc.oneof(
        fc.record({
          kind: fc.constant('percent' as const),
          basisPoints: fc.integer({ min: 0, max: 10_000 }),
        }),
        fc.record({
          kind: fc.constant('fixed' as const),
          amount: fc.integer({ min: 0, max: 50_000 }),
        }),
      ),
    }),
    { maxLength: 3, selector: (t) => t.minHoursBefore },
  ),
  noShowFee: fc.record({
    kind: fc.constant('percent' as const),
    basisPoints: fc.integer({ min: 0, max: 10_000 }),
  }),
});

const scenarioArb = fc.record({
  policy: fc.constantFrom('instant' as const, 'vendor' as const),
  deposit: fc.constantFrom(null, 5_000),
  accommodation: fc.integer({ min: 0, max: 60 }).map((n) => n * 1_000),
  declineRequester: fc.boolean(),
  cancellationPolicy: policyArb,
  ops: fc.array(opArb, { maxLength: 6 }),
});

/** What the model expects of one booking: its status, price, what the guest has paid net, and failures armed on the gateway. */
interface Model {
  status: ReservationStatus;
  owed: number;
  paid: number;
  flagged: boolean;
  ended: boolean;
  armed: Failure[];
  lastNight: number;
}

const disarm = (m: Model, failure: Failure): boolean => {
  const i = m.armed.indexOf(failure);
  if (i < 0) return false;
  m.armed.splice(i, 1);
  return true;
};

/** The saga's loop as the model sees it: collect an increase (unless a failure is armed for it), refund a decrease. */
const settle = (m: Model, due: number): void => {
  if (due > m.paid) {
    if (m.ended || m.flagged) return;
    if (disarm(m, 'settle-auth-decline') || disarm(m, 'settle-capture-refused')) {
      m.flagged = true;
      return;
    }
    m.paid = due;
  } else m.paid = due;
};

const ruleFor = (failure: Failure, reservationId: string): ScriptRule => {
  const match = (prefix: string) => ({ reservationId, idempotencyKeyPrefix: prefix });
  switch (failure) {
    case 'settle-auth-decline':
      return {
        operation: 'authorize',
        match: match('settle-auth-'),
        failure: { kind: 'decline' },
        times: 1,
      };
    case 'settle-capture-refused':
      return {
        operation: 'capture',
        match: match('settle-capture-'),
        failure: { kind: 'captureFailure' },
        times: 1,
      };
    case 'capture-timeout':
      return {
        operation: 'capture',
        match: { reservationId },
        failure: { kind: 'timeout', effect: 'applied' },
        times: 1,
      };
    case 'refund-5xx':
      return { operation: 'refund', match: { reservationId }, failure: { kind: '5xx' }, times: 1 };
    default: {
      const _never: never = failure;
      return _never;
    }
  }
};

describe('payment saga (property): money follows every change, against PostgreSQL and the simulated gateway', function () {
  this.timeout(120_000);
  let h: SagaHarness;
  let n = 0;
  before(async () => {
    h = await createSagaHarness({ disputeWindowHours: 24 });
    h.start();
  });
  after(async () => h.dispose());

  const now = () => h.clock.now().toISOString();

  /** Waits until the saga has seen `m`'s price and ending and no step is in flight (advancing the clock past retry backoffs). */
  const drain = async (id: string, m: Model) => {
    for (let i = 0; i < 400; i += 1) {
      const [saga, reservation] = await Promise.all([
        loadRunningSaga(h.deps, id),
        loadReservationState(h.deps, id),
      ]);
      const pending =
        saga === undefined
          ? ['start']
          : Object.entries(saga.steps).filter(
              ([step, s]) => s?.status === 'pending' && step !== 'payout',
            );
      const seen =
        saga !== undefined &&
        reservation.status === m.status &&
        (m.status.startsWith('FAILED') ||
          (saga.settlement.owed?.amount === m.owed &&
            (saga.settlement.ended !== null) === m.ended));
      if (seen && pending.length === 0) return;
      if (pending.length > 0 && i % 3 === 2) h.clock.advance(20_000);
      await pause(40);
    }
    const saga = await loadRunningSaga(h.deps, id);
    throw new Error(
      `Saga of ${id} did not settle: model ${JSON.stringify(m)}, saga ${JSON.stringify(saga?.settlement)} steps ${JSON.stringify(saga?.steps)}; errors ${h.errors.map(String).join('; ')}`,
    );
  };

  const apply = async (id: string, m: Model, op: Op, policy: CancellationPolicy) => {
    const active = m.status === 'CONFIRMED' || m.status === 'CHECKED_IN';
    switch (op.kind) {
      case 'fail':
        m.armed.push(op.failure);
        h.gateway.script.add(ruleFor(op.failure, id));
        return;
      case 'modify': {
        if (m.status !== 'CONFIRMED') return;
        const state = await loadReservationState(h.deps, id);
        if (state.status === 'NONE') return;
        const quote = { ...quoteFor(now(), op.accommodation), quantity: op.quantity };
        await reservationCommand(h.write, {
          type: 'Modify',
          reservationId: id,
          now: now(),
          expectedVersion: state.version,
          slots: ['2026-12-24', '2026-12-25'],
          quantity: op.quantity,
          startsAt: STARTS_AT,
          endsAt: '2026-12-25T23:00:00.000Z',
          quote,
        });
        m.owed = quote.total.amount;
        m.lastNight = 25;
        m.flagged = false;
        settle(m, m.owed);
        return;
      }
      case 'extend': {
        if (!active || m.lastNight >= 30) return;
        const night = m.lastNight + 1;
        const additionalQuote = quoteFor(now(), op.accommodation);
        await reservationCommand(h.write, {
          type: 'Extend',
          reservationId: id,
          now: now(),
          addedSlots: [`2026-12-${night}`],
          endsAt: `2026-12-${night}T23:00:00.000Z`,
          additionalQuote,
        });
        m.lastNight = night;
        m.owed += additionalQuote.total.amount;
        m.flagged = false;
        settle(m, m.owed);
        return;
      }
      case 'cancel': {
        if (!active) return;
        h.clock.advance(op.afterHours * 3_600_000);
        const at = now();
        await reservationCommand(h.write, {
          type: 'Cancel',
          reservationId: id,
          now: at,
          by: op.by,
          reason: 'property',
        });
        const refund = cancellationRefund(policy, EUR(m.paid), STARTS_AT, at, op.by).refund;
        m.status = 'CANCELLED';
        m.ended = true;
        m.paid -= refund.amount;
        return;
      }
      case 'noShow':
        if (m.status !== 'CONFIRMED') return;
        await reservationCommand(h.write, { type: 'MarkNoShow', reservationId: id, now: now() });
        m.status = 'NO_SHOW';
        m.ended = true;
        m.paid -= noShowRefund(policy, EUR(m.paid)).amount;
        return;
      case 'checkIn':
        if (m.status !== 'CONFIRMED') return;
        await reservationCommand(h.write, { type: 'CheckIn', reservationId: id, now: now() });
        m.status = 'CHECKED_IN';
        return;
      case 'complete':
        if (!active) return;
        await reservationCommand(h.write, { type: 'Complete', reservationId: id, now: now() });
        m.status = 'COMPLETED';
        m.ended = true;
        return;
      case 'payout':
        h.clock.advance(25 * 3_600_000);
        return;
      default: {
        const _never: never = op;
        return _never;
      }
    }
  };

  it('captured − refunded = what the policy in force at booking says is due; refunds ≤ captures; ledger balanced; once per key', async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArb, async (scenario) => {
        n += 1;
        const id = `r-prop${n}`;
        h.gateway.script.clear();
        if (scenario.declineRequester)
          h.gateway.script.add({
            operation: 'authorize',
            match: { reservationId: id, idempotencyKeyPrefix: 'requester-auth-' },
            failure: { kind: 'decline' },
            times: 1,
          });
        await placeBooking(h.write, h.clock, {
          reservationId: id,
          resourceId: `room-prop${n}`,
          policy: scenario.policy,
          deposit: scenario.deposit,
          cancellationPolicy: scenario.cancellationPolicy,
          accommodation: scenario.accommodation,
        });
        if (scenario.policy === 'vendor') {
          await h.waitForStatus(id, 'AWAITING_VENDOR_CONFIRMATION');
          await reservationCommand(h.write, {
            type: 'ConfirmByVendor',
            reservationId: id,
            now: now(),
          });
        }
        const price = quoteFor(now(), scenario.accommodation).total.amount;
        // A free booking asks the gateway nothing, so its decline never fires.
        const declined = scenario.declineRequester && price > 0;
        const m: Model = {
          status: declined ? 'FAILED_REQUESTER_AUTH' : 'CONFIRMED',
          owed: price,
          paid: declined ? 0 : price,
          flagged: false,
          ended: false,
          armed: [],
          lastNight: 25,
        };
        await drain(id, m);
        for (const op of scenario.ops) {
          await apply(id, m, op, scenario.cancellationPolicy);
          await drain(id, m);
        }

        const ops = await h.gateway.listOperations(id);
        const keys = ops.map((o) => `${o.operation}:${o.idempotencyKey}`);
        expect(new Set(keys).size, 'one operation per idempotency key').to.equal(keys.length);
        const guest = (operation: string) =>
          ops.filter((o) => o.operation === operation && !o.idempotencyKey.startsWith('vendor-'));
        const sum = (list: typeof ops) => list.reduce((s, o) => s + o.amount.amount, 0);
        const captured = sum(guest('capture'));
        const refunded = sum(guest('refund'));
        expect(captured - refunded, `net paid (model ${JSON.stringify(m)})`).to.equal(m.paid);
        for (const capture of guest('capture')) {
          const back = sum(
            guest('refund').filter((r) => r.authorizationId === capture.authorizationId),
          );
          expect(back, 'refunds of one PaymentIntent').to.be.at.most(capture.amount.amount);
        }
        const saga = await loadRunningSaga(h.deps, id);
        if (!m.status.startsWith('FAILED') && !m.ended)
          expect(saga?.settlement.flagged !== null, 'flagged for the operator').to.equal(m.flagged);
        const succeeded = (await h.write.store.readStream(`payment-${id}`))
          .filter((e) => e.type === 'PaymentStepSucceeded')
          .map((e) => {
            const d = e.data as { step: string; attempt: number };
            return `${d.step}/${d.attempt}`;
          });
        expect(new Set(succeeded).size, 'each step attempt succeeds once').to.equal(
          succeeded.length,
        );
        await checkLedger(h.db.pool, h.write.store, id);
        expect(h.errors.map(String)).to.deep.equal([]);
      }),
      { numRuns: 8, seed: Number(process.env['PROPERTY_SEED'] ?? 1010), endOnFailure: true },
    );
  });
});
