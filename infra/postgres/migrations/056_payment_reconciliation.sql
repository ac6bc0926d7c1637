-- Payment reconciliation (commands/reconcilingPayments, docs/payments.md
-- "Reconciliation"): which bookings to compare with the provider, each run,
-- and what each run found.

-- Bookings whose saga started, discovered from the log (PaymentSagaStarted);
-- `settled` ones are no longer compared. Least recently checked go first.
CREATE TABLE payment_reconciliation_watch (
  reservation_id     text PRIMARY KEY,
  booking_reference  text NOT NULL,
  settled            boolean NOT NULL DEFAULT false,
  last_checked_at    timestamptz,
  open_findings      integer NOT NULL DEFAULT 0
);
CREATE INDEX payment_reconciliation_watch_due
  ON payment_reconciliation_watch (last_checked_at NULLS FIRST) WHERE NOT settled;

-- How far discovery has read the log (one row).
CREATE TABLE payment_reconciliation_cursor (
  id          integer PRIMARY KEY CHECK (id = 1),
  checkpoint  text NOT NULL
);

CREATE TABLE payment_reconciliation_runs (
  id           bigserial PRIMARY KEY,
  trigger      text NOT NULL CHECK (trigger IN ('schedule', 'admin', 'cli')),
  started_at   timestamptz NOT NULL,
  finished_at  timestamptz,
  checked      integer NOT NULL DEFAULT 0,
  repaired     integer NOT NULL DEFAULT 0,
  findings     integer NOT NULL DEFAULT 0
);

-- One row per repair made or difference found, per run.
CREATE TABLE payment_reconciliation_findings (
  id              bigserial PRIMARY KEY,
  run_id          bigint NOT NULL REFERENCES payment_reconciliation_runs (id),
  reservation_id  text NOT NULL,
  kind            text NOT NULL,
  repaired        boolean NOT NULL,
  detail          jsonb NOT NULL,
  found_at        timestamptz NOT NULL
);
CREATE INDEX payment_reconciliation_findings_run ON payment_reconciliation_findings (run_id);
