-- The hold-expiry scheduler's deadlines (commands/expiringHolds), kept as a
-- checkpointed projection instead of being rebuilt from the start of the log
-- on every boot: one row per active slot hold (kind 'slot', key = the slot
-- stream, holder = the reservation) and per reservation with a TTL (kind
-- 'reservation', key = the reservation id, holder ''). Folded from the log
-- with the checkpoint `process:hold-deadlines` in the same transaction; the
-- scheduler reads the due rows. Rows are hints: the scheduler reloads the
-- stream and decides, so a stale row costs one idle load.
CREATE TABLE hold_deadlines (
  kind      text NOT NULL CHECK (kind IN ('slot', 'reservation')),
  key       text NOT NULL,
  holder    text NOT NULL DEFAULT '',
  deadline  timestamptz NOT NULL,
  PRIMARY KEY (kind, key, holder)
);
CREATE INDEX hold_deadlines_due ON hold_deadlines (deadline);
