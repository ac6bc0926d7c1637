-- Subscriptions (DESIGN.md "The event store"): wake-ups and checkpoints.

-- One NOTIFY per inserting statement, delivered at COMMIT (never for a rollback).
-- The channel carries the schema so stores in different schemas do not wake each
-- other; subscribers compute the same name (cut to 63 characters, the identifier
-- limit, because pg_notify refuses longer channel names). The payload is empty:
-- a wake-up only, subscribers re-read from their checkpoint below the xmin fence.
CREATE FUNCTION notify_events_appended() RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify(left('events_' || TG_TABLE_SCHEMA, 63), '');
  RETURN NULL;
END;
$$;

CREATE TRIGGER events_appended_notify
  AFTER INSERT ON events
  FOR EACH STATEMENT EXECUTE FUNCTION notify_events_appended();

-- Compare-and-set checkpoints, written in the same transaction as a read model's
-- rows. system_identifier is the cluster the checkpoint was taken on: xids (and so
-- checkpoints) mean nothing on another cluster, e.g. after a logical restore.
CREATE TABLE subscription_checkpoints (
  name              text PRIMARY KEY,
  checkpoint        text NOT NULL,
  system_identifier text NOT NULL,
  updated_at        timestamptz NOT NULL DEFAULT now()
);
