import { expect } from 'chai';
import { fold } from '../shared/decider.ts';
import type { ReservationEvent } from '../reservation/events.ts';
import type { ReservationStatus } from '../reservation/status.ts';
import { historyTo, quoteOf } from '../reservation/testing/fixtures.ts';
import { commandsFor } from './sagaCommands.ts';
import { sagaDecider } from './sagaDecider.ts';
import type { PaymentSagaEvent } from './sagaEvents.ts';
import type { PaymentSagaInput } from './sagaMessages.ts';
import type { PaymentSagaState } from './sagaState.ts';
import type { PaymentStep } from './steps.ts';

const reservationId = 'r-1';
const NOW = '2026-12-01T10:30:00.000Z';
const observe = (event: ReservationEvent): PaymentSagaInput => ({
  type: 'ReservationEventObserved',
  event,
  now: NOW,
  jitter: 0.5,
});
const answer = (
  step: PaymentStep,
  attempt: number,
  outcome: Extract<PaymentSagaInput, { type: 'StepCompleted' }>['outcome'],
): PaymentSagaInput => ({
  type: 'StepCompleted',
  reservationId,
  step,
  attempt,
  outcome,
  now: NOW,
  jitter: 0.5,
});
const ok = (step: PaymentStep, providerId: string, attempt = 1) =>
  answer(step, attempt, { kind: 'succeeded', providerId });
const noAnswer = (step: PaymentStep, attempt: number) =>
  answer(step, attempt, { kind: 'failed', reason: 'timeout', retryable: true });

const inputsTo = (status: ReservationStatus): PaymentSagaInput[] =>
  historyTo(status).events.flatMap((event) => {
    const inputs = [observe(event)];
    if (event.type === 'ReservationRequested') inputs.push(ok('vendor-notify', 'msg-1'));
    if (event.type === 'AuthorizationRequested' && event.data.party === 'vendor')
      inputs.push(ok('vendor-auth', 'pi_vendor'));
    if (event.type === 'PaymentMethodProvided') inputs.push(ok('requester-auth', 'pi_requester'));
    return inputs;
  });
const run = (
  inputs: readonly PaymentSagaInput[],
  from: PaymentSagaState = sagaDecider.initialState(),
) =>
  inputs.reduce<{ state: PaymentSagaState; last: PaymentSagaEvent[] }>(
    ({ state }, input) => {
      const last = sagaDecider.decide(input, state);
      return { state: fold(sagaDecider, last, state), last };
    },
    { state: from, last: [] },
  );
const requests = (events: readonly PaymentSagaEvent[]) =>
  events.flatMap((e) =>
    e.type === 'PaymentStepRequested'
      ? [`${e.data.step}/${e.data.attempt}:${e.data.amount?.amount ?? '-'}@${e.data.target ?? '-'}`]
      : [],
  );
const modified = (total: number): ReservationEvent => ({
  type: 'ReservationModified',
  data: {
    reservationId,
    modifiedAt: NOW,
    slots: ['2026-12-24'],
    quantity: 1,
    startsAt: '2026-12-24T13:00:00.000Z',
    endsAt: '2026-12-25T09:00:00.000Z',
    slotsToClaim: [],
    slotsToRelease: ['2026-12-25'],
    quote: quoteOf(total),
    priceDifference: { amount: total - 40_000, currency: 'EUR' },
  },
});
const confirmed = () =>
  run([
    ...inputsTo('COMMIT_IN_PROGRESS'),
    ok('vendor-capture', 'ch_v'),
    ok('requester-capture', 'ch_r'),
  ]).state;

describe('payment saga: settlement of changes (decider)', () => {
  it('a price that fell before the commit is captured partially; one that rose is captured in full and the rest collected after', () => {
    const before = run(inputsTo('AUTHORIZED_BOTH'));
    const lower = run([observe(modified(30_000))], before.state);
    const commitStarted = historyTo('COMMIT_IN_PROGRESS').events.at(-1);
    if (commitStarted === undefined) throw new Error('no CommitStarted');
    expect(requests(run([observe(commitStarted)], lower.state).last)).to.deep.equal([
      'vendor-capture/1:5000@pi_vendor',
      'requester-capture/1:30000@pi_requester',
    ]);
    const higher = run([observe(modified(50_000)), observe(commitStarted)], before.state);
    expect(requests(higher.last)).to.include('requester-capture/1:40000@pi_requester');
    const committed = run(
      [ok('vendor-capture', 'ch_v'), ok('requester-capture', 'ch_r')],
      higher.state,
    );
    expect(committed.last.map((e) => e.type)).to.include('CommitSettled');
    expect(requests(committed.last)).to.deep.equal(['settle-auth/1:10000@-']);
  });

  it('each new operation of a settle step gets the next attempt (a fresh key) and its own retry budget', () => {
    let { state } = run([observe(modified(50_000))], confirmed());
    ({ state } = run([ok('settle-auth', 'pi_2'), ok('settle-capture', 'ch_2')], state));
    const again = run([observe(modified(60_000))], state);
    expect(requests(again.last)).to.deep.equal(['settle-auth/2:10000@-']);
    // Four "no answer"s on the second operation still retry under its own key: the budget is per operation.
    let s = again.state;
    for (const attempt of [2, 3, 4, 5]) {
      const r = run([noAnswer('settle-auth', attempt)], s);
      s = r.state;
      expect(requests(r.last)).to.deep.equal([`settle-auth/${attempt + 1}:10000@-`]);
      const key = r.last.find((e) => e.type === 'PaymentStepRequested')?.data;
      expect(key).to.include({ idempotencyKey: 'settle-auth-r-1-2' });
    }
    const exhausted = run([noAnswer('settle-auth', 6)], s);
    expect(exhausted.last.map((e) => e.type)).to.deep.equal([
      'PaymentStepFailed',
      'SettlementFlagged',
    ]);
  });

  it('a zero amount is recorded as succeeded at once and never becomes a gateway command', () => {
    const saga = run(inputsTo('AWAITING_REQUESTER_AUTH').slice(0, -1)).state;
    const zero: ReservationEvent = {
      type: 'AuthorizationRequested',
      data: {
        reservationId,
        party: 'requester',
        amount: { amount: 0, currency: 'EUR' },
        requestedAt: NOW,
      },
    };
    const { state, last } = run([observe(zero)], saga);
    expect(last.map((e) => e.type)).to.deep.equal(['PaymentStepRequested', 'PaymentStepSucceeded']);
    if (state.status === 'NONE') throw new Error('no saga');
    expect(commandsFor(last[0] as PaymentSagaEvent, state)).to.deep.equal([]);
    expect(
      commandsFor(last[1] as PaymentSagaEvent, state).map(
        (c) => c.kind === 'reservation' && c.command.type,
      ),
    ).to.deep.equal(['RecordRequesterAuthorization']);
  });
});
