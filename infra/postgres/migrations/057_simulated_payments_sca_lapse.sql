-- The simulated provider models 3-D Secure (an authorization that waits for the
-- payer's authentication, or whose authentication failed) and the lapse of an
-- uncaptured authorization (7 days at Stripe), timed by the gateway's own clock.
ALTER TABLE payment_sim_authorizations DROP CONSTRAINT payment_sim_authorizations_status_check;
ALTER TABLE payment_sim_authorizations ADD CONSTRAINT payment_sim_authorizations_status_check
  CHECK (status IN ('authorized', 'captured', 'cancelled', 'requires_action', 'failed'));
ALTER TABLE payment_sim_authorizations ADD COLUMN authorized_at timestamptz;
ALTER TABLE payment_sim_authorizations ADD COLUMN lapsed boolean NOT NULL DEFAULT false;
