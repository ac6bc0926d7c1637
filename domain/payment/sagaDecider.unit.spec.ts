import { expect } from 'chai';
import { fold } from '../shared/decider.ts';
import { ValidationError } from '../shared/errors.ts';
import type { ReservationEvent } from '../reservation/events.ts';
import type { ReservationStatus } from '../reservation/status.ts';
import { historyTo } from '../reservation/testing/fixtures.ts';
import { COMPENSATION_MATRIX } from './compensationMatrix.ts';
import { commandsFor } from './sagaCommands.ts';
import { sagaDecider } from './sagaDecider.ts';
import type { PaymentSagaEvent } from './sagaEvents.ts';
import type { PaymentSagaInput, SagaCommand } from './sagaMessages.ts';
import type { PaymentSagaState } from './sagaState.ts';
import type { PaymentStep } from './steps.ts';
import { DEFAULT_RETRY_POLICY, idempotencyKey, retryDelayMs } from './steps.ts';

const reservationId = 'r-1';
const NOW = '2026-12-01T10:30:00.000Z';
const observe = (event: ReservationEvent): PaymentSagaInput => ({
  type: 'ReservationEventObserved',
  event,
  now: NOW,
  jitter: 0.5,
});
const done = (step: PaymentStep, providerId: string, attempt = 1): PaymentSagaInput => ({
  type: 'StepCompleted',
  reservationId,
  step,
  attempt,
  outcome: { kind: 'succeeded', providerId },
  now: NOW,
  jitter: 0.5,
});
const fail = (
  step: PaymentStep,
  attempt = 1,
  retryable = false,
  jitter = 0.5,
): PaymentSagaInput => ({
  type: 'StepCompleted',
  reservationId,
  step,
  attempt,
  outcome: { kind: 'failed', reason: `${step} declined`, retryable },
  now: NOW,
  jitter,
});

/** The saga's view of a reservation reaching `status`: its events, with the gateway answering each request successfully. */
const inputsTo = (status: ReservationStatus): PaymentSagaInput[] =>
  historyTo(status).events.flatMap((event) => {
    const inputs = [observe(event)];
    if (event.type === 'ReservationRequested') inputs.push(done('vendor-notify', 'msg-1'));
    if (event.type === 'AuthorizationRequested' && event.data.party === 'vendor')
      inputs.push(done('vendor-auth', 'pi_vendor'));
    // The fixtures provide the method while the reservation awaits the requester, so that starts the step.
    if (event.type === 'PaymentMethodProvided') inputs.push(done('requester-auth', 'pi_requester'));
    return inputs;
  });

const provided = (paymentMethod: string): ReservationEvent => ({
  type: 'PaymentMethodProvided',
  data: { reservationId, paymentMethod, providedAt: NOW },
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
const requested = (events: readonly PaymentSagaEvent[]) =>
  events.flatMap((e) =>
    e.type === 'PaymentStepRequested' ? [[e.data.step, e.data.target, e.data.idempotencyKey]] : [],
  );
const commands = (events: readonly PaymentSagaEvent[], state: PaymentSagaState): SagaCommand[] =>
  state.status === 'NONE' ? [] : events.flatMap((e) => commandsFor(e, state));
const compensationRow = (events: readonly PaymentSagaEvent[]) =>
  events.find((e) => e.type === 'CompensationStarted')?.data;

const capturesStarted = () => run(inputsTo('COMMIT_IN_PROGRESS'));

describe('payment saga: the happy path', () => {
  it('authorizes, revalidates, captures both and commits, with seed-004 idempotency keys', () => {
    const { state, last } = run([...inputsTo('COMMIT_IN_PROGRESS')]);
    expect(requested(last)).to.deep.equal([
      ['vendor-capture', 'pi_vendor', 'vendor-capture-r-1-1'],
      ['requester-capture', 'pi_requester', 'requester-capture-r-1-1'],
    ]);
    const after = run([done('vendor-capture', 'ch_v'), done('requester-capture', 'ch_r')], state);
    expect(commands(after.last, after.state)).to.deep.equal([
      {
        kind: 'reservation',
        command: {
          type: 'RecordCommitSuccess',
          reservationId,
          now: NOW,
          captures: { vendor: 'ch_v', requester: 'ch_r' },
        },
      },
    ]);
  });

  it('turns a successful authorization into the reservation command that records it', () => {
    const inputs = inputsTo('AWAITING_VENDOR_AUTH');
    // Replace the fixture's own gateway answer with ours.
    const { last, state } = run([...inputs.slice(0, -1), done('vendor-auth', 'pi_9')]);
    expect(commands(last, state).map((c) => c.kind === 'reservation' && c.command)).to.deep.equal([
      {
        type: 'RecordVendorAuthorization',
        reservationId,
        now: NOW,
        authorization: { authorizationId: 'pi_9', amount: { amount: 5_000, currency: 'EUR' } },
      },
    ]);
  });

  it('ignores duplicate and superseded gateway answers', () => {
    const { state } = capturesStarted();
    const once = run([done('requester-capture', 'ch_r')], state);
    expect(sagaDecider.decide(done('requester-capture', 'ch_r'), once.state)).to.deep.equal([]);
    expect(sagaDecider.decide(done('vendor-capture', 'ch_v', 2), once.state)).to.deep.equal([]);
  });

  it('re-derives the same commands after a restart (fold of its own stream)', () => {
    const all: PaymentSagaEvent[] = [];
    let state = sagaDecider.initialState();
    for (const input of inputsTo('COMMIT_IN_PROGRESS')) {
      const events = sagaDecider.decide(input, state);
      all.push(...events);
      state = fold(sagaDecider, events, state);
    }
    const replayed = fold(sagaDecider, all);
    expect(replayed).to.deep.equal(state);
    expect(commands(all, replayed)).to.deep.equal(commands(all, state));
  });

  it('pays the vendor out after the dispute window on completion and gives the deposit back', () => {
    const { state } = run([
      ...inputsTo('COMMIT_IN_PROGRESS'),
      done('vendor-capture', 'ch_v'),
      done('requester-capture', 'ch_r'),
    ]);
    const completed: ReservationEvent = {
      type: 'ReservationCompleted',
      data: { reservationId, completedAt: NOW },
    };
    const { last, state: after } = run([observe(completed)], state);
    expect(commands(last, after)).to.deep.equal([
      {
        kind: 'gateway',
        step: 'payout',
        attempt: 1,
        command: {
          type: 'Transfer',
          reservationId,
          idempotencyKey: 'payout-r-1-1',
          notBefore: '2026-12-04T10:30:00.000Z',
          vendorId: 'vendor-1',
          amount: { amount: 40_000, currency: 'EUR' },
          transferGroup: after.status === 'NONE' ? '' : after.bookingReference,
        },
      },
      {
        kind: 'gateway',
        step: 'vendor-refund',
        attempt: 1,
        command: {
          type: 'Refund',
          reservationId,
          idempotencyKey: 'vendor-refund-r-1-1',
          notBefore: NOW,
          party: 'vendor',
          captureId: 'ch_v',
          amount: { amount: 5_000, currency: 'EUR' },
        },
      },
    ]);
  });

  it('settles a cancellation: refunds per policy, then pays the vendor its share of what is kept', () => {
    const { state } = run([
      ...inputsTo('COMMIT_IN_PROGRESS'),
      done('vendor-capture', 'ch_v'),
      done('requester-capture', 'ch_r'),
    ]);
    const refund: PaymentSagaInput = {
      type: 'RefundRequested',
      reservationId,
      amount: { amount: 30_000, currency: 'EUR' },
      now: NOW,
      jitter: 0,
    };
    const steps = (events: readonly PaymentSagaEvent[]) =>
      events.flatMap((e) =>
        e.type === 'PaymentStepRequested'
          ? [[e.data.step, e.data.amount?.amount, e.data.target, e.data.notBefore]]
          : [],
      );
    const cancelled = run([refund], state);
    expect(steps(cancelled.last)).to.deep.equal([['settle-refund', 30_000, 'pi_requester', NOW]]);
    const refunded = run([done('settle-refund', 're_1')], cancelled.state);
    // What is kept (10 000) is the vendor's in the quote's proportion.
    expect(steps(refunded.last)).to.deep.equal([
      ['payout', 10_000, null, '2026-12-04T10:30:00.000Z'],
      ['vendor-refund', 5_000, 'ch_v', NOW],
    ]);
  });

  it('retries a dead letter with the next attempt, the same target, and the key it may have succeeded under', () => {
    const { state } = run([
      ...inputsTo('FAILED_REQUESTER_AUTH'),
      ...[1, 2, 3, 4, 5].map((attempt) => fail('vendor-auth-cancel', attempt, true)),
    ]);
    const events = sagaDecider.decide(
      { type: 'RetryDeadLetters', reservationId, now: NOW, jitter: 0 },
      state,
    );
    expect(requested(events)).to.deep.equal([
      ['vendor-auth-cancel', 'pi_vendor', 'vendor-auth-cancel-r-1-1'],
    ]);
    const refused = run([
      ...inputsTo('FAILED_AVAILABILITY_CHANGED'),
      fail('release-hold', 1, false),
    ]).state;
    expect(
      requested(
        sagaDecider.decide(
          { type: 'RetryDeadLetters', reservationId, now: NOW, jitter: 0 },
          refused,
        ),
      ),
    ).to.deep.equal([['release-hold', null, 'release-hold-r-1-2']]);
    expect(() =>
      sagaDecider.decide(
        { type: 'RetryDeadLetters', reservationId, now: NOW, jitter: 0 },
        run(inputsTo('HELD')).state,
      ),
    ).to.throw(ValidationError);
  });

  it('refunds what a cancellation handler computed, capped at the capture', () => {
    const { state } = run([
      ...inputsTo('COMMIT_IN_PROGRESS'),
      done('vendor-capture', 'ch_v'),
      done('requester-capture', 'ch_r'),
    ]);
    const events = sagaDecider.decide(
      {
        type: 'RefundRequested',
        reservationId,
        amount: { amount: 99_999, currency: 'EUR' },
        now: NOW,
        jitter: 0,
      },
      state,
    );
    expect(
      events.map(
        (e) =>
          e.type === 'PaymentStepRequested' && [e.data.step, e.data.target, e.data.amount?.amount],
      ),
    ).to.deep.equal([false, ['settle-refund', 'pi_requester', 40_000]]);
    expect(() =>
      sagaDecider.decide(
        {
          type: 'RefundRequested',
          reservationId,
          amount: { amount: 1, currency: 'EUR' },
          now: NOW,
          jitter: 0,
        },
        sagaDecider.initialState(),
      ),
    ).to.throw(ValidationError);
  });
});

describe('payment saga: retries and dead letters', () => {
  it('backs off 1 s → 60 s exponentially with ±20% jitter from an injected number', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8].map((n) => retryDelayMs(n, 0.5))).to.deep.equal([
      1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000,
    ]);
    expect([retryDelayMs(1, 0), retryDelayMs(1, 0.999999)]).to.deep.equal([800, 1_200]);
    expect(DEFAULT_RETRY_POLICY.maxAttempts).to.equal(5);
    expect(idempotencyKey('vendor-capture', 'abc', 2)).to.equal('vendor-capture-abc-2');
  });

  it('gives up after 5 attempts: an authorization becomes a business failure', () => {
    let { state } = run(inputsTo('AWAITING_VENDOR_AUTH').slice(0, -1));
    const lasts: PaymentSagaEvent[][] = [];
    for (let attempt = 1; attempt <= 5; attempt += 1) {
      const r = run([fail('vendor-auth', attempt, true)], state);
      state = r.state;
      lasts.push(r.last);
    }
    // Every failure was "no answer": attempt 5 still runs under attempt 1's key, so a
    // provider that did authorize replays that authorization instead of holding twice.
    expect(requested(lasts[3] ?? [])).to.deep.equal([['vendor-auth', null, 'vendor-auth-r-1-1']]);
    expect(lasts[3]?.find((e) => e.type === 'PaymentStepRequested')?.data).to.include({
      attempt: 5,
    });
    expect(
      commands(lasts[4] ?? [], state).map((c) => c.kind === 'reservation' && c.command.type),
    ).to.deep.equal(['RecordVendorAuthorizationFailure']);
  });

  it('dead-letters a compensation that keeps failing, for a human to finish', () => {
    const { state } = run(inputsTo('FAILED_AVAILABILITY_CHANGED'));
    const { last } = run([fail('release-hold', 1, false)], state);
    expect(last.map((e) => e.type)).to.deep.equal(['PaymentStepFailed', 'PaymentDeadLettered']);
  });
});

describe('payment saga: seed 004 failure & compensation matrix, one test per row', () => {
  it('has exactly the seed rows plus the two Compensation Actions cases', () => {
    expect(COMPENSATION_MATRIX.map((r) => r.row)).to.deep.equal([
      '1-2',
      '2-3',
      '3',
      '4',
      '5',
      '6',
      '7a',
      '7b',
      '7c',
      'expired-before-commit',
      'cancelled-after-commit',
      'cancelled-by-vendor-after-commit',
    ]);
  });

  it('row 1-2 reservation creation fails: nothing changed, nothing to compensate', () => {
    const state = sagaDecider.initialState();
    expect(sagaDecider.decide(fail('vendor-auth'), state)).to.deep.equal([]);
    expect(
      sagaDecider.decide(
        observe({
          type: 'ReservationExpired',
          data: { reservationId, expiredAt: NOW, deadline: NOW, previousStatus: 'HELD' },
        }),
        state,
      ),
    ).to.deep.equal([]);
  });

  it('row 2-3 vendor notification fails: retry the notification with backoff', () => {
    const { state } = run(inputsTo('HELD').slice(0, 1));
    const { last } = run([fail('vendor-notify', 1, true)], state);
    expect(compensationRow(last)?.row).to.equal('2-3');
    expect(last.find((e) => e.type === 'PaymentStepRequested')?.data).to.include({
      step: 'vendor-notify',
      attempt: 2,
      idempotencyKey: 'vendor-notify-r-1-1',
      notBefore: '2026-12-01T10:30:01.000Z',
    });
  });

  it("row 3 vendor doesn't confirm: release the hold, no authorization to cancel", () => {
    const { last } = run(inputsTo('FAILED_VENDOR_TIMEOUT'));
    expect(compensationRow(last)?.row).to.equal('3');
    expect(requested(last)).to.deep.equal([['release-hold', null, 'release-hold-r-1-1']]);
  });

  it('row 4 vendor auth fails: release the hold', () => {
    const { last } = run(inputsTo('FAILED_VENDOR_AUTH'));
    expect(compensationRow(last)?.row).to.equal('4');
    expect(requested(last)).to.deep.equal([['release-hold', null, 'release-hold-r-1-1']]);
  });

  it('row 5 requester auth fails: release the vendor authorization and the hold', () => {
    const { last, state } = run(inputsTo('FAILED_REQUESTER_AUTH'));
    expect(compensationRow(last)?.row).to.equal('5');
    expect(requested(last)).to.deep.equal([
      ['vendor-auth-cancel', 'pi_vendor', 'vendor-auth-cancel-r-1-1'],
      ['release-hold', null, 'release-hold-r-1-1'],
    ]);
    expect(commands(last, state).map((c) => c.kind === 'gateway' && c.command.type)).to.deep.equal([
      'CancelAuthorization',
      'ReleaseHolds',
    ]);
  });

  it('row 6 availability changed: release both authorizations and the hold', () => {
    const inputs = inputsTo('AUTHORIZED_BOTH').slice(0, -1);
    const changed: ReservationEvent = {
      type: 'AvailabilityRevalidationFailed',
      data: {
        reservationId,
        revalidatedAt: NOW,
        reason: 'Sold.',
        previousStatus: 'AUTHORIZED_BOTH',
      },
    };
    const { last } = run([...inputs, observe(changed)]);
    expect(compensationRow(last)?.row).to.equal('6');
    expect(requested(last).map(([step, target]) => [step, target])).to.deep.equal([
      ['vendor-auth-cancel', 'pi_vendor'],
      ['requester-auth-cancel', 'pi_requester'],
      ['release-hold', null],
    ]);
  });

  it('row 7a vendor capture fails: refund the requester capture, release the vendor authorization, fail the commit', () => {
    const { state } = capturesStarted();
    const { last, state: after } = run(
      [fail('vendor-capture'), done('requester-capture', 'ch_r')],
      state,
    );
    expect(compensationRow(last)?.row).to.equal('7a');
    expect(requested(last).map(([step, target]) => [step, target])).to.deep.equal([
      ['requester-refund', 'ch_r'],
      ['vendor-auth-cancel', 'pi_vendor'],
      ['release-hold', null],
    ]);
    expect(commands(last, after).at(-1))
      .to.deep.include({ kind: 'reservation' })
      .and.have.nested.property('command.type', 'RecordCommitFailure');
  });

  it('row 7b requester capture fails: refund the vendor capture, release the requester authorization', () => {
    const { state } = capturesStarted();
    const { last } = run([done('vendor-capture', 'ch_v'), fail('requester-capture')], state);
    expect(compensationRow(last)?.row).to.equal('7b');
    expect(requested(last).map(([step, target]) => [step, target])).to.deep.equal([
      ['vendor-refund', 'ch_v'],
      ['requester-auth-cancel', 'pi_requester'],
      ['release-hold', null],
    ]);
  });

  it('row 7c both captures fail: release both authorizations, nothing to refund', () => {
    const { state } = capturesStarted();
    const { last } = run([fail('vendor-capture'), fail('requester-capture')], state);
    expect(compensationRow(last)?.row).to.equal('7c');
    expect(requested(last).map(([step, target]) => [step, target])).to.deep.equal([
      ['vendor-auth-cancel', 'pi_vendor'],
      ['requester-auth-cancel', 'pi_requester'],
      ['release-hold', null],
    ]);
  });

  it('expired (or cancelled) before commit: cancel the authorizations that exist and release the hold', () => {
    const inputs = inputsTo('AUTHORIZED_BOTH');
    const expired: ReservationEvent = {
      type: 'ReservationExpired',
      data: { reservationId, expiredAt: NOW, deadline: NOW, previousStatus: 'AUTHORIZED_BOTH' },
    };
    const { last } = run([...inputs, observe(expired)]);
    expect(compensationRow(last)?.row).to.equal('expired-before-commit');
    expect(requested(last).map(([step]) => step)).to.deep.equal([
      'vendor-auth-cancel',
      'requester-auth-cancel',
      'release-hold',
    ]);
  });

  it('cancelled after commit: refund, never cancel an authorization that was captured', () => {
    const { state } = run([
      ...inputsTo('COMMIT_IN_PROGRESS'),
      done('vendor-capture', 'ch_v'),
      done('requester-capture', 'ch_r'),
    ]);
    const cancelled: ReservationEvent = {
      type: 'ReservationCancelled',
      data: {
        reservationId,
        cancelledBy: 'guest',
        reason: 'Ill.',
        cancelledAt: NOW,
        previousStatus: 'CONFIRMED',
        slotsToRelease: ['2026-12-24'],
      },
    };
    const { last } = run([observe(cancelled)], state);
    expect(compensationRow(last)?.row).to.equal('cancelled-after-commit');
    expect(requested(last).map(([step, target]) => [step, target])).to.deep.equal([
      ['vendor-refund', 'ch_v'],
      ['release-hold', null],
    ]);
  });
});

describe('payment saga: late answers', () => {
  it('cancels an authorization that succeeds after the compensation started', () => {
    const { state } = run([...inputsTo('AWAITING_REQUESTER_AUTH'), observe(provided('pm_1'))]);
    const retry = run([fail('requester-auth', 1, true)], state).state;
    const expired: ReservationEvent = {
      type: 'ReservationExpired',
      data: {
        reservationId,
        expiredAt: NOW,
        deadline: NOW,
        previousStatus: 'AWAITING_REQUESTER_AUTH',
      },
    };
    const compensated = run([observe(expired)], retry).state;
    const { last } = run([done('requester-auth', 'pi_late', 2)], compensated);
    expect(requested(last)).to.deep.equal([
      ['requester-auth-cancel', 'pi_late', 'requester-auth-cancel-r-1-1'],
    ]);
  });
});

describe("payment saga: the requester's payment method", () => {
  const owed = { amount: 40_000, currency: 'EUR' };
  const authorizeCommands = (events: readonly PaymentSagaEvent[], state: PaymentSagaState) =>
    commands(events, state).flatMap((c) =>
      c.kind === 'gateway' && c.command.type === 'AuthorizeRequester' ? [c.command] : [],
    );

  it('waits in AWAITING_REQUESTER_AUTH until the requester provides one, then authorizes with it', () => {
    const waiting = run(inputsTo('AWAITING_REQUESTER_AUTH'));
    expect(waiting.last.map((e) => e.type)).to.deep.equal(['RequesterPaymentMethodAwaited']);
    expect(waiting.state.status !== 'NONE' && waiting.state.steps['requester-auth']).to.equal(
      undefined,
    );
    const { last, state } = run([observe(provided('pm_card_amex'))], waiting.state);
    expect(requested(last)).to.deep.equal([['requester-auth', null, 'requester-auth-r-1-1']]);
    expect(authorizeCommands(last, state)).to.deep.equal([
      {
        type: 'AuthorizeRequester',
        reservationId,
        idempotencyKey: 'requester-auth-r-1-1',
        notBefore: NOW,
        amount: owed,
        paymentMethod: 'pm_card_amex',
      },
    ]);
  });

  it('a method provided before the reservation awaits the requester is used as soon as it does', () => {
    const events = historyTo('AWAITING_REQUESTER_AUTH').events;
    const early = run([
      ...inputsTo('VENDOR_AUTHORIZED'),
      observe(provided('pm_card_visa')),
      observe(provided('pm_card_amex')),
    ]);
    expect(early.state.status !== 'NONE' && early.state.requesterPaymentMethod).to.equal(
      'pm_card_amex',
    );
    const awaited = events.at(-1);
    if (awaited?.type !== 'AuthorizationRequested') throw new Error('fixture drift');
    const { last, state } = run([observe(awaited)], early.state);
    expect(authorizeCommands(last, state).map((c) => c.paymentMethod)).to.deep.equal([
      'pm_card_amex',
    ]);
  });

  it('the same token again, or any token once the authorization was requested, decides nothing', () => {
    const started = run([...inputsTo('AWAITING_REQUESTER_AUTH'), observe(provided('pm_1'))]);
    expect(sagaDecider.decide(observe(provided('pm_1')), started.state)).to.deep.equal([]);
    expect(sagaDecider.decide(observe(provided('pm_2')), started.state)).to.deep.equal([]);
    const replayedAuth = historyTo('AWAITING_REQUESTER_AUTH').events.at(-1);
    if (replayedAuth === undefined) throw new Error('fixture drift');
    expect(sagaDecider.decide(observe(replayedAuth), started.state)).to.deep.equal([]);
  });
});
