import type { Money } from '../shared/money.ts';
import type { PaymentSagaState } from './sagaState.ts';

/** The guest's money on one booking, each in minor units (GET /reservations/{id} `paymentSummary`). */
export interface PaymentSummary {
  /** The price the reservation quotes now. */
  readonly owed: Money;
  /** Held or captured under the guest's authorizations that were not released. */
  readonly authorized: Money;
  readonly captured: Money;
  readonly refunded: Money;
}

/** What the gateway really did for the guest, from the saga's record of succeeded steps. */
export const paymentSummaryOf = (saga: PaymentSagaState, owed: Money): PaymentSummary => {
  const m = (amount: number): Money => ({ amount, currency: owed.currency });
  if (saga.status === 'NONE') return { owed, authorized: m(0), captured: m(0), refunded: m(0) };
  const charges = saga.settlement.charges;
  const sum = (pick: (c: (typeof charges)[number]) => number) =>
    charges.reduce((total, c) => total + pick(c), 0);
  const auth = saga.steps['requester-auth'];
  const released = saga.steps['requester-auth-cancel']?.status === 'succeeded';
  // Before the commit the requester's authorization is not a charge yet.
  const pending =
    saga.steps['requester-capture']?.status !== 'succeeded' &&
    auth?.status === 'succeeded' &&
    !released
      ? (auth.amount?.amount ?? 0)
      : 0;
  return {
    owed,
    authorized: m(pending + sum((c) => (c.released ? 0 : c.authorized))),
    captured: m(sum((c) => c.captured)),
    refunded: m(sum((c) => c.refunded)),
  };
};
