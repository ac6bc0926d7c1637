import { requestStep } from './sagaCompensation.ts';
import type { PaymentSagaEvent } from './sagaEvents.ts';
import type { PaymentSagaInput } from './sagaMessages.ts';
import type { RunningSaga } from './sagaState.ts';
import { evolvePaymentSaga } from './sagaState.ts';
import { requestMoneyStep, vendorShare } from './sagaSettleChanges.ts';
import { hasOpenDispute, lostToDisputes, netPaid } from './settlementState.ts';

/**
 * Disputes (chargebacks) of the guest's charges. While one is open the
 * vendor's payout is frozen (the payout step, when due, is not sent:
 * runStep checks `hasOpenDispute`). When the last one closes, a payout still
 * pending is requested again under a new attempt, for the vendor's share of
 * what the guest paid minus what lost disputes took back. A payout already
 * made before a dispute is not clawed back: the ledger records the loss.
 */
export const onDisputeUpdated = (
  saga: RunningSaga,
  input: Extract<PaymentSagaInput, { type: 'DisputeUpdated' }>,
): PaymentSagaEvent[] => {
  const known = saga.settlement.disputes.find((d) => d.disputeId === input.disputeId);
  const base = { reservationId: saga.reservationId, at: input.now, disputeId: input.disputeId };
  const out: PaymentSagaEvent[] = [];
  if (known === undefined)
    out.push({
      type: 'PaymentDisputeOpened',
      data: {
        ...base,
        authorizationId: input.authorizationId,
        amount: input.amount,
        reason: input.reason,
      },
    });
  if (input.status === 'open' || (known !== undefined && known.status !== 'open')) return out;
  out.push({
    type: 'PaymentDisputeClosed',
    data: { ...base, outcome: input.status, amount: input.amount },
  });
  const after = out.reduce(evolvePaymentSaga, saga);
  if (after.status === 'NONE' || hasOpenDispute(after.settlement)) return out;
  const payout = after.steps.payout;
  if (payout?.status !== 'pending' || payout.amount === null) return out;
  const kept = Math.max(0, netPaid(after.settlement) - lostToDisputes(after.settlement));
  const amount = { amount: vendorShare(after, kept), currency: payout.amount.currency };
  // The same amount keeps its key (a frozen call may have been tried before the dispute came,
  // and a replay must not pay twice); a smaller one is a new operation with its own key.
  return amount.amount === payout.amount.amount
    ? [
        ...out,
        requestStep(
          after,
          'payout',
          payout.attempt + 1,
          input.now,
          amount,
          null,
          input.now,
          payout.idempotencyKey,
        ),
      ]
    : [...out, ...requestMoneyStep(after, 'payout', payout.attempt + 1, input.now, amount)];
};
