-- 006_console.sql: what the console's lists and forms need from the
-- database, for every client alike: the inbox of the calling person, text
-- search of cases in Chinese, the indexes under both, and the version check
-- that keeps one person from silently overwriting another's change.
--
-- Applied by `minqing-admin migrate` as a superuser, in one transaction.

-- mq_lister owns inbox() only: it reads past row-level security, since every
-- row the inbox selects is in the caller's jurisdiction by construction (their
-- own unit, their subtree, cases they handle), and the planner cannot use the
-- inbox's indexes well with the policy's ltree conditions in the way (797 ms
-- against a few at a million cases, tests/bench/lists.sh).
LOCK TABLE pg_catalog.pg_authid IN SHARE ROW EXCLUSIVE MODE;
DO $$
BEGIN
	IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'mq_lister') THEN
		CREATE ROLE mq_lister NOLOGIN BYPASSRLS;
	END IF;
END
$$;
GRANT USAGE ON SCHEMA ext TO mq_lister;

SET LOCAL ROLE mq_owner;
SET LOCAL search_path = minqing, ext, pg_temp;

------------------------------------------------------------------------------
-- Text search in Chinese
------------------------------------------------------------------------------
-- pg_trgm cannot serve the commonest Chinese search: a word of two
-- characters (路灯, 低保, 噪音) yields no trigram under LIKE '%…%', so the
-- index is read whole. Bigrams can: the searchable text of a case is kept as
-- the set of its two-character pieces (GIN), a query matches the cases that
-- hold all of its pieces, and LIKE rechecks the order. One character alone
-- is not indexed (the console asks for two).
CREATE FUNCTION minqing.text_bigrams(t text) RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN ARRAY(SELECT DISTINCT substr(lower(t), i, 2)
               FROM generate_series(1, char_length(t) - 1) AS i
              WHERE substr(t, i, 2) !~ '\s');
COMMENT ON FUNCTION minqing.text_bigrams(text) IS
	'The distinct two-character pieces of a text (lower case, none with white space): the index keys '
	'of case_search.';

-- A LIKE pattern that matches p literally anywhere.
CREATE FUNCTION minqing.like_contains(p text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN '%' || replace(replace(replace(lower(p), '\', '\\'), '%', '\%'), '_', '\_') || '%';

-- The searchable text of each case (title, content, the submitter's name),
-- written once at intake: title and content never change, so the GIN index
-- costs nothing on the many updates of a case (on cases itself every
-- non-HOT update of a status would re-insert all the pieces).
CREATE TABLE minqing.case_search (
	case_id bigint PRIMARY KEY,
	doc     text NOT NULL,
	grams   text[] NOT NULL
);
COMMENT ON TABLE minqing.case_search IS
	'Searchable text of a case (lower-cased title, content and submitter name) and its bigrams (GIN). '
	'Kept by trigger from cases; rows visible exactly when their case is.';
CREATE INDEX case_search_grams ON minqing.case_search USING gin (grams);
ALTER TABLE minqing.case_search ENABLE ROW LEVEL SECURITY;
ALTER TABLE minqing.case_search FORCE ROW LEVEL SECURITY;
CREATE POLICY case_search_read ON minqing.case_search FOR SELECT
	USING (EXISTS (SELECT 1 FROM minqing.cases c WHERE c.case_id = case_search.case_id));
CREATE POLICY case_search_write ON minqing.case_search FOR INSERT TO mq_owner WITH CHECK (true);
GRANT SELECT ON minqing.case_search TO mq_staff;

CREATE FUNCTION minqing.case_search_doc(p_title text, p_content text, p_name text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN lower(concat_ws(' ', p_title, p_content, p_name));

CREATE FUNCTION minqing.case_search_sync() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = minqing, ext, pg_temp AS $$
BEGIN
	INSERT INTO minqing.case_search (case_id, doc, grams)
	SELECT n.case_id, d.doc, minqing.text_bigrams(d.doc)
	  FROM new_rows n
	 CROSS JOIN LATERAL (SELECT minqing.case_search_doc(n.title, n.content, n.submitter_name) AS doc) d;
	RETURN NULL;
END
$$;
REVOKE ALL ON FUNCTION minqing.case_search_sync() FROM PUBLIC;
CREATE TRIGGER case_search_insert AFTER INSERT ON minqing.cases
	REFERENCING NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION minqing.case_search_sync();
ALTER TABLE minqing.cases ENABLE ALWAYS TRIGGER case_search_insert;

INSERT INTO minqing.case_search (case_id, doc, grams)
SELECT c.case_id, d.doc, minqing.text_bigrams(d.doc)
  FROM minqing.cases c
 CROSS JOIN LATERAL (SELECT minqing.case_search_doc(c.title, c.content, c.submitter_name) AS doc) d;

GRANT EXECUTE ON FUNCTION minqing.text_bigrams(text), minqing.like_contains(text),
	minqing.case_search_doc(text, text, text) TO mq_staff, mq_system;

------------------------------------------------------------------------------
-- The lists of the console: indexes that match their queries
------------------------------------------------------------------------------
-- Inbox branches (see inbox()): what the unit where a case was received
-- must do (triage, report back), what the unit it is assigned to must do,
-- and what one handler holds. Partial on status, which an escalation pass
-- never changes (its updates stay HOT).
CREATE INDEX cases_origin_todo ON minqing.cases (origin_unit_id)
	WHERE status IN ('received', 'accepted', 'resolved');
-- New cases wait for triage by a handler of the unit or any unit above it
-- (a town triages what its villages receive): by subtree, and small.
CREATE INDEX cases_received_path ON minqing.cases USING gist (origin_path)
	WHERE status = 'received';
CREATE INDEX cases_assigned_todo ON minqing.cases (assigned_unit_id)
	WHERE status IN ('dispatched', 'in_progress', 'waiting');
CREATE INDEX cases_handler_todo ON minqing.cases (handler_staff_id)
	WHERE status IN ('accepted', 'dispatched', 'in_progress', 'waiting', 'resolved');
-- Open cases by deadline, most overdue first: the warnings list walks it and
-- stops after a page (warning levels are not indexed: they change in every
-- pass).
CREATE INDEX cases_open_due ON minqing.cases (due_at, case_id)
	WHERE status IN ('accepted', 'dispatched', 'in_progress', 'waiting');
-- The case number typed in part: its digits.
CREATE INDEX cases_case_no_pattern ON minqing.cases (case_no text_pattern_ops);

------------------------------------------------------------------------------
-- The inbox (待办) of the calling person
------------------------------------------------------------------------------
-- The cases the person or their unit must act on now: received at the unit
-- or, for a handler, anywhere below it (triage: a town's handler triages what
-- its villages receive), accepted at the unit and not yet dispatched,
-- resolved and waiting to be reported back at the unit where it was
-- received, dispatched to or being handled by the unit, and any open case
-- the person handles. Ordered by deadline (none last), keyset after
-- (p_after_due, p_after_id); filters: 'all', 'overdue', 'mine', 'unit',
-- 'triage' (received, or accepted and not yet dispatched: 分流处理);
-- p_centre: mediation, policy, service or NULL. SECURITY INVOKER and
-- inlinable: row-level security applies as to any query of the caller.
CREATE FUNCTION minqing.inbox(p_filter text DEFAULT 'all', p_centre text DEFAULT NULL,
                              p_after_due timestamptz DEFAULT NULL, p_after_id bigint DEFAULT NULL,
                              p_limit integer DEFAULT 50)
RETURNS TABLE (case_id bigint, case_no text, status minqing.case_status,
               warning_level minqing.warning_level, due_at timestamptz, sort_due timestamptz,
               title text, submitter_name text, unit_name text, handler_name text, centre text,
               is_key boolean, row_version integer, created_at timestamptz)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = minqing, ext, pg_temp AS $$
	-- Each branch filters, pages (keyset) and cuts to a page by itself, so
	-- only a few pages of ids meet in the union and only one page is joined.
	WITH me AS (
		SELECT s.staff_id, s.unit_id, s.duty, u.path FROM minqing.staff s
		  JOIN minqing.org_unit u ON u.unit_id = s.unit_id
		 WHERE s.login = session_user AND s.active),
	ids (case_id, sort_due) AS (
		(SELECT c.case_id, coalesce(c.due_at, 'infinity') FROM minqing.cases c, me
		 WHERE c.status = 'received' AND me.duty IN ('handler', 'admin')
		   AND c.origin_path OPERATOR(ext.<@) me.path
		   AND p_filter IN ('all', 'overdue', 'unit', 'triage')
		   AND (p_filter <> 'overdue' OR c.due_at < now())
		   AND (p_centre IS NULL OR c.category_id IN
		        (SELECT k.category_id FROM minqing.case_category k WHERE k.centre = p_centre))
		   AND (p_after_id IS NULL OR (coalesce(c.due_at, 'infinity'), c.case_id)
		                              > (coalesce(p_after_due, 'infinity'), p_after_id))
		 ORDER BY 2, 1 LIMIT p_limit)
		UNION
		(SELECT c.case_id, coalesce(c.due_at, 'infinity') FROM minqing.cases c, me
		 WHERE c.origin_unit_id = me.unit_id AND c.status IN ('received', 'accepted', 'resolved')
		   AND (c.status <> 'accepted' OR c.assigned_unit_id IS NULL)
		   AND (p_filter IN ('all', 'overdue', 'unit') OR (p_filter = 'triage' AND c.status <> 'resolved'))
		   AND (p_filter <> 'overdue' OR c.due_at < now())
		   AND (p_centre IS NULL OR c.category_id IN
		        (SELECT k.category_id FROM minqing.case_category k WHERE k.centre = p_centre))
		   AND (p_after_id IS NULL OR (coalesce(c.due_at, 'infinity'), c.case_id)
		                              > (coalesce(p_after_due, 'infinity'), p_after_id))
		 ORDER BY 2, 1 LIMIT p_limit)
		UNION
		(SELECT c.case_id, coalesce(c.due_at, 'infinity') FROM minqing.cases c, me
		 WHERE c.assigned_unit_id = me.unit_id AND c.status IN ('dispatched', 'in_progress', 'waiting')
		   AND p_filter IN ('all', 'overdue', 'unit')
		   AND (p_filter <> 'overdue' OR c.due_at < now())
		   AND (p_centre IS NULL OR c.category_id IN
		        (SELECT k.category_id FROM minqing.case_category k WHERE k.centre = p_centre))
		   AND (p_after_id IS NULL OR (coalesce(c.due_at, 'infinity'), c.case_id)
		                              > (coalesce(p_after_due, 'infinity'), p_after_id))
		 ORDER BY 2, 1 LIMIT p_limit)
		UNION
		(SELECT c.case_id, coalesce(c.due_at, 'infinity') FROM minqing.cases c, me
		 WHERE c.handler_staff_id = me.staff_id
		   AND c.status IN ('accepted', 'dispatched', 'in_progress', 'waiting', 'resolved')
		   AND (p_filter IN ('all', 'overdue', 'mine')
		        OR (p_filter = 'triage' AND c.status = 'accepted' AND c.assigned_unit_id IS NULL))
		   AND (p_filter <> 'overdue' OR c.due_at < now())
		   AND (p_centre IS NULL OR c.category_id IN
		        (SELECT k.category_id FROM minqing.case_category k WHERE k.centre = p_centre))
		   AND (p_after_id IS NULL OR (coalesce(c.due_at, 'infinity'), c.case_id)
		                              > (coalesce(p_after_due, 'infinity'), p_after_id))
		 ORDER BY 2, 1 LIMIT p_limit))
	SELECT c.case_id, c.case_no, c.status, c.warning_level, c.due_at,
	       ids.sort_due, c.title, c.submitter_name, u.name, h.display_name,
	       cat.centre, c.is_key, c.row_version, c.created_at
	  FROM (SELECT DISTINCT x.case_id, x.sort_due FROM ids x ORDER BY 2, 1 LIMIT p_limit) ids
	  JOIN minqing.cases c ON c.case_id = ids.case_id
	  JOIN minqing.org_unit u ON u.unit_id = coalesce(c.assigned_unit_id, c.origin_unit_id)
	  JOIN minqing.case_category cat ON cat.category_id = c.category_id
	  LEFT JOIN minqing.staff h ON h.staff_id = c.handler_staff_id
	 ORDER BY ids.sort_due, c.case_id
$$;
COMMENT ON FUNCTION minqing.inbox(text, text, timestamptz, bigint, integer) IS
	'The calling person''s inbox (待办), a page at a time: keyset after (due, id), ordered by deadline. '
	'Owned by mq_lister (BYPASSRLS): every branch is inside the caller''s jurisdiction by construction.';
REVOKE ALL ON FUNCTION minqing.inbox(text, text, timestamptz, bigint, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.inbox(text, text, timestamptz, bigint, integer) TO mq_staff;

------------------------------------------------------------------------------
-- The timeline of a case shows the messages it caused (the result SMS to the
-- resident, reminders and warnings): officers and handlers read the outbox
-- too, within their jurisdiction (the policy outbox_read, by path).
------------------------------------------------------------------------------
GRANT SELECT ON minqing.outbox TO mq_officer, mq_handler;

------------------------------------------------------------------------------
-- Optimistic concurrency: "not changed since I opened it"
------------------------------------------------------------------------------
-- Called in the same transaction before a workflow function, with the row
-- version the person saw: locks the case (so nobody slips in between) and
-- refuses with 40001 when someone changed it meanwhile. The console offers
-- to reload; nothing is overwritten silently.
CREATE FUNCTION minqing.case_expect_version(p_case bigint, p_version integer) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	v integer;
	no text;
BEGIN
	SELECT c.row_version, c.case_no INTO v, no FROM minqing.cases c WHERE c.case_id = p_case FOR UPDATE;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'case % not found', p_case USING ERRCODE = 'no_data_found';
	END IF;
	IF v <> p_version THEN
		RAISE EXCEPTION 'case % was changed by someone else since you opened it', no
			USING ERRCODE = 'serialization_failure',
			      DETAIL = format('version %s when opened, %s now', p_version, v),
			      HINT = 'reload the case and try again';
	END IF;
END
$$;
COMMENT ON FUNCTION minqing.case_expect_version(bigint, integer) IS
	'Lock a case and check that its row_version is still the one the caller saw (40001 if not).';
REVOKE ALL ON FUNCTION minqing.case_expect_version(bigint, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.case_expect_version(bigint, integer) TO mq_staff;

------------------------------------------------------------------------------
-- Triage: the category (and so the centre and the commitment) may be
-- corrected before the case is dispatched
------------------------------------------------------------------------------
CREATE FUNCTION minqing.case_set_category(p_case bigint, p_category integer, p_note text DEFAULT NULL)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	s minqing.staff;
	c minqing.cases;
	old minqing.case_category;
	cat minqing.case_category;
BEGIN
	s := minqing.case_caller('{handler,admin}');
	c := minqing.case_for(s, p_case, '{received,accepted}', 'recategorised', 'origin');
	SELECT * INTO cat FROM minqing.case_category
	 WHERE category_id = p_category AND active AND district_id = c.district_id;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'no active category % in this district', p_category
			USING ERRCODE = 'foreign_key_violation', COLUMN = 'category';
	END IF;
	SELECT * INTO old FROM minqing.case_category WHERE category_id = c.category_id;
	UPDATE minqing.cases SET category_id = p_category WHERE case_id = p_case RETURNING * INTO c;
	PERFORM minqing.case_log(c, 'recategorised', c.status, p_note,
	                         jsonb_build_object('from', old.code, 'to', cat.code));
END
$$;
COMMENT ON FUNCTION minqing.case_set_category(bigint, integer, text) IS
	'Triage: correct the category of a received or accepted case (at the unit where it was received).';
REVOKE ALL ON FUNCTION minqing.case_set_category(bigint, integer, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.case_set_category(bigint, integer, text) TO mq_handler, mq_admin;

------------------------------------------------------------------------------
-- The result SMS: a result typed with its own full stop read "正常。。如有疑问"
-- in the template's sentence; the stop is the template's.
------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION minqing.case_message_result(c minqing.cases, p_event bigint) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	phone text;
	unit_name text;
BEGIN
	phone := coalesce(c.submitter_phone,
	                  (SELECT r.phone FROM minqing.resident r WHERE r.resident_id = c.resident_id));
	IF phone IS NULL OR c.anonymous THEN
		RETURN NULL;
	END IF;
	SELECT name INTO unit_name FROM minqing.org_unit
	 WHERE unit_id = coalesce(c.assigned_unit_id, c.origin_unit_id);
	RETURN minqing.outbox_enqueue(c.district_id, c.origin_path, phone, c.submitter_name,
		minqing.render_template('case_resolved_sms', jsonb_build_object(
			'case_no', c.case_no, 'title', c.title,
			-- the template ends the result with its own full stop
			'result', rtrim(btrim(c.result), '。.！!；;，, '), 'unit', unit_name)),
		format('case:%s:result:%s', c.case_id, p_event), c.case_id, p_event);
END
$$;

------------------------------------------------------------------------------
-- Search by words, fast for common and rare words alike
------------------------------------------------------------------------------
-- Under the caller's row-level security the GIN index of case_search cannot
-- be used (@> is not leakproof, so it may not run ahead of the policy), and a
-- rare word would read every case the caller sees. This function (owner
-- mq_owner, bound by FORCE RLS on cases: the caller's scope still decides)
-- reads case_search through an owner's policy, so the index serves: first
-- the newest 2,000 cases the caller sees (a common word fills a page there
-- at once), then, for the rest, the cases whose bigrams hold the word's,
-- older than those. Newest first, keyset after (p_after_at, p_after_id).
CREATE POLICY case_search_owner ON minqing.case_search FOR SELECT TO mq_owner USING (true);

CREATE FUNCTION minqing.case_find_words(p_query text, p_after_at timestamptz DEFAULT NULL,
                                        p_after_id bigint DEFAULT NULL, p_limit integer DEFAULT 50)
RETURNS TABLE (case_id bigint, created_at timestamptz)
-- (VOLATILE: it keeps its window in a temporary table)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	pat text := minqing.like_contains(btrim(p_query));
	w_at timestamptz;
	w_id bigint;
	w_n integer;
	n integer;
BEGIN
	IF char_length(btrim(coalesce(p_query, ''))) < 2 THEN
		RETURN;
	END IF;
	CREATE TEMP TABLE IF NOT EXISTS case_find_window (case_id bigint, created_at timestamptz)
		ON COMMIT DROP;
	TRUNCATE case_find_window;
	INSERT INTO case_find_window
	SELECT c.case_id, c.created_at FROM minqing.cases c
	 WHERE p_after_id IS NULL OR (c.created_at, c.case_id) < (p_after_at, p_after_id)
	 ORDER BY c.created_at DESC, c.case_id DESC LIMIT 2000;
	GET DIAGNOSTICS w_n = ROW_COUNT;
	RETURN QUERY
	SELECT w.case_id, w.created_at FROM case_find_window w
	  JOIN minqing.case_search s ON s.case_id = w.case_id
	 WHERE s.doc LIKE pat
	 ORDER BY w.created_at DESC, w.case_id DESC LIMIT p_limit;
	GET DIAGNOSTICS n = ROW_COUNT;
	IF n >= p_limit OR w_n < 2000 THEN
		RETURN;
	END IF;
	SELECT w.created_at, w.case_id INTO w_at, w_id FROM case_find_window w
	 ORDER BY w.created_at, w.case_id LIMIT 1;
	RETURN QUERY
	SELECT c.case_id, c.created_at
	  FROM minqing.case_search s JOIN minqing.cases c ON c.case_id = s.case_id
	 WHERE s.grams @> minqing.text_bigrams(btrim(p_query)) AND s.doc LIKE pat
	   AND (c.created_at, c.case_id) < (w_at, w_id)
	 ORDER BY c.created_at DESC, c.case_id DESC LIMIT p_limit - n;
END
$$;
COMMENT ON FUNCTION minqing.case_find_words(text, timestamptz, bigint, integer) IS
	'Cases the caller sees whose title, content or submitter contain p_query (two characters or more), '
	'newest first, a page at a time (keyset after p_after_at, p_after_id).';
REVOKE ALL ON FUNCTION minqing.case_find_words(text, timestamptz, bigint, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.case_find_words(text, timestamptz, bigint, integer) TO mq_staff;

RESET ROLE;
-- (as the superuser again: ownership to the role that reads past RLS)
GRANT SELECT ON minqing.cases, minqing.staff, minqing.org_unit, minqing.case_category TO mq_lister;
ALTER FUNCTION minqing.inbox(text, text, timestamptz, bigint, integer) OWNER TO mq_lister;
