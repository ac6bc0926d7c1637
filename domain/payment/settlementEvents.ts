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

export const SETTLEMENT_EVENTS = [
  SettlementDueChanged,
  SettlementFlagged,
  VendorDepositForfeited,
] as const;
