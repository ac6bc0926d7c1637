import type { HoldCap } from '../../commands/shared/writeSide.ts';
import { PRE_COMMIT_STATUSES } from '../../domain/reservation/status.ts';
import type { Queryable } from '../postgres/pool.ts';

/**
 * Counts a partner's active holds from the bookings read model: reservations
 * not yet committed whose deadline is still ahead. The read model may trail the
 * log by a moment, so the cap is a guard against runaway partners (seed 004),
 * not a hard invariant — capacity itself is enforced by the slot streams.
 */
export const getReadModelHoldCap = (deps: {
  readonly db: Queryable;
  readonly liveTable: (base: 'bookings') => Promise<string>;
  readonly maxActiveHoldsPerPartner: number;
  readonly now: () => Date;
}): HoldCap => ({
  maxActiveHoldsPerPartner: deps.maxActiveHoldsPerPartner,
  activeHolds: async (partnerId) => {
    const table = await deps.liveTable('bookings');
    const { rows } = await deps.db.query<{ active: string }>(
      `SELECT count(*) AS active FROM ${table}
       WHERE partner_id = $1 AND status = ANY($2::text[])
         AND (state->'reservation'->>'expiresAt')::timestamptz > $3`,
      [partnerId, [...PRE_COMMIT_STATUSES], deps.now()],
    );
    return Number(rows[0]?.active ?? 0);
  },
});
