-- schema/functions/61_memo.sql: the household memo (户情民意备忘录): finding
-- a household as an officer types, the household card and its lists
-- (members, cases, demands), saving the memo as revisions and comparing
-- them, the demands (raised, resolved, turned into a case), and the lists
-- of a village or town (no memo, stale memos, open demands).
--
-- The current definition of these functions, with their grants and
-- comments: idempotent, re-applied by `minqing-admin migrate` whenever the
-- function files change (docs/development.md, "Functions, views and
-- grants"). The model and every function's columns: docs/memo.md.
--
-- Every read is a definer function that checks the caller (case_caller:
-- officers, handlers, supervisors, administrators; a kiosk is refused) and
-- the household's or unit's place in the caller's subtree, and still reads
-- the tables under their FORCE row-level security. Phones are masked
-- (mask_phone) and ID numbers shown masked for every duty, as on the case
-- screen and in the pick lists; a handler reads a full ID number through
-- resident_id_card() (audited).

SET LOCAL ROLE mq_owner;
SET LOCAL search_path = minqing, ext, pg_temp;

------------------------------------------------------------------------------
-- The search table (household_search), kept by triggers
------------------------------------------------------------------------------
-- The search rows of the active households p_ids (all when NULL): sort key
-- (the unit's path, a blank, the household number: in byte order a unit's
-- households follow each other, and a subtree's are one range), the
-- number, the head's name, doc (head's name and address, lower case) and
-- its bigrams, the phones of the household and its active members, the
-- last six characters of the members' ID numbers, and the keys: the last
-- four digits of each phone (p4:) and of each ID number (i4:). Plain SQL (no SET, every name
-- qualified) so that it is inlined; reads under the caller's row-level
-- security.
CREATE OR REPLACE FUNCTION minqing.household_search_rows(p_ids bigint[])
RETURNS SETOF minqing.household_search
LANGUAGE sql STABLE AS $$
	SELECT h.household_id, h.district_id, h.path,
	       (h.path::text || ' ' || h.household_no) COLLATE "C", h.household_no COLLATE "C",
	       coalesce(r.name, '') COLLATE "C", d.doc, minqing.text_bigrams(d.doc), ph.phones, i.tails,
	       ARRAY(SELECT DISTINCT k.k
	               FROM (SELECT 'p4:' || right(p.p, 4) FROM unnest(ph.phones) AS p(p)
	                     UNION ALL SELECT 'i4:' || right(t.t, 4) FROM unnest(i.tails) AS t(t)) k(k)
	              ORDER BY 1)
	  FROM minqing.household h
	  LEFT JOIN minqing.resident r ON r.resident_id = h.head_resident_id
	 CROSS JOIN LATERAL (SELECT pg_catalog.lower(pg_catalog.concat_ws(' ', r.name, h.address)) AS doc) d
	 CROSS JOIN LATERAL (SELECT ARRAY(SELECT DISTINCT x.p
	                                    FROM (SELECT h.phone::text
	                                          UNION ALL
	                                          SELECT m.phone::text FROM minqing.resident m
	                                           WHERE m.household_id = h.household_id AND m.active) x(p)
	                                   WHERE x.p IS NOT NULL ORDER BY 1) AS phones) ph
	 CROSS JOIN LATERAL (SELECT ARRAY(SELECT right(m.id_card, 6) FROM minqing.resident m
	                                   WHERE m.household_id = h.household_id AND m.active
	                                     AND m.id_card IS NOT NULL ORDER BY 1) AS tails) i
	 WHERE h.active AND (p_ids IS NULL OR h.household_id = ANY (p_ids))
$$;
COMMENT ON FUNCTION minqing.household_search_rows(bigint[]) IS
	'The rows of household_search for the active households p_ids (all when NULL) the caller can see.';
REVOKE ALL ON FUNCTION minqing.household_search_rows(bigint[]) FROM PUBLIC;

-- Rewrites the search rows of the households p_ids the caller can see
-- (those it cannot see keep theirs; a deleted household's goes with it).
CREATE OR REPLACE FUNCTION minqing.household_search_refresh(p_ids bigint[]) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = minqing, ext, pg_temp AS $$
BEGIN
	DELETE FROM minqing.household_search x
	 WHERE x.household_id IN (SELECT h.household_id FROM minqing.household h
	                           WHERE h.household_id = ANY (p_ids));
	INSERT INTO minqing.household_search SELECT * FROM minqing.household_search_rows(p_ids);
END
$$;
COMMENT ON FUNCTION minqing.household_search_refresh(bigint[]) IS
	'Rewrite the search rows (household_search) of the given households the caller can see.';
REVOKE ALL ON FUNCTION minqing.household_search_refresh(bigint[]) FROM PUBLIC;

-- The statement triggers of household and resident (014): the households
-- the statement touched, once each.
CREATE OR REPLACE FUNCTION minqing.household_search_sync() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	ids bigint[];
BEGIN
	IF TG_OP = 'INSERT' THEN
		ids := ARRAY(SELECT DISTINCT n.household_id FROM new_rows n);
	ELSIF TG_OP = 'UPDATE' THEN
		ids := ARRAY(SELECT n.household_id FROM new_rows n UNION SELECT o.household_id FROM old_rows o);
	ELSIF TG_TABLE_NAME = 'resident' THEN
		ids := ARRAY(SELECT DISTINCT o.household_id FROM old_rows o);
	END IF;
	IF cardinality(ids) > 0 THEN
		PERFORM minqing.household_search_refresh(ids);
	END IF;
	RETURN NULL;
END
$$;
COMMENT ON FUNCTION minqing.household_search_sync() IS
	'Trigger (household, resident): keeps household_search in step with the households a statement touched.';
REVOKE ALL ON FUNCTION minqing.household_search_sync() FROM PUBLIC;

------------------------------------------------------------------------------
-- Small pieces
------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION minqing.hardship_kind_name(p_kind text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN CASE p_kind WHEN 'dibao' THEN '低保' WHEN 'dibian' THEN '低边' WHEN 'tekun' THEN '特困'
                   WHEN 'disabled' THEN '残疾' WHEN 'elderly_alone' THEN '独居老人'
                   WHEN 'left_behind_child' THEN '留守儿童' WHEN 'serious_illness' THEN '重病'
                   ELSE p_kind END;
COMMENT ON FUNCTION minqing.hardship_kind_name(text) IS 'The Chinese name of a hardship kind (dibao 低保 …).';
REVOKE ALL ON FUNCTION minqing.hardship_kind_name(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.hardship_kind_name(text) TO mq_staff;

CREATE OR REPLACE FUNCTION minqing.memo_field_name(p_field text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN CASE p_field WHEN 'living' THEN '家庭生活情况' WHEN 'difficulties' THEN '困难问题'
                    WHEN 'demands_note' THEN '合理诉求' WHEN 'resolution' THEN '化解情况' ELSE p_field END;
COMMENT ON FUNCTION minqing.memo_field_name(text) IS
	'The Chinese label of a memo field (living 家庭生活情况, difficulties 困难问题, demands_note 合理诉求, '
	'resolution 化解情况).';
REVOKE ALL ON FUNCTION minqing.memo_field_name(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.memo_field_name(text) TO mq_staff;

-- The current hardship marks of a household, as one line: 低保、残疾(张三).
CREATE OR REPLACE FUNCTION minqing.household_hardship_summary(p_household bigint) RETURNS text
LANGUAGE sql STABLE AS $$
	SELECT coalesce(string_agg(minqing.hardship_kind_name(m.kind)
	                           || coalesce('(' || r.name || ')', ''), '、' ORDER BY m.mark_id), '')
	  FROM minqing.hardship_mark m
	  LEFT JOIN minqing.resident r ON r.resident_id = m.resident_id
	 WHERE m.household_id = p_household AND m.until IS NULL
$$;
COMMENT ON FUNCTION minqing.household_hardship_summary(bigint) IS
	'The current hardship marks of a household the caller can see as one line (低保、残疾(张三)).';
REVOKE ALL ON FUNCTION minqing.household_hardship_summary(bigint) FROM PUBLIC;

-- The household p_household when it lies in the caller's subtree, locked
-- when p_lock; otherwise "household % not found" (as for one that does not
-- exist: the caller learns nothing of other villages).
CREATE OR REPLACE FUNCTION minqing.memo_household(s minqing.staff, p_household bigint, p_lock boolean DEFAULT false)
RETURNS minqing.household
LANGUAGE plpgsql SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	h minqing.household;
BEGIN
	IF p_lock THEN
		-- (NO KEY: a member may still be added meanwhile.)
		SELECT * INTO h FROM minqing.household x WHERE x.household_id = p_household FOR NO KEY UPDATE;
	ELSE
		SELECT * INTO h FROM minqing.household x WHERE x.household_id = p_household;
	END IF;
	IF NOT FOUND OR NOT minqing.staff_covers(s, h.path) THEN
		RAISE EXCEPTION 'household % not found', coalesce(p_household::text, 'NULL')
			USING ERRCODE = 'no_data_found', COLUMN = 'household';
	END IF;
	RETURN h;
END
$$;
REVOKE ALL ON FUNCTION minqing.memo_household(minqing.staff, bigint, boolean) FROM PUBLIC;

-- The subtree a list covers: the caller's, or that of the unit p_unit (a
-- code) inside it.
CREATE OR REPLACE FUNCTION minqing.memo_scope(s minqing.staff, p_unit text) RETURNS ext.ltree
LANGUAGE plpgsql STABLE SET search_path = minqing, ext, pg_temp AS $$
BEGIN
	IF p_unit IS NULL OR p_unit = '' THEN
		RETURN s.path;
	END IF;
	RETURN (minqing.unit_in_scope(s, p_unit)).path;
END
$$;
REVOKE ALL ON FUNCTION minqing.memo_scope(minqing.staff, text) FROM PUBLIC;

-- The first key after every key that starts with p (byte order).
CREATE OR REPLACE FUNCTION minqing.prefix_end(p text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN left(p, -1) || chr(ascii(right(p, 1)) + 1);
COMMENT ON FUNCTION minqing.prefix_end(text) IS
	'The smallest text (byte order) after every text that starts with p: [p, prefix_end(p)) is a prefix range.';
REVOKE ALL ON FUNCTION minqing.prefix_end(text) FROM PUBLIC;

-- The range of household_search.sort_key that holds exactly the households
-- of the subtree p_path: a village's own households ('LW.T01.T01V01 …'),
-- or those of the units below it ('LW.T01.…'), as households belong to
-- villages and communities only. A range, not `path <@`: the planner
-- estimates a range from the statistics, but gives <@ a fixed 0.1 %, and
-- for a town's 50,000 households chose to fetch and sort them all.
CREATE OR REPLACE FUNCTION minqing.household_key_range(p_path ext.ltree, OUT lo text, OUT hi text)
LANGUAGE sql STABLE AS $$
	SELECT r.lo, minqing.prefix_end(r.lo)
	  FROM (SELECT p_path::text
	               || CASE WHEN EXISTS (SELECT 1 FROM minqing.org_unit u
	                                     WHERE u.path = p_path AND u.kind IN ('village', 'community'))
	                       THEN ' ' ELSE '.' END AS lo) r
$$;
COMMENT ON FUNCTION minqing.household_key_range(ext.ltree) IS
	'The range [lo, hi) of household_search.sort_key (byte order) that holds exactly the households of a subtree.';
REVOKE ALL ON FUNCTION minqing.household_key_range(ext.ltree) FROM PUBLIC;

------------------------------------------------------------------------------
-- What a search typed in the household search looks like
------------------------------------------------------------------------------
-- kind: empty (every household, in order); household_no (letters or digits,
-- a dash, then letters, digits, dashes: a number prefix, upper-cased);
-- phone (a mainland mobile, or a landline with its area code); tail (4 to
-- 10 digits: the end of a phone number, and for 4 to 6 digits also the end
-- of an ID number); id_tail (3 to 5 digits and X: the end of an ID number,
-- upper-cased); short (one character: the beginning of the head's name, a
-- surname); words (2+ characters: part of the head's name or the address).
-- norm: the text searched for, trimmed of blanks and the ideographic space.
CREATE OR REPLACE FUNCTION minqing.household_query(p_query text, OUT kind text, OUT norm text)
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
	SELECT CASE
	         WHEN q = '' THEN 'empty'
	         WHEN q ~ '^(1[3-9][0-9]{9}|0[0-9]{2,3}-[0-9]{7,8})$' THEN 'phone'
	         WHEN q ~ '^[0-9]{4,10}$' THEN 'tail'
	         WHEN q ~ '^[0-9]{3,5}[Xx]$' THEN 'id_tail'
	         WHEN q ~ '^[A-Za-z0-9_]+-[A-Za-z0-9-]*$' THEN 'household_no'
	         WHEN char_length(q) < 2 THEN 'short'
	         ELSE 'words'
	       END,
	       CASE WHEN q ~ '^[A-Za-z0-9_]+-[A-Za-z0-9-]*$' OR q ~ '^[0-9]{3,5}[Xx]$' THEN upper(q) ELSE q END
	  FROM (SELECT btrim(coalesce(p_query, ''), E' \t\u3000') AS q) t
$$;
COMMENT ON FUNCTION minqing.household_query(text) IS
	'What a search typed in the household search (户情查询) looks like: its kind (empty, household_no, '
	'phone, tail, id_tail, short, words) and the normalised text searched for.';
REVOKE ALL ON FUNCTION minqing.household_query(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.household_query(text) TO mq_staff;

------------------------------------------------------------------------------
-- The household search (户情查询)
------------------------------------------------------------------------------
-- The households of the caller's subtree found by what was typed
-- (household_query), in sort_key order (by village, then household number),
-- a page at a time by keyset (p_after_key, p_after_id: the sort_key and
-- household_id of the last row shown). Every kind is an index lookup of
-- household_search limited to the caller's subtree by its sort-key range
-- (household_key_range), except words and short (a name or address part, a
-- surname), which may match thousands: the next 1,000 households in order
-- are checked first (a common word fills its page there), then the bigram
-- index (or the head-name index) finds the rarer matches beyond them. The
-- owner's policy of household_search lets the indexes serve; the subtree
-- is this function's own condition (the key range), and the households are
-- read under their row-level security as well. Every statement is planned
-- with the values of the call (force_custom_plan): a generic plan, which
-- PL/pgSQL would switch to after five calls of a session, cannot tell a
-- rare word from a common one and would walk the whole district in order.
CREATE OR REPLACE FUNCTION minqing.household_search(p_query text DEFAULT NULL, p_after_key text DEFAULT NULL,
                                                    p_after_id bigint DEFAULT NULL, p_limit integer DEFAULT 20)
RETURNS TABLE (household_id bigint, household_no text, unit_code text, unit_name text, head_name text,
               address text, phone text, members integer, has_memo boolean, memo_stale boolean,
               open_demands integer, hardship text, sort_key text)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = minqing, ext, pg_temp SET jit = off
                 SET plan_cache_mode = force_custom_plan AS $$
#variable_conflict use_column
DECLARE
	s minqing.staff;
	k text;
	q text;
	lim integer := least(greatest(coalesce(p_limit, 20), 1), 200);
	lo text;
	hi text;
	ak text := coalesce(p_after_key, '');
	aid bigint := coalesce(p_after_id, -1);
	pat text;
	ids bigint[] := '{}';
	w_id bigint[];
	w_key text[];
	w_hit boolean[];
	w_n integer;
	i integer;
	len integer;
BEGIN
	s := minqing.case_caller('{officer,handler,supervisor,admin}');
	SELECT x.kind, x.norm INTO k, q FROM minqing.household_query(p_query) x;
	IF char_length(q) > 100 THEN
		RAISE EXCEPTION 'the search is too long: % characters, at most 100', char_length(q)
			USING ERRCODE = 'string_data_right_truncation', COLUMN = 'query';
	END IF;
	SELECT r.lo, r.hi INTO lo, hi FROM minqing.household_key_range(s.path) r;
	IF p_after_key IS NOT NULL AND ak COLLATE "C" > lo COLLATE "C" THEN
		lo := ak;
	END IF;
	len := char_length(q);
	IF k IN ('words', 'short', 'empty') THEN
		pat := CASE k WHEN 'words' THEN minqing.like_contains(q)
		              WHEN 'short' THEN replace(replace(replace(q, '\', '\\'), '%', '\%'), '_', '\_') || '%'
		              ELSE '%' END;
		-- The next 1,000 households in order, and which of them match.
		SELECT array_agg(w.household_id ORDER BY w.sort_key, w.household_id),
		       array_agg(w.sort_key ORDER BY w.sort_key, w.household_id),
		       array_agg(w.hit ORDER BY w.sort_key, w.household_id), count(*)
		  INTO w_id, w_key, w_hit, w_n
		  FROM (SELECT x.household_id, x.sort_key,
		               CASE k WHEN 'words' THEN x.doc LIKE pat WHEN 'short' THEN x.head_name LIKE pat
		                      ELSE true END AS hit
		          FROM minqing.household_search x
		         WHERE x.sort_key >= lo COLLATE "C" AND x.sort_key < hi COLLATE "C"
		           AND (x.sort_key, x.household_id) > (ak COLLATE "C", aid)
		         ORDER BY x.sort_key, x.household_id LIMIT CASE WHEN k = 'empty' THEN lim ELSE 1000 END) w;
		FOR i IN 1 .. coalesce(w_n, 0) LOOP
			IF w_hit[i] THEN
				ids := ids || w_id[i];
				EXIT WHEN cardinality(ids) >= lim;
			END IF;
		END LOOP;
		IF k <> 'empty' AND cardinality(ids) < lim AND w_n = 1000 THEN
			IF k = 'words' THEN
				ids := ids || ARRAY(
					SELECT x.household_id FROM minqing.household_search x
					 WHERE x.grams @> minqing.text_bigrams(q) AND x.doc LIKE pat
					   AND x.sort_key >= lo COLLATE "C" AND x.sort_key < hi COLLATE "C"
					   AND (x.sort_key, x.household_id) > (w_key[w_n], w_id[w_n])
					 ORDER BY x.sort_key, x.household_id LIMIT lim - cardinality(ids));
			ELSE
				ids := ids || ARRAY(
					SELECT x.household_id FROM minqing.household_search x
					 WHERE x.head_name >= q COLLATE "C" AND x.head_name < minqing.prefix_end(q) COLLATE "C"
					   AND x.sort_key >= lo COLLATE "C" AND x.sort_key < hi COLLATE "C"
					   AND (x.sort_key, x.household_id) > (w_key[w_n], w_id[w_n])
					 ORDER BY x.sort_key, x.household_id LIMIT lim - cardinality(ids));
			END IF;
		END IF;
	ELSIF k = 'household_no' THEN
		ids := ARRAY(
			SELECT x.household_id FROM minqing.household_search x
			 WHERE x.household_no >= q COLLATE "C" AND x.household_no < minqing.prefix_end(q) COLLATE "C"
			   AND x.sort_key >= lo COLLATE "C" AND x.sort_key < hi COLLATE "C"
			   AND (x.sort_key, x.household_id) > (ak COLLATE "C", aid)
			 ORDER BY x.sort_key, x.household_id LIMIT lim);
	ELSIF k = 'phone' THEN
		ids := ARRAY(
			SELECT x.household_id FROM minqing.household_search x
			 WHERE x.keys @> ARRAY['p4:' || right(q, 4)] AND q = ANY (x.phones)
			   AND x.sort_key >= lo COLLATE "C" AND x.sort_key < hi COLLATE "C"
			   AND (x.sort_key, x.household_id) > (ak COLLATE "C", aid)
			 ORDER BY x.sort_key, x.household_id LIMIT lim);
	ELSE -- the end of a phone number, or (4 to 6 characters) of an ID number
		ids := ARRAY(
			SELECT x.household_id FROM minqing.household_search x
			 WHERE x.keys && ARRAY[CASE WHEN k = 'tail' THEN 'p4:' || right(q, 4) END,
			                       CASE WHEN len <= 6 THEN 'i4:' || right(q, 4) END]
			   AND ((k = 'tail' AND EXISTS (SELECT 1 FROM unnest(x.phones) AS p(p) WHERE right(p.p, len) = q))
			        OR (len <= 6 AND EXISTS (SELECT 1 FROM unnest(x.id_tails) AS t(t) WHERE right(t.t, len) = q)))
			   AND x.sort_key >= lo COLLATE "C" AND x.sort_key < hi COLLATE "C"
			   AND (x.sort_key, x.household_id) > (ak COLLATE "C", aid)
			 ORDER BY x.sort_key, x.household_id LIMIT lim);
	END IF;
	RETURN QUERY
	SELECT h.household_id, h.household_no, u.code, u.name, coalesce(r.name, ''), h.address,
	       coalesce(minqing.mask_phone(h.phone), ''),
	       (SELECT count(*) FROM minqing.resident m WHERE m.household_id = h.household_id AND m.active)::integer,
	       m.household_id IS NOT NULL,
	       coalesce(m.saved_at < now() - make_interval(months => minqing.archive_stale_months(h.district_id)),
	                false),
	       (SELECT count(*) FROM minqing.household_demand d
	         WHERE d.household_id = h.household_id AND d.status = 'open')::integer,
	       minqing.household_hardship_summary(h.household_id),
	       h.path::text || ' ' || h.household_no
	  FROM unnest(ids) WITH ORDINALITY AS o(id, n)
	  JOIN minqing.household h ON h.household_id = o.id
	  JOIN minqing.org_unit u ON u.unit_id = h.unit_id
	  LEFT JOIN minqing.resident r ON r.resident_id = h.head_resident_id
	  LEFT JOIN minqing.household_memo m ON m.household_id = h.household_id
	 ORDER BY o.n;
END
$$;
COMMENT ON FUNCTION minqing.household_search(text, text, bigint, integer) IS
	'The household search (户情查询): the households of the caller''s jurisdiction found by number (prefix), '
	'head''s name or address (a part of 2+ characters; one character: the beginning of the head''s name), '
	'phone (whole, or its last 4-10 digits) or the last 4-6 characters of a member''s ID number '
	'(household_query), by village and number, p_limit (at most 200) at a time; the next page: p_after_key, '
	'p_after_id = sort_key, household_id of the last row. Phone masked.';
REVOKE ALL ON FUNCTION minqing.household_search(text, text, bigint, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.household_search(text, text, bigint, integer) TO mq_staff;

------------------------------------------------------------------------------
-- The household card (户情卡)
------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION minqing.household_card(p_household bigint)
RETURNS TABLE (household_id bigint, household_no text, address text, unit_code text, unit_name text,
               grid_cell text, head_resident_id bigint, head_name text, phone text, members integer,
               party_member_name text, party_member_phone text, representative_name text,
               representative_phone text, living text, difficulties text, demands_note text, resolution text,
               memo_saved_at timestamptz, memo_saved_by name, memo_saved_by_name text, revision_no integer,
               memo_stale boolean, row_version integer, open_demands integer, hardship text)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = minqing, ext, pg_temp SET jit = off AS $$
#variable_conflict use_column
DECLARE
	s minqing.staff;
	h minqing.household;
BEGIN
	s := minqing.case_caller('{officer,handler,supervisor,admin}');
	h := minqing.memo_household(s, p_household);
	RETURN QUERY
	SELECT h.household_id, h.household_no, h.address, u.code, u.name,
	       -- the household's cell (household_cell; the visits migration), else the register's text
	       coalesce((SELECT c.name FROM minqing.household_cell hc JOIN minqing.grid_cell c ON c.cell_id = hc.cell_id
	                  WHERE hc.household_id = h.household_id), h.grid_cell, ''),
	       h.head_resident_id, coalesce(r.name, ''), coalesce(minqing.mask_phone(h.phone), ''),
	       (SELECT count(*) FROM minqing.resident x WHERE x.household_id = h.household_id AND x.active)::integer,
	       pm.name, minqing.mask_phone(pm.phone), rep.name, minqing.mask_phone(rep.phone),
	       m.living, m.difficulties, m.demands_note, m.resolution, m.saved_at, m.saved_by,
	       (SELECT st.display_name FROM minqing.staff st WHERE st.login = m.saved_by),
	       coalesce(m.revision_no, 0),
	       coalesce(m.saved_at < now() - make_interval(months => minqing.archive_stale_months(h.district_id)),
	                false),
	       coalesce(m.row_version, 0),
	       (SELECT count(*) FROM minqing.household_demand d
	         WHERE d.household_id = h.household_id AND d.status = 'open')::integer,
	       minqing.household_hardship_summary(h.household_id)
	  FROM minqing.org_unit u
	  LEFT JOIN minqing.resident r ON r.resident_id = h.head_resident_id
	  LEFT JOIN minqing.household_memo m ON m.household_id = h.household_id
	  LEFT JOIN LATERAL (SELECT c.name, c.phone FROM minqing.household_link l
	                       JOIN minqing.resident c ON c.resident_id = l.contact_resident_id
	                      WHERE l.household_id = h.household_id AND l.contact_kind = 'party_member') pm ON true
	  LEFT JOIN LATERAL (SELECT string_agg(c.name, '、' ORDER BY c.name) AS name, min(c.phone) AS phone
	                       FROM minqing.household_link l
	                       JOIN minqing.resident c ON c.resident_id = l.contact_resident_id
	                      WHERE l.household_id = h.household_id AND l.contact_kind = 'representative') rep ON true
	 WHERE u.unit_id = h.unit_id;
END
$$;
COMMENT ON FUNCTION minqing.household_card(bigint) IS
	'The household card (户情卡): number, address, village, head, phone (masked), the linked party member '
	'and villager representative (phones masked), the memo''s four fields, when and by whom it was last '
	'saved, its revision number, stale, row_version (pass it to memo_save; 0: no memo yet), open demands '
	'and the current hardship marks. Staff of the village or above; a kiosk nothing.';
REVOKE ALL ON FUNCTION minqing.household_card(bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.household_card(bigint) TO mq_staff;

CREATE OR REPLACE FUNCTION minqing.household_members(p_household bigint)
RETURNS TABLE (resident_id bigint, name text, relation text, age integer, sex text, phone text, id_card text,
               is_head boolean, party_member boolean, representative boolean)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = minqing, ext, pg_temp SET jit = off AS $$
#variable_conflict use_column
DECLARE
	s minqing.staff;
	h minqing.household;
BEGIN
	s := minqing.case_caller('{officer,handler,supervisor,admin}');
	h := minqing.memo_household(s, p_household);
	RETURN QUERY
	SELECT r.resident_id, r.name, r.relation::text,
	       extract(year FROM age(current_date,
	                             coalesce(r.birth_date,
	                                      CASE WHEN r.id_card IS NOT NULL
	                                           THEN to_date(substr(r.id_card, 7, 8), 'YYYYMMDD') END)))::integer,
	       coalesce(r.gender::text, CASE WHEN r.id_card IS NOT NULL
	                                     THEN CASE WHEN substr(r.id_card, 17, 1)::integer % 2 = 1 THEN 'M'
	                                               ELSE 'F' END END, ''),
	       coalesce(minqing.mask_phone(r.phone), ''), coalesce(r.id_card_masked, ''),
	       r.resident_id = h.head_resident_id,
	       EXISTS (SELECT 1 FROM minqing.party_member p WHERE p.resident_id = r.resident_id),
	       EXISTS (SELECT 1 FROM minqing.villager_representative v WHERE v.resident_id = r.resident_id)
	  FROM minqing.resident r
	 WHERE r.household_id = h.household_id AND r.active
	 ORDER BY r.resident_id = h.head_resident_id DESC,
	          array_position(enum_range(NULL::minqing.relation), r.relation), r.birth_date, r.resident_id;
END
$$;
COMMENT ON FUNCTION minqing.household_members(bigint) IS
	'The members of a household, the head first: name, relation, age and sex (from the birth date, else '
	'the ID number), phone masked, ID number masked, head, party member, villager representative.';
REVOKE ALL ON FUNCTION minqing.household_members(bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.household_members(bigint) TO mq_staff;

-- The household's cases the caller can see (the cases' row-level
-- security), newest first, keyset (p_before_at, p_before_id).
CREATE OR REPLACE FUNCTION minqing.household_cases(p_household bigint, p_before_at timestamptz DEFAULT NULL,
                                                   p_before_id bigint DEFAULT NULL, p_limit integer DEFAULT 20)
RETURNS TABLE (case_id bigint, case_no text, status minqing.case_status, title text, received_at timestamptz,
               result text)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = minqing, ext, pg_temp SET jit = off AS $$
#variable_conflict use_column
DECLARE
	s minqing.staff;
	h minqing.household;
BEGIN
	s := minqing.case_caller('{officer,handler,supervisor,admin}');
	h := minqing.memo_household(s, p_household);
	RETURN QUERY
	SELECT c.case_id, c.case_no, c.status, c.title, c.created_at, coalesce(c.result, '')
	  FROM minqing.cases c
	 WHERE c.household_id = h.household_id
	   AND (p_before_id IS NULL OR (c.created_at, c.case_id) < (p_before_at, p_before_id))
	 ORDER BY c.created_at DESC, c.case_id DESC
	 LIMIT least(greatest(coalesce(p_limit, 20), 1), 200);
END
$$;
COMMENT ON FUNCTION minqing.household_cases(bigint, timestamptz, bigint, integer) IS
	'The cases of a household the caller can see, newest first: number, status, title, received at, result; '
	'the next page: p_before_at, p_before_id = received_at, case_id of the last row.';
REVOKE ALL ON FUNCTION minqing.household_cases(bigint, timestamptz, bigint, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.household_cases(bigint, timestamptz, bigint, integer) TO mq_staff;

CREATE OR REPLACE FUNCTION minqing.household_demands(p_household bigint)
RETURNS TABLE (demand_id bigint, content text, raised_on date, raised_by name, raised_by_name text, status text,
               resolution text, resolved_at timestamptz, case_id bigint, case_no text,
               case_status minqing.case_status, row_version integer)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = minqing, ext, pg_temp SET jit = off AS $$
#variable_conflict use_column
DECLARE
	s minqing.staff;
	h minqing.household;
BEGIN
	s := minqing.case_caller('{officer,handler,supervisor,admin}');
	h := minqing.memo_household(s, p_household);
	RETURN QUERY
	SELECT d.demand_id, d.content, d.raised_on, d.raised_by,
	       (SELECT st.display_name FROM minqing.staff st WHERE st.login = d.raised_by), d.status,
	       coalesce(d.resolution, ''), d.resolved_at, d.case_id, d.case_no,
	       (SELECT c.status FROM minqing.cases c WHERE c.case_id = d.case_id), d.row_version
	  FROM minqing.household_demand d
	 WHERE d.household_id = h.household_id
	 ORDER BY d.status <> 'open', d.raised_on DESC, d.demand_id DESC;
END
$$;
COMMENT ON FUNCTION minqing.household_demands(bigint) IS
	'The demands of a household, open first, newest first: text, raised on and by, status (open, resolved, '
	'case), the resolution note, and for one turned into a case its number and the case''s status (NULL '
	'where the caller cannot see the case).';
REVOKE ALL ON FUNCTION minqing.household_demands(bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.household_demands(bigint) TO mq_staff;

------------------------------------------------------------------------------
-- Saving the memo; its revisions and their differences
------------------------------------------------------------------------------
-- The four fields default to NULL (none) so that a form may leave one
-- empty; the row version defaults too but is required inside.
CREATE OR REPLACE FUNCTION minqing.memo_save(p_household bigint, p_living text DEFAULT NULL,
                                             p_difficulties text DEFAULT NULL, p_demands_note text DEFAULT NULL,
                                             p_resolution text DEFAULT NULL, p_row_version integer DEFAULT NULL)
RETURNS TABLE (revision_id bigint, revision_no integer, row_version integer, changed text[])
LANGUAGE plpgsql SECURITY DEFINER SET search_path = minqing, ext, pg_temp SET jit = off AS $$
#variable_conflict use_column
DECLARE
	s minqing.staff;
	h minqing.household;
	m minqing.household_memo;
	ch text[];
	rid bigint;
	no integer;
	v_living text := nullif(btrim(p_living), '');
	v_difficulties text := nullif(btrim(p_difficulties), '');
	v_demands_note text := nullif(btrim(p_demands_note), '');
	v_resolution text := nullif(btrim(p_resolution), '');
BEGIN
	s := minqing.case_caller('{officer,handler,admin}');
	IF p_row_version IS NULL THEN
		PERFORM minqing.require_text(NULL, 'row_version');
	END IF;
	-- The household's lock serialises saves (the first save of a memo too).
	h := minqing.memo_household(s, p_household, true);
	SELECT * INTO m FROM minqing.household_memo x WHERE x.household_id = h.household_id FOR UPDATE;
	IF coalesce(m.row_version, 0) <> p_row_version THEN
		RAISE EXCEPTION 'the memo of household % was saved by someone else since you opened it', h.household_no
			USING ERRCODE = 'serialization_failure',
			      DETAIL = format('version %s when opened, %s now', p_row_version, coalesce(m.row_version, 0)),
			      HINT = 'reload the memo and try again';
	END IF;
	ch := ARRAY(SELECT f.f FROM (VALUES ('living', v_living, m.living),
	                                    ('difficulties', v_difficulties, m.difficulties),
	                                    ('demands_note', v_demands_note, m.demands_note),
	                                    ('resolution', v_resolution, m.resolution)) AS f(f, a, b)
	             WHERE f.a IS DISTINCT FROM f.b);
	no := coalesce(m.revision_no, 0) + 1;
	INSERT INTO minqing.household_memo_revision (household_id, revision_no, district_id, path, living, difficulties,
	                                             demands_note, resolution, changed)
	VALUES (h.household_id, no, h.district_id, h.path, v_living, v_difficulties, v_demands_note, v_resolution, ch)
	RETURNING household_memo_revision.revision_id INTO rid;
	IF m.household_id IS NULL THEN
		INSERT INTO minqing.household_memo (household_id, district_id, unit_id, path, living, difficulties,
		                                    demands_note, resolution)
		VALUES (h.household_id, h.district_id, h.unit_id, h.path, v_living, v_difficulties, v_demands_note,
		        v_resolution);
	ELSE
		UPDATE minqing.household_memo x
		   SET living = v_living, difficulties = v_difficulties,
		       demands_note = v_demands_note, resolution = v_resolution, revision_no = no,
		       saved_at = now(), saved_by = session_user
		 WHERE x.household_id = h.household_id;
	END IF;
	RETURN QUERY SELECT rid, no, coalesce(m.row_version, 0) + 1, ch;
END
$$;
COMMENT ON FUNCTION minqing.memo_save(bigint, text, text, text, text, integer) IS
	'Save a household memo (all four fields; empty is none): p_row_version is the row_version the person '
	'opened (household_card; 0: no memo yet), refused with 40001 when someone saved since. Every save is a '
	'new revision with the fields that changed. Officers of the village, handlers and administrators above it.';
REVOKE ALL ON FUNCTION minqing.memo_save(bigint, text, text, text, text, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.memo_save(bigint, text, text, text, text, integer)
	TO mq_officer, mq_handler, mq_admin;

CREATE OR REPLACE FUNCTION minqing.memo_history(p_household bigint, p_before_revision integer DEFAULT NULL,
                                                p_limit integer DEFAULT 20)
RETURNS TABLE (revision_id bigint, revision_no integer, saved_at timestamptz, saved_by name, saved_by_name text,
               changed text[], changed_names text)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = minqing, ext, pg_temp SET jit = off AS $$
#variable_conflict use_column
DECLARE
	s minqing.staff;
	h minqing.household;
BEGIN
	s := minqing.case_caller('{officer,handler,supervisor,admin}');
	h := minqing.memo_household(s, p_household);
	RETURN QUERY
	SELECT r.revision_id, r.revision_no, r.saved_at, r.saved_by, st.display_name, r.changed,
	       array_to_string(ARRAY(SELECT minqing.memo_field_name(c) FROM unnest(r.changed) AS c), '、')
	  FROM minqing.household_memo_revision r
	  LEFT JOIN minqing.staff st ON st.login = r.saved_by
	 WHERE r.household_id = h.household_id
	   AND (p_before_revision IS NULL OR r.revision_no < p_before_revision)
	 ORDER BY r.revision_no DESC
	 LIMIT least(greatest(coalesce(p_limit, 20), 1), 200);
END
$$;
COMMENT ON FUNCTION minqing.memo_history(bigint, integer, integer) IS
	'The revisions of a household memo, newest first: who saved when and which fields changed (codes and '
	'Chinese labels); the next page: p_before_revision = the last revision_no shown.';
REVOKE ALL ON FUNCTION minqing.memo_history(bigint, integer, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.memo_history(bigint, integer, integer) TO mq_staff;

-- A revision the caller may read, or "not found".
CREATE OR REPLACE FUNCTION minqing.memo_revision_for(s minqing.staff, p_revision bigint, p_column text)
RETURNS minqing.household_memo_revision
LANGUAGE plpgsql STABLE SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	r minqing.household_memo_revision;
BEGIN
	SELECT * INTO r FROM minqing.household_memo_revision x WHERE x.revision_id = p_revision;
	IF NOT FOUND OR NOT minqing.staff_covers(s, r.path) THEN
		RAISE EXCEPTION 'memo revision % not found', coalesce(p_revision::text, 'NULL')
			USING ERRCODE = 'no_data_found', COLUMN = p_column;
	END IF;
	RETURN r;
END
$$;
REVOKE ALL ON FUNCTION minqing.memo_revision_for(minqing.staff, bigint, text) FROM PUBLIC;

CREATE OR REPLACE FUNCTION minqing.memo_diff(p_memo_revision_a bigint, p_memo_revision_b bigint)
RETURNS TABLE (field text, field_name text, before text, after text)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = minqing, ext, pg_temp SET jit = off AS $$
#variable_conflict use_column
DECLARE
	s minqing.staff;
	a minqing.household_memo_revision;
	b minqing.household_memo_revision;
BEGIN
	s := minqing.case_caller('{officer,handler,supervisor,admin}');
	a := minqing.memo_revision_for(s, p_memo_revision_a, 'revision_a');
	b := minqing.memo_revision_for(s, p_memo_revision_b, 'revision_b');
	IF a.household_id <> b.household_id THEN
		RAISE EXCEPTION 'memo revisions % and % are not of the same household', a.revision_id, b.revision_id
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	RETURN QUERY
	SELECT f.f, minqing.memo_field_name(f.f), f.x, f.y
	  FROM (VALUES (1, 'living', a.living, b.living), (2, 'difficulties', a.difficulties, b.difficulties),
	               (3, 'demands_note', a.demands_note, b.demands_note),
	               (4, 'resolution', a.resolution, b.resolution)) AS f(n, f, x, y)
	 WHERE f.x IS DISTINCT FROM f.y
	 ORDER BY f.n;
END
$$;
COMMENT ON FUNCTION minqing.memo_diff(bigint, bigint) IS
	'The fields that differ between two revisions of one household memo: field, its Chinese label, the '
	'text in p_memo_revision_a (before) and in p_memo_revision_b (after); NULL where empty.';
REVOKE ALL ON FUNCTION minqing.memo_diff(bigint, bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.memo_diff(bigint, bigint) TO mq_staff;

------------------------------------------------------------------------------
-- Demands (诉求)
------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION minqing.demand_add(p_household bigint, p_content text, p_raised_on date DEFAULT NULL)
RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = minqing, ext, pg_temp SET jit = off AS $$
DECLARE
	s minqing.staff;
	h minqing.household;
	id bigint;
BEGIN
	s := minqing.case_caller('{officer,handler,admin}');
	h := minqing.memo_household(s, p_household);
	PERFORM minqing.require_text(p_content, 'content');
	IF p_raised_on > current_date THEN
		RAISE EXCEPTION 'a demand cannot be raised in the future'
			USING ERRCODE = 'invalid_parameter_value', COLUMN = 'raised_on';
	END IF;
	INSERT INTO minqing.household_demand (household_id, district_id, unit_id, path, content, raised_on)
	VALUES (h.household_id, h.district_id, h.unit_id, h.path, btrim(p_content), coalesce(p_raised_on, current_date))
	RETURNING demand_id INTO id;
	RETURN id;
END
$$;
COMMENT ON FUNCTION minqing.demand_add(bigint, text, date) IS
	'Record a demand (诉求) of a household, raised on a day (today by default); returns its id. Officers of '
	'the village, handlers and administrators above it. Audited.';
REVOKE ALL ON FUNCTION minqing.demand_add(bigint, text, date) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.demand_add(bigint, text, date) TO mq_officer, mq_handler, mq_admin;

-- An open demand the caller may change, locked; otherwise "not found" or
-- "already resolved / already a case".
CREATE OR REPLACE FUNCTION minqing.demand_for(s minqing.staff, p_demand bigint) RETURNS minqing.household_demand
LANGUAGE plpgsql SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	d minqing.household_demand;
BEGIN
	SELECT * INTO d FROM minqing.household_demand x WHERE x.demand_id = p_demand FOR UPDATE;
	IF NOT FOUND OR NOT minqing.staff_covers(s, d.path) THEN
		RAISE EXCEPTION 'demand % not found', coalesce(p_demand::text, 'NULL')
			USING ERRCODE = 'no_data_found', COLUMN = 'demand';
	END IF;
	IF d.status <> 'open' THEN
		RAISE EXCEPTION 'demand % is no longer open', p_demand
			USING ERRCODE = 'invalid_transaction_state', COLUMN = 'demand';
	END IF;
	RETURN d;
END
$$;
REVOKE ALL ON FUNCTION minqing.demand_for(minqing.staff, bigint) FROM PUBLIC;

CREATE OR REPLACE FUNCTION minqing.demand_resolve(p_demand bigint, p_note text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = minqing, ext, pg_temp SET jit = off AS $$
DECLARE
	s minqing.staff;
	d minqing.household_demand;
BEGIN
	s := minqing.case_caller('{officer,handler,admin}');
	d := minqing.demand_for(s, p_demand);
	PERFORM minqing.require_text(p_note, 'note');
	UPDATE minqing.household_demand x SET status = 'resolved', resolution = btrim(p_note), resolved_at = now(),
	       resolved_by = session_user
	 WHERE x.demand_id = d.demand_id;
END
$$;
COMMENT ON FUNCTION minqing.demand_resolve(bigint, text) IS
	'Mark an open demand resolved, with a note saying how. Audited.';
REVOKE ALL ON FUNCTION minqing.demand_resolve(bigint, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.demand_resolve(bigint, text) TO mq_officer, mq_handler, mq_admin;

-- What the intake form is filled in with for a demand: the title (the
-- demand's first line, cut to 40 characters), the content, the household,
-- its head as the submitter.
CREATE OR REPLACE FUNCTION minqing.demand_intake_defaults(p_demand bigint)
RETURNS TABLE (demand_id bigint, title text, content text, household_id bigint, household_no text,
               resident_id bigint, submitter_name text, submitter_phone text)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = minqing, ext, pg_temp SET jit = off AS $$
#variable_conflict use_column
DECLARE
	s minqing.staff;
	d minqing.household_demand;
BEGIN
	s := minqing.case_caller('{officer,handler,admin}');
	SELECT * INTO d FROM minqing.household_demand x WHERE x.demand_id = p_demand;
	IF NOT FOUND OR NOT minqing.staff_covers(s, d.path) THEN
		RAISE EXCEPTION 'demand % not found', coalesce(p_demand::text, 'NULL')
			USING ERRCODE = 'no_data_found', COLUMN = 'demand';
	END IF;
	RETURN QUERY
	SELECT d.demand_id, left(split_part(d.content, E'\n', 1), 40), d.content, h.household_id, h.household_no,
	       r.resident_id, coalesce(r.name, ''), coalesce(minqing.mask_phone(r.phone), '')
	  FROM minqing.household h
	  LEFT JOIN minqing.resident r ON r.resident_id = h.head_resident_id
	 WHERE h.household_id = d.household_id;
END
$$;
COMMENT ON FUNCTION minqing.demand_intake_defaults(bigint) IS
	'What the intake form (受理登记) is filled in with for a demand: title (its first line, 40 characters at '
	'most), content, the household, its head as the submitter (resident_id, name; phone masked, for showing: '
	'case_intake takes the resident''s own phone when none is given).';
REVOKE ALL ON FUNCTION minqing.demand_intake_defaults(bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.demand_intake_defaults(bigint) TO mq_officer, mq_handler, mq_admin;

-- A demand becomes a case: case_intake() in this transaction with the
-- household, its head as the submitter, the demand's text as the content
-- (each may be overridden), then the demand points at the case.
CREATE OR REPLACE FUNCTION minqing.demand_to_case(
	p_demand bigint, p_channel minqing.case_channel, p_category integer, p_title text DEFAULT NULL,
	p_content text DEFAULT NULL, p_urgency minqing.urgency DEFAULT 'normal', p_is_key boolean DEFAULT NULL,
	p_station integer DEFAULT NULL, p_submitter_name text DEFAULT NULL, p_submitter_phone text DEFAULT NULL,
	OUT case_id bigint, OUT case_no text, OUT duplicates jsonb)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = minqing, ext, pg_temp SET jit = off AS $$
#variable_conflict use_variable
DECLARE
	s minqing.staff;
	d minqing.household_demand;
	f record;
	c record;
BEGIN
	s := minqing.case_caller('{officer,handler,admin}');
	d := minqing.demand_for(s, p_demand);
	SELECT * INTO f FROM minqing.demand_intake_defaults(p_demand);
	SELECT * INTO c
	  FROM minqing.case_intake(p_channel, coalesce(nullif(btrim(p_title), ''), f.title),
	                           coalesce(nullif(btrim(p_content), ''), f.content), p_category,
	                           p_submitter_name, p_submitter_phone, d.household_id,
	                           CASE WHEN p_submitter_name IS NULL THEN f.resident_id END, false, p_urgency,
	                           p_is_key, p_station);
	UPDATE minqing.household_demand x SET status = 'case', case_id = c.case_id, case_no = c.case_no
	 WHERE x.demand_id = d.demand_id;
	case_id := c.case_id;
	case_no := c.case_no;
	duplicates := c.duplicates;
END
$$;
COMMENT ON FUNCTION minqing.demand_to_case(bigint, minqing.case_channel, integer, text, text, minqing.urgency,
                                           boolean, integer, text, text) IS
	'Turn an open demand into a case: case_intake() with the household, its head as the submitter and the '
	'demand''s text (demand_intake_defaults; title, content and submitter may be given instead), in one '
	'transaction; the demand then shows the case. Returns what case_intake returns.';
REVOKE ALL ON FUNCTION minqing.demand_to_case(bigint, minqing.case_channel, integer, text, text, minqing.urgency,
                                              boolean, integer, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.demand_to_case(bigint, minqing.case_channel, integer, text, text,
                                                 minqing.urgency, boolean, integer, text, text)
	TO mq_officer, mq_handler, mq_admin;

------------------------------------------------------------------------------
-- The lists of a village or town
------------------------------------------------------------------------------
-- Households without a memo, by village and number (keyset: sort_key,
-- household_id), in the caller's subtree or that of p_unit inside it.
CREATE OR REPLACE FUNCTION minqing.households_without_memo(p_unit text DEFAULT NULL, p_after_key text DEFAULT NULL,
                                                           p_after_id bigint DEFAULT NULL,
                                                           p_limit integer DEFAULT 50)
RETURNS TABLE (household_id bigint, household_no text, unit_name text, head_name text, address text,
               phone text, hardship text, sort_key text)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = minqing, ext, pg_temp SET jit = off AS $$
#variable_conflict use_column
DECLARE
	s minqing.staff;
	scope ext.ltree;
	lo text;
	hi text;
BEGIN
	s := minqing.case_caller('{officer,handler,supervisor,admin}');
	scope := minqing.memo_scope(s, p_unit);
	SELECT r.lo, r.hi INTO lo, hi FROM minqing.household_key_range(scope) r;
	RETURN QUERY
	SELECT h.household_id, h.household_no, u.name, x.head_name, h.address, coalesce(minqing.mask_phone(h.phone), ''),
	       minqing.household_hardship_summary(h.household_id), x.sort_key
	  FROM (SELECT y.household_id, y.sort_key, y.head_name FROM minqing.household_search y
	         WHERE y.sort_key >= lo COLLATE "C" AND y.sort_key < hi COLLATE "C"
	           AND (y.sort_key, y.household_id) > (coalesce(p_after_key, '') COLLATE "C", coalesce(p_after_id, -1))
	           AND NOT EXISTS (SELECT 1 FROM minqing.household_memo m WHERE m.household_id = y.household_id)
	         ORDER BY y.sort_key, y.household_id
	         LIMIT least(greatest(coalesce(p_limit, 50), 1), 500)) x
	  JOIN minqing.household h ON h.household_id = x.household_id
	  JOIN minqing.org_unit u ON u.unit_id = h.unit_id
	 ORDER BY x.sort_key, x.household_id;
END
$$;
COMMENT ON FUNCTION minqing.households_without_memo(text, text, bigint, integer) IS
	'The households without a memo (未建户情备忘录) of the caller''s jurisdiction or of unit p_unit in it, by '
	'village and number; the next page: p_after_key, p_after_id = sort_key, household_id of the last row.';
REVOKE ALL ON FUNCTION minqing.households_without_memo(text, text, bigint, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.households_without_memo(text, text, bigint, integer) TO mq_staff;

-- The villages of the subtree p_path. The lists below walk, for up to 20
-- villages (a village, a town), each village's index and merge the pages
-- (one walk in order would pass every other village's rows); for more, the
-- district's rows in order, most of them in the subtree. (An ltree index,
-- planned with a fixed 0.1 % estimate, made a supervisor's list fetch and
-- sort 200,000 demands: these tables have none.)
CREATE OR REPLACE FUNCTION minqing.memo_villages(p_path ext.ltree) RETURNS integer[]
LANGUAGE sql STABLE AS $$
	SELECT ARRAY(SELECT u.unit_id FROM minqing.org_unit u
	              WHERE u.path OPERATOR(ext.<@) p_path AND u.kind IN ('village', 'community'))
$$;
COMMENT ON FUNCTION minqing.memo_villages(ext.ltree) IS 'The villages and communities of a subtree.';
REVOKE ALL ON FUNCTION minqing.memo_villages(ext.ltree) FROM PUBLIC;

-- Memos not saved within the district's stale period, oldest first
-- (keyset: saved_at, household_id). Bitmap scans off: a district's every
-- old memo was read and sorted for a page (docs/operations.md, "List
-- screens at a million cases").
CREATE OR REPLACE FUNCTION minqing.memos_stale(p_unit text DEFAULT NULL, p_after_saved timestamptz DEFAULT NULL,
                                               p_after_id bigint DEFAULT NULL, p_limit integer DEFAULT 50)
RETURNS TABLE (household_id bigint, household_no text, unit_name text, head_name text, saved_at timestamptz,
               saved_by_name text, revision_no integer, open_demands integer)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = minqing, ext, pg_temp SET jit = off
SET enable_bitmapscan = off AS $$
#variable_conflict use_column
DECLARE
	s minqing.staff;
	cutoff timestamptz;
	lim integer := least(greatest(coalesce(p_limit, 50), 1), 500);
	vs integer[];
	ids bigint[];
BEGIN
	s := minqing.case_caller('{officer,handler,supervisor,admin}');
	cutoff := now() - make_interval(months => minqing.archive_stale_months(s.district_id));
	vs := minqing.memo_villages(minqing.memo_scope(s, p_unit));
	IF cardinality(vs) <= 20 THEN
		ids := ARRAY(
			SELECT p.household_id
			  FROM unnest(vs) AS v(unit_id)
			 CROSS JOIN LATERAL (
				SELECT m.household_id, m.saved_at FROM minqing.household_memo m
				 WHERE m.unit_id = v.unit_id AND m.saved_at < cutoff
				   AND (p_after_id IS NULL OR (m.saved_at, m.household_id) > (p_after_saved, p_after_id))
				 ORDER BY m.saved_at, m.household_id LIMIT lim) p
			 ORDER BY p.saved_at, p.household_id LIMIT lim);
	ELSE
		ids := ARRAY(
			SELECT m.household_id FROM minqing.household_memo m
			 WHERE m.saved_at < cutoff AND m.unit_id = ANY (vs)
			   AND (p_after_id IS NULL OR (m.saved_at, m.household_id) > (p_after_saved, p_after_id))
			 ORDER BY m.saved_at, m.household_id LIMIT lim);
	END IF;
	RETURN QUERY
	SELECT h.household_id, h.household_no, u.name, coalesce(r.name, ''), pg.saved_at,
	       coalesce((SELECT st.display_name FROM minqing.staff st WHERE st.login = pg.saved_by), pg.saved_by::text),
	       pg.revision_no,
	       (SELECT count(*) FROM minqing.household_demand d
	         WHERE d.household_id = h.household_id AND d.status = 'open')::integer
	  FROM minqing.household_memo pg
	  JOIN minqing.household h ON h.household_id = pg.household_id
	  JOIN minqing.org_unit u ON u.unit_id = h.unit_id
	  LEFT JOIN minqing.resident r ON r.resident_id = h.head_resident_id
	 WHERE pg.household_id = ANY (ids)
	 ORDER BY pg.saved_at, pg.household_id;
END
$$;
COMMENT ON FUNCTION minqing.memos_stale(text, timestamptz, bigint, integer) IS
	'The household memos not saved within the district''s stale period (archive_stale_months, 12 by default) '
	'of the caller''s jurisdiction or of unit p_unit in it, oldest first; the next page: p_after_saved, '
	'p_after_id = saved_at, household_id of the last row.';
REVOKE ALL ON FUNCTION minqing.memos_stale(text, timestamptz, bigint, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.memos_stale(text, timestamptz, bigint, integer) TO mq_staff;

-- The open demands, oldest first (keyset: raised_on, demand_id).
CREATE OR REPLACE FUNCTION minqing.open_demands(p_unit text DEFAULT NULL, p_after_raised date DEFAULT NULL,
                                                p_after_id bigint DEFAULT NULL, p_limit integer DEFAULT 50)
RETURNS TABLE (demand_id bigint, household_id bigint, household_no text, unit_name text, head_name text,
               content text, raised_on date, days_open integer, row_version integer)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = minqing, ext, pg_temp SET jit = off AS $$
#variable_conflict use_column
DECLARE
	s minqing.staff;
	lim integer := least(greatest(coalesce(p_limit, 50), 1), 500);
	vs integer[];
	ids bigint[];
BEGIN
	s := minqing.case_caller('{officer,handler,supervisor,admin}');
	vs := minqing.memo_villages(minqing.memo_scope(s, p_unit));
	IF cardinality(vs) <= 20 THEN
		ids := ARRAY(
			SELECT p.demand_id
			  FROM unnest(vs) AS v(unit_id)
			 CROSS JOIN LATERAL (
				SELECT d.demand_id, d.raised_on FROM minqing.household_demand d
				 WHERE d.unit_id = v.unit_id AND d.status = 'open'
				   AND (p_after_id IS NULL OR (d.raised_on, d.demand_id) > (p_after_raised, p_after_id))
				 ORDER BY d.raised_on, d.demand_id LIMIT lim) p
			 ORDER BY p.raised_on, p.demand_id LIMIT lim);
	ELSE
		ids := ARRAY(
			SELECT d.demand_id FROM minqing.household_demand d
			 WHERE d.status = 'open' AND d.unit_id = ANY (vs)
			   AND (p_after_id IS NULL OR (d.raised_on, d.demand_id) > (p_after_raised, p_after_id))
			 ORDER BY d.raised_on, d.demand_id LIMIT lim);
	END IF;
	RETURN QUERY
	SELECT d.demand_id, h.household_id, h.household_no, u.name, coalesce(r.name, ''), d.content, d.raised_on,
	       current_date - d.raised_on, d.row_version
	  FROM minqing.household_demand d
	  JOIN minqing.household h ON h.household_id = d.household_id
	  JOIN minqing.org_unit u ON u.unit_id = h.unit_id
	  LEFT JOIN minqing.resident r ON r.resident_id = h.head_resident_id
	 WHERE d.demand_id = ANY (ids)
	 ORDER BY d.raised_on, d.demand_id;
END
$$;
COMMENT ON FUNCTION minqing.open_demands(text, date, bigint, integer) IS
	'The open demands (待办诉求) of the caller''s jurisdiction or of unit p_unit in it, oldest first, with the '
	'days they have been open; the next page: p_after_raised, p_after_id = raised_on, demand_id of the last row.';
REVOKE ALL ON FUNCTION minqing.open_demands(text, date, bigint, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.open_demands(text, date, bigint, integer) TO mq_staff;

RESET ROLE;
