-- API key management (issue 9): an admin-set per-key rate limit, the key a
-- rotation replaced, and listing a partner's keys by partner.
ALTER TABLE api_keys
  ADD COLUMN rate_limit_per_minute integer CHECK (rate_limit_per_minute BETWEEN 1 AND 1000000),
  ADD COLUMN rotated_from text;
CREATE INDEX api_keys_partner_idx ON api_keys (partner_id, id);
