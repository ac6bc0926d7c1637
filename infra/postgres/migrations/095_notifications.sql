-- Notifications (docs/notifications.md). The notifier role turns log events
-- into messages, one row per (kind, source event, recipient): the row's
-- dedup_key is deterministic, so replaying an event after a crash finds the
-- row already sent and sends nothing. Rows hold no personal data: the
-- recipient is a role (guest, vendor user) resolved when the message is sent.
CREATE TABLE notification_messages (
  id               bigserial PRIMARY KEY,
  dedup_key        text NOT NULL UNIQUE,
  reservation_id   text NOT NULL,
  kind             text NOT NULL,
  -- 'guest' or 'vendor-user:{userId}'
  recipient        text NOT NULL,
  channel          text NOT NULL DEFAULT 'email' CHECK (channel IN ('email', 'sms')),
  -- the stream revision of the source event: the invite's SEQUENCE
  sequence         integer NOT NULL,
  source_event_id  text NOT NULL,
  -- reminders and other non-transactional messages honour the guest's opt-out
  transactional    boolean NOT NULL,
  status           text NOT NULL DEFAULT 'pending'
                   CHECK (status IN ('pending', 'sending', 'sent', 'dead', 'skipped')),
  attempts         integer NOT NULL DEFAULT 0,
  next_attempt_at  timestamptz NOT NULL,
  first_attempt_at timestamptz,
  created_at       timestamptz NOT NULL DEFAULT now(),
  sent_at          timestamptz,
  -- the Message-ID the mail went out with (stable across retries)
  message_id       text,
  last_error       text
);
CREATE INDEX notification_messages_due ON notification_messages (next_attempt_at)
  WHERE status = 'pending';
CREATE INDEX notification_messages_reservation ON notification_messages (reservation_id, id);
CREATE INDEX notification_messages_dead ON notification_messages (id) WHERE status = 'dead';

-- Reminders a configurable time before check-in / the slot, kept here so they
-- survive restarts; one per reservation, moved by modifications.
CREATE TABLE notification_reminders (
  reservation_id   text PRIMARY KEY,
  due_at           timestamptz NOT NULL,
  starts_at        timestamptz NOT NULL,
  source_event_id  text NOT NULL,
  sequence         integer NOT NULL
);
CREATE INDEX notification_reminders_due ON notification_reminders (due_at);

-- Guests who asked for no non-transactional messages (reminders).
CREATE TABLE notification_opt_outs (
  guest_id    text PRIMARY KEY,
  opted_out_at timestamptz NOT NULL
);

-- Vendor action links are single-use: the token id is recorded when used.
CREATE TABLE notification_link_uses (
  token_id    text PRIMARY KEY,
  action      text NOT NULL,
  used_at     timestamptz NOT NULL
);

-- The HMAC key of the action links when NOTIFY_LINK_SECRET is not set:
-- generated once, shared by every process on this database.
CREATE TABLE notification_link_secret (
  id          boolean PRIMARY KEY DEFAULT true CHECK (id),
  secret      text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);
