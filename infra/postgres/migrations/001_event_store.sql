-- The append-only log (DESIGN.md "The event store").
CREATE TABLE streams (
  stream_name       text PRIMARY KEY,
  -- revision of the stream's last event; survives soft delete so numbering continues
  revision          bigint NOT NULL,
  -- soft delete and truncation: events below this revision are unreadable
  truncate_before   bigint,
  max_age_seconds   integer,
  deleted           boolean NOT NULL DEFAULT false,
  -- hash of the last event, the link the next append chains from
  last_hash         text NOT NULL DEFAULT ''
);

CREATE TABLE events (
  global_position   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  -- the writing transaction: subscribers read only below the snapshot xmin (gap-free)
  transaction_id    xid8 NOT NULL DEFAULT pg_current_xact_id(),
  stream_name       text NOT NULL,
  category          text NOT NULL,
  stream_revision   bigint NOT NULL,
  event_id          uuid NOT NULL,
  event_type        text NOT NULL,
  schema_version    integer NOT NULL,
  data              jsonb NOT NULL,
  metadata          jsonb NOT NULL,
  recorded_at       timestamptz NOT NULL DEFAULT clock_timestamp(),
  CONSTRAINT events_stream_revision_unique UNIQUE (stream_name, stream_revision),
  CONSTRAINT events_event_id_unique UNIQUE (event_id)
);

-- delivery order for subscriptions and readAll
CREATE INDEX events_delivery_order ON events (transaction_id, global_position);
CREATE INDEX events_category_delivery_order ON events (category, transaction_id, global_position);
CREATE INDEX events_type_delivery_order ON events (event_type, transaction_id, global_position);

-- the cluster this log lives on: checkpoints from another cluster are refused
CREATE TABLE store_identity (
  singleton         boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  system_identifier text NOT NULL,
  created_at        timestamptz NOT NULL DEFAULT now()
);
INSERT INTO store_identity (system_identifier)
  SELECT system_identifier::text FROM pg_control_system();
