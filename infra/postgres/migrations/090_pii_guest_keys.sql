-- The PII store's key table (docs/personal-data.md): one AES-256 data key per
-- guest, stored only wrapped (AES-256-GCM) by the master key PII_MASTER_KEY.
-- The personal data itself is ciphertext inside the ReservationRequested
-- events. Erasure destroys the wrapped key (wrapped_key := NULL): the
-- ciphertext in the log can never be opened again, and the log is untouched.
-- After an erasure a new booking of the same guest gets a fresh key.
CREATE TABLE pii_guest_keys (
  key_id         text PRIMARY KEY,
  guest_id       text NOT NULL,
  -- 12-byte IV || 16-byte GCM tag || 32-byte encrypted data key; NULL once erased.
  wrapped_key    bytea,
  master_key_id  text NOT NULL,
  created_at     timestamptz NOT NULL DEFAULT now(),
  erased_at      timestamptz,
  CHECK ((wrapped_key IS NULL) = (erased_at IS NOT NULL))
);

-- At most one live key per guest.
CREATE UNIQUE INDEX pii_guest_keys_live ON pii_guest_keys (guest_id) WHERE erased_at IS NULL;
CREATE INDEX pii_guest_keys_guest ON pii_guest_keys (guest_id);
