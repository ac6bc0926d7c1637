-- The analysts' door (docs/analytics.md): a cluster-wide read-only role and a
-- per-install schema of views over the analytics projection's live tables.
-- The schema is `analytics` for an install in `public`, `<schema>_analytics`
-- otherwise (tests and side-by-side installs each get their own).

-- Roles are cluster-wide: another install (or a test schema migrating at the
-- same moment in another database) may have created it already. Without the
-- CREATEROLE privilege the install still works; a DBA creates the role.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'booking_ledger_analyst') THEN
    CREATE ROLE booking_ledger_analyst NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT;
  END IF;
EXCEPTION
  WHEN duplicate_object OR unique_violation THEN NULL;
  WHEN insufficient_privilege THEN
    RAISE NOTICE 'booking_ledger_analyst was not created (no CREATEROLE); see docs/analytics.md.';
END $$;

CREATE FUNCTION analytics_schema_name() RETURNS text
LANGUAGE sql STABLE AS $$
  SELECT CASE WHEN current_schema() = 'public' THEN 'analytics'
              ELSE current_schema() || '_analytics' END
$$;

-- (Re)creates one view of the analytics schema over the live tables and lets
-- the analyst role read it. Views run with their owner's rights, so the role
-- needs no access to the tables underneath (nor to the events, guests' data
-- or credentials beside them).
CREATE FUNCTION publish_analytics_view(view_name text, definition text) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  target text := analytics_schema_name();
  has_role boolean := EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'booking_ledger_analyst');
BEGIN
  EXECUTE format('CREATE SCHEMA IF NOT EXISTS %I', target);
  EXECUTE format('DROP VIEW IF EXISTS %I.%I', target, view_name);
  EXECUTE format('CREATE VIEW %I.%I AS %s', target, view_name, definition);
  IF has_role THEN
    EXECUTE format('GRANT USAGE ON SCHEMA %I TO booking_ledger_analyst', target);
    EXECUTE format('GRANT SELECT ON %I.%I TO booking_ledger_analyst', target, view_name);
  END IF;
END $$;
