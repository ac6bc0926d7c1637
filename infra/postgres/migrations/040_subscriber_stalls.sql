-- Subscribers (projections, the payment saga) stalled on an event they could
-- not handle (docs/operations.md "A stalled subscriber"): one row per stalled
-- subscriber, written by the process that holds its lease, read by every
-- process for /ready, /metrics and `projections status`. The row goes away
-- as soon as the subscriber gets past the event.
CREATE TABLE subscriber_stalls (
  subscriber       text PRIMARY KEY,
  stream           text NOT NULL,
  revision         bigint NOT NULL,
  log_position     text NOT NULL,
  event_id         text NOT NULL,
  event_type       text NOT NULL,
  error            text NOT NULL,
  attempts         integer NOT NULL,
  first_failed_at  timestamptz NOT NULL,
  last_failed_at   timestamptz NOT NULL,
  next_retry_at    timestamptz NOT NULL
);
