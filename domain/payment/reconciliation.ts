import type { Money } from '../shared/money.ts';
import type { RunningSaga, StepState } from './sagaState.ts';
import type { PaymentStep } from './steps.ts';

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

/** Compares one reservation's saga with the provider's books. */
export const reconcile = (saga: RunningSaga, books: ProviderBooks): Reconciliation => {
  const repairs: Repair[] = [];
  const findings: Finding[] = [];
  const byId = new Map(books.authorizations.map((a) => [a.authorizationId, a]));
  const known = new Set<string>();

  for (const party of PARTIES) {
    const auth = succeeded(saga.steps[`${party}-auth`]);
    if (!auth) continue;
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

    const refund = saga.steps[`${party}-refund`];
    const loggedRefund = succeeded(refund) ? (refund?.amount?.amount ?? captured) : 0;
    const logIds = new Set(succeeded(refund) ? [succeeded(refund)?.providerId] : []);
    const unlogged = seen.refunds.filter((r) => !logIds.has(r.refundId));
    const waiting = pending(refund);
    const match = waiting
      ? unlogged.find((r) => waiting.amount === null || r.amount.amount === waiting.amount.amount)
      : undefined;
    if (waiting && match) {
      repairs.push({
        step: `${party}-refund`,
        attempt: waiting.attempt,
        providerId: match.refundId,
        why: `the provider refunded ${match.amount.amount} ${match.amount.currency} (${match.refundId}), the log has the refund pending`,
      });
    } else if (seen.refunded.amount !== loggedRefund) {
      findings.push({
        kind: 'refunds_differ',
        authorizationId: seen.authorizationId,
        log: loggedRefund,
        provider: seen.refunded.amount,
      });
    }
  }

  for (const other of books.authorizations) {
    if (known.has(other.authorizationId)) continue;
    if (other.status === 'cancelled' || other.status === 'failed') continue;
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
