import type { Money } from '../shared/money.ts';
import { requestStep } from './sagaCompensation.ts';
import type { PaymentSagaOptions } from './sagaDecide.ts';
import type { PaymentSagaEvent } from './sagaEvents.ts';
import type { PaymentSagaInput } from './sagaMessages.ts';
import type { RunningSaga } from './sagaState.ts';
import { evolvePaymentSaga } from './sagaState.ts';
import { lostToDisputes, netPaid, type Charge, type SettlementEnd } from './settlementState.ts';
import {
  canRetry,
  retryDelayMs,
  SETTLE_STEPS,
  type PaymentStep,
  type SettleStep,
} from './steps.ts';
import { plus } from './sagaStepOutcome.ts';

/**
 * Settlement of changes (DESIGN.md "Money follows every change"): after the
 * commit, whenever what is due and what was paid differ, the saga takes one
 * step towards equality and, when it is answered, the next one:
 *
 * - more is due: authorize the difference as a second PaymentIntent linked to
 *   the reservation (`settle-auth`), then capture it (`settle-capture`);
 * - less is due: refund it from the latest charges first (`settle-refund`);
 * - an authorization no longer needed is released (`settle-auth-cancel`).
 *
 * One settle step runs at a time; a dead-lettered one stops the loop until an
 * operator retries it. A difference that cannot be collected (declined,
 * capture refused, no payment method) flags the booking: the change stands,
 * `SettlementFlagged` records the shortfall, and the next change or an
 * operator's retry tries again.
 */

const fold = (saga: RunningSaga, events: readonly PaymentSagaEvent[]): RunningSaga => {
  const next = events.reduce(evolvePaymentSaga, saga);
  return next.status === 'NONE' ? saga : next;
};

const money = (amount: number, currency: string): Money => ({ amount, currency });

const nextAttempt = (saga: RunningSaga, step: PaymentStep): number =>
  (saga.steps[step]?.attempt ?? 0) + 1;

const request = (
  saga: RunningSaga,
  step: SettleStep,
  now: string,
  amount: Money | null,
  target: string,
): PaymentSagaEvent => requestStep(saga, step, nextAttempt(saga, step), now, amount, target);

/** The price the reservation quoted last; for sagas older than the settlement, the requester's authorization. */
export const currentOwed = (saga: RunningSaga): Money | null => {
  if (saga.settlement.owed !== null) return saga.settlement.owed;
  const auth = saga.steps['requester-auth'];
  return auth?.status === 'succeeded' ? auth.amount : null;
};

/**
 * A step that moves no money (a free booking's authorization or capture) is
 * not sent to the gateway: it is requested and succeeds at once, so the
 * ledger records it as zero and the booking goes on.
 */
export const requestMoneyStep = (
  saga: RunningSaga,
  step: PaymentStep,
  attempt: number,
  now: string,
  amount: Money | null,
  target: string | null = null,
): PaymentSagaEvent[] => {
  const requested = requestStep(saga, step, attempt, now, amount, target);
  if (amount === null || amount.amount !== 0) return [requested];
  return [
    requested,
    {
      type: 'PaymentStepSucceeded',
      data: {
        reservationId: saga.reservationId,
        at: now,
        step,
        attempt,
        providerId: `zero-amount:${step}`,
      },
    },
  ];
};

const busy = (saga: RunningSaga): boolean =>
  SETTLE_STEPS.some((step) => {
    const s = saga.steps[step];
    return s?.status === 'pending' || s?.status === 'deadLettered';
  });

/** The vendor's part of `net` in the first quote's proportion, rounded down (the platform keeps the remainder). */
export const vendorShare = (saga: RunningSaga, net: number): number => {
  const basis = saga.settlement.priceBasis ?? net;
  return basis === 0 ? 0 : Number((BigInt(net) * BigInt(saga.vendorPayout.amount)) / BigInt(basis));
};

/** Once nothing is left to collect or refund: the payout after the dispute window, and the deposit. */
const closeBooking = (
  saga: RunningSaga,
  ended: SettlementEnd,
  now: string,
  options: PaymentSagaOptions,
): PaymentSagaEvent[] => {
  const out: PaymentSagaEvent[] = [];
  const net = netPaid(saga.settlement);
  const currency = saga.settlement.due?.currency ?? saga.vendorPayout.currency;
  // A lost dispute took part of the guest's money back: the vendor's share of it comes off the payout.
  const share = vendorShare(saga, Math.max(0, net - lostToDisputes(saga.settlement)));
  if (saga.steps.payout === undefined && share > 0)
    out.push(
      requestStep(
        saga,
        'payout',
        1,
        now,
        money(share, currency),
        null,
        plus(now, options.disputeWindowHours * 3_600_000),
      ),
    );
  const deposit = saga.steps['vendor-capture'];
  if (deposit?.status === 'succeeded' && deposit.amount !== null && deposit.amount.amount > 0) {
    if (ended === 'cancelled-by-vendor') {
      if (!saga.settlement.depositForfeited && saga.steps['vendor-refund'] === undefined)
        out.push({
          type: 'VendorDepositForfeited',
          data: {
            reservationId: saga.reservationId,
            at: now,
            amount: deposit.amount,
            reason: 'The vendor cancelled a confirmed booking.',
          },
        });
    } else if (saga.steps['vendor-refund'] === undefined) {
      out.push(requestStep(saga, 'vendor-refund', 1, now, deposit.amount, deposit.providerId));
    }
  }
  return out;
};

const openAuthorization = (saga: RunningSaga): Charge | undefined =>
  saga.settlement.charges.find((c) => c.authorized > 0 && c.captured === 0 && !c.released);

/** The one next step towards "paid = due", or the closing of an ended booking once they agree. */
export const settleNext = (
  saga: RunningSaga,
  now: string,
  options: PaymentSagaOptions,
): PaymentSagaEvent[] => {
  const s = saga.settlement;
  if (saga.commit !== 'succeeded' || s.due === null || busy(saga)) return [];
  const due = s.due.amount;
  const currency = s.due.currency;
  const net = netPaid(s);
  const collecting = s.ended === null && s.flagged === null;
  const open = openAuthorization(saga);
  if (open !== undefined) {
    return collecting && due > net
      ? [
          request(
            saga,
            'settle-capture',
            now,
            money(Math.min(open.authorized, due - net), currency),
            open.authorizationId,
          ),
        ]
      : [request(saga, 'settle-auth-cancel', now, null, open.authorizationId)];
  }
  if (due > net && collecting) {
    if (saga.requesterPaymentMethod === null)
      return [
        flag(saga, now, 'The requester gave no payment method to collect the difference with.'),
      ];
    return [
      requestStep(
        saga,
        'settle-auth',
        nextAttempt(saga, 'settle-auth'),
        now,
        money(due - net, currency),
      ),
    ];
  }
  if (due < net) {
    const charge = [...s.charges].reverse().find((c) => c.captured - c.refunded > 0);
    if (charge !== undefined)
      return [
        request(
          saga,
          'settle-refund',
          now,
          money(Math.min(net - due, charge.captured - charge.refunded), currency),
          charge.authorizationId,
        ),
      ];
  }
  return s.ended === null ? [] : closeBooking(saga, s.ended, now, options);
};

const flag = (saga: RunningSaga, now: string, reason: string): PaymentSagaEvent => {
  const s = saga.settlement;
  const due = s.due ?? money(0, saga.vendorPayout.currency);
  return {
    type: 'SettlementFlagged',
    data: {
      reservationId: saga.reservationId,
      at: now,
      reason,
      shortfall: money(Math.max(0, due.amount - netPaid(s)), due.currency),
    },
  };
};

const dueChanged = (
  saga: RunningSaga,
  now: string,
  owed: Money,
  due: Money,
  cause: Extract<PaymentSagaEvent, { type: 'SettlementDueChanged' }>['data']['cause'],
  ended: SettlementEnd | null,
): PaymentSagaEvent => ({
  type: 'SettlementDueChanged',
  data: { reservationId: saga.reservationId, at: now, owed, due, cause, ended },
});

/** The reservation was priced anew (modified, extended, or a quantity change): what is due follows the price. */
export const onPriceChanged = (
  saga: RunningSaga,
  owed: Money,
  cause: 'modified' | 'extended',
  now: string,
  options: PaymentSagaOptions,
): PaymentSagaEvent[] => {
  if (saga.settlement.ended !== null) return [];
  const changed = dueChanged(saga, now, owed, owed, cause, null);
  return [changed, ...settleNext(fold(saga, [changed]), now, options)];
};

/** The booking was completed: nothing more is collected; the vendor is paid from what was. */
export const onCompleted = (
  saga: RunningSaga,
  now: string,
  options: PaymentSagaOptions,
): PaymentSagaEvent[] => {
  const s = saga.settlement;
  if (s.ended !== null || s.due === null || s.owed === null) return [];
  const changed = dueChanged(saga, now, s.owed, s.due, 'completed', 'completed');
  return [changed, ...settleNext(fold(saga, [changed]), now, options)];
};

/**
 * A cancellation or no-show after the commit: the policy's refund (computed by
 * the caller on `paidBasis`, what had been paid) leaves `paidBasis − refund`
 * due; the loop refunds the rest.
 */
export const onRefundRequested = (
  saga: RunningSaga,
  input: Extract<PaymentSagaInput, { type: 'RefundRequested' }>,
  options: PaymentSagaOptions,
): PaymentSagaEvent[] => {
  const s = saga.settlement;
  if (s.ended !== null || s.owed === null) return [];
  const basis = input.paidBasis?.amount ?? netPaid(s);
  const kept = Math.max(0, basis - Math.min(Math.max(0, input.amount.amount), basis));
  const ended = input.ended ?? 'cancelled';
  const changed = dueChanged(
    saga,
    input.now,
    s.owed,
    money(kept, s.owed.currency),
    ended === 'no-show' ? 'no-show' : 'cancelled',
    ended,
  );
  return [changed, ...settleNext(fold(saga, [changed]), input.now, options)];
};

/** An operator retries a flagged collection: the flag is cleared and the loop runs again. */
export const retryFlaggedSettlement = (
  saga: RunningSaga,
  now: string,
  options: PaymentSagaOptions,
): PaymentSagaEvent[] => {
  const s = saga.settlement;
  if (s.flagged === null || s.owed === null || s.due === null || s.ended !== null) return [];
  const changed = dueChanged(saga, now, s.owed, s.due, 'operator-retry', null);
  return [changed, ...settleNext(fold(saga, [changed]), now, options)];
};

/** A settle step's answer: record it and take the next step, retry with backoff, or flag / dead-letter. */
export const onSettleStepCompleted = (
  saga: RunningSaga,
  input: Extract<PaymentSagaInput, { type: 'StepCompleted' }>,
  step: SettleStep,
  options: PaymentSagaOptions,
): PaymentSagaEvent[] => {
  const { attempt, outcome, now } = input;
  const current = saga.steps[step];
  if (current?.status !== 'pending' || current.attempt !== attempt) return [];
  const base = { reservationId: saga.reservationId, at: now, step, attempt };
  if (outcome.kind === 'succeeded') {
    const done: PaymentSagaEvent[] = [
      { type: 'PaymentStepSucceeded', data: { ...base, providerId: outcome.providerId } },
    ];
    return [...done, ...settleNext(fold(saga, done), now, options)];
  }
  const tries = attempt - (saga.settlement.firstAttempt[step] ?? attempt) + 1;
  if (canRetry(tries, outcome.retryable, options.retry))
    return [
      {
        type: 'PaymentStepFailed',
        data: { ...base, reason: outcome.reason, retryable: true, final: false },
      },
      requestStep(
        saga,
        step,
        attempt + 1,
        now,
        current.amount,
        current.target,
        plus(now, retryDelayMs(tries, input.jitter, options.retry)),
        current.idempotencyKey,
      ),
    ];
  const failed: PaymentSagaEvent[] = [
    {
      type: 'PaymentStepFailed',
      data: { ...base, reason: outcome.reason, retryable: outcome.retryable, final: true },
    },
  ];
  if (step === 'settle-auth' || step === 'settle-capture') {
    failed.push(
      flag(fold(saga, failed), now, `Collecting the difference failed: ${outcome.reason}`),
    );
    return [...failed, ...settleNext(fold(saga, failed), now, options)];
  }
  return [
    ...failed,
    {
      type: 'PaymentDeadLettered',
      data: {
        reservationId: saga.reservationId,
        at: now,
        step,
        attempts: attempt,
        reason: outcome.reason,
      },
    },
  ];
};
