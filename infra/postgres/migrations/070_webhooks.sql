-- Outbound webhooks (docs/webhooks.md). Endpoints belong to a partner, a
-- vendor or an admin; the webhooks role fans every public event out into one
-- delivery row per matching endpoint (in the same transaction as its
-- checkpoint), then delivers each row at least once, in order per
-- (endpoint, reservation), with retries until a dead letter.
CREATE TABLE webhook_endpoints (
  id                          text PRIMARY KEY,
  owner_role                  text NOT NULL CHECK (owner_role IN ('partner', 'vendor', 'admin')),
  owner_id                    text NOT NULL,
  -- set for the one-off endpoint a hold's webhookUrl registers: only that reservation's events
  reservation_id              text,
  url                         text NOT NULL,
  events                      text[] NOT NULL,
  description                 text,
  enabled                     boolean NOT NULL DEFAULT true,
  disabled_reason             text,
  disabled_at                 timestamptz,
  -- the signing secret, shown to the owner once; during a rotation the previous
  -- one signs too (a second v1=) until previous_secret_expires_at
  secret                      text NOT NULL,
  previous_secret             text,
  previous_secret_expires_at  timestamptz,
  -- dead letters since the last successful delivery; too many disable the endpoint
  consecutive_dead_letters    integer NOT NULL DEFAULT 0,
  created_at                  timestamptz NOT NULL DEFAULT now(),
  updated_at                  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX webhook_endpoints_owner ON webhook_endpoints (owner_role, owner_id);
CREATE INDEX webhook_endpoints_reservation ON webhook_endpoints (reservation_id)
  WHERE reservation_id IS NOT NULL;

CREATE TABLE webhook_deliveries (
  id               bigserial PRIMARY KEY,
  endpoint_id      text NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
  event_id         text NOT NULL,
  event_type       text NOT NULL,
  -- deliveries with the same key go out one at a time, in id order
  ordering_key     text NOT NULL,
  -- the exact bytes that are signed and sent
  body             text NOT NULL,
  status           text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'dead')),
  attempts         integer NOT NULL DEFAULT 0,
  -- failed attempts of the current round (drives the backoff)
  round_failures   integer NOT NULL DEFAULT 0,
  next_attempt_at  timestamptz NOT NULL,
  -- first attempt of the current round (a manual redelivery starts a new round)
  round_started_at timestamptz,
  -- when the source event was committed to the log (latency from commit)
  committed_at     timestamptz NOT NULL,
  created_at       timestamptz NOT NULL DEFAULT now(),
  delivered_at     timestamptz,
  last_status_code integer,
  last_error       text,
  UNIQUE (endpoint_id, event_id)
);
CREATE INDEX webhook_deliveries_pending ON webhook_deliveries (endpoint_id, ordering_key, id)
  WHERE status = 'pending';
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at)
  WHERE status = 'pending';
CREATE INDEX webhook_deliveries_event ON webhook_deliveries (event_id);

-- The delivery log: every attempt, with only a short excerpt of the response.
CREATE TABLE webhook_attempts (
  id                bigserial PRIMARY KEY,
  delivery_id       bigint NOT NULL REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
  attempted_at      timestamptz NOT NULL,
  duration_ms       integer NOT NULL,
  status_code       integer,
  error             text,
  response_excerpt  text
);
CREATE INDEX webhook_attempts_delivery ON webhook_attempts (delivery_id, id);
