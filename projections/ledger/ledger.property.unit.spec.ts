import { expect } from 'chai';
import fc from 'fast-check';
import { sagaDecider } from '../../domain/payment/sagaDecider.ts';
import type { PaymentSagaEvent } from '../../domain/payment/sagaEvents.ts';
import type { PaymentSagaInput } from '../../domain/payment/sagaMessages.ts';
import type { PaymentSagaState } from '../../domain/payment/sagaState.ts';
import type { ReservationEvent } from '../../domain/reservation/events.ts';
import { historyTo } from '../../domain/reservation/testing/fixtures.ts';
import { entryTotal, type LedgerAccount, type LedgerEntry } from './accounts.ts';
import { evolveLedger, type LedgerBooking } from './evolve.ts';

const NOW = '2026-12-01T10:30:00.000Z';
const EUR = (amount: number) => ({ amount, currency: 'EUR' });

/** One booking driven through the real saga decider, the gateway answering every request with success, and the ledger folding it all. */
const createBooking = (
  id: string,
  room: number,
  fee: number,
  vat: number,
  deposit: number | null,
) => {
  let saga: PaymentSagaState = sagaDecider.initialState();
  let ledger: LedgerBooking | undefined;
  const entries: LedgerEntry[] = [];
  const feedLedger = (event: ReservationEvent | PaymentSagaEvent) => {
    const change = evolveLedger(ledger, event);
    ledger = change.state;
    entries.push(...change.entries);
  };
  const decide = (input: PaymentSagaInput) => {
    const queue = [input];
    while (queue.length > 0) {
      const next = queue.shift();
      if (next === undefined) break;
      for (const event of sagaDecider.decide(next, saga)) {
        saga = sagaDecider.evolve(saga, event);
        feedLedger(event);
        if (event.type === 'PaymentStepRequested' && event.data.step !== 'revalidate')
          queue.push({
            type: 'StepCompleted',
            reservationId: id,
            step: event.data.step,
            attempt: event.data.attempt,
            outcome: { kind: 'succeeded', providerId: `${event.data.step}-${id}` },
            now: NOW,
            jitter: 0.5,
          });
      }
    }
  };
  const observe = (event: ReservationEvent) => {
    feedLedger(event);
    decide({ type: 'ReservationEventObserved', event, now: NOW, jitter: 0.5 });
  };
  const requested = historyTo('HELD', 'instant').events[0];
  if (requested?.type !== 'ReservationRequested') throw new Error('fixture changed');
  const date = '2026-12-24';
  const total = room + fee + vat;
  observe({
    ...requested,
    data: {
      ...requested.data,
      reservationId: id,
      resource: {
        ...requested.data.resource,
        vendorDeposit: deposit === null ? null : EUR(deposit),
      },
      quote: {
        ...requested.data.quote,
        lines: [
          {
            id: 'unit',
            kind: 'charge',
            component: 'accommodation',
            date,
            amount: EUR(room),
            factors: [],
          },
          { id: 'fee', kind: 'fee', component: 'platformFee', date, amount: EUR(fee), factors: [] },
          {
            id: 'vat',
            kind: 'tax',
            component: 'vat',
            date,
            appliesTo: 'fee',
            amount: EUR(vat),
            factors: [],
          },
        ],
        subtotal: EUR(room),
        fees: EUR(fee),
        taxes: EUR(vat),
        total: EUR(total),
      },
    },
  });
  const base = { reservationId: id };
  const authorization = (party: 'vendor' | 'requester', amount: number) => ({
    authorizationId: `${party}-auth-${id}`,
    amount: EUR(amount),
  });
  if (deposit !== null) {
    observe({
      type: 'AuthorizationRequested',
      data: { ...base, party: 'vendor', amount: EUR(deposit), requestedAt: NOW },
    });
    observe({
      type: 'VendorAuthorized',
      data: { ...base, authorization: authorization('vendor', deposit), authorizedAt: NOW },
    });
  }
  observe({
    type: 'AuthorizationRequested',
    data: { ...base, party: 'requester', amount: EUR(total), requestedAt: NOW },
  });
  observe({
    type: 'PaymentMethodProvided',
    data: { ...base, paymentMethod: 'pm_card_visa', providedAt: NOW },
  });
  observe({
    type: 'RequesterAuthorized',
    data: {
      ...base,
      authorization: authorization('requester', total),
      authorizedAt: NOW,
      expiresAt: NOW,
    },
  });
  observe({
    type: 'AvailabilityRevalidated',
    data: { ...base, revalidatedAt: NOW, status: 'AUTHORIZED_BOTH' },
  });
  observe({ type: 'CommitStarted', data: { ...base, startedAt: NOW } });
  return {
    total,
    entries,
    observe,
    refund: (amount: number) => {
      try {
        decide({
          type: 'RefundRequested',
          reservationId: id,
          amount: EUR(amount),
          now: NOW,
          jitter: 0.5,
        });
      } catch {
        // Refused (nothing captured): the property is about what the ledger records either way.
      }
    },
  };
};

type Action =
  | { kind: 'cancel'; booking: number; refund: number }
  | { kind: 'refund'; booking: number; refund: number }
  | { kind: 'complete'; booking: number }
  | { kind: 'noShow'; booking: number; refund: number };

const balances = (entries: readonly LedgerEntry[]) => {
  const by = new Map<LedgerAccount, number>();
  for (const e of entries)
    for (const p of e.postings) by.set(p.account, (by.get(p.account) ?? 0) + p.amount);
  return by;
};

describe('ledger (property): any bookings, cancellations and refunds', () => {
  it('every entry balances, every booking sums to zero, escrow never goes negative, refunds never exceed the capture', () => {
    const booking = fc.record({
      room: fc.integer({ min: 1, max: 500_000 }),
      fee: fc.integer({ min: 0, max: 50_000 }),
      vat: fc.integer({ min: 0, max: 10_000 }),
      deposit: fc.option(fc.integer({ min: 1, max: 20_000 }), { nil: null }),
    });
    const action = (count: number): fc.Arbitrary<Action> => {
      const b = fc.integer({ min: 0, max: count - 1 });
      const amount = fc.integer({ min: 0, max: 700_000 });
      return fc.oneof(
        fc.record({ kind: fc.constant('cancel' as const), booking: b, refund: amount }),
        fc.record({ kind: fc.constant('refund' as const), booking: b, refund: amount }),
        fc.record({ kind: fc.constant('complete' as const), booking: b }),
        fc.record({ kind: fc.constant('noShow' as const), booking: b, refund: amount }),
      );
    };
    const scenario = fc
      .array(booking, { minLength: 1, maxLength: 5 })
      .chain((bookings) =>
        fc.tuple(fc.constant(bookings), fc.array(action(bookings.length), { maxLength: 12 })),
      );
    fc.assert(
      fc.property(scenario, ([specs, actions]) => {
        const bookings = specs.map((s, i) =>
          createBooking(`r-${i}`, s.room, s.fee, s.vat, s.deposit),
        );
        const check = () => {
          for (const b of bookings) {
            for (const e of b.entries) expect(entryTotal(e), e.entryId).to.equal(0);
            const total = balances(b.entries);
            expect([...total.values()].reduce((s, v) => s + v, 0)).to.equal(0);
            expect(total.get('escrow_held') ?? 0).to.be.at.least(0);
            const captured = b.entries
              .filter((e) => e.kind === 'payment_captured')
              .reduce((s, e) => s + (e.postings[0]?.amount ?? 0), 0);
            const refunded = b.entries
              .filter((e) => e.kind === 'refund_paid')
              .reduce((s, e) => s + (e.postings[0]?.amount ?? 0), 0);
            expect(captured).to.equal(b.total);
            expect(refunded).to.be.at.most(captured);
          }
        };
        check();
        for (const a of actions) {
          const b = bookings[a.booking];
          if (b === undefined) continue;
          const base = { reservationId: `r-${a.booking}` };
          if (a.kind === 'complete')
            b.observe({ type: 'ReservationCompleted', data: { ...base, completedAt: NOW } });
          else if (a.kind === 'noShow') {
            b.observe({ type: 'ReservationMarkedNoShow', data: { ...base, markedAt: NOW } });
            b.refund(a.refund);
          } else {
            if (a.kind === 'cancel')
              b.observe({
                type: 'ReservationCancelled',
                data: {
                  ...base,
                  cancelledBy: 'guest',
                  reason: 'x',
                  cancelledAt: NOW,
                  previousStatus: 'CONFIRMED',
                  slotsToRelease: ['2026-12-24'],
                },
              });
            b.refund(a.refund);
          }
          check();
        }
      }),
      { numRuns: 300 },
    );
  });
});
