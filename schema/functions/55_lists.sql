-- schema/functions/55_lists.sql: the reads behind the console's case lists
-- (forms/*.view), as named functions: what the
-- console shows is what `SELECT * FROM minqing.find_cases('路灯')` or
-- `SELECT * FROM minqing.warnings()` gives the same person in psql. The list
-- screens are view files (forms/*.view) that name these functions; the
-- console calls them with named parameters and reads their columns by name.
--
-- Both are SECURITY INVOKER: row-level security applies as to any query of
-- the caller, and the planner sees the same statements the console sent
-- before (warnings() is a plain SQL function it inlines; find_cases()
-- runs one statement per kind of search with EXECUTE ... USING, planned
-- with the values as the console's unnamed statements were).
--
-- The current definition of these functions, with their grants and comments:
-- idempotent, re-applied by `minqing-admin migrate` whenever the function
-- files change (docs/development.md, "Functions, views and grants").

SET LOCAL ROLE mq_owner;
SET LOCAL search_path = minqing, ext, pg_temp;

------------------------------------------------------------------------------
-- What a search typed in Find cases looks like
------------------------------------------------------------------------------
-- kind: empty, short (one character: too short for the bigram index),
-- case_no (letters, a dash, then letters, digits and dashes: a case number
-- prefix, upper-cased), serial (3+ digits: the serial ending the case
-- number, any year), phone (11 digits 1[3-9]…: a mainland mobile number),
-- words (2+ characters); norm: the text searched for, trimmed of blanks and
-- of the ideographic space U+3000.
CREATE OR REPLACE FUNCTION minqing.case_query(p_query text, OUT kind text, OUT norm text)
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
	SELECT CASE
	         WHEN q = '' THEN 'empty'
	         WHEN q ~ '^1[3-9][0-9]{9}$' THEN 'phone'
	         WHEN q ~ '^[0-9]{3,}$' THEN 'serial'
	         WHEN q ~ '^[A-Za-z]+-[A-Za-z0-9-]*$' THEN 'case_no'
	         WHEN char_length(q) < 2 THEN 'short'
	         ELSE 'words'
	       END,
	       CASE WHEN q ~ '^[A-Za-z]+-[A-Za-z0-9-]*$' THEN upper(q) ELSE q END
	  FROM (SELECT btrim(coalesce(p_query, ''), E' \t\u3000') AS q) t
$$;
COMMENT ON FUNCTION minqing.case_query(text) IS
	'What a search typed in Find cases (案件查询) looks like: its kind (empty, short, case_no, serial, '
	'phone, words) and the normalised text searched for.';
REVOKE ALL ON FUNCTION minqing.case_query(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.case_query(text) TO mq_staff;

------------------------------------------------------------------------------
-- The caller's unit, when no unit is below it
------------------------------------------------------------------------------
-- A village, a department, an agency: its unit id; NULL for a town, the
-- district, and anyone without a scope. The case lists read such a unit's
-- cases by unit id (the cases received there and those assigned to it are
-- exactly the cases its scope holds: paths never change), walking the
-- district's order only for the scopes that hold many units.
CREATE OR REPLACE FUNCTION minqing.my_leaf_unit() RETURNS integer
LANGUAGE sql STABLE AS $$
	SELECT u.unit_id FROM minqing.org_unit u
	 WHERE u.path = (SELECT minqing.my_scope())
	   AND NOT EXISTS (SELECT 1 FROM minqing.org_unit x WHERE x.parent_id = u.unit_id)
$$;
COMMENT ON FUNCTION minqing.my_leaf_unit() IS
	'The caller''s unit when no unit is below it (a village, a department, an agency), else NULL: the '
	'case lists read such a unit''s cases by unit id.';
REVOKE ALL ON FUNCTION minqing.my_leaf_unit() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.my_leaf_unit() TO mq_staff;

-- The FROM item "c" of a case list's page, as EXECUTE text: the cases
-- (columns p_cols) meeting p_cond, ordered and cut to a page by p_page
-- ("ORDER BY ... LIMIT ..."); with p_unit (the parameter holding the id of
-- a unit with no unit below it: '$7') the union of the unit's received and
-- its assigned cases, each stream paged alike (its own index in the page's
-- order); with p_categories too (the parameter of the categories' ids), a
-- stream per category of each. Row-level security decides every row read.
CREATE OR REPLACE FUNCTION minqing.case_page_from(p_cols text, p_cond text, p_page text,
                                                  p_unit text DEFAULT NULL, p_categories text DEFAULT NULL)
RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
	SELECT CASE WHEN p_unit IS NULL
	            THEN format('(SELECT %s FROM minqing.cases c WHERE %s%s) c', p_cols, p_cond, p_page)
	            ELSE '(' || (SELECT string_agg(CASE WHEN p_categories IS NULL
	                                                THEN format('(SELECT %s FROM minqing.cases c'
	                                                            ' WHERE c.%s = %s AND %s%s)',
	                                                            p_cols, k.col, p_unit, p_cond, p_page)
	                                                ELSE format('(SELECT c.* FROM unnest(%s) AS k(category_id)'
	                                                            ' CROSS JOIN LATERAL (SELECT %s FROM minqing.cases c'
	                                                            ' WHERE c.%s = %s AND c.category_id = k.category_id'
	                                                            ' AND %s%s) c)',
	                                                            p_categories, p_cols, k.col, p_unit, p_cond,
	                                                            p_page) END,
	                                           ' UNION ' ORDER BY k.n)
	                           FROM unnest(ARRAY['origin_unit_id', 'assigned_unit_id'])
	                                WITH ORDINALITY AS k(col, n)) || ') c' END
$$;
COMMENT ON FUNCTION minqing.case_page_from(text, text, text, text, text) IS
	'The FROM item of a case list''s page as SQL text: the cases meeting a condition, paged; for a unit with '
	'no unit below it, its received and its assigned cases, each paged (and per category).';
REVOKE ALL ON FUNCTION minqing.case_page_from(text, text, text, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.case_page_from(text, text, text, text, text) TO mq_staff;

------------------------------------------------------------------------------
-- Find cases (案件查询) and the three centres
------------------------------------------------------------------------------
-- Every case the caller can see (row-level security decides), found by what
-- was typed (case_query), in one of two orders, a page at a time by keyset:
--   p_sort 'newest'   created_at DESC, case_id DESC; after (p_after_created,
--                     p_after_id); the index cases_created
--   p_sort 'case_no'  case_no; after p_after_no; the unique number
-- p_centre limits to the categories of one centre (mediation, policy,
-- service). Each kind's condition is one the planner can use an index for
-- under row-level security: only leakproof operators (=, <, ~>=~ ...) become
-- index conditions ahead of the policy of cases, so a prefix is a range on
-- the text_pattern_ops index, not LIKE; words newest-first without a centre
-- go through case_find_words() (the bigram index the policy would keep from
-- being used), otherwise they are checked case by case along the order.
--
-- A caller whose unit has no unit below it (a village, a department, an
-- agency) sees the cases received at the unit and those assigned to it:
-- without a search or with words, the page is read from those two, each
-- walked in the order by its unit's index (cases_origin_created and
-- cases_assigned_created, or cases_origin_no and cases_assigned_no), the
-- policy still deciding each row. Walking the district's order instead
-- reads a hundred rows for each one a village sees, and the whole table
-- for a unit that has none (an agency: a second). Bitmap scans are off in
-- here: the policy's ltree conditions, which the planner guesses keep one row
-- in a thousand, would otherwise be taken for the way in (the GiST indexes
-- of both paths, ANDed with the unit's index), and all of a village's 13,000
-- cases sorted for a page.
CREATE OR REPLACE FUNCTION minqing.find_cases(p_query text DEFAULT NULL, p_centre text DEFAULT NULL,
                                   p_sort text DEFAULT 'newest',
                                   p_after_created timestamptz DEFAULT NULL,
                                   p_after_no text DEFAULT NULL, p_after_id bigint DEFAULT NULL,
                                   p_limit integer DEFAULT 50)
RETURNS TABLE (case_id bigint, case_no text, status minqing.case_status,
               warning_level minqing.warning_level, created_at timestamptz, title text,
               submitter_name text, unit_name text)
LANGUAGE plpgsql STABLE SET search_path = minqing, ext, pg_temp SET enable_bitmapscan = off
SET enable_sort = on SET jit = off AS $$
DECLARE
	k text;
	q text;
	lim integer := least(greatest(coalesce(p_limit, 50), 1), 500);
	by_no boolean := coalesce(p_sort, 'newest') = 'case_no';
	cond text;
	keyset text := '';
	centre text := '';
	ord text;
	leaf integer;
	cats integer[];
	per_category boolean;
BEGIN
	IF coalesce(p_sort, 'newest') NOT IN ('newest', 'case_no') THEN
		RAISE EXCEPTION 'unknown order "%": newest or case_no', p_sort
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF p_centre IS NOT NULL AND p_centre NOT IN ('mediation', 'policy', 'service') THEN
		RAISE EXCEPTION 'unknown centre "%": mediation, policy or service', p_centre
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	SELECT x.kind, x.norm INTO k, q FROM minqing.case_query(p_query) x;
	IF char_length(q) > 100 THEN
		RAISE EXCEPTION 'the search is too long: % characters, at most 100', char_length(q)
			USING ERRCODE = 'string_data_right_truncation', COLUMN = 'query';
	END IF;
	IF k = 'short' THEN
		RETURN; -- the console says why before asking
	END IF;
	IF k = 'words' AND NOT by_no AND p_centre IS NULL THEN
		RETURN QUERY
		SELECT c.case_id, c.case_no, c.status, c.warning_level, c.created_at, c.title,
		       c.submitter_name, u.name
		  FROM minqing.cases c
		  JOIN minqing.case_find_words(q, p_after_created, p_after_id, lim) f
		    ON f.case_id = c.case_id
		  JOIN minqing.org_unit u ON u.unit_id = coalesce(c.assigned_unit_id, c.origin_unit_id)
		 ORDER BY c.created_at DESC, c.case_id DESC;
		RETURN;
	END IF;
	cond := CASE k
		-- [prefix, prefix with its last character + 1): the text_pattern_ops index
		WHEN 'case_no' THEN 'c.case_no ~>=~ $1 AND c.case_no ~<~ '
		                    '(left($1, -1) || chr(ascii(right($1, 1)) + 1))'
		-- <district code>-<year>-<serial, six digits at least>, every year: = ANY
		WHEN 'serial' THEN 'c.case_no = ANY (ARRAY('
		                   '  SELECT d.code || ''-'' || y || ''-'' || lpad($1, greatest(6, length($1)), ''0'')'
		                   '    FROM minqing.org_unit d,'
		                   '         generate_series(2000, extract(year FROM now())::integer + 1) AS y'
		                   '   WHERE d.parent_id IS NULL))'
		WHEN 'phone' THEN 'c.submitter_phone = $1'
		-- checked case by case along the order (the GIN index of case_search
		-- cannot serve under its row-level security: @> is not leakproof)
		WHEN 'words' THEN '(SELECT s.grams @> minqing.text_bigrams($1) AND s.doc LIKE minqing.like_contains($1)'
		                  '   FROM minqing.case_search s WHERE s.case_id = c.case_id)'
		ELSE 'true' END;
	-- (the centre's categories as an array: a subquery becomes a join the
	-- planner drives from the categories, each read whole and sorted)
	IF p_centre IS NOT NULL THEN
		centre := ' AND c.category_id = ANY ($8)';
		cats := ARRAY(SELECT k.category_id FROM minqing.case_category k WHERE k.centre = p_centre);
	END IF;
	IF by_no AND p_after_no IS NOT NULL THEN
		keyset := ' AND c.case_no > $3';
	ELSIF NOT by_no AND p_after_id IS NOT NULL THEN
		keyset := ' AND (c.created_at, c.case_id) < ($4, $5)';
	END IF;
	ord := CASE WHEN by_no THEN ' ORDER BY c.case_no' ELSE ' ORDER BY c.created_at DESC, c.case_id DESC' END;
	IF k IN ('empty', 'words') THEN
		leaf := minqing.my_leaf_unit();
	END IF;
	IF leaf IS NOT NULL THEN
		-- (and no sort but the page's: a centre's categories would else be
		-- read by cases_origin_unit_category, a village's 4,000, and sorted;
		-- set for this function's call only, as the SET clauses above; the
		-- cost a disabled sort is given would else have the plan compiled
		-- by JIT, 700 ms)
		PERFORM set_config('enable_sort', 'off', true);
	END IF;
	-- A centre's cases of such a unit, newest first: a stream per category
	-- (cases_origin_unit_category, cases_assigned_unit_category).
	per_category := leaf IS NOT NULL AND p_centre IS NOT NULL AND NOT by_no;
	RETURN QUERY EXECUTE
		'SELECT c.case_id, c.case_no, c.status, c.warning_level, c.created_at, c.title,'
		'       c.submitter_name, u.name'
		'  FROM ' || minqing.case_page_from(
		                 'c.case_id, c.case_no, c.status, c.warning_level, c.created_at, c.title, '
		                 'c.submitter_name, c.origin_unit_id, c.assigned_unit_id',
		                 cond || CASE WHEN per_category THEN '' ELSE centre END || keyset, ord || ' LIMIT $6',
		                 CASE WHEN leaf IS NOT NULL THEN '$7' END, CASE WHEN per_category THEN '$8' END) ||
		'  JOIN minqing.org_unit u ON u.unit_id = coalesce(c.assigned_unit_id, c.origin_unit_id)'
		|| ord || ' LIMIT $6'
		USING q, p_centre, p_after_no, p_after_created, p_after_id, lim, leaf, cats;
END
$$;
COMMENT ON FUNCTION minqing.find_cases(text, text, text, timestamptz, text, bigint, integer) IS
	'Find cases (案件查询): the cases the caller can see, found by a case number prefix, a serial, a mobile '
	'number or words (case_query), newest first or by number, a page at a time by keyset; p_centre limits '
	'to one centre''s categories.';
REVOKE ALL ON FUNCTION minqing.find_cases(text, text, text, timestamptz, text, bigint, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.find_cases(text, text, text, timestamptz, text, bigint, integer) TO mq_staff;

------------------------------------------------------------------------------
-- Warnings (预警)
------------------------------------------------------------------------------
-- The open cases with a yellow, orange or red warning the caller can see,
-- most overdue first, keyset after (p_after_due, p_after_id). A town or the
-- district walks cases_warning_due (the open cases with a warning, by
-- deadline) and row-level security keeps what it may see; a unit with no
-- unit below it reads its own open cases (cases_origin_open,
-- cases_assigned_open), a village's few hundred, an agency's none, instead
-- of the district's 11,000 warnings. Bitmap scans are off, as in
-- find_cases(): the GiST indexes of the policy were taken for the way in,
-- and a district's next page read every case (240 ms).
CREATE OR REPLACE FUNCTION minqing.warnings(p_after_due timestamptz DEFAULT NULL, p_after_id bigint DEFAULT NULL,
                                 p_limit integer DEFAULT 50)
RETURNS TABLE (case_id bigint, case_no text, status minqing.case_status,
               warning_level minqing.warning_level, due_at timestamptz, title text,
               unit_name text, handler_name text)
LANGUAGE plpgsql STABLE SET search_path = minqing, ext, pg_temp SET enable_bitmapscan = off SET jit = off AS $$
DECLARE
	leaf integer := minqing.my_leaf_unit();
	cols text := 'c.case_id, c.case_no, c.status, c.warning_level, c.due_at, c.title, c.handler_staff_id, '
	             'c.origin_unit_id, c.assigned_unit_id';
	cond text := ' c.status IN (''accepted'', ''dispatched'', ''in_progress'', ''waiting'')'
	             ' AND c.warning_level <> ''none'''
	             || CASE WHEN p_after_id IS NOT NULL THEN ' AND (c.due_at, c.case_id) > ($1, $2)' ELSE '' END;
	page text := ' ORDER BY c.due_at, c.case_id LIMIT $3';
BEGIN
	RETURN QUERY EXECUTE
		'SELECT c.case_id, c.case_no, c.status, c.warning_level, c.due_at, c.title, u.name, h.display_name'
		'  FROM ' || minqing.case_page_from(cols, cond, page, CASE WHEN leaf IS NOT NULL THEN '$4' END) ||
		'  JOIN minqing.org_unit u ON u.unit_id = coalesce(c.assigned_unit_id, c.origin_unit_id)'
		'  LEFT JOIN minqing.staff h ON h.staff_id = c.handler_staff_id' || page
		USING p_after_due, p_after_id, least(greatest(coalesce(p_limit, 50), 1), 500), leaf;
END
$$;
COMMENT ON FUNCTION minqing.warnings(timestamptz, bigint, integer) IS
	'Warnings (预警): the open cases with a yellow, orange or red warning the caller can see, most '
	'overdue first, a page at a time by keyset (due, id).';
REVOKE ALL ON FUNCTION minqing.warnings(timestamptz, bigint, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.warnings(timestamptz, bigint, integer) TO mq_staff;

------------------------------------------------------------------------------
-- Reminders (提示催办)
------------------------------------------------------------------------------
-- Every reminder (催办: case_urge) on a case the caller can see, newest
-- first, keyset after (p_after_at, p_after_event): the partial index of the
-- urge events walked and stopped after a page, each event's visibility that
-- of its case (the policy of case_event).

CREATE OR REPLACE FUNCTION minqing.reminders(p_after_at timestamptz DEFAULT NULL, p_after_event bigint DEFAULT NULL,
                                  p_limit integer DEFAULT 50)
RETURNS TABLE (event_id bigint, urged_at timestamptz, case_id bigint, case_no text,
               status minqing.case_status, warning_level minqing.warning_level, due_at timestamptz,
               title text, unit_name text, urged_by text, note text)
LANGUAGE sql STABLE AS $$
	SELECT e.event_id, e.at, c.case_id, c.case_no, c.status, c.warning_level, c.due_at, c.title,
	       u.name, coalesce(s.display_name, e.actor::text), e.note
	  FROM minqing.case_event e
	  JOIN minqing.cases c ON c.case_id = e.case_id
	  JOIN minqing.org_unit u ON u.unit_id = coalesce(c.assigned_unit_id, c.origin_unit_id)
	  LEFT JOIN minqing.staff s ON s.login = e.actor
	 WHERE e.kind = 'urge'
	   AND (p_after_event IS NULL OR (e.at, e.event_id) < (p_after_at, p_after_event))
	 ORDER BY e.at DESC, e.event_id DESC
	 LIMIT least(greatest(coalesce(p_limit, 50), 1), 500)
$$;
COMMENT ON FUNCTION minqing.reminders(timestamptz, bigint, integer) IS
	'Reminders (提示催办): the reminders on cases the caller can see, newest first, a page at a time by '
	'keyset (at, event id).';
REVOKE ALL ON FUNCTION minqing.reminders(timestamptz, bigint, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.reminders(timestamptz, bigint, integer) TO mq_staff;

------------------------------------------------------------------------------
-- Party-member links (党员联户)
------------------------------------------------------------------------------
-- The party members (p_kind 'party_member') or villager representatives
-- ('representative') the caller can see, each with the number of households
-- they look after, fewest first (those under five are the ones to see to),
-- a page at a time by keyset (households, resident id); p_show 'few': only
-- those under five. The counts are kept per contact (contact_count,
-- 037_contact_count.sql): a contact whose links all lie in their own
-- village comes with the kept count, which is what the caller sees of their
-- links, a page read off the index (contact_links_kept(), 80_contact_count.sql);
-- the few with links elsewhere (a household or the contact moved since) are
-- counted under row-level security as before.
CREATE OR REPLACE FUNCTION minqing.contact_links(p_kind text DEFAULT 'party_member',
                                                 p_show text DEFAULT 'all',
                                                 p_after_n integer DEFAULT NULL,
                                                 p_after_id bigint DEFAULT NULL,
                                                 p_limit integer DEFAULT 50)
RETURNS TABLE (resident_id bigint, name text, unit_name text, phone text, households integer)
LANGUAGE plpgsql STABLE SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	k minqing.contact_kind;
	few boolean := coalesce(p_show, 'all') = 'few';
	lim integer := least(greatest(coalesce(p_limit, 50), 1), 500);
BEGIN
	IF coalesce(p_kind, 'party_member') NOT IN ('party_member', 'representative') THEN
		RETURN;
	END IF;
	k := coalesce(p_kind, 'party_member')::minqing.contact_kind;
	RETURN QUERY
	WITH kept AS (
		SELECT * FROM minqing.contact_links_kept(k, few, p_after_n, p_after_id, lim)),
	counted AS (
		SELECT x.resident_id, x.households
		  FROM (SELECT c.resident_id,
		               (SELECT count(*) FROM minqing.household_link l
		                 WHERE l.contact_resident_id = c.resident_id AND l.contact_kind = k)::integer AS households
		          FROM minqing.contact_count c
		         WHERE c.kind = k AND c.elsewhere > 0
		           AND EXISTS (SELECT 1 FROM minqing.resident r WHERE r.resident_id = c.resident_id AND r.active)) x
		 WHERE (NOT few OR x.households < 5)
		   AND (p_after_id IS NULL OR (x.households, x.resident_id) > (p_after_n, p_after_id))),
	page AS (
		SELECT * FROM kept UNION ALL SELECT * FROM counted
		 ORDER BY 2, 1
		 LIMIT lim)
	SELECT p.resident_id, r.name,
	       (SELECT u.name FROM minqing.household h JOIN minqing.org_unit u ON u.unit_id = h.unit_id
	         WHERE h.household_id = r.household_id),
	       r.phone::text, p.households
	  FROM page p JOIN minqing.resident r ON r.resident_id = p.resident_id
	 ORDER BY p.households, p.resident_id;
END
$$;
COMMENT ON FUNCTION minqing.contact_links(text, text, integer, bigint, integer) IS
	'Party-member links (党员联户): the party members or villager representatives the caller can see with '
	'the number of households each looks after, fewest first (p_show ''few'': under five only), a page at a '
	'time by keyset (households, resident id).';
REVOKE ALL ON FUNCTION minqing.contact_links(text, text, integer, bigint, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.contact_links(text, text, integer, bigint, integer) TO mq_staff;

-- The households the caller can see that no party member looks after, by
-- village and household number, a page at a time by keyset (unit id,
-- household number, id). Only the villages where some household has no
-- party link are read, one after another: the counts kept per village
-- (people_count, 034_people_count.sql: a household's link has the
-- household's path, which is its village's, and a household has one party
-- link at most) say which, exact at commit and under the same row-level
-- security. Where every household is linked, the goal (the demo district
-- at scale 10), nothing more is read: an anti-join of the households with
-- their links read all 400,000 of them to find none (0.6 s).
CREATE OR REPLACE FUNCTION minqing.unlinked_households(p_after_unit integer DEFAULT NULL,
                                                       p_after_no text DEFAULT NULL,
                                                       p_after_id bigint DEFAULT NULL,
                                                       p_limit integer DEFAULT 50)
RETURNS TABLE (household_id bigint, unit_id integer, unit_name text, household_no text,
               head_name text, address text, phone text)
LANGUAGE plpgsql STABLE SET search_path = minqing, ext, pg_temp AS $$
#variable_conflict use_column
DECLARE
	lim integer := least(greatest(coalesce(p_limit, 50), 1), 500);
	n integer := 0;
	got integer;
	v record;
BEGIN
	FOR v IN
		SELECT u.unit_id, u.name
		  FROM (SELECT p.path FROM minqing.people_count p
		         WHERE p.kind IN ('households', 'party_linked')
		         GROUP BY p.path
		        HAVING coalesce(sum(p.n) FILTER (WHERE p.kind = 'households'), 0)
		               > coalesce(sum(p.n) FILTER (WHERE p.kind = 'party_linked'), 0)) x
		  JOIN minqing.org_unit u ON u.path = x.path
		 WHERE p_after_id IS NULL OR u.unit_id >= p_after_unit
		 ORDER BY u.unit_id
	LOOP
		RETURN QUERY
		SELECT h.household_id, h.unit_id, v.name, h.household_no,
		       coalesce((SELECT r.name FROM minqing.resident r WHERE r.resident_id = h.head_resident_id), ''),
		       h.address, h.phone::text
		  FROM minqing.household h
		 WHERE h.unit_id = v.unit_id AND h.active
		   AND NOT EXISTS (SELECT 1 FROM minqing.household_link l
		                    WHERE l.household_id = h.household_id AND l.contact_kind = 'party_member')
		   AND (p_after_id IS NULL OR v.unit_id > p_after_unit
		        OR (h.household_no, h.household_id) > (p_after_no, p_after_id))
		 ORDER BY h.household_no, h.household_id
		 LIMIT lim - n;
		GET DIAGNOSTICS got = ROW_COUNT;
		n := n + got;
		EXIT WHEN n >= lim;
	END LOOP;
END
$$;
COMMENT ON FUNCTION minqing.unlinked_households(integer, text, bigint, integer) IS
	'The households the caller can see without a linked party member (户未联系党员), by village and '
	'household number, a page at a time by keyset (unit id, household number, id).';
REVOKE ALL ON FUNCTION minqing.unlinked_households(integer, text, bigint, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.unlinked_households(integer, text, bigint, integer) TO mq_staff;

-- The households a contact (a party member or villager representative)
-- looks after, by household number, a page at a time by keyset (household
-- number, id): the drill-down of 党员联户. Plain SQL, inlined: row-level
-- security on the links and households decides what is listed.
CREATE OR REPLACE FUNCTION minqing.contact_households(p_contact bigint,
                                                      p_after_no text DEFAULT NULL,
                                                      p_after_id bigint DEFAULT NULL,
                                                      p_limit integer DEFAULT 50)
RETURNS TABLE (household_id bigint, household_no text, head_name text, address text, phone text,
               contact_kind minqing.contact_kind, since date, contact_id bigint, contact_name text)
LANGUAGE sql STABLE AS $$
	SELECT h.household_id, h.household_no,
	       coalesce((SELECT r.name FROM minqing.resident r WHERE r.resident_id = h.head_resident_id), ''),
	       h.address, h.phone::text, l.contact_kind, l.since, l.contact_resident_id,
	       (SELECT r.name FROM minqing.resident r WHERE r.resident_id = l.contact_resident_id)
	  FROM minqing.household_link l
	  JOIN minqing.household h ON h.household_id = l.household_id
	 WHERE l.contact_resident_id = p_contact
	   AND (p_after_id IS NULL OR (h.household_no, h.household_id) > (p_after_no, p_after_id))
	 ORDER BY h.household_no, h.household_id
	 LIMIT least(greatest(coalesce(p_limit, 50), 1), 500)
$$;
COMMENT ON FUNCTION minqing.contact_households(bigint, text, bigint, integer) IS
	'The households a party member or villager representative looks after (联系户), by household number, '
	'a page at a time by keyset (household number, id): number, head, address, phone, since when, and the '
	'contact''s id and name (the forms offered on a row take them).';
REVOKE ALL ON FUNCTION minqing.contact_households(bigint, text, bigint, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.contact_households(bigint, text, bigint, integer) TO mq_staff;

RESET ROLE;
