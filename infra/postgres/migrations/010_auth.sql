-- Identity and access (DESIGN.md "Security"). Secrets are never stored in clear:
-- passwords as scrypt hashes, API keys and refresh tokens as sha256 digests.
CREATE TABLE users (
  id             uuid PRIMARY KEY,
  -- stored lower-cased so logins are case-insensitive and unique
  email          text NOT NULL UNIQUE,
  password_hash  text NOT NULL,
  role           text NOT NULL CHECK (role IN ('guest', 'vendor', 'partner', 'admin', 'auditor', 'analyst')),
  vendor_id      text,
  guest_id       text,
  partner_id     text,
  disabled       boolean NOT NULL DEFAULT false,
  created_at     timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE api_keys (
  id          text PRIMARY KEY,
  key_hash    text NOT NULL UNIQUE,
  role        text NOT NULL CHECK (role IN ('guest', 'vendor', 'partner', 'admin', 'auditor', 'analyst')),
  partner_id  text,
  vendor_id   text,
  label       text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  revoked_at  timestamptz
);

-- Rotating refresh tokens: each use rotates the token within its family; a
-- rotated token presented again means it leaked, and the whole family is revoked.
CREATE TABLE refresh_tokens (
  token_hash  text PRIMARY KEY,
  family_id   uuid NOT NULL,
  user_id     uuid NOT NULL REFERENCES users (id),
  created_at  timestamptz NOT NULL,
  expires_at  timestamptz NOT NULL,
  rotated_at  timestamptz,
  revoked_at  timestamptz
);
CREATE INDEX refresh_tokens_family_idx ON refresh_tokens (family_id);
CREATE INDEX refresh_tokens_expires_idx ON refresh_tokens (expires_at);
