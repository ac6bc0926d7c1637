import type { Money } from '../shared/money.ts';
import type { RunningSaga, StepState } from './sagaState.ts';
import { isSettleStep, type PaymentStep } from './steps.ts';
import type { Charge } from './settlementState.ts';

/**
 * Reconciliation (seed 004 "Repair Logic"): the saga's log against the
 * provider's own books. Pure: the caller reads both and applies the result.
 */

/** The provider's view of one authorization, as the gateway port reports it. */
export interface ProviderAuthorization {
  readonly authorizationId: string;
  readonly status: 'authorized' | 'captured' | 'cancelled' | 'requires_action' | 'failed';
  readonly amount: Money;
  readonly captured: Money;
  readonly captureId: string | null;
  readonly refunded: Money;
  readonly refunds: readonly { readonly refundId: string; readonly amount: Money }[];
}

export interface ProviderBooks {
  /** Every authorization the log names (retrieved, so current) and any other the provider listed for the booking. */
  readonly authorizations: readonly ProviderAuthorization[];
  readonly transfers: readonly {
    readonly transferId: string;
    readonly amount: Money;
    readonly reversed: Money;
  }[];
}

/** A fact the provider shows that the log is missing: appended as the pending step's success. */
export interface Repair {
  readonly step: PaymentStep;
  readonly attempt: number;
  readonly providerId: string;
  readonly why: string;
}

export type Finding =
  | {
      readonly kind: 'captured_amount_differs';
      readonly authorizationId: string;
      readonly log: number;
      readonly provider: number;
    }
  | {
      readonly kind: 'capture_missing_at_provider';
      readonly authorizationId: string;
      readonly log: number;
    }
  | {
      readonly kind: 'capture_not_in_log';
      readonly authorizationId: string;
      readonly provider: number;
    }
  | {
      readonly kind: 'refunds_differ';
      readonly authorizationId: string;
      readonly log: number;
      readonly provider: number;
    }
  | {
      readonly kind: 'authorization_not_in_log';
      readonly authorizationId: string;
      readonly status: string;
      readonly amount: number;
    }
  | {
      readonly kind: 'authorization_lapsed';
      readonly authorizationId: string;
      readonly status: string;
    }
  | { readonly kind: 'authorization_missing_at_provider'; readonly authorizationId: string }
  | { readonly kind: 'transfers_differ'; readonly log: number; readonly provider: number };

export interface Reconciliation {
  readonly repairs: readonly Repair[];
  /** What differs and is not safely repairable: an operator looks. */
  readonly findings: readonly Finding[];
}

const PARTIES = ['vendor', 'requester'] as const;

const succeeded = (step: StepState | undefined) =>
  step?.status === 'succeeded' ? step : undefined;
const pending = (step: StepState | undefined) => (step?.status === 'pending' ? step : undefined);

/** A step that moved nothing never reached the provider (sagaSettleChanges.ts `requestMoneyStep`). */
const isZeroAmount = (providerId: string): boolean => providerId.startsWith('zero-amount:');

interface PendingStep {
  readonly step: PaymentStep;
  readonly attempt: number;
  readonly amount: Money | null;
}

/**
 * The pending step among `steps` that addresses `authorizationId`. Settle steps
 * name the PaymentIntent; the parties' own refunds name their charge, and each
 * party has one authorization, so those match whatever their target.
 */
const pendingOn = (
  saga: RunningSaga,
  steps: readonly PaymentStep[],
  authorizationId: string,
): PendingStep | undefined => {
  for (const step of steps) {
    const state = pending(saga.steps[step]);
    if (state && (!isSettleStep(step) || state.target === authorizationId))
      return { step, attempt: state.attempt, amount: state.amount };
  }
  return undefined;
};

/**
 * Refunds of one authorization: the log's sum against the provider's. A pending
 * refund step whose amount the provider already refunded is repaired.
 */
const compareRefunds = (
  seen: ProviderAuthorization,
  logged: number,
  waiting: PendingStep | undefined,
  repairs: Repair[],
  findings: Finding[],
): void => {
  const extra = seen.refunded.amount - logged;
  const match =
    waiting && extra > 0 && (waiting.amount === null || waiting.amount.amount === extra)
      ? [...seen.refunds].reverse().find((r) => r.amount.amount === extra)
      : undefined;
  if (waiting && match) {
    repairs.push({
      step: waiting.step,
      attempt: waiting.attempt,
      providerId: match.refundId,
      why: `the provider refunded ${match.amount.amount} ${match.amount.currency} (${match.refundId}), the log has the refund pending`,
    });
  } else if (extra !== 0) {
    findings.push({
      kind: 'refunds_differ',
      authorizationId: seen.authorizationId,
      log: logged,
      provider: seen.refunded.amount,
    });
  }
};

/** The settlement's own charges (second PaymentIntents for increases) against the provider. */
const compareSettleCharge = (
  saga: RunningSaga,
  charge: Charge,
  seen: ProviderAuthorization,
  repairs: Repair[],
  findings: Finding[],
): void => {
  const id = charge.authorizationId;
  const capture = pendingOn(saga, ['settle-capture'], id);
  const cancel = pendingOn(saga, ['settle-auth-cancel'], id);
  const captured = seen.captured.amount;
  if (capture && charge.captured === 0 && captured > 0 && seen.captureId !== null) {
    if (capture.amount === null || capture.amount.amount === captured)
      repairs.push({
        step: capture.step,
        attempt: capture.attempt,
        providerId: seen.captureId,
        why: `the provider captured ${captured} ${seen.captured.currency} on ${id}, the log has the capture pending`,
      });
    else
      findings.push({
        kind: 'captured_amount_differs',
        authorizationId: id,
        log: capture.amount.amount,
        provider: captured,
      });
  } else if (captured !== charge.captured) {
    if (charge.captured === 0)
      findings.push({ kind: 'capture_not_in_log', authorizationId: id, provider: captured });
    else if (captured === 0)
      findings.push({
        kind: 'capture_missing_at_provider',
        authorizationId: id,
        log: charge.captured,
      });
    else
      findings.push({
        kind: 'captured_amount_differs',
        authorizationId: id,
        log: charge.captured,
        provider: captured,
      });
  } else if (cancel && seen.status === 'cancelled') {
    repairs.push({
      step: cancel.step,
      attempt: cancel.attempt,
      providerId: id,
      why: `the provider cancelled ${id}, the log has the cancellation pending`,
    });
  } else if (
    !charge.released &&
    charge.captured === 0 &&
    !capture &&
    !cancel &&
    seen.status !== 'authorized'
  ) {
    findings.push({ kind: 'authorization_lapsed', authorizationId: id, status: seen.status });
  }
  compareRefunds(seen, charge.refunded, pendingOn(saga, ['settle-refund'], id), repairs, findings);
};

/** Compares one reservation's saga with the provider's books. */
export const reconcile = (saga: RunningSaga, books: ProviderBooks): Reconciliation => {
  const repairs: Repair[] = [];
  const findings: Finding[] = [];
  const byId = new Map(books.authorizations.map((a) => [a.authorizationId, a]));
  const known = new Set<string>();
  const charges = new Map(saga.settlement.charges.map((c) => [c.authorizationId, c]));

  for (const party of PARTIES) {
    const auth = succeeded(saga.steps[`${party}-auth`]);
    if (!auth || isZeroAmount(auth.providerId)) continue;
    known.add(auth.providerId);
    const seen = byId.get(auth.providerId);
    if (!seen) {
      findings.push({
        kind: 'authorization_missing_at_provider',
        authorizationId: auth.providerId,
      });
      continue;
    }
    const capture = saga.steps[`${party}-capture`];
    const cancel = saga.steps[`${party}-auth-cancel`];
    const captured = seen.captured.amount;
    if (pending(capture) && captured > 0 && seen.captureId !== null) {
      repairs.push({
        step: `${party}-capture`,
        attempt: capture?.attempt ?? 1,
        providerId: seen.captureId,
        why: `the provider captured ${captured} ${seen.captured.currency} on ${seen.authorizationId}, the log has the capture pending`,
      });
    } else if (succeeded(capture)) {
      const logged = capture?.amount?.amount ?? seen.amount.amount;
      if (captured === 0)
        findings.push({
          kind: 'capture_missing_at_provider',
          authorizationId: seen.authorizationId,
          log: logged,
        });
      else if (captured !== logged)
        findings.push({
          kind: 'captured_amount_differs',
          authorizationId: seen.authorizationId,
          log: logged,
          provider: captured,
        });
    } else if (captured > 0) {
      findings.push({
        kind: 'capture_not_in_log',
        authorizationId: seen.authorizationId,
        provider: captured,
      });
    } else if (pending(cancel) && seen.status === 'cancelled') {
      repairs.push({
        step: `${party}-auth-cancel`,
        attempt: cancel?.attempt ?? 1,
        providerId: seen.authorizationId,
        why: `the provider cancelled ${seen.authorizationId}, the log has the cancellation pending`,
      });
    } else if (
      !succeeded(cancel) &&
      !capture &&
      seen.status !== 'authorized' &&
      saga.commit === 'open'
    ) {
      findings.push({
        kind: 'authorization_lapsed',
        authorizationId: seen.authorizationId,
        status: seen.status,
      });
    }

    // After the commit the guest's first PaymentIntent is also refunded by the
    // settlement (settle-refund): the charge sums both kinds of refund.
    const charge = party === 'requester' ? charges.get(auth.providerId) : undefined;
    const refund = saga.steps[`${party}-refund`];
    const loggedRefund =
      charge?.refunded ?? (succeeded(refund) ? (refund?.amount?.amount ?? captured) : 0);
    const refundSteps: PaymentStep[] =
      party === 'requester' ? ['requester-refund', 'settle-refund'] : ['vendor-refund'];
    compareRefunds(
      seen,
      loggedRefund,
      pendingOn(saga, refundSteps, auth.providerId),
      repairs,
      findings,
    );
  }

  for (const charge of saga.settlement.charges) {
    if (known.has(charge.authorizationId) || isZeroAmount(charge.authorizationId)) continue;
    known.add(charge.authorizationId);
    const seen = byId.get(charge.authorizationId);
    if (seen) compareSettleCharge(saga, charge, seen, repairs, findings);
    else
      findings.push({
        kind: 'authorization_missing_at_provider',
        authorizationId: charge.authorizationId,
      });
  }

  // A difference's authorization the provider made while the log still has it pending
  // (a crash between the call and its record): exactly one open candidate of that amount.
  const settleAuth = pending(saga.steps['settle-auth']);
  const unknown = books.authorizations.filter(
    (a) => !known.has(a.authorizationId) && a.status !== 'cancelled' && a.status !== 'failed',
  );
  const candidates = settleAuth
    ? unknown.filter(
        (a) => a.status === 'authorized' && a.amount.amount === settleAuth.amount?.amount,
      )
    : [];
  const adopted = candidates.length === 1 ? candidates[0] : undefined;
  if (settleAuth && adopted) {
    repairs.push({
      step: 'settle-auth',
      attempt: settleAuth.attempt,
      providerId: adopted.authorizationId,
      why: `the provider authorized ${adopted.amount.amount} ${adopted.amount.currency} (${adopted.authorizationId}) for the difference, the log has it pending`,
    });
  }
  for (const other of unknown) {
    if (other === adopted) continue;
    findings.push({
      kind: 'authorization_not_in_log',
      authorizationId: other.authorizationId,
      status: other.status,
      amount: other.amount.amount,
    });
  }

  const paid = books.transfers.reduce((sum, t) => sum + t.amount.amount - t.reversed.amount, 0);
  const payout = saga.steps.payout;
  const waitingPayout = pending(payout);
  const loggedPayout = succeeded(payout) ? (payout?.amount?.amount ?? 0) : 0;
  const transfer = books.transfers[0];
  if (
    waitingPayout &&
    books.transfers.length === 1 &&
    transfer &&
    paid === waitingPayout.amount?.amount
  ) {
    repairs.push({
      step: 'payout',
      attempt: waitingPayout.attempt,
      providerId: transfer.transferId,
      why: `the provider transferred ${paid} (${transfer.transferId}), the log has the payout pending`,
    });
  } else if (paid !== loggedPayout) {
    findings.push({ kind: 'transfers_differ', log: loggedPayout, provider: paid });
  }
  return { repairs, findings };
};
