-- Idempotency-Key records (DESIGN.md "HTTP API", seed 004 "Idempotency & Retries").
-- Keys are scoped per principal so two partners can never collide.
CREATE TABLE idempotency_keys (
  scope             text NOT NULL,
  idempotency_key   text NOT NULL,
  request_hash      text NOT NULL,
  state             text NOT NULL CHECK (state IN ('in_progress', 'completed')),
  -- an in_progress claim whose owner died is taken over once this passes
  locked_until      timestamptz NOT NULL,
  response_status   integer,
  response_headers  jsonb,
  -- json, not jsonb: a replay keeps the original key order of the body
  response_body     json,
  created_at        timestamptz NOT NULL DEFAULT now(),
  expires_at        timestamptz NOT NULL,
  PRIMARY KEY (scope, idempotency_key)
);
CREATE INDEX idempotency_keys_expires_idx ON idempotency_keys (expires_at);
