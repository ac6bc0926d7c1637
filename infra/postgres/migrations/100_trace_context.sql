-- Tracing (docs/tracing.md): work that waits keeps the W3C traceparent of
-- the trace that caused it, so the trace continues when the work runs — a
-- payment step parked on a timer (a payout after the dispute window), and a
-- webhook delivery queued from an event. NULL: no trace to continue.
ALTER TABLE payment_saga_timers ADD COLUMN traceparent text;
ALTER TABLE webhook_deliveries ADD COLUMN traceparent text;
