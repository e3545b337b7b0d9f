-- Grid cells, service teams and household visits (走访): the cell of a
-- household, the teams, recording a visit (households picked by number or
-- name fragment), a visit's finding turned into a case, coverage against
-- the district's target and the visit plan. docs/visits.md.
SET LOCAL ROLE mq_owner;
SET LOCAL search_path = minqing, ext, pg_temp;

------------------------------------------------------------------------------
-- The register's text becomes a cell
------------------------------------------------------------------------------
-- After INSERT or UPDATE on household (statement triggers, transition
-- tables): each household whose grid_cell text is new or changed, inside
-- the caller's write scope, moves to the cell of that name in its unit,
-- created when missing (code: the number in the name, 第3网格 -> 03, when
-- free in the unit, else the name). Rows outside the write scope (a
-- superuser's repair) keep their cell. A blank text leaves the cell as is.
CREATE OR REPLACE FUNCTION minqing.household_cell_sync() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	ws ext.ltree := minqing.my_write_scope();
	ids bigint[];
BEGIN
	IF ws IS NULL THEN
		RETURN NULL;
	END IF;
	IF TG_OP = 'INSERT' THEN
		SELECT array_agg(n.household_id) INTO ids FROM new_rows n
		 WHERE nullif(btrim(n.grid_cell), '') IS NOT NULL AND n.path OPERATOR(ext.<@) ws;
	ELSE
		SELECT array_agg(n.household_id) INTO ids FROM new_rows n JOIN old_rows o USING (household_id)
		 WHERE nullif(btrim(n.grid_cell), '') IS NOT NULL AND n.path OPERATOR(ext.<@) ws
		   AND (n.grid_cell IS DISTINCT FROM o.grid_cell OR n.unit_id <> o.unit_id);
	END IF;
	IF ids IS NULL THEN
		RETURN NULL;
	END IF;
	INSERT INTO minqing.grid_cell (district_id, unit_id, path, code, name)
	SELECT x.district_id, x.unit_id, x.path,
	       CASE WHEN x.digits IS NOT NULL AND count(*) OVER (PARTITION BY x.unit_id, x.digits) = 1
	                 AND NOT EXISTS (SELECT 1 FROM minqing.grid_cell c WHERE c.unit_id = x.unit_id AND c.code = x.digits)
	            THEN x.digits ELSE left(x.name, 16) END,
	       x.name
	  FROM (SELECT DISTINCT h.district_id, h.unit_id, u.path, left(btrim(h.grid_cell), 50) AS name,
	               lpad(substring(h.grid_cell FROM '[0-9]+'), 2, '0') AS digits
	          FROM minqing.household h JOIN minqing.org_unit u ON u.unit_id = h.unit_id
	         WHERE h.household_id = ANY (ids)
	           AND NOT EXISTS (SELECT 1 FROM minqing.grid_cell c
	                            WHERE c.unit_id = h.unit_id AND c.name = left(btrim(h.grid_cell), 50))) x;
	UPDATE minqing.household_cell hc
	   SET cell_id = c.cell_id, unit_id = h.unit_id, path = h.path, since = current_date
	  FROM minqing.household h
	  JOIN minqing.grid_cell c ON c.unit_id = h.unit_id AND c.name = left(btrim(h.grid_cell), 50)
	 WHERE h.household_id = ANY (ids) AND hc.household_id = h.household_id AND hc.cell_id <> c.cell_id;
	INSERT INTO minqing.household_cell (household_id, cell_id, unit_id, district_id, path)
	SELECT h.household_id, c.cell_id, h.unit_id, h.district_id, h.path
	  FROM minqing.household h
	  JOIN minqing.grid_cell c ON c.unit_id = h.unit_id AND c.name = left(btrim(h.grid_cell), 50)
	 WHERE h.household_id = ANY (ids)
	   AND NOT EXISTS (SELECT 1 FROM minqing.household_cell x WHERE x.household_id = h.household_id);
	RETURN NULL;
END
$$;
REVOKE ALL ON FUNCTION minqing.household_cell_sync() FROM PUBLIC;

-- After INSERT, UPDATE or DELETE on household_cell (statement triggers,
-- transition tables): each cell's count of households by what came and
-- went. SECURITY INVOKER: the definer functions that move households run
-- it as the owner inside the caller's write scope (the cells are of the
-- households' units), a superuser's repair as the superuser.
CREATE OR REPLACE FUNCTION minqing.household_cell_count() RETURNS trigger
LANGUAGE plpgsql SET search_path = minqing, ext, pg_temp AS $$
BEGIN
	IF TG_OP = 'INSERT' THEN
		UPDATE minqing.grid_cell c SET households = c.households + d.n
		  FROM (SELECT x.cell_id, count(*) AS n FROM new_rows x GROUP BY x.cell_id) d WHERE d.cell_id = c.cell_id;
	ELSIF TG_OP = 'DELETE' THEN
		UPDATE minqing.grid_cell c SET households = c.households - d.n
		  FROM (SELECT x.cell_id, count(*) AS n FROM old_rows x GROUP BY x.cell_id) d WHERE d.cell_id = c.cell_id;
	ELSE
		UPDATE minqing.grid_cell c SET households = c.households + d.n
		  FROM (SELECT y.cell_id, sum(y.n) AS n
		          FROM (SELECT x.cell_id, 1 AS n FROM new_rows x
		                UNION ALL SELECT x.cell_id, -1 FROM old_rows x) y
		         GROUP BY y.cell_id HAVING sum(y.n) <> 0) d
		 WHERE d.cell_id = c.cell_id;
	END IF;
	RETURN NULL;
END
$$;
REVOKE ALL ON FUNCTION minqing.household_cell_count() FROM PUBLIC;

------------------------------------------------------------------------------
-- Cells
------------------------------------------------------------------------------
-- A village or community of the caller's write jurisdiction, by code.
CREATE OR REPLACE FUNCTION minqing.visit_village(s minqing.staff, p_unit text) RETURNS minqing.org_unit
LANGUAGE plpgsql STABLE SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	u minqing.org_unit;
BEGIN
	u := minqing.unit_in_scope(s, p_unit);
	IF u.kind NOT IN ('village', 'community') THEN
		RAISE EXCEPTION 'grid cells belong to a village or community, not to %', u.code
			USING ERRCODE = 'check_violation', COLUMN = 'unit';
	END IF;
	RETURN u;
END
$$;
REVOKE ALL ON FUNCTION minqing.visit_village(minqing.staff, text) FROM PUBLIC;

-- A new cell (p_cell NULL) of village p_unit, or a change to cell p_cell
-- read at p_row_version.
CREATE OR REPLACE FUNCTION minqing.cell_save(p_unit text, p_code text, p_name text, p_party_group text DEFAULT NULL,
                                             p_area_group text DEFAULT NULL, p_cell integer DEFAULT NULL,
                                             p_row_version integer DEFAULT NULL)
RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = minqing, ext, pg_temp SET jit = off AS $$
DECLARE
	s minqing.staff;
	u minqing.org_unit;
	c minqing.grid_cell;
	id integer;
BEGIN
	s := minqing.case_caller('{officer,handler,admin}');
	IF p_cell IS NOT NULL THEN
		SELECT * INTO c FROM minqing.grid_cell x WHERE x.cell_id = p_cell FOR UPDATE;
		IF NOT FOUND OR NOT minqing.staff_covers(s, c.path) THEN
			RAISE EXCEPTION 'grid cell % not found', p_cell USING ERRCODE = 'no_data_found', COLUMN = 'cell';
		END IF;
		SELECT * INTO u FROM minqing.org_unit x WHERE x.unit_id = c.unit_id;
	ELSE
		u := minqing.visit_village(s, p_unit);
	END IF;
	PERFORM minqing.require_text(p_code, 'code');
	PERFORM minqing.require_text(p_name, 'name');
	IF EXISTS (SELECT 1 FROM minqing.grid_cell x WHERE x.unit_id = u.unit_id AND x.cell_id IS DISTINCT FROM p_cell
	              AND (x.code = btrim(p_code) OR x.name = btrim(p_name))) THEN
		RAISE EXCEPTION 'a grid cell of % already has the code % or the name %', u.name, btrim(p_code), btrim(p_name)
			USING ERRCODE = 'unique_violation', COLUMN = 'code';
	END IF;
	IF p_cell IS NULL THEN
		INSERT INTO minqing.grid_cell (district_id, unit_id, path, code, name, party_group, area_group)
		VALUES (u.district_id, u.unit_id, u.path, btrim(p_code), btrim(p_name), nullif(btrim(p_party_group), ''),
		        nullif(btrim(p_area_group), ''))
		RETURNING cell_id INTO id;
		RETURN id;
	END IF;
	IF p_row_version IS NOT NULL AND p_row_version <> c.row_version THEN
		RAISE EXCEPTION 'grid cell % was changed by someone else since you opened it', c.name
			USING ERRCODE = 'serialization_failure';
	END IF;
	UPDATE minqing.grid_cell x SET code = btrim(p_code), name = btrim(p_name),
	       party_group = nullif(btrim(p_party_group), ''), area_group = nullif(btrim(p_area_group), '')
	 WHERE x.cell_id = c.cell_id;
	RETURN c.cell_id;
END
$$;
COMMENT ON FUNCTION minqing.cell_save(text, text, text, text, text, integer, integer) IS
	'Add a grid cell (网格) to village p_unit (code, name, party group 党小组, area group 片组), or change cell '
	'p_cell read at p_row_version (40001 when changed since). Officers, handlers, administrators of the '
	'village or above. Returns the cell''s id; audited.';
REVOKE ALL ON FUNCTION minqing.cell_save(text, text, text, text, text, integer, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.cell_save(text, text, text, text, text, integer, integer)
	TO mq_officer, mq_handler, mq_admin;

-- Put a household into a cell of its unit (it leaves its cell, if any).
CREATE OR REPLACE FUNCTION minqing.household_cell_set(p_household bigint, p_cell text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = minqing, ext, pg_temp SET jit = off AS $$
DECLARE
	s minqing.staff;
	h minqing.household;
	c minqing.grid_cell;
BEGIN
	s := minqing.case_caller('{officer,handler,admin}');
	h := minqing.memo_household(s, p_household);
	SELECT * INTO c FROM minqing.grid_cell x
	 WHERE x.unit_id = h.unit_id AND x.active AND (x.code = btrim(p_cell) OR x.name = btrim(p_cell));
	IF NOT FOUND THEN
		RAISE EXCEPTION 'grid cell % is not a cell of the household''s village', left(coalesce(p_cell, 'NULL'), 50)
			USING ERRCODE = 'foreign_key_violation', COLUMN = 'cell';
	END IF;
	UPDATE minqing.household_cell x SET cell_id = c.cell_id, since = current_date
	 WHERE x.household_id = h.household_id AND x.cell_id <> c.cell_id;
	IF NOT EXISTS (SELECT 1 FROM minqing.household_cell x WHERE x.household_id = h.household_id) THEN
		INSERT INTO minqing.household_cell (household_id, cell_id, unit_id, district_id, path)
		VALUES (h.household_id, c.cell_id, h.unit_id, h.district_id, h.path);
	END IF;
END
$$;
COMMENT ON FUNCTION minqing.household_cell_set(bigint, text) IS
	'Put household p_household into grid cell p_cell (its code or name) of its own village (every household is in exactly '
	'one cell: it leaves the one it was in). Officers, handlers, administrators; audited.';
REVOKE ALL ON FUNCTION minqing.household_cell_set(bigint, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.household_cell_set(bigint, text) TO mq_officer, mq_handler, mq_admin;

------------------------------------------------------------------------------
-- Service teams
------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION minqing.team_for(s minqing.staff, p_team integer) RETURNS minqing.service_team
LANGUAGE plpgsql SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	t minqing.service_team;
BEGIN
	SELECT * INTO t FROM minqing.service_team x WHERE x.team_id = p_team;
	IF NOT FOUND OR NOT minqing.staff_covers(s, t.path) THEN
		RAISE EXCEPTION 'service team % not found', coalesce(p_team::text, 'NULL')
			USING ERRCODE = 'no_data_found', COLUMN = 'team';
	END IF;
	RETURN t;
END
$$;
REVOKE ALL ON FUNCTION minqing.team_for(minqing.staff, integer) FROM PUBLIC;

-- A new team of unit p_unit (a village, community or town), or a new name
-- for team p_team read at p_row_version.
CREATE OR REPLACE FUNCTION minqing.team_save(p_unit text, p_name text, p_team integer DEFAULT NULL,
                                             p_row_version integer DEFAULT NULL)
RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = minqing, ext, pg_temp SET jit = off AS $$
DECLARE
	s minqing.staff;
	u minqing.org_unit;
	t minqing.service_team;
	id integer;
BEGIN
	s := minqing.case_caller('{officer,handler,admin}');
	PERFORM minqing.require_text(p_name, 'name');
	IF p_team IS NOT NULL THEN
		t := minqing.team_for(s, p_team);
		IF p_row_version IS NOT NULL AND p_row_version <> t.row_version THEN
			RAISE EXCEPTION 'service team % was changed by someone else since you opened it', t.name
				USING ERRCODE = 'serialization_failure';
		END IF;
		u.unit_id := t.unit_id;
	ELSE
		u := minqing.unit_in_scope(s, p_unit);
		IF u.kind NOT IN ('village', 'community', 'town', 'street') THEN
			RAISE EXCEPTION 'a service team belongs to a village, community or town, not to %', u.code
				USING ERRCODE = 'check_violation', COLUMN = 'unit';
		END IF;
	END IF;
	IF EXISTS (SELECT 1 FROM minqing.service_team x WHERE x.unit_id = u.unit_id AND x.name = btrim(p_name)
	              AND x.team_id IS DISTINCT FROM p_team) THEN
		RAISE EXCEPTION 'there is already a service team called %', btrim(p_name)
			USING ERRCODE = 'unique_violation', COLUMN = 'name';
	END IF;
	IF p_team IS NOT NULL THEN
		UPDATE minqing.service_team x SET name = btrim(p_name) WHERE x.team_id = t.team_id;
		RETURN t.team_id;
	END IF;
	INSERT INTO minqing.service_team (district_id, unit_id, path, name)
	VALUES (u.district_id, u.unit_id, u.path, btrim(p_name))
	RETURNING team_id INTO id;
	RETURN id;
END
$$;
COMMENT ON FUNCTION minqing.team_save(text, text, integer, integer) IS
	'Add a service team (服务队) to unit p_unit (a village, community or town), or rename team p_team read '
	'at p_row_version. Officers, handlers, administrators; returns the team''s id; audited.';
REVOKE ALL ON FUNCTION minqing.team_save(text, text, integer, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.team_save(text, text, integer, integer) TO mq_officer, mq_handler, mq_admin;

-- A member: p_person is a staff login, or a resident of the team's unit by
-- ID number or by a name only one resident there has; a resident who is a
-- party member joins as one. p_leader makes them the leader (the former
-- leader stays a member).
CREATE OR REPLACE FUNCTION minqing.team_member_add(p_team integer, p_person text, p_leader boolean DEFAULT false)
RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = minqing, ext, pg_temp SET jit = off AS $$
DECLARE
	s minqing.staff;
	t minqing.service_team;
	st minqing.staff;
	rid bigint;
	n integer;
	id bigint;
	who text := btrim(coalesce(p_person, ''));
BEGIN
	s := minqing.case_caller('{officer,handler,admin}');
	t := minqing.team_for(s, p_team);
	PERFORM minqing.require_text(p_person, 'person');
	SELECT * INTO st FROM minqing.staff x WHERE x.login = who AND x.active AND x.district_id = t.district_id;
	IF NOT FOUND THEN
		SELECT count(*), min(r.resident_id) INTO n, rid FROM minqing.resident r
		 WHERE r.path OPERATOR(ext.<@) t.path AND r.active AND (r.id_card = upper(who) OR r.name = who);
		IF n = 0 THEN
			RAISE EXCEPTION 'no staff account or resident "%" in the team''s unit', left(who, 50)
				USING ERRCODE = 'no_data_found', COLUMN = 'person';
		ELSIF n > 1 THEN
			RAISE EXCEPTION 'several residents are called "%": give the ID number', left(who, 50)
				USING ERRCODE = 'cardinality_violation', COLUMN = 'person';
		END IF;
	END IF;
	IF EXISTS (SELECT 1 FROM minqing.service_team_member m WHERE m.team_id = t.team_id
	              AND (m.staff_id = st.staff_id OR m.resident_id = rid)) THEN
		RAISE EXCEPTION '"%" is already a member of the team', left(who, 50)
			USING ERRCODE = 'unique_violation', COLUMN = 'person';
	END IF;
	IF coalesce(p_leader, false) THEN
		UPDATE minqing.service_team_member m SET is_leader = false WHERE m.team_id = t.team_id AND m.is_leader;
	END IF;
	INSERT INTO minqing.service_team_member (team_id, district_id, path, kind, staff_id, resident_id, is_leader)
	VALUES (t.team_id, t.district_id, t.path,
	        CASE WHEN st.staff_id IS NOT NULL THEN 'staff'
	             WHEN EXISTS (SELECT 1 FROM minqing.party_member p WHERE p.resident_id = rid) THEN 'party_member'
	             ELSE 'resident' END,
	        st.staff_id, CASE WHEN st.staff_id IS NULL THEN rid END, coalesce(p_leader, false))
	RETURNING member_id INTO id;
	RETURN id;
END
$$;
COMMENT ON FUNCTION minqing.team_member_add(integer, text, boolean) IS
	'Add a member to service team p_team: a staff login, or a resident (party member or not) of the '
	'team''s unit by ID number or unique name; p_leader makes them the leader. Audited.';
REVOKE ALL ON FUNCTION minqing.team_member_add(integer, text, boolean) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.team_member_add(integer, text, boolean) TO mq_officer, mq_handler, mq_admin;

CREATE OR REPLACE FUNCTION minqing.team_member_remove(p_team integer, p_member bigint) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = minqing, ext, pg_temp SET jit = off AS $$
DECLARE
	s minqing.staff;
	t minqing.service_team;
BEGIN
	s := minqing.case_caller('{officer,handler,admin}');
	t := minqing.team_for(s, p_team);
	DELETE FROM minqing.service_team_member m WHERE m.team_id = t.team_id AND m.member_id = p_member;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'member % of the team not found', coalesce(p_member::text, 'NULL')
			USING ERRCODE = 'no_data_found', COLUMN = 'member';
	END IF;
END
$$;
COMMENT ON FUNCTION minqing.team_member_remove(integer, bigint) IS
	'Take member p_member off service team p_team. Audited.';
REVOKE ALL ON FUNCTION minqing.team_member_remove(integer, bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.team_member_remove(integer, bigint) TO mq_officer, mq_handler, mq_admin;

-- The team covers (p_covers) or stops covering a cell of its unit's subtree,
-- given by its id or by its code in the team's village.
CREATE OR REPLACE FUNCTION minqing.team_cell_set(p_team integer, p_cell text, p_covers boolean DEFAULT true)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = minqing, ext, pg_temp SET jit = off AS $$
DECLARE
	s minqing.staff;
	t minqing.service_team;
	c minqing.grid_cell;
BEGIN
	s := minqing.case_caller('{officer,handler,admin}');
	t := minqing.team_for(s, p_team);
	SELECT * INTO c FROM minqing.grid_cell x
	 WHERE x.path OPERATOR(ext.<@) t.path AND x.active
	   AND (x.code = btrim(p_cell) OR x.name = btrim(p_cell)
	        OR (btrim(p_cell) ~ '^[0-9]{1,9}$' AND x.cell_id = btrim(p_cell)::integer AND x.unit_id <> t.unit_id))
	 ORDER BY (x.unit_id = t.unit_id) DESC, x.cell_id LIMIT 1;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'grid cell % not found', left(coalesce(p_cell, 'NULL'), 50)
			USING ERRCODE = 'no_data_found', COLUMN = 'cell';
	END IF;
	IF coalesce(p_covers, true) THEN
		IF NOT EXISTS (SELECT 1 FROM minqing.service_team_cell x WHERE x.team_id = t.team_id AND x.cell_id = c.cell_id) THEN
			INSERT INTO minqing.service_team_cell (team_id, cell_id, district_id, path)
			VALUES (t.team_id, c.cell_id, t.district_id, t.path);
		END IF;
	ELSE
		DELETE FROM minqing.service_team_cell x WHERE x.team_id = t.team_id AND x.cell_id = c.cell_id;
	END IF;
END
$$;
COMMENT ON FUNCTION minqing.team_cell_set(integer, text, boolean) IS
	'Service team p_team covers (p_covers true) or stops covering grid cell p_cell (its code or name in '
	'the team''s village). Audited.';
REVOKE ALL ON FUNCTION minqing.team_cell_set(integer, text, boolean) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.team_cell_set(integer, text, boolean) TO mq_officer, mq_handler, mq_admin;

------------------------------------------------------------------------------
-- Recording a visit
------------------------------------------------------------------------------
-- The households a visit names, in the order typed: p_tokens separated by
-- blanks or commas (, ， 、 ; ；), each a household number (T01C01-0012), the
-- number's tail (12: the household numbered ...-0012), a range of tails
-- (3-7) or a fragment of the head's name (王); looked up among the
-- households of the team's cells, then (or without a team) of the
-- caller's jurisdiction. p_household (a row of the visit plan) is added. A token that
-- finds nothing, or more than one household, is refused with its
-- candidates: nothing is half-written.
CREATE OR REPLACE FUNCTION minqing.visit_pick(s minqing.staff, p_tokens text, p_team integer, p_household bigint)
RETURNS bigint[]
LANGUAGE plpgsql STABLE SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	tok text;
	a bigint;
	b bigint;
	hit bigint[];
	ids bigint[] := '{}';
	cand text;
	cells integer[];
	named bigint[];
BEGIN
	IF p_team IS NOT NULL THEN
		cells := ARRAY(SELECT x.cell_id FROM minqing.service_team_cell x WHERE x.team_id = p_team);
	END IF;
	IF p_household IS NOT NULL THEN
		ids := ARRAY[(minqing.memo_household(s, p_household)).household_id];
	END IF;
	FOREACH tok IN ARRAY regexp_split_to_array(btrim(coalesce(p_tokens, ''), E' \t,，、;；'), E'[\\s,，、;；]+') LOOP
		CONTINUE WHEN tok = '';
		IF tok ~ '^[0-9]{1,6}-[0-9]{1,6}$' THEN
			a := split_part(tok, '-', 1)::bigint;
			b := split_part(tok, '-', 2)::bigint;
			IF b < a OR b - a > 49 THEN
				RAISE EXCEPTION 'the range "%" must go upwards and name at most 50 households', tok
					USING ERRCODE = 'invalid_parameter_value', COLUMN = 'households';
			END IF;
			FOR i IN a .. b LOOP
				ids := ids || minqing.visit_pick(s, i::text, p_team, NULL);
			END LOOP;
			CONTINUE;
		END IF;
		-- The households the token names, each kind by its own index
		-- (033_household_no.sql: compared as generated columns, so that the
		-- index can go before row-level security): a number's tail, a whole
		-- number, else a fragment of the head's name in the jurisdiction.
		IF tok ~ '^[0-9]{1,9}$' THEN
			named := ARRAY(SELECT h.household_id FROM minqing.household h
			                WHERE h.household_no_tail = tok::bigint);
		ELSE
			named := ARRAY(SELECT h.household_id FROM minqing.household h
			                WHERE h.household_no_key = upper(tok));
			IF named = '{}' THEN
				named := ARRAY(SELECT h.household_id FROM minqing.household h
				                 JOIN minqing.resident x ON x.resident_id = h.head_resident_id
				                WHERE minqing.staff_covers(s, h.path) AND strpos(x.name, tok) > 0);
			END IF;
		END IF;
		FOR pass IN 1 .. 2 LOOP
			SELECT array_agg(h.household_id ORDER BY h.household_no), string_agg(h.household_no || ' ' || coalesce(r.name, ''), '、' ORDER BY h.household_no)
			  INTO hit, cand
			  FROM (SELECT h.* FROM minqing.household h
			         WHERE h.household_id = ANY (named) AND h.active AND minqing.staff_covers(s, h.path)
			           AND (pass = 2 OR cells IS NULL OR EXISTS (SELECT 1 FROM minqing.household_cell hc
			                                          WHERE hc.household_id = h.household_id AND hc.cell_id = ANY (cells)))
			         ORDER BY h.household_no LIMIT 6) h
			  LEFT JOIN minqing.resident r ON r.resident_id = h.head_resident_id;
			EXIT WHEN hit IS NOT NULL OR cells IS NULL;
		END LOOP;
		IF hit IS NULL THEN
			RAISE EXCEPTION 'no household "%" among those you may visit', left(tok, 30)
				USING ERRCODE = 'no_data_found', COLUMN = 'households';
		ELSIF cardinality(hit) > 1 THEN
			RAISE EXCEPTION '"%" is ambiguous: %', left(tok, 30), cand
				USING ERRCODE = 'cardinality_violation', COLUMN = 'households';
		END IF;
		IF hit[1] = ANY (ids) THEN
			RAISE EXCEPTION '"%" names a household already in the list', left(tok, 30)
				USING ERRCODE = 'unique_violation', COLUMN = 'households';
		END IF;
		ids := ids || hit[1];
	END LOOP;
	RETURN ids;
END
$$;
REVOKE ALL ON FUNCTION minqing.visit_pick(minqing.staff, text, integer, bigint) FROM PUBLIC;

-- A case a return visit may go back to: by number, visible, reported back
-- or closed.
CREATE OR REPLACE FUNCTION minqing.visit_return_case(p_case text) RETURNS bigint
LANGUAGE plpgsql STABLE SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	c minqing.cases;
BEGIN
	SELECT * INTO c FROM minqing.cases x WHERE x.case_no = upper(btrim(p_case));
	IF NOT FOUND THEN
		RAISE EXCEPTION 'case % not found', left(p_case, 30) USING ERRCODE = 'no_data_found', COLUMN = 'return_case';
	END IF;
	IF c.status NOT IN ('reported', 'closed') THEN
		RAISE EXCEPTION 'case % is neither reported back nor closed: a return visit goes back to such a case', c.case_no
			USING ERRCODE = 'check_violation', COLUMN = 'return_case';
	END IF;
	RETURN c.case_id;
END
$$;
REVOKE ALL ON FUNCTION minqing.visit_return_case(text) FROM PUBLIC;

-- The team of a visit: p_team is its number or (a fragment of) its name
-- among the teams of the caller's jurisdiction; without it, the team the
-- caller belongs to when there is exactly one, else none.
CREATE OR REPLACE FUNCTION minqing.visit_team(s minqing.staff, p_team text) RETURNS minqing.service_team
LANGUAGE plpgsql STABLE SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	t minqing.service_team;
	n integer;
	k text := btrim(coalesce(p_team, ''));
BEGIN
	IF k = '' THEN
		SELECT count(*) INTO n FROM minqing.service_team_member m JOIN minqing.service_team x ON x.team_id = m.team_id
		 WHERE m.staff_id = s.staff_id AND x.active;
		IF n = 1 THEN
			SELECT x.* INTO t FROM minqing.service_team_member m JOIN minqing.service_team x ON x.team_id = m.team_id
			 WHERE m.staff_id = s.staff_id AND x.active;
		END IF;
		RETURN t;
	END IF;
	SELECT count(*), min(x.team_id) INTO n, t.team_id FROM minqing.service_team x
	 WHERE x.active AND minqing.staff_covers(s, x.path)
	   AND (x.team_id::text = k OR strpos(x.name, k) > 0);
	IF n <> 1 THEN
		RAISE EXCEPTION 'service team % not found', left(k, 30) USING ERRCODE = 'no_data_found', COLUMN = 'team';
	END IF;
	RETURN minqing.team_for(s, t.team_id);
END
$$;
REVOKE ALL ON FUNCTION minqing.visit_team(minqing.staff, text) FROM PUBLIC;

CREATE OR REPLACE FUNCTION minqing.visit_record(
	p_households text, p_shift text DEFAULT 'day', p_kind text DEFAULT 'regular',
	p_visited_at timestamptz DEFAULT NULL, p_team text DEFAULT NULL, p_visitors text DEFAULT NULL,
	p_persons_met integer DEFAULT NULL, p_findings text DEFAULT NULL, p_return_case text DEFAULT NULL,
	p_household bigint DEFAULT NULL,
	OUT visit_id bigint, OUT households integer, OUT household_nos text)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = minqing, ext, pg_temp SET jit = off AS $$
#variable_conflict use_variable
DECLARE
	s minqing.staff;
	t minqing.service_team;
	ids bigint[];
	units integer[];
	u minqing.org_unit;
	at timestamptz := coalesce(p_visited_at, now());
	rc bigint;
	d date;
BEGIN
	s := minqing.case_caller('{officer,handler,admin}');
	IF p_shift IS NULL OR p_shift NOT IN ('day', 'night') THEN
		RAISE EXCEPTION 'a visit is by day or by night, not %', coalesce(p_shift, 'NULL')
			USING ERRCODE = 'invalid_parameter_value', COLUMN = 'shift';
	END IF;
	IF p_kind IS NULL OR p_kind NOT IN ('appointment', 'return', 'regular', 'irregular') THEN
		RAISE EXCEPTION 'unknown kind of visit %', coalesce(p_kind, 'NULL')
			USING ERRCODE = 'invalid_parameter_value', COLUMN = 'kind';
	END IF;
	IF at > now() + interval '10 minutes' THEN
		RAISE EXCEPTION 'a visit cannot be recorded before it happens' USING ERRCODE = 'check_violation', COLUMN = 'visited_at';
	END IF;
	t := minqing.visit_team(s, p_team);
	IF p_return_case IS NOT NULL AND btrim(p_return_case) <> '' THEN
		rc := minqing.visit_return_case(p_return_case);
	ELSIF p_kind = 'return' THEN
		RAISE EXCEPTION 'a return visit must name the case it goes back to (reported back or closed)'
			USING ERRCODE = 'not_null_violation', COLUMN = 'return_case';
	END IF;
	ids := minqing.visit_pick(s, p_households, t.team_id, p_household);
	IF cardinality(ids) = 0 THEN
		RAISE EXCEPTION 'a visit needs at least one household' USING ERRCODE = 'not_null_violation', COLUMN = 'households';
	ELSIF cardinality(ids) <> (SELECT count(DISTINCT x) FROM unnest(ids) AS x) THEN
		RAISE EXCEPTION 'a household is named twice' USING ERRCODE = 'unique_violation', COLUMN = 'households';
	ELSIF cardinality(ids) > 200 THEN
		RAISE EXCEPTION 'a visit covers at most 200 households' USING ERRCODE = 'check_violation', COLUMN = 'households';
	END IF;
	units := ARRAY(SELECT DISTINCT h.unit_id FROM minqing.household h WHERE h.household_id = ANY (ids));
	IF cardinality(units) <> 1 THEN
		RAISE EXCEPTION 'the households of one visit must be of one village' USING ERRCODE = 'check_violation', COLUMN = 'households';
	END IF;
	SELECT * INTO u FROM minqing.org_unit x WHERE x.unit_id = units[1];
	IF NOT minqing.staff_covers(s, u.path) THEN
		RAISE EXCEPTION 'household % not found', ids[1] USING ERRCODE = 'no_data_found', COLUMN = 'households';
	END IF;
	IF t.team_id IS NOT NULL AND NOT (u.path OPERATOR(ext.<@) t.path) THEN
		RAISE EXCEPTION 'service team % does not serve %', t.name, u.name USING ERRCODE = 'check_violation', COLUMN = 'team';
	END IF;
	d := minqing.district_local_time(u.district_id, at)::date;
	INSERT INTO minqing.visit (district_id, unit_id, path, team_id, visited_at, shift, kind, visitors, persons_met,
	                           households, findings, return_case_id)
	VALUES (u.district_id, u.unit_id, u.path, t.team_id, at, p_shift, p_kind, nullif(btrim(p_visitors), ''),
	        coalesce(p_persons_met, cardinality(ids)), cardinality(ids), nullif(btrim(p_findings), ''), rc)
	RETURNING visit.visit_id INTO visit_id;
	INSERT INTO minqing.visit_household (visit_id, household_id, district_id, unit_id, cell_id, path, visited_on)
	SELECT visit_id, h.household_id, h.district_id, h.unit_id, hc.cell_id, h.path, d
	  FROM minqing.household h LEFT JOIN minqing.household_cell hc ON hc.household_id = h.household_id
	 WHERE h.household_id = ANY (ids);
	UPDATE minqing.household_cell hc SET last_visited_on = d
	 WHERE hc.household_id = ANY (ids) AND (hc.last_visited_on IS NULL OR hc.last_visited_on < d);
	households := cardinality(ids);
	SELECT string_agg(h.household_no, ' ' ORDER BY o.n) INTO household_nos
	  FROM unnest(ids) WITH ORDINALITY AS o(id, n) JOIN minqing.household h ON h.household_id = o.id;
END
$$;
COMMENT ON FUNCTION minqing.visit_record(text, text, text, timestamptz, text, text, integer, text, text, bigint) IS
	'Record a visit (走访): the households as typed (numbers, their tails, ranges such as 3-7, fragments of '
	'the head''s name, separated by blanks or commas; resolved within the team''s cells or the caller''s '
	'jurisdiction, an unknown or ambiguous one refused with its candidates) and/or p_household; day or '
	'night, the kind (appointment, return, regular, irregular), when (now by default), team, visitors, '
	'persons met, findings, and for a return visit the number of a case reported back or closed. All '
	'households of one village inside the caller''s jurisdiction; officers, handlers, administrators. '
	'Returns the visit''s id and the households'' numbers; audited.';
REVOKE ALL ON FUNCTION minqing.visit_record(text, text, text, timestamptz, text, text, integer, text, text, bigint)
	FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.visit_record(text, text, text, timestamptz, text, text, integer, text, text, bigint)
	TO mq_officer, mq_handler, mq_admin;

-- A household's finding on a visit becomes a case: case_intake() in this
-- transaction with channel party_visit (by default), the household and its
-- head as the submitter, the finding (or the visit's findings) as the
-- content; the visit's row then shows the case.
CREATE OR REPLACE FUNCTION minqing.visit_to_case(
	p_visit bigint, p_household bigint, p_category integer, p_title text DEFAULT NULL, p_content text DEFAULT NULL,
	p_channel minqing.case_channel DEFAULT 'party_visit', p_urgency minqing.urgency DEFAULT 'normal',
	p_is_key boolean DEFAULT NULL, p_station integer DEFAULT NULL,
	OUT case_id bigint, OUT case_no text, OUT duplicates jsonb)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = minqing, ext, pg_temp SET jit = off AS $$
#variable_conflict use_variable
DECLARE
	s minqing.staff;
	vh minqing.visit_household;
	v minqing.visit;
	head bigint;
	body text;
	c record;
BEGIN
	s := minqing.case_caller('{officer,handler,admin}');
	SELECT * INTO vh FROM minqing.visit_household x WHERE x.visit_id = p_visit AND x.household_id = p_household
	   FOR UPDATE;
	IF NOT FOUND OR NOT minqing.staff_covers(s, vh.path) THEN
		RAISE EXCEPTION 'household % was not visited on visit %', coalesce(p_household::text, 'NULL'),
			coalesce(p_visit::text, 'NULL') USING ERRCODE = 'no_data_found', COLUMN = 'household';
	END IF;
	IF vh.case_id IS NOT NULL THEN
		RAISE EXCEPTION 'this finding already became case %', vh.case_no
			USING ERRCODE = 'invalid_transaction_state', COLUMN = 'household';
	END IF;
	SELECT * INTO v FROM minqing.visit x WHERE x.visit_id = p_visit;
	SELECT h.head_resident_id INTO head FROM minqing.household h WHERE h.household_id = p_household;
	body := coalesce(nullif(btrim(p_content), ''), vh.finding, v.findings);
	IF body IS NULL THEN
		RAISE EXCEPTION 'a case needs its content: what the visit found' USING ERRCODE = 'not_null_violation', COLUMN = 'content';
	END IF;
	SELECT * INTO c
	  FROM minqing.case_intake(coalesce(p_channel, 'party_visit'),
	                           coalesce(nullif(btrim(p_title), ''), left(split_part(body, E'\n', 1), 100)), body,
	                           p_category, NULL, NULL, p_household, head, false, coalesce(p_urgency, 'normal'),
	                           p_is_key, p_station);
	UPDATE minqing.visit_household x SET case_id = c.case_id, case_no = c.case_no
	 WHERE x.visit_id = vh.visit_id AND x.household_id = vh.household_id;
	case_id := c.case_id;
	case_no := c.case_no;
	duplicates := c.duplicates;
END
$$;
COMMENT ON FUNCTION minqing.visit_to_case(bigint, bigint, integer, text, text, minqing.case_channel, minqing.urgency,
                                          boolean, integer) IS
	'Turn what a visit found at a household into a case (转为案件): case_intake() with channel party_visit, '
	'the household and its head as the submitter, the finding (or the visit''s findings) as the content '
	'unless given, in one transaction; the visit''s household row keeps the case. Returns what '
	'case_intake returns.';
REVOKE ALL ON FUNCTION minqing.visit_to_case(bigint, bigint, integer, text, text, minqing.case_channel, minqing.urgency,
                                             boolean, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.visit_to_case(bigint, bigint, integer, text, text, minqing.case_channel,
                                                minqing.urgency, boolean, integer) TO mq_officer, mq_handler, mq_admin;

-- The district's target.
CREATE OR REPLACE FUNCTION minqing.visit_set_target(p_district smallint, p_percent integer, p_rural_only boolean)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = minqing, ext, pg_temp SET jit = off AS $$
DECLARE
	s minqing.staff;
BEGIN
	s := minqing.case_caller('{admin}');
	IF NOT EXISTS (SELECT 1 FROM minqing.org_unit u
	                WHERE u.district_id = p_district AND u.kind = 'district' AND u.unit_id = s.unit_id) THEN
		RAISE EXCEPTION 'only an administrator of district % may set its visit target', p_district
			USING ERRCODE = 'insufficient_privilege';
	END IF;
	IF p_percent IS NULL OR p_percent NOT BETWEEN 1 AND 100 THEN
		RAISE EXCEPTION 'the visit target is from 1 to 100 percent, not %', coalesce(p_percent::text, 'NULL')
			USING ERRCODE = 'invalid_parameter_value', COLUMN = 'percent';
	END IF;
	UPDATE minqing.visit_setting x SET target_percent = p_percent, rural_only = coalesce(p_rural_only, true)
	 WHERE x.district_id = p_district;
	IF NOT FOUND THEN
		INSERT INTO minqing.visit_setting (district_id, path, target_percent, rural_only)
		SELECT u.district_id, u.path, p_percent, coalesce(p_rural_only, true) FROM minqing.org_unit u
		 WHERE u.unit_id = s.unit_id;
	END IF;
END
$$;
COMMENT ON FUNCTION minqing.visit_set_target(smallint, integer, boolean) IS
	'Set the share of households to visit in a year (1-100 %, default 80) and whether the district''s '
	'figure counts rural households only (the default) or all; an administrator of the district. Audited.';
REVOKE ALL ON FUNCTION minqing.visit_set_target(smallint, integer, boolean) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.visit_set_target(smallint, integer, boolean) TO mq_admin;

-- The form's way to it (forms/visit_target.form): the district by its unit
-- code, by default the caller's own.
CREATE OR REPLACE FUNCTION minqing.visit_target_set(p_percent integer, p_rural_only boolean DEFAULT true,
                                                    p_unit_code text DEFAULT NULL)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = minqing, ext, pg_temp SET jit = off AS $$
DECLARE
	s minqing.staff;
	d smallint;
BEGIN
	s := minqing.case_caller('{admin}');
	d := minqing.district_of_code(p_unit_code, s.district_id);
	PERFORM minqing.visit_set_target(d, p_percent, p_rural_only);
END
$$;
COMMENT ON FUNCTION minqing.visit_target_set(integer, boolean, text) IS
	'visit_set_target() for a district by its unit code, by default the caller''s own: the form on 走访覆盖率 '
	'(an administrator of that district).';
REVOKE ALL ON FUNCTION minqing.visit_target_set(integer, boolean, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.visit_target_set(integer, boolean, text) TO mq_admin;

------------------------------------------------------------------------------
-- Coverage
------------------------------------------------------------------------------
-- Per unit of p_units: the households in cells (the cells' counts) and
-- those visited from p_from to p_to. Up to today (the usual case): the
-- households less those whose last visit is before p_from (a range of the
-- index per village); a period that ended before today counts
-- distinct households of its visits. Owned by mq_lister (BYPASSRLS) and
-- executable by mq_owner only: visit_coverage() passes the villages it
-- found inside the caller's jurisdiction.
RESET ROLE;
CREATE OR REPLACE FUNCTION minqing.visit_coverage_counts(p_units integer[], p_from date, p_to date)
RETURNS TABLE (unit_id integer, households bigint, visited bigint)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = minqing, ext, pg_temp SET jit = off AS $$
#variable_conflict use_column
BEGIN
	IF p_to >= current_date THEN
		-- the households of the cells less those not visited since p_from
		-- (a short range of the index when most are visited)
		RETURN QUERY
		SELECT n.unit_id, n.households,
		       n.households - (SELECT count(*) FROM minqing.household_cell hc
		                        WHERE hc.unit_id = n.unit_id
		                          AND coalesce(hc.last_visited_on, '-infinity'::date) < p_from)
		  FROM (SELECT c.unit_id, sum(c.households)::bigint AS households FROM minqing.grid_cell c
		         WHERE c.unit_id = ANY (p_units) GROUP BY c.unit_id) n;
	ELSE
		RETURN QUERY
		SELECT n.unit_id, n.households, coalesce(v.visited, 0)
		  FROM (SELECT c.unit_id, sum(c.households)::bigint AS households FROM minqing.grid_cell c
		         WHERE c.unit_id = ANY (p_units) GROUP BY c.unit_id) n
		  LEFT JOIN (SELECT vh.unit_id, count(DISTINCT vh.household_id) AS visited FROM minqing.visit_household vh
		              WHERE vh.unit_id = ANY (p_units) AND vh.visited_on BETWEEN p_from AND p_to
		              GROUP BY vh.unit_id) v ON v.unit_id = n.unit_id;
	END IF;
END
$$;
ALTER FUNCTION minqing.visit_coverage_counts(integer[], date, date) OWNER TO mq_lister;
COMMENT ON FUNCTION minqing.visit_coverage_counts(integer[], date, date) IS
	'Households in cells and households visited from p_from to p_to per village of p_units, past '
	'row-level security. Owned by mq_lister (BYPASSRLS); executable by mq_owner only: visit_coverage() '
	'passes villages it has checked are inside the caller''s jurisdiction.';
REVOKE ALL ON FUNCTION minqing.visit_coverage_counts(integer[], date, date) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.visit_coverage_counts(integer[], date, date) TO mq_owner;
SET LOCAL ROLE mq_owner;
SET LOCAL search_path = minqing, ext, pg_temp;

-- The start of a coverage period: 'year' the last twelve months (the
-- default), 'calendar' since 1 January, 'quarter' the last three months; in
-- the district's calendar.
CREATE OR REPLACE FUNCTION minqing.visit_period_start(p_district smallint, p_period text) RETURNS date
LANGUAGE sql STABLE SET search_path = minqing, ext, pg_temp AS $$
	SELECT CASE coalesce(p_period, 'year')
	            WHEN 'calendar' THEN date_trunc('year', minqing.district_local_time(p_district, now()))::date
	            WHEN 'quarter' THEN (minqing.district_local_time(p_district, now()) - interval '3 months')::date + 1
	            ELSE (minqing.district_local_time(p_district, now()) - interval '1 year')::date + 1 END
$$;
REVOKE ALL ON FUNCTION minqing.visit_period_start(smallint, text) FROM PUBLIC;

-- Coverage rows: p_level 'village' (each village and community of the
-- jurisdiction or of p_unit in it), 'town' (each town), 'district', or
-- 'cell' (the cells of village p_unit). Every row: households, visited,
-- the percentage, the target and whether it is met ('met', 'below', or
-- 'info' for what the district's figure does not count: communities when
-- the target is on rural households). Towns and the district count rural
-- households only unless the district's setting says all.
CREATE OR REPLACE FUNCTION minqing.visit_coverage(p_level text DEFAULT 'village', p_period text DEFAULT 'year',
                                                  p_unit text DEFAULT NULL)
RETURNS TABLE (unit_id integer, unit_code text, unit_name text, kind text, households bigint, visited bigint,
               coverage numeric, coverage_text text, target_percent smallint, status text, period_from date)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = minqing, ext, pg_temp SET jit = off AS $$
#variable_conflict use_column
DECLARE
	s minqing.staff;
	scope ext.ltree;
	set_ minqing.visit_setting;
	d0 date;
	vs integer[];
BEGIN
	s := minqing.case_caller('{officer,handler,supervisor,admin}');
	scope := minqing.memo_scope(s, p_unit);
	SELECT * INTO set_ FROM minqing.visit_setting x WHERE x.district_id = s.district_id;
	set_.target_percent := coalesce(set_.target_percent, 80);
	set_.rural_only := coalesce(set_.rural_only, true);
	d0 := minqing.visit_period_start(s.district_id, p_period);
	IF coalesce(p_level, 'village') = 'cell' THEN
		RETURN QUERY
		SELECT c.cell_id, c.code, c.name, 'cell'::text, count(hc.household_id),
		       count(hc.household_id) FILTER (WHERE hc.last_visited_on >= d0),
		       round(100.0 * count(hc.household_id) FILTER (WHERE hc.last_visited_on >= d0)
		             / nullif(count(hc.household_id), 0), 1),
		       coalesce(round(100.0 * count(hc.household_id) FILTER (WHERE hc.last_visited_on >= d0)
		                      / nullif(count(hc.household_id), 0), 1)::text || '%', '-'),
		       set_.target_percent,
		       CASE WHEN 100 * count(hc.household_id) FILTER (WHERE hc.last_visited_on >= d0)
		                 >= set_.target_percent * count(hc.household_id) THEN 'met' ELSE 'below' END,
		       d0
		  FROM minqing.grid_cell c LEFT JOIN minqing.household_cell hc ON hc.cell_id = c.cell_id
		 WHERE c.path OPERATOR(ext.<@) scope
		 GROUP BY c.cell_id, c.code, c.name ORDER BY c.code, c.cell_id;
		RETURN;
	END IF;
	vs := minqing.memo_villages(scope);
	RETURN QUERY
	WITH n AS (
		SELECT u.unit_id, u.code, u.name, u.kind::text AS kind, u.path, n.households, n.visited,
		       (u.kind = 'village' OR NOT set_.rural_only) AS counted
		  FROM minqing.visit_coverage_counts(vs, d0, current_date) n
		  JOIN minqing.org_unit u ON u.unit_id = n.unit_id
	), rows_ AS (
		SELECT n.unit_id, n.code, n.name, n.kind, n.households, n.visited, n.counted, n.code AS sort_key
		  FROM n WHERE coalesce(p_level, 'village') = 'village'
		UNION ALL
		SELECT t.unit_id, t.code, t.name, t.kind::text,
		       coalesce(sum(n.households) FILTER (WHERE n.counted), sum(n.households))::bigint,
		       coalesce(sum(n.visited) FILTER (WHERE n.counted), sum(n.visited))::bigint,
		       bool_or(n.counted), t.code
		  FROM n JOIN minqing.org_unit t ON t.kind IN ('town', 'street') AND n.path OPERATOR(ext.<@) t.path
		 WHERE p_level = 'town'
		 GROUP BY t.unit_id, t.code, t.name, t.kind
		UNION ALL
		SELECT d.unit_id, d.code, d.name, d.kind::text,
		       coalesce(sum(n.households) FILTER (WHERE n.counted), 0)::bigint,
		       coalesce(sum(n.visited) FILTER (WHERE n.counted), 0)::bigint, true, ''
		  FROM minqing.org_unit d LEFT JOIN n ON true
		 WHERE p_level = 'district' AND d.path = scope
		 GROUP BY d.unit_id, d.code, d.name, d.kind
	)
	SELECT r.unit_id, r.code, r.name, r.kind, r.households, r.visited,
	       round(100.0 * r.visited / nullif(r.households, 0), 1),
	       coalesce(round(100.0 * r.visited / nullif(r.households, 0), 1)::text || '%', '-'),
	       set_.target_percent,
	       CASE WHEN NOT r.counted THEN 'info'
	            WHEN 100 * r.visited >= set_.target_percent * r.households THEN 'met' ELSE 'below' END,
	       d0
	  FROM rows_ r ORDER BY r.sort_key, r.unit_id;
END
$$;
COMMENT ON FUNCTION minqing.visit_coverage(text, text, text) IS
	'Visit coverage (走访覆盖率): distinct households visited in the period (p_period: year = the last '
	'twelve months, calendar = since 1 January, quarter = the last three months) over the households in '
	'cells, per village and community (p_level village), town, district, or cell of village p_unit, '
	'against the district''s target; towns and the district count rural households only unless the '
	'district''s setting says all (communities then show status info). Within the caller''s jurisdiction.';
REVOKE ALL ON FUNCTION minqing.visit_coverage(text, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.visit_coverage(text, text, text) TO mq_staff;

------------------------------------------------------------------------------
-- The lists
------------------------------------------------------------------------------
-- The cells of a village: households, visited in the last twelve months,
-- the teams that cover it.
CREATE OR REPLACE FUNCTION minqing.visit_cells(p_unit text)
RETURNS TABLE (cell_id integer, code text, name text, party_group text, area_group text, households bigint,
               visited bigint, coverage_text text, teams text, unit_code text, row_version integer)
LANGUAGE sql STABLE AS $$
	SELECT c.cell_id, c.code, c.name, coalesce(c.party_group, ''), coalesce(c.area_group, ''), k.households,
	       k.visited, k.coverage_text,
	       coalesce((SELECT string_agg(t.name, '、' ORDER BY t.name) FROM minqing.service_team_cell x
	                   JOIN minqing.service_team t ON t.team_id = x.team_id WHERE x.cell_id = c.cell_id), ''),
	       u.code, c.row_version
	  FROM minqing.grid_cell c
	  JOIN minqing.org_unit u ON u.unit_id = c.unit_id
	  JOIN minqing.visit_coverage('cell', 'year', p_unit) k ON k.unit_id = c.cell_id
	 ORDER BY c.code, c.cell_id
$$;
COMMENT ON FUNCTION minqing.visit_cells(text) IS
	'The grid cells of village p_unit (网格): code, name, party group, area group, households, visited in '
	'the last twelve months, the service teams covering it.';
GRANT EXECUTE ON FUNCTION minqing.visit_cells(text) TO mq_staff;

-- The households of a cell, by number, with their last visit and team.
CREATE OR REPLACE FUNCTION minqing.cell_households(p_cell integer, p_after_no text DEFAULT NULL,
                                                   p_after_id bigint DEFAULT NULL, p_limit integer DEFAULT 50)
RETURNS TABLE (household_id bigint, household_no text, head_name text, address text, last_visited_on date,
               teams text, cell_name text)
LANGUAGE sql STABLE AS $$
	SELECT h.household_id, h.household_no, coalesce(r.name, ''), h.address, hc.last_visited_on,
	       coalesce((SELECT string_agg(t.name, '、' ORDER BY t.name) FROM minqing.service_team_cell x
	                   JOIN minqing.service_team t ON t.team_id = x.team_id WHERE x.cell_id = hc.cell_id), ''),
	       c.name
	  FROM minqing.household_cell hc
	  JOIN minqing.household h ON h.household_id = hc.household_id
	  JOIN minqing.grid_cell c ON c.cell_id = hc.cell_id
	  LEFT JOIN minqing.resident r ON r.resident_id = h.head_resident_id
	 WHERE hc.cell_id = p_cell
	   AND (h.household_no, h.household_id) > (coalesce(p_after_no, ''), coalesce(p_after_id, -1))
	 ORDER BY h.household_no, h.household_id
	 LIMIT least(greatest(coalesce(p_limit, 50), 1), 500)
$$;
COMMENT ON FUNCTION minqing.cell_households(integer, text, bigint, integer) IS
	'The households of grid cell p_cell by number: head, address, last visit, the teams covering the cell.';
GRANT EXECUTE ON FUNCTION minqing.cell_households(integer, text, bigint, integer) TO mq_staff;

-- Households without a cell (each household should be in exactly one).
-- Only the villages whose households outnumber their cell rows are read
-- (people_count, 038_people_count_cells.sql: a cell row has its
-- household's path), under the same row-level security: where every
-- household has its cell, the goal, nothing more is read (a village of
-- 6,000 households tested one by one took 9-14 ms at scale 10, a town 30).
CREATE OR REPLACE FUNCTION minqing.households_without_cell(p_unit text, p_after_no text DEFAULT NULL,
                                                           p_after_id bigint DEFAULT NULL, p_limit integer DEFAULT 50)
RETURNS TABLE (household_id bigint, household_no text, unit_code text, unit_name text, head_name text, address text)
LANGUAGE plpgsql STABLE SET search_path = minqing, ext, pg_temp AS $$
#variable_conflict use_column
DECLARE
	vs integer[];
BEGIN
	SELECT array_agg(o.unit_id) INTO vs
	  FROM (SELECT p.path FROM minqing.people_count p
	         WHERE p.kind IN ('households', 'in_cell')
	           AND p.path OPERATOR(ext.<@) (SELECT x.path FROM minqing.org_unit x WHERE x.code = p_unit)
	         GROUP BY p.path
	        HAVING coalesce(sum(p.n) FILTER (WHERE p.kind = 'households'), 0)
	               > coalesce(sum(p.n) FILTER (WHERE p.kind = 'in_cell'), 0)) c
	  JOIN minqing.org_unit o ON o.path = c.path;
	IF vs IS NULL THEN
		RETURN;
	END IF;
	RETURN QUERY
	SELECT h.household_id, h.household_no, o.code, o.name, coalesce(r.name, ''), h.address
	  FROM minqing.household h
	  JOIN minqing.org_unit o ON o.unit_id = h.unit_id
	  LEFT JOIN minqing.resident r ON r.resident_id = h.head_resident_id
	 WHERE h.unit_id = ANY (vs)
	   AND h.active AND NOT EXISTS (SELECT 1 FROM minqing.household_cell hc WHERE hc.household_id = h.household_id)
	   AND (h.household_no, h.household_id) > (coalesce(p_after_no, ''), coalesce(p_after_id, -1))
	 ORDER BY h.household_no, h.household_id
	 LIMIT least(greatest(coalesce(p_limit, 50), 1), 500);
END
$$;
COMMENT ON FUNCTION minqing.households_without_cell(text, text, bigint, integer) IS
	'The households of unit p_unit (of the caller''s jurisdiction) in no grid cell (every household should be in one), by number.';
GRANT EXECUTE ON FUNCTION minqing.households_without_cell(text, text, bigint, integer) TO mq_staff;

-- Service teams of the jurisdiction: unit, name, leader, members, cells.
CREATE OR REPLACE FUNCTION minqing.service_teams()
RETURNS TABLE (team_id integer, name text, unit_code text, unit_name text, leader text, members bigint, cells text,
               visits bigint, row_version integer)
LANGUAGE sql STABLE AS $$
	SELECT t.team_id, t.name, u.code, u.name,
	       coalesce((SELECT coalesce(st.display_name, r.name) FROM minqing.service_team_member m
	                   LEFT JOIN minqing.staff st ON st.staff_id = m.staff_id
	                   LEFT JOIN minqing.resident r ON r.resident_id = m.resident_id
	                  WHERE m.team_id = t.team_id AND m.is_leader), ''),
	       (SELECT count(*) FROM minqing.service_team_member m WHERE m.team_id = t.team_id),
	       coalesce((SELECT string_agg(c.code, ' ' ORDER BY c.code) FROM minqing.service_team_cell x
	                   JOIN minqing.grid_cell c ON c.cell_id = x.cell_id WHERE x.team_id = t.team_id), ''),
	       -- (kept per team, 040_team_visit_count.sql: whoever sees the
	       -- team sees all its visits)
	       coalesce((SELECT c.visits FROM minqing.team_visit_count c WHERE c.team_id = t.team_id), 0)::bigint,
	       t.row_version
	  FROM minqing.service_team t JOIN minqing.org_unit u ON u.unit_id = t.unit_id
	 WHERE t.active
	 ORDER BY u.code, t.name
$$;
COMMENT ON FUNCTION minqing.service_teams() IS
	'The service teams (服务队) of the caller''s jurisdiction: unit, name, leader, members, the codes of '
	'the cells they cover, visits made.';
GRANT EXECUTE ON FUNCTION minqing.service_teams() TO mq_staff;

CREATE OR REPLACE FUNCTION minqing.team_members(p_team integer)
RETURNS TABLE (member_id bigint, team_id integer, name text, kind text, is_leader text, phone text)
LANGUAGE sql STABLE AS $$
	SELECT m.member_id, m.team_id, coalesce(st.display_name, r.name), m.kind,
	       CASE WHEN m.is_leader THEN 'leader' ELSE '' END,
	       coalesce(minqing.mask_phone(coalesce(st.phone, r.phone)), '')
	  FROM minqing.service_team_member m
	  LEFT JOIN minqing.staff st ON st.staff_id = m.staff_id
	  LEFT JOIN minqing.resident r ON r.resident_id = m.resident_id
	 WHERE m.team_id = p_team
	 ORDER BY m.is_leader DESC, m.member_id
$$;
COMMENT ON FUNCTION minqing.team_members(integer) IS
	'The members of service team p_team, the leader first: name, staff, party member or resident, phone (masked).';
GRANT EXECUTE ON FUNCTION minqing.team_members(integer) TO mq_staff;

-- Visits of the jurisdiction, newest first (keyset: visited_at, visit_id).
CREATE OR REPLACE FUNCTION minqing.visits(p_after_at timestamptz DEFAULT NULL, p_after_id bigint DEFAULT NULL,
                                          p_limit integer DEFAULT 50)
RETURNS TABLE (visit_id bigint, visited_at timestamptz, shift text, kind text, unit_name text, team_name text,
               households integer, persons_met integer, findings text, visitors text, return_case_no text,
               cases bigint)
LANGUAGE sql STABLE AS $$
	SELECT v.visit_id, v.visited_at, v.shift, v.kind, u.name, coalesce(t.name, ''), v.households, v.persons_met,
	       coalesce(v.findings, ''), coalesce(v.visitors, ''), coalesce(c.case_no, ''),
	       (SELECT count(*) FROM minqing.visit_household x WHERE x.visit_id = v.visit_id AND x.case_id IS NOT NULL)
	  FROM (SELECT * FROM minqing.visit y
	         WHERE (y.visited_at, y.visit_id) < (coalesce(p_after_at, 'infinity'::timestamptz),
	                                              coalesce(p_after_id, 9223372036854775807))
	         ORDER BY y.visited_at DESC, y.visit_id DESC
	         LIMIT least(greatest(coalesce(p_limit, 50), 1), 500)) v
	  JOIN minqing.org_unit u ON u.unit_id = v.unit_id
	  LEFT JOIN minqing.service_team t ON t.team_id = v.team_id
	  LEFT JOIN minqing.cases c ON c.case_id = v.return_case_id
	 ORDER BY v.visited_at DESC, v.visit_id DESC
$$;
COMMENT ON FUNCTION minqing.visits(timestamptz, bigint, integer) IS
	'The visits (走访记录) of the caller''s jurisdiction, newest first: when, day or night, kind, village, '
	'team, households, persons met, findings, the case a return visit went back to, cases produced.';
GRANT EXECUTE ON FUNCTION minqing.visits(timestamptz, bigint, integer) TO mq_staff;

CREATE OR REPLACE FUNCTION minqing.visit_households(p_visit bigint)
RETURNS TABLE (visit_id bigint, household_id bigint, household_no text, head_name text, cell_name text,
               finding text, case_no text, case_status text, can_turn text)
LANGUAGE sql STABLE AS $$
	SELECT x.visit_id, x.household_id, h.household_no, coalesce(r.name, ''), coalesce(c.name, ''),
	       coalesce(x.finding, v.findings, ''), coalesce(x.case_no, ''), coalesce(k.status::text, ''),
	       CASE WHEN x.case_id IS NULL THEN 't' ELSE 'f' END
	  FROM minqing.visit_household x
	  JOIN minqing.visit v ON v.visit_id = x.visit_id
	  JOIN minqing.household h ON h.household_id = x.household_id
	  LEFT JOIN minqing.resident r ON r.resident_id = h.head_resident_id
	  LEFT JOIN minqing.grid_cell c ON c.cell_id = x.cell_id
	  LEFT JOIN minqing.cases k ON k.case_id = x.case_id
	 WHERE x.visit_id = p_visit
	 ORDER BY h.household_no, x.household_id
$$;
COMMENT ON FUNCTION minqing.visit_households(bigint) IS
	'The households of visit p_visit: number, head, cell, what was found, the case it became and its status.';
GRANT EXECUTE ON FUNCTION minqing.visit_households(bigint) TO mq_staff;

-- A page of the visit plan's households: of villages p_units (and cells
-- p_cells when given), last visited before p_before (or never), by that day
-- (never first) and id, after the keyset. Each village's page is read from
-- its index (household_cell_plan) and the pages merged: as quick for a
-- district of 120 villages at any scale as for one. Owned by mq_lister
-- (BYPASSRLS: no per-row policy between the index and the limit);
-- executable by mq_owner only: visit_plan() passes the villages of the
-- caller's jurisdiction.
RESET ROLE;
CREATE OR REPLACE FUNCTION minqing.visit_plan_page(p_units integer[], p_cells integer[], p_before date,
                                                   p_after_key date, p_after_id bigint, p_limit integer)
RETURNS TABLE (household_id bigint, cell_id integer, unit_id integer, last_visited_on date)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = minqing, ext, pg_temp SET jit = off AS $$
	SELECT x.household_id, x.cell_id, x.unit_id, x.last_visited_on
	  FROM unnest(p_units) AS v(unit_id)
	 CROSS JOIN LATERAL (
	       SELECT z.household_id, z.cell_id, z.unit_id, z.last_visited_on FROM minqing.household_cell z
	        WHERE z.unit_id = v.unit_id
	          AND coalesce(z.last_visited_on, '-infinity'::date) < p_before
	          AND (p_cells IS NULL OR z.cell_id = ANY (p_cells))
	          AND (coalesce(z.last_visited_on, '-infinity'::date), z.household_id)
	              > (coalesce(p_after_key, '-infinity'::date), coalesce(p_after_id, -1))
	        ORDER BY coalesce(z.last_visited_on, '-infinity'::date), z.household_id
	        LIMIT p_limit) x
	 ORDER BY coalesce(x.last_visited_on, '-infinity'::date), x.household_id
	 LIMIT p_limit
$$;
ALTER FUNCTION minqing.visit_plan_page(integer[], integer[], date, date, bigint, integer) OWNER TO mq_lister;
COMMENT ON FUNCTION minqing.visit_plan_page(integer[], integer[], date, date, bigint, integer) IS
	'A page of the visit plan: households of villages p_units (cells p_cells) not visited since p_before, '
	'never visited first, past row-level security. Owned by mq_lister (BYPASSRLS); executable by mq_owner '
	'only: visit_plan() passes the villages of the caller''s jurisdiction.';
REVOKE ALL ON FUNCTION minqing.visit_plan_page(integer[], integer[], date, date, bigint, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.visit_plan_page(integer[], integer[], date, date, bigint, integer) TO mq_owner;
SET LOCAL ROLE mq_owner;
SET LOCAL search_path = minqing, ext, pg_temp;

-- The visit plan: households of my cells (the cells of the teams I am in;
-- without a team, of my jurisdiction's villages) not visited this year in
-- the district's calendar, never visited first, then the oldest last visit
-- (keyset: last_key, household_id; visit_plan_page). Bitmap scans off
-- (docs/operations.md, "List screens at a million cases").
CREATE OR REPLACE FUNCTION minqing.visit_plan(p_after_key date DEFAULT NULL, p_after_id bigint DEFAULT NULL,
                                              p_limit integer DEFAULT 50)
RETURNS TABLE (household_id bigint, household_no text, head_name text, cell_name text, unit_name text,
               last_visited_on date, last_key date, address text)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = minqing, ext, pg_temp SET jit = off
SET enable_bitmapscan = off AS $$
#variable_conflict use_column
DECLARE
	s minqing.staff;
	y date;
	cells integer[];
	vs integer[];
	lim integer := least(greatest(coalesce(p_limit, 50), 1), 500);
BEGIN
	s := minqing.case_caller('{officer,handler,supervisor,admin}');
	y := date_trunc('year', minqing.district_local_time(s.district_id, now()))::date;
	cells := ARRAY(SELECT DISTINCT x.cell_id FROM minqing.service_team_member m
	                 JOIN minqing.service_team_cell x ON x.team_id = m.team_id
	                WHERE m.staff_id = s.staff_id);
	IF cardinality(cells) = 0 THEN
		cells := NULL;
	END IF;
	vs := minqing.memo_villages(s.path);
	RETURN QUERY
	SELECT hc.household_id, h.household_no, coalesce(r.name, ''), c.name, u.name, hc.last_visited_on,
	       coalesce(hc.last_visited_on, '-infinity'::date), h.address
	  FROM minqing.visit_plan_page(vs, cells, y, p_after_key, p_after_id, lim) hc
	  JOIN minqing.household h ON h.household_id = hc.household_id
	  JOIN minqing.grid_cell c ON c.cell_id = hc.cell_id
	  JOIN minqing.org_unit u ON u.unit_id = hc.unit_id
	  LEFT JOIN minqing.resident r ON r.resident_id = h.head_resident_id
	 ORDER BY coalesce(hc.last_visited_on, '-infinity'::date), hc.household_id;
END
$$;
COMMENT ON FUNCTION minqing.visit_plan(date, bigint, integer) IS
	'The visit plan (走访计划): the households of my cells (of the service teams I belong to; without one, '
	'of my jurisdiction) not visited this year, never visited first, then the oldest last visit; the next '
	'page: p_after_key, p_after_id = last_key, household_id of the last row.';
REVOKE ALL ON FUNCTION minqing.visit_plan(date, bigint, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.visit_plan(date, bigint, integer) TO mq_staff;

RESET ROLE;
