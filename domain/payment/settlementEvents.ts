import { z } from 'zod';
import { defineEvent } from '../shared/eventDefinition.ts';
import { moneySchema } from '../pricing/quoteSchema.ts';

/**
 * Events of the settlement of changes (sagaSettleChanges.ts), on the same
 * `payment-{reservationId}` stream as the rest of the saga.
 */
const instant = z.iso.datetime({ offset: true });
const base = { reservationId: z.string().min(1), at: instant };

/**
 * What the guest should have paid, net of refunds, from now on. While the
 * booking runs it is the price (`owed`); once it ended (cancellation, no-show)
 * it is what the policy in force at booking keeps; at completion the price.
 */
export const SettlementDueChanged = defineEvent(
  'SettlementDueChanged',
  1,
  z.object({
    ...base,
    owed: moneySchema,
    due: moneySchema,
    cause: z.enum([
      'requested',
      'modified',
      'extended',
      'cancelled',
      'no-show',
      'completed',
      'operator-retry',
    ]),
    /** Set once the booking ended: no more money is collected, only refunded and paid out. */
    ended: z.enum(['completed', 'cancelled', 'cancelled-by-vendor', 'no-show']).nullable(),
  }),
);
/** The difference could not be collected: the change stands and an operator must settle the shortfall. */
export const SettlementFlagged = defineEvent(
  'SettlementFlagged',
  1,
  z.object({ ...base, reason: z.string(), shortfall: moneySchema }),
);
/** The vendor cancelled a confirmed booking: its captured deposit is kept, not returned. */
export const VendorDepositForfeited = defineEvent(
  'VendorDepositForfeited',
  1,
  z.object({ ...base, amount: moneySchema, reason: z.string() }),
);

/**
 * The cardholder disputed a charge (Stripe `charge.dispute.created`): the
 * disputed amount is held apart in the ledger and the vendor's payout is
 * frozen until the dispute closes.
 */
export const PaymentDisputeOpened = defineEvent(
  'PaymentDisputeOpened',
  1,
  z.object({
    ...base,
    disputeId: z.string().min(1),
    authorizationId: z.string().min(1),
    amount: moneySchema,
    reason: z.string(),
  }),
);
/**
 * The dispute closed (Stripe `charge.dispute.closed`): won, the amount returns
 * to escrow and the payout is released; lost, the bank took it back, the
 * amount is debited (the vendor's share comes off its payout).
 */
export const PaymentDisputeClosed = defineEvent(
  'PaymentDisputeClosed',
  1,
  z.object({
    ...base,
    disputeId: z.string().min(1),
    outcome: z.enum(['won', 'lost']),
    amount: moneySchema,
  }),
);

export const SETTLEMENT_EVENTS = [
  SettlementDueChanged,
  SettlementFlagged,
  VendorDepositForfeited,
  PaymentDisputeOpened,
  PaymentDisputeClosed,
] as const;
