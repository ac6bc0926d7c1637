-- The prices read model moves from one row per resource and date to a rules
-- row per resource plus per-date override rows (projections/prices). Its old
-- versioned tables and checkpoints go, so the projector rebuilds it from the
-- log on the next start.
DO $$
DECLARE t text;
BEGIN
  FOR t IN
    SELECT table_name FROM information_schema.tables
    WHERE table_schema = current_schema()
      AND (table_name ~ '^prices_v[0-9]+$' OR table_name ~ '^price_sources_v[0-9]+$')
  LOOP
    EXECUTE format('DROP TABLE IF EXISTS %I', t);
  END LOOP;
END $$;
DELETE FROM subscription_checkpoints WHERE name LIKE 'projection:prices:v%';
DELETE FROM projection_versions WHERE name = 'prices';
