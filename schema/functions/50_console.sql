-- schema/functions/50_console.sql: the console's reads: the inbox, the bigram
-- search, row versions, a category change.
--
-- The current definition of these functions and views, with their grants and
-- comments: idempotent, re-applied by `minqing-admin migrate` in the migration
-- transaction whenever the function files change (docs/development.md,
-- "Functions, views and grants"). Change a function here, not in a migration.

SET LOCAL ROLE mq_owner;
SET LOCAL search_path = minqing, ext, pg_temp;

-- Bigrams in linear time: the characters once (string_to_table), each with
-- the next (lead). substr(t, i, 2) for every i was quadratic on multibyte
-- text (20,000 characters took 8 s).
CREATE OR REPLACE FUNCTION minqing.text_bigrams(t text) RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN ARRAY(SELECT DISTINCT g.pair
               FROM (SELECT ch || lead(ch) OVER (ORDER BY n) AS pair
                       FROM string_to_table(lower(t), NULL) WITH ORDINALITY AS x(ch, n)) g
              WHERE g.pair IS NOT NULL AND g.pair !~ '\s');
COMMENT ON FUNCTION minqing.text_bigrams(text) IS
	'The distinct two-character pieces of a text (lower case, none with white space): the index keys '
	'of case_search.';
REVOKE ALL ON FUNCTION minqing.text_bigrams(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.text_bigrams(text) TO mq_staff, mq_system;

-- A LIKE pattern that matches p literally anywhere.
CREATE OR REPLACE FUNCTION minqing.like_contains(p text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN '%' || replace(replace(replace(lower(p), '\', '\\'), '%', '\%'), '_', '\_') || '%';
COMMENT ON FUNCTION minqing.like_contains(text) IS 'A LIKE pattern that matches the text literally anywhere.';
REVOKE ALL ON FUNCTION minqing.like_contains(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.like_contains(text) TO mq_staff, mq_system;

CREATE OR REPLACE FUNCTION minqing.case_search_doc(p_title text, p_content text, p_name text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN lower(concat_ws(' ', p_title, p_content, p_name));
COMMENT ON FUNCTION minqing.case_search_doc(text, text, text) IS
	'The searchable text of a case: title, content and submitter, lower case.';
REVOKE ALL ON FUNCTION minqing.case_search_doc(text, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.case_search_doc(text, text, text) TO mq_staff, mq_system;

CREATE OR REPLACE FUNCTION minqing.case_search_sync() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = minqing, ext, pg_temp AS $$
BEGIN
	INSERT INTO minqing.case_search (case_id, doc, grams, origin_unit_id, assigned_unit_id)
	SELECT n.case_id, d.doc, minqing.text_bigrams(d.doc), n.origin_unit_id, n.assigned_unit_id
	  FROM new_rows n
	 CROSS JOIN LATERAL (SELECT minqing.case_search_doc(n.title, n.content, n.submitter_name) AS doc) d;
	RETURN NULL;
END
$$;
REVOKE ALL ON FUNCTION minqing.case_search_sync() FROM PUBLIC;

-- AFTER UPDATE on cases, per row, when a dispatch or a return changed the
-- case's units (the trigger's WHEN, 035_case_search_units.sql): the search
-- row follows, so that case_find_words() finds the case among its new
-- unit's. A new version of the search row: its bigrams go into the GIN
-- index's pending list again, the price of a dispatch.
CREATE OR REPLACE FUNCTION minqing.case_search_units_sync() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = minqing, ext, pg_temp AS $$
BEGIN
	UPDATE minqing.case_search s SET origin_unit_id = NEW.origin_unit_id, assigned_unit_id = NEW.assigned_unit_id
	 WHERE s.case_id = NEW.case_id;
	RETURN NULL;
END
$$;
REVOKE ALL ON FUNCTION minqing.case_search_units_sync() FROM PUBLIC;

-- The cases the person or their unit must act on now: received at the unit
-- or, for a handler, anywhere below it (triage: a town's handler triages what
-- its villages receive), accepted at the unit and not yet dispatched,
-- resolved and waiting to be reported back at the unit where it was
-- received, dispatched to or being handled by the unit, and any open case
-- the person handles. Ordered by deadline (none last), keyset after
-- (p_after_due, p_after_id); filters: 'all', 'overdue', 'mine', 'unit',
-- 'triage' (received, or accepted and not yet dispatched: 分流处理);
-- p_centre: mediation, policy, service or NULL.
-- Owned by mq_lister (docs/security.md): replaced by the superuser, which keeps the owner.
--
-- Each branch walks an index in the page's order (cases_origin_todo,
-- cases_assigned_todo, cases_handler_todo: unit or handler, then deadline;
-- cases_received_due: the received cases by deadline; cases_handler_triage:
-- what the person accepted and has not dispatched) from the keyset on and
-- stops after a page, so a page reads a few hundred rows whatever the inbox
-- holds: the keyset is one row comparison on the index's columns (from
-- '-infinity' on the first page), and the overdue ones end at now. Bitmap
-- scans are off: a bitmap reads a unit's every open case and sorts them.
-- The received cases below the unit are tested with ltree_risparent()
-- rather than <@, which would offer the planner the GiST index of every
-- received case of the subtree (a town's 550, sorted for 50); a unit with
-- no unit below it has none but its own, which the second branch reads.
-- PL/pgSQL with a generic plan kept for the session: planning the four
-- branches took longer than running them (2 ms a call).
RESET ROLE;
CREATE OR REPLACE FUNCTION minqing.inbox(p_filter text DEFAULT 'all', p_centre text DEFAULT NULL,
                              p_after_due timestamptz DEFAULT NULL, p_after_id bigint DEFAULT NULL,
                              p_limit integer DEFAULT 50)
RETURNS TABLE (case_id bigint, case_no text, status minqing.case_status,
               warning_level minqing.warning_level, due_at timestamptz, sort_due timestamptz,
               title text, submitter_name text, unit_name text, handler_name text, centre text,
               is_key boolean, row_version integer, created_at timestamptz)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = minqing, ext, pg_temp SET enable_bitmapscan = off
SET jit = off SET plan_cache_mode = force_generic_plan AS $$
#variable_conflict use_column
DECLARE
	-- the keyset (from '-infinity' on the first page), the last deadline a
	-- page may hold (now for the overdue ones) and the centre's categories
	after_due timestamptz := CASE WHEN p_after_id IS NULL THEN '-infinity'
	                              ELSE coalesce(p_after_due, 'infinity') END;
	after_id bigint := coalesce(p_after_id, 0);
	due_to timestamptz := CASE WHEN p_filter = 'overdue' THEN now() ELSE 'infinity' END;
	cats integer[] := CASE WHEN p_centre IS NOT NULL
	                       THEN ARRAY(SELECT k.category_id FROM minqing.case_category k WHERE k.centre = p_centre)
	                  END;
BEGIN
	RETURN QUERY
	-- Each branch filters, pages (keyset) and cuts to a page by itself, so
	-- only a few pages of ids meet in the union and only one page is joined.
	-- (The caller's unit, staff id and path are each a scalar subquery: a
	-- value the planner knows will not change, so that "unit = that value"
	-- leaves the index in the deadline's order; a join would not.)
	WITH me AS MATERIALIZED (
		SELECT s.staff_id, s.unit_id, s.duty, u.path,
		       NOT EXISTS (SELECT 1 FROM minqing.org_unit x WHERE x.parent_id = s.unit_id) AS leaf
		  FROM minqing.staff s
		  JOIN minqing.org_unit u ON u.unit_id = s.unit_id
		 WHERE s.login = session_user AND s.active),
	ids (case_id, sort_due) AS (
		(SELECT c.case_id, coalesce(c.due_at, 'infinity') FROM minqing.cases c
		 WHERE c.status = 'received'
		   AND (SELECT me.duty IN ('handler', 'admin') AND NOT me.leaf FROM me)
		   AND ext.ltree_risparent(c.origin_path, (SELECT me.path FROM me))
		   AND p_filter IN ('all', 'overdue', 'unit', 'triage')
		   AND (p_filter <> 'overdue' OR c.due_at < now())
		   AND (cats IS NULL OR c.category_id = ANY (cats))
		   AND (coalesce(c.due_at, 'infinity'), c.case_id) > (after_due, after_id)
		   AND coalesce(c.due_at, 'infinity') <= due_to
		 ORDER BY 2, 1 LIMIT p_limit)
		UNION
		(SELECT c.case_id, coalesce(c.due_at, 'infinity') FROM minqing.cases c
		 WHERE c.origin_unit_id = (SELECT me.unit_id FROM me)
		   AND c.status IN ('received', 'accepted', 'resolved')
		   AND (c.status <> 'accepted' OR c.assigned_unit_id IS NULL)
		   AND p_filter IN ('all', 'overdue', 'unit', 'triage')
		   AND (p_filter <> 'triage' OR c.status <> 'resolved')
		   AND (p_filter <> 'overdue' OR c.due_at < now())
		   AND (cats IS NULL OR c.category_id = ANY (cats))
		   AND (coalesce(c.due_at, 'infinity'), c.case_id) > (after_due, after_id)
		   AND coalesce(c.due_at, 'infinity') <= due_to
		 ORDER BY 2, 1 LIMIT p_limit)
		UNION
		(SELECT c.case_id, coalesce(c.due_at, 'infinity') FROM minqing.cases c
		 WHERE c.assigned_unit_id = (SELECT me.unit_id FROM me)
		   AND c.status IN ('dispatched', 'in_progress', 'waiting')
		   AND p_filter IN ('all', 'overdue', 'unit')
		   AND (p_filter <> 'overdue' OR c.due_at < now())
		   AND (cats IS NULL OR c.category_id = ANY (cats))
		   AND (coalesce(c.due_at, 'infinity'), c.case_id) > (after_due, after_id)
		   AND coalesce(c.due_at, 'infinity') <= due_to
		 ORDER BY 2, 1 LIMIT p_limit)
		UNION
		(SELECT c.case_id, coalesce(c.due_at, 'infinity') FROM minqing.cases c
		 WHERE c.handler_staff_id = (SELECT me.staff_id FROM me)
		   AND c.status IN ('accepted', 'dispatched', 'in_progress', 'waiting', 'resolved')
		   AND p_filter IN ('all', 'overdue', 'mine')
		   AND (p_filter <> 'overdue' OR c.due_at < now())
		   AND (cats IS NULL OR c.category_id = ANY (cats))
		   AND (coalesce(c.due_at, 'infinity'), c.case_id) > (after_due, after_id)
		   AND coalesce(c.due_at, 'infinity') <= due_to
		 ORDER BY 2, 1 LIMIT p_limit)
		UNION
		-- (triage: what the person accepted and has not dispatched yet, by
		-- cases_handler_triage, not among all they handle)
		(SELECT c.case_id, coalesce(c.due_at, 'infinity') FROM minqing.cases c
		 WHERE c.handler_staff_id = (SELECT me.staff_id FROM me)
		   AND c.status = 'accepted' AND c.assigned_unit_id IS NULL
		   AND p_filter = 'triage'
		   AND (cats IS NULL OR c.category_id = ANY (cats))
		   AND (coalesce(c.due_at, 'infinity'), c.case_id) > (after_due, after_id)
		 ORDER BY 2, 1 LIMIT p_limit))
	SELECT c.case_id, c.case_no, c.status, c.warning_level, c.due_at,
	       ids.sort_due, c.title, c.submitter_name, u.name, h.display_name,
	       cat.centre, c.is_key, c.row_version, c.created_at
	  FROM (SELECT DISTINCT x.case_id, x.sort_due FROM ids x ORDER BY 2, 1 LIMIT p_limit) ids
	  JOIN minqing.cases c ON c.case_id = ids.case_id
	  JOIN minqing.org_unit u ON u.unit_id = coalesce(c.assigned_unit_id, c.origin_unit_id)
	  JOIN minqing.case_category cat ON cat.category_id = c.category_id
	  LEFT JOIN minqing.staff h ON h.staff_id = c.handler_staff_id
	 ORDER BY ids.sort_due, c.case_id;
END
$$;
ALTER FUNCTION minqing.inbox(text, text, timestamptz, bigint, integer) OWNER TO mq_lister;
COMMENT ON FUNCTION minqing.inbox(text, text, timestamptz, bigint, integer) IS
	'The calling person''s inbox (待办), a page at a time: keyset after (due, id), ordered by deadline. '
	'Owned by mq_lister (BYPASSRLS): every branch is inside the caller''s jurisdiction by construction.';
REVOKE ALL ON FUNCTION minqing.inbox(text, text, timestamptz, bigint, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.inbox(text, text, timestamptz, bigint, integer) TO mq_staff;

-- How many cases the calling person's inbox holds (all of it, counted up to
-- 1000): the console's status line (待办 N), re-read when cases change. The
-- same four branches as inbox() with the filter 'all' (keep them in step:
-- tests/sql/60_inbox_count.sql compares the two for every duty), counted
-- without the page's sort and joins, which made the count cost as much as
-- a page of 1000 rows (the load driver: 73 % of the server's time at 400
-- consoles). PL/pgSQL, whose plan is kept for the session: as an SQL
-- function with SET clauses it was planned at every call, 1.5 ms of 2.
CREATE OR REPLACE FUNCTION minqing.inbox_count() RETURNS bigint
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = minqing, ext, pg_temp AS $$
BEGIN
	RETURN (
		WITH me AS (
			SELECT s.staff_id, s.unit_id, s.duty, u.path FROM minqing.staff s
			  JOIN minqing.org_unit u ON u.unit_id = s.unit_id
			 WHERE s.login = session_user AND s.active)
		SELECT least(count(*), 1000) FROM (
			(SELECT c.case_id FROM minqing.cases c, me
			 WHERE c.status = 'received' AND me.duty IN ('handler', 'admin')
			   AND c.origin_path OPERATOR(ext.<@) me.path LIMIT 1000)
			UNION
			(SELECT c.case_id FROM minqing.cases c, me
			 WHERE c.origin_unit_id = me.unit_id AND c.status IN ('received', 'accepted', 'resolved')
			   AND (c.status <> 'accepted' OR c.assigned_unit_id IS NULL) LIMIT 1000)
			UNION
			(SELECT c.case_id FROM minqing.cases c, me
			 WHERE c.assigned_unit_id = me.unit_id AND c.status IN ('dispatched', 'in_progress', 'waiting')
			 LIMIT 1000)
			UNION
			(SELECT c.case_id FROM minqing.cases c, me
			 WHERE c.handler_staff_id = me.staff_id
			   AND c.status IN ('accepted', 'dispatched', 'in_progress', 'waiting', 'resolved') LIMIT 1000)) x);
END
$$;
ALTER FUNCTION minqing.inbox_count() OWNER TO mq_lister;
COMMENT ON FUNCTION minqing.inbox_count() IS
	'How many cases the calling person''s inbox (inbox(), filter all) holds, up to 1000: the status line''s '
	'待办. Owned by mq_lister, as inbox().';
REVOKE ALL ON FUNCTION minqing.inbox_count() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.inbox_count() TO mq_staff;
SET LOCAL ROLE mq_owner;

-- The version is checked now and again, under the lock, by the workflow
-- function that follows in the same transaction (case_for): nothing is
-- locked by the check itself, so it cannot be used to hold cases.
CREATE OR REPLACE FUNCTION minqing.case_expect_version(p_case bigint, p_version integer) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	v integer;
	no text;
BEGIN
	SELECT c.row_version, c.case_no INTO v, no FROM minqing.cases c WHERE c.case_id = p_case;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'case % not found', p_case USING ERRCODE = 'no_data_found';
	END IF;
	IF v <> p_version THEN
		RAISE EXCEPTION 'case % was changed by someone else since you opened it', no
			USING ERRCODE = 'serialization_failure',
			      DETAIL = format('version %s when opened, %s now', p_version, v),
			      HINT = 'reload the case and try again';
	END IF;
	PERFORM set_config('minqing.expect_case', format('%s:%s', p_case, p_version), true);
END
$$;
COMMENT ON FUNCTION minqing.case_expect_version(bigint, integer) IS
	'Check that a case''s row_version is still the one the caller saw (40001 if not); the workflow '
	'function called next in the same transaction checks it again under its lock. Locks nothing.';
REVOKE ALL ON FUNCTION minqing.case_expect_version(bigint, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.case_expect_version(bigint, integer) TO mq_staff;

CREATE OR REPLACE FUNCTION minqing.case_set_category(p_case bigint, p_category integer, p_note text DEFAULT NULL)
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

-- The window of the newest 2,000 cases the caller sees is kept in two arrays
-- (ids and times) instead of a temporary table a caller could have made first.
-- A caller whose unit has no unit below it (my_leaf_unit()) takes the window
-- from the unit's own cases (cases_origin_created, cases_assigned_created),
-- not from a walk of the district's newest (a village's 2,000 were 140,000
-- rows down), and tries its newest 200 first: a word in fewer than 10 of
-- them is rare enough that all of the unit's cases holding it are read at
-- once, the bigram index's bitmap ANDed with the unit's cases
-- (case_search_origin, case_search_assigned, 035_case_search_units.sql),
-- cheaper than testing 2,000 rows one by one. A commoner word fills a page
-- from the window. The cases older than the window come from the bigram
-- index, for a caller below the district ANDed with the cases of the
-- caller's units: a village reads the hundred cases of its own that hold
-- the word, not the district's 12,000 tested one by one. Bitmap scans are
-- off for a unit's windows (the policy's ltree conditions, which the planner
-- guesses keep one row in a thousand, would have the unit's every case read
-- and sorted for 200) and on for the rest (the district's newest under the
-- policy; the bigram index, which is read through one). Set for this call
-- only: the SET clause restores the caller's.
CREATE OR REPLACE FUNCTION minqing.case_find_words(p_query text, p_after_at timestamptz DEFAULT NULL,
                                                   p_after_id bigint DEFAULT NULL, p_limit integer DEFAULT 50)
RETURNS TABLE (case_id bigint, created_at timestamptz)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = minqing, ext, pg_temp SET enable_bitmapscan = on
SET enable_sort = on AS $$
DECLARE
	q text := btrim(p_query);
	lim integer := least(greatest(coalesce(p_limit, 50), 1), 500);
	pat text;
	win_id bigint[];
	win_at timestamptz[];
	w_n integer;
	w_size integer;
	n integer;
	leaf integer;
	scope ext.ltree;
	units integer[];
	rare boolean := false;
	b_at timestamptz;
	b_id bigint;
BEGIN
	IF q IS NULL OR char_length(q) < 2 THEN
		RETURN;
	END IF;
	IF char_length(q) > 100 THEN
		RAISE EXCEPTION 'the search words are too long: % characters, at most 100', char_length(q)
			USING ERRCODE = 'string_data_right_truncation', COLUMN = 'words';
	END IF;
	pat := minqing.like_contains(q);
	leaf := minqing.my_leaf_unit();
	IF leaf IS NOT NULL THEN
		PERFORM set_config('enable_bitmapscan', 'off', true);
	END IF;
	FOREACH w_size IN ARRAY CASE WHEN leaf IS NULL THEN ARRAY[2000] ELSE ARRAY[200, 2000] END LOOP
		IF leaf IS NULL THEN
			SELECT array_agg(w.case_id ORDER BY w.created_at DESC, w.case_id DESC),
			       array_agg(w.created_at ORDER BY w.created_at DESC, w.case_id DESC), count(*)
			  INTO win_id, win_at, w_n
			  FROM (SELECT c.case_id, c.created_at FROM minqing.cases c
			         WHERE p_after_id IS NULL OR (c.created_at, c.case_id) < (p_after_at, p_after_id)
			         ORDER BY c.created_at DESC, c.case_id DESC LIMIT w_size) w;
		ELSE
			SELECT array_agg(w.case_id ORDER BY w.created_at DESC, w.case_id DESC),
			       array_agg(w.created_at ORDER BY w.created_at DESC, w.case_id DESC), count(*)
			  INTO win_id, win_at, w_n
			  FROM (SELECT x.case_id, x.created_at
			          FROM ((SELECT c.case_id, c.created_at FROM minqing.cases c
			                  WHERE c.origin_unit_id = leaf
			                    AND (c.created_at, c.case_id) < (coalesce(p_after_at, 'infinity'),
			                                                     coalesce(p_after_id, 0))
			                  ORDER BY c.created_at DESC, c.case_id DESC LIMIT w_size)
			                UNION
			                (SELECT c.case_id, c.created_at FROM minqing.cases c
			                  WHERE c.assigned_unit_id = leaf
			                    AND (c.created_at, c.case_id) < (coalesce(p_after_at, 'infinity'),
			                                                     coalesce(p_after_id, 0))
			                  ORDER BY c.created_at DESC, c.case_id DESC LIMIT w_size)) x
			         ORDER BY x.created_at DESC, x.case_id DESC LIMIT w_size) w;
		END IF;
		IF w_n = 0 THEN
			RETURN;
		END IF;
		EXIT WHEN w_size = 2000 OR w_n < w_size;
		-- (the unit's newest 200: a rare word, all of the unit's at once)
		SELECT count(*) INTO n
		  FROM unnest(win_id) AS w(case_id) JOIN minqing.case_search s ON s.case_id = w.case_id
		 WHERE s.doc LIKE pat;
		rare := n < 10;
		EXIT WHEN rare;
	END LOOP;
	IF rare THEN
		-- (all of the unit's cases holding it, from the page's start)
		n := 0;
		b_at := coalesce(p_after_at, 'infinity');
		b_id := coalesce(p_after_id, 0);
	ELSE
		RETURN QUERY
		SELECT w.case_id, w.created_at
		  FROM unnest(win_id, win_at) AS w(case_id, created_at)
		  JOIN minqing.case_search s ON s.case_id = w.case_id
		 WHERE s.doc LIKE pat
		 ORDER BY w.created_at DESC, w.case_id DESC LIMIT lim;
		GET DIAGNOSTICS n = ROW_COUNT;
		IF n >= lim OR w_n < w_size THEN
			RETURN;
		END IF;
		b_at := win_at[w_n];
		b_id := win_id[w_n];
	END IF;
	-- Past the window (or a rare word): the caller's units, a leaf's own, or
	-- every unit of a jurisdiction below the district (a town's two dozen);
	-- the district's are all of them, and the bigram index alone serves it.
	-- (The policy on cases still decides.)
	PERFORM set_config('enable_bitmapscan', 'on', true);
	scope := minqing.my_scope();
	IF leaf IS NOT NULL THEN
		units := ARRAY[leaf];
	ELSIF ext.nlevel(scope) > 1 THEN
		units := ARRAY(SELECT u.unit_id FROM minqing.org_unit u WHERE u.path OPERATOR(ext.<@) scope);
	END IF;
	IF units IS NULL THEN
		RETURN QUERY
		SELECT c.case_id, c.created_at
		  FROM minqing.case_search s JOIN minqing.cases c ON c.case_id = s.case_id
		 WHERE s.grams @> minqing.text_bigrams(q) AND s.doc LIKE pat
		   AND (c.created_at, c.case_id) < (b_at, b_id)
		 ORDER BY c.created_at DESC, c.case_id DESC LIMIT lim - n;
	ELSE
		RETURN QUERY
		SELECT c.case_id, c.created_at
		  FROM minqing.case_search s JOIN minqing.cases c ON c.case_id = s.case_id
		 WHERE s.grams @> minqing.text_bigrams(q) AND s.doc LIKE pat
		   AND (s.origin_unit_id = ANY (units) OR s.assigned_unit_id = ANY (units))
		   AND (c.created_at, c.case_id) < (b_at, b_id)
		 ORDER BY c.created_at DESC, c.case_id DESC LIMIT lim - n;
	END IF;
END
$$;
COMMENT ON FUNCTION minqing.case_find_words(text, timestamptz, bigint, integer) IS
	'Cases the caller sees whose title, content or submitter contain p_query (two characters or more), '
	'newest first, a page at a time (keyset after p_after_at, p_after_id).';
REVOKE ALL ON FUNCTION minqing.case_find_words(text, timestamptz, bigint, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.case_find_words(text, timestamptz, bigint, integer) TO mq_staff;

RESET ROLE;
