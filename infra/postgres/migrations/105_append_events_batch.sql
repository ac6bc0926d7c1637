-- Group commit (infra/eventStore/postgres/groupCommit.ts): the appends that
-- callers of one process made while the previous round trip was in flight go
-- to the database together, in one statement and so one transaction, one WAL
-- flush. Each call is still judged alone, exactly as append_events (003) judges
-- it, in the batch's order: a call sees the heads the calls before it wrote, so
-- the outcome of every call equals the same calls appended one by one.
--
-- * Locks: every stream of every call, sorted and distinct, before anything
--   takes an xid (the gap-free subscription's rule of 003). append_events then
--   takes the same locks again, which is free inside one transaction.
-- * A conflicting call writes nothing and returns 'check' (as in 003); it never
--   aborts the others. An event id stored before the batch is looked up once,
--   for the whole batch, and only the calls that carry one ask append_events for
--   the stored events (what 003's p_look_up_ids did). The caller never puts two
--   calls that share an event id into one batch, so no call can trip over the
--   unique index because of another call of the same batch.
-- * Anything that still raises (a concurrent writer in another process storing
--   one of our ids, an invalid payload) aborts the batch as a whole: nothing of
--   it is written, and the caller retries the calls alone, where an error
--   belongs to the call that caused it.
-- * A call that met stored ids of its own ('check' with stored events) may be a
--   partial retry that the caller finishes with another call: the calls after
--   it are not run ('skipped', nothing written) and go in the next batch, after
--   that follow-up, so the order stays the queue's.
CREATE FUNCTION append_events_batch(
  p_lock_order      text[],    -- every stream of every call, sorted and distinct
  p_call_streams    integer[], -- per call: how many of the per-stream entries below are its own
  p_call_events     integer[], -- per call: how many of the per-event entries below are its own
  p_look_up_ids     boolean[], -- per call: return the stored events carrying its ids
  p_streams         text[],    -- per stream of every call, call after call (as in 003)
  p_categories      text[],
  p_expected        text[],
  p_event_counts    integer[],
  p_event_ids       uuid[],    -- per event of every call, call after call (as in 003)
  p_event_types     text[],
  p_schema_versions integer[],
  p_data            jsonb[],
  p_metadata        jsonb[],
  p_hash_heads      text[],
  p_hash_middles    text[],
  p_hash_tails      text[]
) RETURNS TABLE (
  call_index           integer,  -- 1-based, the call's place in the arrays
  outcome              text,     -- as in 003, or 'skipped': not run, nothing written
  revisions            bigint[],
  last_transaction_id  text,
  last_global_position text,
  stored               jsonb
)
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  v_name    text;
  v_known   uuid[];
  v_s       integer := 0;
  v_e       integer := 0;
  v_ns      integer;
  v_ne      integer;
  v_result  record;
  v_skip    boolean := false;
BEGIN
  FOREACH v_name IN ARRAY p_lock_order LOOP
    PERFORM pg_advisory_xact_lock(hashtextextended(v_name, 0));
  END LOOP;

  SELECT coalesce(array_agg(e.event_id), '{}') INTO v_known
    FROM events e WHERE e.event_id = ANY (p_event_ids);

  FOR c IN 1 .. cardinality(p_call_streams) LOOP
    v_ns := p_call_streams[c];
    v_ne := p_call_events[c];
    call_index := c;
    IF v_skip THEN
      outcome := 'skipped';
      revisions := NULL;
      last_transaction_id := NULL;
      last_global_position := NULL;
      stored := NULL;
      RETURN NEXT;
      CONTINUE;
    END IF;
    SELECT * INTO v_result FROM append_events(
      p_streams[v_s + 1 : v_s + v_ns],
      p_streams[v_s + 1 : v_s + v_ns],
      p_categories[v_s + 1 : v_s + v_ns],
      p_expected[v_s + 1 : v_s + v_ns],
      p_event_counts[v_s + 1 : v_s + v_ns],
      p_event_ids[v_e + 1 : v_e + v_ne],
      p_event_types[v_e + 1 : v_e + v_ne],
      p_schema_versions[v_e + 1 : v_e + v_ne],
      p_data[v_e + 1 : v_e + v_ne],
      p_metadata[v_e + 1 : v_e + v_ne],
      p_hash_heads[v_e + 1 : v_e + v_ne],
      p_hash_middles[v_e + 1 : v_e + v_ne],
      p_hash_tails[v_e + 1 : v_e + v_ne],
      p_look_up_ids[c] OR p_event_ids[v_e + 1 : v_e + v_ne] && v_known);
    outcome := v_result.outcome;
    revisions := v_result.revisions;
    last_transaction_id := v_result.last_transaction_id;
    last_global_position := v_result.last_global_position;
    stored := v_result.stored;
    v_skip := v_result.outcome = 'check' AND v_result.stored IS NOT NULL;
    RETURN NEXT;
    v_s := v_s + v_ns;
    v_e := v_e + v_ne;
  END LOOP;
END;
$$;
