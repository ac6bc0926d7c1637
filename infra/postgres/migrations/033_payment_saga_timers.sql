-- Durable timers of the payment saga (commands/payments/paymentSaga): a step
-- requested with notBefore in the future (retry backoff, a payout waiting
-- out the dispute window) is parked here so it still runs after a restart.
-- The step itself lives on the payment-{reservationId} stream; this row only
-- says when to look at it again, so losing one delays, never duplicates.
CREATE TABLE payment_saga_timers (
  reservation_id  text NOT NULL,
  step            text NOT NULL,
  attempt         integer NOT NULL CHECK (attempt >= 1),
  not_before      timestamptz NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (reservation_id, step, attempt)
);

CREATE INDEX payment_saga_timers_due ON payment_saga_timers (not_before);
