import type { DueStep, SagaTimers } from '../../commands/payments/paymentSaga/ports.ts';
import type { PaymentStep } from '../../domain/payment/steps.ts';
import { traceparentOf } from '../observability/tracing.ts';
import type { Queryable } from '../postgres/pool.ts';

/**
 * The saga's durable timers in `payment_saga_timers` (migration 033); each
 * keeps the trace that parked it (migration 100), so a payout after the
 * dispute window continues the booking's trace.
 */
export const getPostgresSagaTimers = (db: Queryable): SagaTimers => ({
  schedule: async (due, notBefore) => {
    await db.query(
      `INSERT INTO payment_saga_timers (reservation_id, step, attempt, not_before, traceparent)
       VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`,
      [due.reservationId, due.step, due.attempt, notBefore, traceparentOf() ?? null],
    );
  },
  due: async (now, limit) => {
    const { rows } = await db.query<{
      reservation_id: string;
      step: PaymentStep;
      attempt: number;
      traceparent: string | null;
    }>(
      `SELECT reservation_id, step, attempt, traceparent FROM payment_saga_timers
       WHERE not_before <= $1 ORDER BY not_before, reservation_id LIMIT $2`,
      [now, limit],
    );
    return rows.map((row): DueStep => ({
      reservationId: row.reservation_id,
      step: row.step,
      attempt: row.attempt,
      ...(row.traceparent === null ? {} : { traceparent: row.traceparent }),
    }));
  },
  done: async (due) => {
    await db.query(
      'DELETE FROM payment_saga_timers WHERE reservation_id = $1 AND step = $2 AND attempt = $3',
      [due.reservationId, due.step, due.attempt],
    );
  },
});
