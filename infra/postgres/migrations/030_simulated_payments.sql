-- The simulated payment gateway's own state (DESIGN.md "Payments";
-- infra/payments/simulated). It plays the provider's books, not ours: the
-- ledger projection is separate. Amounts are integer minor units.

-- One sequence orders every effect across the tables, so listOperations
-- returns a reservation's history in the order it happened.
CREATE SEQUENCE payment_sim_effect_seq;

-- Stripe-style idempotency: the first final outcome per key (a success or a
-- final refusal), replayed on reuse. Written in the same transaction as the
-- effect, under a transaction advisory lock on the key, so two concurrent
-- calls with one key make one effect: the second waits, then replays.
CREATE TABLE payment_sim_idempotency (
  idempotency_key   text PRIMARY KEY,
  operation         text NOT NULL,
  -- sha256 of the canonical JSON of (operation, parameters)
  request_hash      text NOT NULL,
  outcome           text NOT NULL CHECK (outcome IN ('succeeded', 'failed')),
  -- the result on success, the error (class, code, message) on failure
  response          jsonb NOT NULL,
  created_at        timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE payment_sim_authorizations (
  id                      text PRIMARY KEY,
  seq                     bigint NOT NULL DEFAULT nextval('payment_sim_effect_seq'),
  idempotency_key         text NOT NULL UNIQUE,
  reservation_id          text NOT NULL,
  booking_reference       text NOT NULL,
  partner_id              text NOT NULL,
  attempt                 integer NOT NULL,
  payment_method          text NOT NULL,
  customer_ref            text,
  currency                text NOT NULL,
  amount                  bigint NOT NULL CHECK (amount > 0),
  amount_captured         bigint NOT NULL DEFAULT 0,
  amount_refunded         bigint NOT NULL DEFAULT 0,
  status                  text NOT NULL CHECK (status IN ('authorized', 'captured', 'cancelled')),
  cancel_idempotency_key  text UNIQUE,
  cancel_seq              bigint,
  created_at              timestamptz NOT NULL DEFAULT now(),
  CHECK (amount_captured <= amount),
  CHECK (amount_refunded <= amount_captured)
);
CREATE INDEX payment_sim_authorizations_reservation_idx ON payment_sim_authorizations (reservation_id);

CREATE TABLE payment_sim_captures (
  id                text PRIMARY KEY,
  seq               bigint NOT NULL DEFAULT nextval('payment_sim_effect_seq'),
  idempotency_key   text NOT NULL UNIQUE,
  -- one capture per authorization, as with a Stripe PaymentIntent
  authorization_id  text NOT NULL UNIQUE REFERENCES payment_sim_authorizations (id),
  reservation_id    text NOT NULL,
  currency          text NOT NULL,
  amount            bigint NOT NULL CHECK (amount > 0),
  created_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX payment_sim_captures_reservation_idx ON payment_sim_captures (reservation_id);

CREATE TABLE payment_sim_refunds (
  id                text PRIMARY KEY,
  seq               bigint NOT NULL DEFAULT nextval('payment_sim_effect_seq'),
  idempotency_key   text NOT NULL UNIQUE,
  authorization_id  text NOT NULL REFERENCES payment_sim_authorizations (id),
  reservation_id    text NOT NULL,
  currency          text NOT NULL,
  amount            bigint NOT NULL CHECK (amount > 0),
  created_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX payment_sim_refunds_reservation_idx ON payment_sim_refunds (reservation_id);

CREATE TABLE payment_sim_transfers (
  id                   text PRIMARY KEY,
  seq                  bigint NOT NULL DEFAULT nextval('payment_sim_effect_seq'),
  idempotency_key      text NOT NULL UNIQUE,
  reservation_id       text NOT NULL,
  transfer_group       text NOT NULL,
  destination_account  text NOT NULL,
  currency             text NOT NULL,
  amount               bigint NOT NULL CHECK (amount > 0),
  created_at           timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX payment_sim_transfers_reservation_idx ON payment_sim_transfers (reservation_id);
