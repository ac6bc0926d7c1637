-- Append in one round trip (infra/eventStore/postgres/postgresAppend.ts): one
-- autocommit statement locks the streams, checks the expected revisions, chains
-- the hashes and writes events and stream heads. Every rule of 001/002 holds:
--
-- * Advisory locks on every stream (in the caller's sorted order, so crosswise
--   multi-stream appends cannot deadlock) come first, before anything takes an
--   xid: a stream's events then get increasing transaction ids, which the
--   gap-free subscription's (transaction_id, global_position) order relies on.
--   Each later statement of this VOLATILE function takes a fresh snapshot, so
--   it sees the head the previous lock holder committed.
-- * An expected-revision conflict, or a caller-requested id lookup, writes
--   nothing and returns outcome 'check' with the actual revisions and the
--   stored events carrying the append's ids: the caller tells an idempotent
--   retry from a conflict (matchRetry compares payloads in TypeScript, the rule
--   every adapter shares) without a second round trip.
-- * The hash chain is computed here, because the previous hash and recordedAt
--   (the transaction's now()) are only known under the lock. The caller sends
--   each event's canonical JSON (hashChain.ts) in three pieces around the two
--   values only the database knows, so the text hashed is exactly the one
--   verifyChain recomputes. Hashing jsonb::text instead would not agree:
--   jsonb orders keys by length and prints numbers its own way.
CREATE FUNCTION append_events(
  p_lock_order      text[],    -- the streams, sorted: the advisory lock order
  p_streams         text[],    -- per stream, in the caller's order
  p_categories      text[],    -- per stream
  p_expected        text[],    -- per stream: any | no_stream | stream_exists | <revision>
  p_event_counts    integer[], -- per stream: its events are the next this many below
  p_event_ids       uuid[],
  p_event_types     text[],
  p_schema_versions integer[],
  p_data            jsonb[],
  p_metadata        jsonb[],   -- the caller's metadata, without store-owned keys
  p_hash_heads      text[],    -- canonical text up to and including "recordedAt":"
  p_hash_middles    text[],    -- from the closing quote of recordedAt to "revision":
  p_hash_tails      text[],    -- after the revision to the end
  p_look_up_ids     boolean
) RETURNS TABLE (
  outcome              text,     -- 'ok' (written) or 'check' (nothing written)
  revisions            bigint[], -- ok: each stream's new revision; check: actual (null: none)
  last_transaction_id  text,
  last_global_position text,
  stored               jsonb     -- check: stored events with the append's ids
)
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  v_name       text;
  v_heads      bigint[];
  v_deleted    boolean[];
  v_links      text[];
  v_actual     bigint[] := '{}';
  v_current    bigint;
  v_all_ok     boolean := true;
  v_now        timestamptz := now();
  v_now_text   text := to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"');
  v_ev_streams text[] := '{}';
  v_ev_cats    text[] := '{}';
  v_ev_revs    bigint[] := '{}';
  v_ev_meta    jsonb[] := '{}';
  v_new_revs   bigint[] := '{}';
  v_new_links  text[] := '{}';
  v_link       text;
  v_hash       text;
  v_rev        bigint;
  v_event      integer := 0;
BEGIN
  FOREACH v_name IN ARRAY p_lock_order LOOP
    PERFORM pg_advisory_xact_lock(hashtextextended(v_name, 0));
  END LOOP;

  SELECT array_agg(coalesce(s.revision, -1) ORDER BY r.ord),
         array_agg(coalesce(s.deleted, false) ORDER BY r.ord),
         array_agg(coalesce(s.last_hash, '') ORDER BY r.ord)
    INTO v_heads, v_deleted, v_links
    FROM unnest(p_streams) WITH ORDINALITY AS r(name, ord)
    LEFT JOIN streams s ON s.stream_name = r.name;

  FOR i IN 1 .. cardinality(p_streams) LOOP
    v_current := CASE WHEN v_deleted[i] OR v_heads[i] < 0 THEN NULL ELSE v_heads[i] END;
    v_actual := array_append(v_actual, v_current);
    IF NOT (p_expected[i] = 'any'
            OR (p_expected[i] = 'no_stream' AND v_current IS NULL)
            OR (p_expected[i] = 'stream_exists' AND v_current IS NOT NULL)
            OR coalesce(v_current::text = p_expected[i], false)) THEN
      v_all_ok := false;
    END IF;
  END LOOP;

  IF p_look_up_ids OR NOT v_all_ok THEN
    SELECT jsonb_agg(jsonb_build_object(
             'global_position', e.global_position::text,
             'transaction_id', e.transaction_id::text,
             'stream_name', e.stream_name,
             'stream_revision', e.stream_revision::text,
             'event_id', e.event_id,
             'event_type', e.event_type,
             'schema_version', e.schema_version,
             'data', e.data,
             'metadata', e.metadata,
             'recorded_at', e.recorded_at))
      INTO stored
      FROM events e WHERE e.event_id = ANY (p_event_ids);
    IF NOT v_all_ok OR stored IS NOT NULL THEN
      outcome := 'check';
      revisions := v_actual;
      RETURN NEXT;
      RETURN;
    END IF;
  END IF;

  FOR i IN 1 .. cardinality(p_streams) LOOP
    v_link := v_links[i];
    v_rev := v_heads[i];
    FOR k IN 1 .. p_event_counts[i] LOOP
      v_event := v_event + 1;
      v_rev := v_rev + 1;
      v_hash := encode(sha256(convert_to(
        v_link || p_hash_heads[v_event] || v_now_text || p_hash_middles[v_event]
          || v_rev::text || p_hash_tails[v_event], 'UTF8')), 'hex');
      v_ev_streams := array_append(v_ev_streams, p_streams[i]);
      v_ev_cats := array_append(v_ev_cats, p_categories[i]);
      v_ev_revs := array_append(v_ev_revs, v_rev);
      v_ev_meta := array_append(v_ev_meta, p_metadata[v_event]
        || jsonb_build_object('recordedAt', v_now_text, 'previousHash', v_link, 'hash', v_hash));
      v_link := v_hash;
    END LOOP;
    v_new_revs := array_append(v_new_revs, v_rev);
    v_new_links := array_append(v_new_links, v_link);
  END LOOP;

  -- The store tells subscribers itself, after COMMIT and coalesced (postgresAppend.ts):
  -- a NOTIFY inside the transaction holds a database-wide lock through the commit's
  -- WAL flush, which serialises every notifying commit (no group commit).
  PERFORM set_config('booking_ledger.defer_notify', 'on', true);

  WITH inserted AS (
    INSERT INTO events (stream_name, category, stream_revision, event_id, event_type,
                        schema_version, data, metadata, recorded_at)
    SELECT e.stream_name, e.category, e.stream_revision, e.event_id, e.event_type,
           e.schema_version, e.data, e.metadata, v_now
    FROM unnest(v_ev_streams, v_ev_cats, v_ev_revs, p_event_ids, p_event_types,
                p_schema_versions, p_data, v_ev_meta)
      WITH ORDINALITY AS e(stream_name, category, stream_revision, event_id, event_type,
                           schema_version, data, metadata, ord)
    ORDER BY e.ord
    RETURNING events.transaction_id, events.global_position
  )
  SELECT w.transaction_id::text, w.global_position::text
    INTO last_transaction_id, last_global_position
    FROM inserted w ORDER BY w.global_position DESC LIMIT 1;

  INSERT INTO streams AS s (stream_name, revision, last_hash)
  SELECT h.name, h.revision, h.link FROM unnest(p_streams, v_new_revs, v_new_links) AS h(name, revision, link)
  ON CONFLICT (stream_name) DO UPDATE
    SET revision = EXCLUDED.revision, last_hash = EXCLUDED.last_hash, deleted = false;

  outcome := 'ok';
  revisions := v_new_revs;
  RETURN NEXT;
END;
$$;

-- Other writers (raw SQL, tools) still notify from the trigger; the store's
-- append defers its NOTIFY past COMMIT (see above).
CREATE OR REPLACE FUNCTION notify_events_appended() RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  IF current_setting('booking_ledger.defer_notify', true) IS DISTINCT FROM 'on' THEN
    PERFORM pg_notify(left('events_' || TG_TABLE_SCHEMA, 63), '');
  END IF;
  RETURN NULL;
END;
$$;
