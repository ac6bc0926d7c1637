-- The operator console lists dead-lettered payment sagas (GET /admin/payments/dead-letters).
-- A partial index: only PaymentDeadLettered rows enter it, so appends of every
-- other event pay nothing but the predicate check (004 dropped the full type index).
CREATE INDEX IF NOT EXISTS events_payment_dead_lettered
  ON events (recorded_at DESC, stream_name)
  WHERE event_type = 'PaymentDeadLettered';
