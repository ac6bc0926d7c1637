import type { HoldCap } from '../../commands/shared/writeSide.ts';
import type { Queryable } from '../postgres/pool.ts';

/**
 * A partner's active holds, read from the counter the bookings projection
 * keeps in the same transaction as the bookings rows (`partner_holds`): one
 * primary-key lookup per hold, whatever the partner's number of bookings.
 * A hold counts from its ReservationRequested until an event takes it out of
 * the pre-commit statuses (confirm, cancel, vendor decline, expiry). The read
 * model may trail the log by a moment, so the cap is a guard against runaway
 * partners (seed 004), not a hard invariant — capacity itself is enforced by
 * the slot streams.
 */
export const getReadModelHoldCap = (deps: {
  readonly db: Queryable;
  readonly liveTable: (base: 'partner_holds') => Promise<string>;
  readonly maxActiveHoldsPerPartner: number;
}): HoldCap => ({
  maxActiveHoldsPerPartner: deps.maxActiveHoldsPerPartner,
  activeHolds: async (partnerId) => {
    const table = await deps.liveTable('partner_holds');
    const { rows } = await deps.db.query<{ active: number }>(
      `SELECT active FROM ${table} WHERE partner_id = $1`,
      [partnerId],
    );
    return rows[0]?.active ?? 0;
  },
});
