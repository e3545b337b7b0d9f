-- schema/functions/63_registers.sql: the registers an administrator keeps
-- (docs/registers.md): the stations (分站), the staff accounts and the
-- roster of information officers (信息员名册).
--
-- The three lists are SECURITY INVOKER and read within the caller's
-- jurisdiction (my_scope(): an administrator or supervisor of the district
-- sees the whole district, a town's staff their town, a village's their
-- village), a page at a time by keyset; phone numbers come out masked for
-- everyone. Stations change through station_save()/station_set_active()
-- (administrators, within their jurisdiction; FORCE row-level security on
-- station binds them too). Accounts change through the staff_set_*()
-- functions, owned by mq_role_manager like user_add(): the duty is a group
-- role and enabling an account is ALTER ROLE, which only that role may do.
-- `minqing-admin user` and the console's forms call the same functions.
--
-- The current definition of these functions, with their grants and comments:
-- idempotent, re-applied by `minqing-admin migrate` whenever the function
-- files change (docs/development.md, "Functions, views and grants").

SET LOCAL ROLE mq_owner;
SET LOCAL search_path = minqing, ext, pg_temp;

------------------------------------------------------------------------------
-- Reads
------------------------------------------------------------------------------
-- What a register's search matches: a LIKE pattern of the words typed
-- (checked and trimmed as a search of the news), NULL when none were.
CREATE OR REPLACE FUNCTION minqing.register_pattern(p_query text) RETURNS text
LANGUAGE plpgsql IMMUTABLE SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	q text := minqing.bulletin_query(p_query);
BEGIN
	RETURN CASE WHEN q <> '' THEN minqing.like_contains(q) END;
END
$$;
COMMENT ON FUNCTION minqing.register_pattern(text) IS
	'The LIKE pattern of a register''s search (bulletin_query''s checks; NULL when nothing was typed).';
REVOKE ALL ON FUNCTION minqing.register_pattern(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.register_pattern(text) TO mq_staff;

-- 分站: the stations of the caller's jurisdiction by code, with the open
-- cases received at each this year (the district's year) by units the
-- caller sees, kept in station_open_count. Bitmap scans off: the policy's
-- GiST indexes were ANDed in and read every case of the district
-- (docs/operations.md, "List screens at a million cases").
CREATE OR REPLACE FUNCTION minqing.stations_list(p_query text DEFAULT NULL,
                                      p_kind minqing.station_kind DEFAULT NULL,
                                      p_active boolean DEFAULT NULL,
                                      p_after_code text DEFAULT NULL, p_limit integer DEFAULT 50)
RETURNS TABLE (station_id integer, code text, name text, kind minqing.station_kind, kind_name text,
               unit_code text, unit_name text, responsible text, phone text, terminal text,
               active boolean, state text, open_cases integer, row_version integer)
LANGUAGE plpgsql STABLE SET search_path = minqing, ext, pg_temp SET enable_bitmapscan = off SET jit = off AS $$
DECLARE
	pat text := minqing.register_pattern(p_query);
	lim integer := least(greatest(coalesce(p_limit, 50), 1), 500);
	-- this year on the district's calendar (a system role: the first district's)
	yr integer := extract(year FROM minqing.district_local_time(
		coalesce(minqing.my_district(), (SELECT min(d.district_id) FROM minqing.district d)), now()));
BEGIN
	RETURN QUERY
	WITH page AS (
		SELECT s.station_id, s.code, s.name, s.kind, u.code AS unit_code, u.name AS unit_name,
		       coalesce(s.responsible_name, r.display_name) AS responsible,
		       coalesce(s.responsible_phone, r.phone)::text AS phone, s.terminal, s.active, s.row_version
		  FROM minqing.station s
		  JOIN minqing.org_unit u ON u.unit_id = s.unit_id
		  LEFT JOIN minqing.staff r ON r.staff_id = s.responsible_staff_id
		 WHERE s.path OPERATOR(ext.<@) (SELECT minqing.my_scope())
		   AND (p_kind IS NULL OR s.kind = p_kind)
		   AND (p_active IS NULL OR s.active = p_active)
		   AND (pat IS NULL OR lower(s.code) LIKE pat OR lower(s.name) LIKE pat OR lower(u.name) LIKE pat
		        OR lower(coalesce(s.responsible_name, r.display_name, '')) LIKE pat)
		   AND (p_after_code IS NULL OR s.code > p_after_code)
		 ORDER BY s.code
		 LIMIT lim),
	-- (kept per station, year and receiving unit: 041_station_open_count.sql;
	-- read under its policy, the units the caller sees)
	open_here AS (
		SELECT o.station_id, sum(o.n)::integer AS n
		  FROM minqing.station_open_count o
		 WHERE o.station_id IN (SELECT p.station_id FROM page p)
		   AND o.year = yr
		 GROUP BY o.station_id)
	SELECT p.station_id, p.code, p.name, p.kind,
	       CASE p.kind WHEN 'central' THEN '总站' WHEN 'village' THEN '村级'
	                   WHEN 'enterprise' THEN '企业' WHEN 'agency' THEN '机关' ELSE '其他' END,
	       p.unit_code, p.unit_name, p.responsible, minqing.mask_phone(p.phone), p.terminal, p.active,
	       CASE WHEN p.active THEN '在用' ELSE '停用' END, coalesce(o.n, 0), p.row_version
	  FROM page p LEFT JOIN open_here o ON o.station_id = p.station_id
	 ORDER BY p.code;
END
$$;
COMMENT ON FUNCTION minqing.stations_list(text, minqing.station_kind, boolean, text, integer) IS
	'分站: the stations of the caller''s jurisdiction by code, a page at a time after p_after_code; '
	'filtered by kind and active, searched in code, name, unit and responsible person; the responsible '
	'person''s phone masked; open_cases: cases received there this year (the district''s), not closed or '
	'withdrawn, by units the caller sees.';
REVOKE ALL ON FUNCTION minqing.stations_list(text, minqing.station_kind, boolean, text, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.stations_list(text, minqing.station_kind, boolean, text, integer) TO mq_staff;

-- The staff accounts of the caller's jurisdiction by login. PostgreSQL 15
-- records no time of login (docs/registers.md), so the list shows whether
-- the account can log in instead.
CREATE OR REPLACE FUNCTION minqing.staff_list(p_query text DEFAULT NULL, p_duty minqing.duty DEFAULT NULL,
                                   p_active boolean DEFAULT NULL, p_after_login text DEFAULT NULL,
                                   p_limit integer DEFAULT 50)
RETURNS TABLE (staff_id integer, login text, name text, unit_code text, unit_name text,
               duty minqing.duty, duty_name text, post text, phone text, active boolean,
               state text, row_version integer)
LANGUAGE plpgsql STABLE SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	pat text := minqing.register_pattern(p_query);
	lim integer := least(greatest(coalesce(p_limit, 50), 1), 500);
BEGIN
	RETURN QUERY
	SELECT s.staff_id, s.login::text, s.display_name, u.code, u.name, s.duty,
	       CASE s.duty WHEN 'officer' THEN '信息员' WHEN 'handler' THEN '信息处理责任人'
	                   WHEN 'supervisor' THEN '督查员' WHEN 'admin' THEN '管理员' ELSE '公示终端' END,
	       s.position, minqing.mask_phone(s.phone::text), s.active,
	       CASE WHEN s.active THEN '在用' ELSE '停用' END, s.row_version
	  FROM minqing.staff s
	  JOIN minqing.org_unit u ON u.unit_id = s.unit_id
	 WHERE s.path OPERATOR(ext.<@) (SELECT minqing.my_scope())
	   AND (p_duty IS NULL OR s.duty = p_duty)
	   AND (p_active IS NULL OR s.active = p_active)
	   AND (pat IS NULL OR lower(s.login::text) LIKE pat OR lower(s.display_name) LIKE pat
	        OR lower(u.name) LIKE pat OR lower(coalesce(s.position, '')) LIKE pat)
	   AND (p_after_login IS NULL OR s.login::text > p_after_login)
	 ORDER BY s.login::text
	 LIMIT lim;
END
$$;
COMMENT ON FUNCTION minqing.staff_list(text, minqing.duty, boolean, text, integer) IS
	'The staff accounts of the caller''s jurisdiction by login, a page at a time after p_after_login; '
	'filtered by duty and active, searched in login, name, unit and position; phones masked.';
REVOKE ALL ON FUNCTION minqing.staff_list(text, minqing.duty, boolean, text, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.staff_list(text, minqing.duty, boolean, text, integer) TO mq_staff;

-- 信息员名册: the active information officers of the caller's jurisdiction
-- (of one unit's subtree with p_unit), by unit and login, each with their
-- unit's station and the cases they entered in the last 30 days, today
-- included, at units the caller sees (summed from entry_count, kept per
-- day: 039_entry_count.sql; bitmap scans off, as stations_list()).
CREATE OR REPLACE FUNCTION minqing.officers_roster(p_unit text DEFAULT NULL, p_after_unit text DEFAULT NULL,
                                        p_after_login text DEFAULT NULL, p_limit integer DEFAULT 50)
RETURNS TABLE (staff_id integer, unit_code text, unit_name text, login text, name text, post text,
               phone text, station_code text, station_name text, cases_30d integer)
LANGUAGE sql STABLE SET enable_bitmapscan = off SET jit = off AS $$
	WITH page AS (
		SELECT s.staff_id, u.code AS unit_code, u.name AS unit_name, s.login, s.display_name,
		       s.position, s.phone, s.unit_id, s.district_id
		  FROM minqing.staff s
		  JOIN minqing.org_unit u ON u.unit_id = s.unit_id
		 WHERE s.duty = 'officer' AND s.active
		   AND s.path OPERATOR(ext.<@) (SELECT minqing.my_scope())
		   AND (p_unit IS NULL
		        OR s.path OPERATOR(ext.<@) (SELECT x.path FROM minqing.org_unit x WHERE x.code = p_unit))
		   AND (p_after_unit IS NULL OR (u.code, s.login::text) > (p_after_unit, p_after_login))
		 ORDER BY u.code, s.login::text
		 LIMIT least(greatest(coalesce(p_limit, 50), 1), 500)),
	-- The districts' days (the first of the 30 is after this one), each
	-- reckoned once: per row of entry_count it was most of the call.
	since AS (
		SELECT d.district_id, minqing.district_local_time(d.district_id, now())::date - 30 AS day
		  FROM minqing.district d
		 WHERE d.district_id IN (SELECT p.district_id FROM page p))
	SELECT p.staff_id, p.unit_code, p.unit_name, p.login::text, p.display_name, p.position,
	       minqing.mask_phone(p.phone::text), st.code, st.name, coalesce(e.n, 0)
	  FROM page p
	  JOIN since w ON w.district_id = p.district_id
	  LEFT JOIN LATERAL (SELECT x.code, x.name FROM minqing.station x
	                      WHERE x.unit_id = p.unit_id AND x.active ORDER BY x.code LIMIT 1) st ON true
	  LEFT JOIN LATERAL (SELECT sum(e.n)::integer AS n FROM minqing.entry_count e
	                      WHERE e.entered_by = p.login AND e.day > w.day) e ON true
	 ORDER BY p.unit_code, p.login::text
$$;
COMMENT ON FUNCTION minqing.officers_roster(text, text, text, integer) IS
	'信息员名册: the active information officers of the caller''s jurisdiction (of unit p_unit''s subtree '
	'when given) by unit code and login, a page at a time after (p_after_unit, p_after_login); phones '
	'masked, their unit''s station, cases they entered in the last 30 days (today and the 29 days before, the '
	'district''s calendar) at units the caller sees.';
REVOKE ALL ON FUNCTION minqing.officers_roster(text, text, text, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.officers_roster(text, text, text, integer) TO mq_staff;

------------------------------------------------------------------------------
-- Stations: writes
------------------------------------------------------------------------------
-- The caller must be an active administrator; raises otherwise.
CREATE OR REPLACE FUNCTION minqing.require_admin() RETURNS void
LANGUAGE plpgsql STABLE SET search_path = minqing, ext, pg_temp AS $$
BEGIN
	IF NOT EXISTS (SELECT 1 FROM minqing.staff s WHERE s.login = session_user AND s.active AND s.duty = 'admin') THEN
		RAISE EXCEPTION 'your duty (%) does not allow this',
			coalesce((SELECT s.duty::text FROM minqing.staff s WHERE s.login = session_user AND s.active), 'kiosk')
			USING ERRCODE = 'insufficient_privilege';
	END IF;
END
$$;
COMMENT ON FUNCTION minqing.require_admin() IS
	'Raises 42501 unless the caller is an active administrator (called by the register''s definer functions).';
REVOKE ALL ON FUNCTION minqing.require_admin() FROM PUBLIC;

-- The station p_code of the caller's jurisdiction, locked, at the row
-- version the caller saw.
CREATE OR REPLACE FUNCTION minqing.station_for(p_code text, p_row_version integer) RETURNS minqing.station
LANGUAGE plpgsql SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	r minqing.station;
BEGIN
	SELECT * INTO r FROM minqing.station x WHERE x.code = p_code;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'station % not found', left(p_code, 40) USING ERRCODE = 'no_data_found';
	END IF;
	IF NOT coalesce(r.path OPERATOR(ext.<@) minqing.my_write_scope(), false) THEN
		RAISE EXCEPTION 'station % is outside your jurisdiction', r.code
			USING ERRCODE = 'insufficient_privilege';
	END IF;
	SELECT * INTO r FROM minqing.station x WHERE x.station_id = r.station_id FOR UPDATE;
	IF p_row_version IS NOT NULL AND r.row_version <> p_row_version THEN
		RAISE EXCEPTION 'station % was changed by someone else since you opened it', r.code
			USING ERRCODE = 'serialization_failure',
			      DETAIL = format('version %s when opened, %s now', p_row_version, r.row_version),
			      HINT = 'reload it and try again';
	END IF;
	RETURN r;
END
$$;
COMMENT ON FUNCTION minqing.station_for(text, integer) IS
	'The station with code p_code, locked, when it is in the caller''s jurisdiction and (p_row_version '
	'given) still at that row version (40001 when it moved).';
REVOKE ALL ON FUNCTION minqing.station_for(text, integer) FROM PUBLIC;

-- Add a station (no station has the code) or change one at the row
-- version the caller saw. Administrators, in their jurisdiction.
CREATE OR REPLACE FUNCTION minqing.station_save(p_code text, p_name text, p_kind minqing.station_kind,
                                     p_unit_code text DEFAULT NULL, p_responsible text DEFAULT NULL,
                                     p_phone text DEFAULT NULL, p_terminal text DEFAULT NULL,
                                     p_row_version integer DEFAULT NULL)
RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	u minqing.org_unit;
	r minqing.station;
	c text := btrim(p_code);
	ph text := nullif(btrim(p_phone), '');
	id integer;
BEGIN
	PERFORM minqing.require_admin();
	IF c IS NULL OR c !~ '^[A-Za-z0-9_-]{1,32}$' THEN
		RAISE EXCEPTION 'a station code is 1 to 32 letters, digits, - or _: not %', coalesce(left(c, 40), '')
			USING ERRCODE = 'check_violation', COLUMN = 'code';
	END IF;
	PERFORM minqing.require_text(p_name, 'name');
	IF p_kind IS NULL THEN
		RAISE EXCEPTION 'the % is required', 'kind' USING ERRCODE = 'not_null_violation', COLUMN = 'kind';
	END IF;
	IF ph IS NOT NULL AND ph !~ '^(1[3-9][0-9]{9}|0[0-9]{2,3}-?[0-9]{7,8})$' THEN
		RAISE EXCEPTION 'a phone number is a mobile number or has an area code, like 0577-88888888: not %',
			left(ph, 40) USING ERRCODE = 'check_violation', COLUMN = 'phone';
	END IF;
	IF NOT EXISTS (SELECT 1 FROM minqing.station x WHERE x.code = c) THEN
		-- A new station: at the unit given, or the caller's own.
		u := minqing.bulletin_unit(p_unit_code);
		INSERT INTO minqing.station (code, name, kind, unit_id, responsible_name, responsible_phone, terminal)
		VALUES (c, p_name, p_kind, u.unit_id, nullif(p_responsible, ''), ph, nullif(p_terminal, ''))
		RETURNING minqing.station.station_id INTO id;
		RETURN id;
	END IF;
	IF p_row_version IS NULL THEN
		RAISE EXCEPTION 'station code % is taken', c USING ERRCODE = 'unique_violation', COLUMN = 'code';
	END IF;
	r := minqing.station_for(c, p_row_version);
	-- A change keeps the station's unit unless another is given.
	IF p_unit_code IS NULL THEN
		u.unit_id := r.unit_id;
	ELSE
		u := minqing.bulletin_unit(p_unit_code);
	END IF;
	UPDATE minqing.station x
	   SET name = p_name, kind = p_kind, unit_id = u.unit_id, responsible_name = nullif(p_responsible, ''),
	       responsible_phone = ph, terminal = nullif(p_terminal, '')
	 WHERE x.station_id = r.station_id;
	RETURN r.station_id;
END
$$;
COMMENT ON FUNCTION minqing.station_save(text, text, minqing.station_kind, text, text, text, text, integer) IS
	'分站登记: an administrator adds a station at a unit of their jurisdiction (p_row_version NULL; the '
	'code must be new) or changes the station with that code at the row version they saw (40001 when it '
	'moved). Returns the station''s id.';
REVOKE ALL ON FUNCTION minqing.station_save(text, text, minqing.station_kind, text, text, text, text, integer)
	FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.station_save(text, text, minqing.station_kind, text, text, text, text, integer)
	TO mq_admin;

CREATE OR REPLACE FUNCTION minqing.station_set_active(p_code text, p_active boolean,
                                           p_row_version integer DEFAULT NULL) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	r minqing.station;
BEGIN
	PERFORM minqing.require_admin();
	IF p_active IS NULL THEN
		RAISE EXCEPTION 'the % is required', 'active' USING ERRCODE = 'not_null_violation', COLUMN = 'active';
	END IF;
	r := minqing.station_for(p_code, p_row_version);
	IF r.active IS DISTINCT FROM p_active THEN
		UPDATE minqing.station x SET active = p_active WHERE x.station_id = r.station_id;
	END IF;
END
$$;
COMMENT ON FUNCTION minqing.station_set_active(text, boolean, integer) IS
	'An administrator takes a station of their jurisdiction out of use (p_active false: no new case is '
	'received there; its cases keep it) or back into use.';
REVOKE ALL ON FUNCTION minqing.station_set_active(text, boolean, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.station_set_active(text, boolean, integer) TO mq_admin;

------------------------------------------------------------------------------
-- Accounts: writes (owned by mq_role_manager, docs/security.md; replaced by
-- the superuser, which keeps the owner)
------------------------------------------------------------------------------
RESET ROLE;

-- The staff row of p_login, locked, when the caller may change it: the DBA,
-- or an administrator for an account of their jurisdiction that is not
-- their own; at the row version the caller saw (when given); and its login
-- role is still a plain staff login (what user_add() would adopt).
-- Runs as its caller, the definer functions below (mq_role_manager).
CREATE OR REPLACE FUNCTION minqing.staff_for_change(p_login name, p_row_version integer) RETURNS minqing.staff
LANGUAGE plpgsql SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	s minqing.staff;
BEGIN
	IF NOT (SELECT a.rolsuper FROM pg_catalog.pg_roles a WHERE a.rolname = session_user) THEN
		IF NOT pg_catalog.pg_has_role(session_user, 'mq_admin', 'MEMBER') THEN
			RAISE EXCEPTION 'only an administrator may change accounts' USING ERRCODE = 'insufficient_privilege';
		END IF;
	END IF;
	SELECT * INTO s FROM minqing.staff x WHERE x.login = p_login FOR UPDATE;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'no account %', p_login USING ERRCODE = 'no_data_found';
	END IF;
	IF NOT (SELECT a.rolsuper FROM pg_catalog.pg_roles a WHERE a.rolname = session_user) THEN
		IF NOT coalesce(s.path OPERATOR(ext.<@) minqing.my_write_scope(), false) THEN
			RAISE EXCEPTION 'account % is outside your jurisdiction', p_login
				USING ERRCODE = 'insufficient_privilege';
		END IF;
		IF p_login = session_user THEN
			RAISE EXCEPTION 'you cannot change your own account' USING ERRCODE = 'check_violation';
		END IF;
	END IF;
	IF p_row_version IS NOT NULL AND s.row_version <> p_row_version THEN
		RAISE EXCEPTION 'account % was changed by someone else since you opened it', p_login
			USING ERRCODE = 'serialization_failure',
			      DETAIL = format('version %s when opened, %s now', p_row_version, s.row_version),
			      HINT = 'reload it and try again';
	END IF;
	PERFORM minqing.staff_role_check(p_login);
	RETURN s;
END
$$;
ALTER FUNCTION minqing.staff_for_change(name, integer) OWNER TO mq_role_manager;
COMMENT ON FUNCTION minqing.staff_for_change(name, integer) IS
	'The staff row of p_login, locked, when the caller (the DBA, or an administrator for an account of '
	'their jurisdiction other than their own) may change it at row version p_row_version (NULL: any), '
	'and its role is a plain staff login. Called by the staff_set_* functions.';
REVOKE ALL ON FUNCTION minqing.staff_for_change(name, integer) FROM PUBLIC;

-- Move an account to another unit of the caller's jurisdiction (its
-- jurisdiction moves with it: staff.path follows the unit).
CREATE OR REPLACE FUNCTION minqing.staff_set_unit(p_login name, p_unit_code text, p_row_version integer DEFAULT NULL)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	s minqing.staff := minqing.staff_for_change(p_login, p_row_version);
	u minqing.org_unit;
BEGIN
	SELECT * INTO u FROM minqing.org_unit x WHERE x.code = p_unit_code AND x.active;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'no active unit with code %', left(p_unit_code, 40)
			USING ERRCODE = 'no_data_found', COLUMN = 'unit_code';
	END IF;
	IF NOT (SELECT a.rolsuper FROM pg_catalog.pg_roles a WHERE a.rolname = session_user)
	   AND NOT coalesce(u.path OPERATOR(ext.<@) minqing.my_write_scope(), false) THEN
		RAISE EXCEPTION 'unit % is outside your jurisdiction', u.code USING ERRCODE = 'insufficient_privilege';
	END IF;
	IF u.unit_id <> s.unit_id THEN
		UPDATE minqing.staff x SET unit_id = u.unit_id WHERE x.staff_id = s.staff_id;
	END IF;
END
$$;
ALTER FUNCTION minqing.staff_set_unit(name, text, integer) OWNER TO mq_role_manager;
COMMENT ON FUNCTION minqing.staff_set_unit(name, text, integer) IS
	'Move an account to another unit (its jurisdiction moves with it), by an administrator within their '
	'jurisdiction (both units) or the DBA; not one''s own.';
REVOKE ALL ON FUNCTION minqing.staff_set_unit(name, text, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.staff_set_unit(name, text, integer) TO mq_admin;

-- Change an account's duty: its one duty group role is replaced.
CREATE OR REPLACE FUNCTION minqing.staff_set_duty(p_login name, p_duty minqing.duty, p_row_version integer DEFAULT NULL)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	s minqing.staff := minqing.staff_for_change(p_login, p_row_version);
	d minqing.duty;
BEGIN
	IF p_duty IS NULL THEN
		RAISE EXCEPTION 'the % is required', 'duty' USING ERRCODE = 'not_null_violation', COLUMN = 'duty';
	END IF;
	-- Every other duty group goes, whatever the staff row said.
	FOREACH d IN ARRAY pg_catalog.enum_range(NULL::minqing.duty) LOOP
		IF d <> p_duty AND pg_catalog.pg_has_role(p_login, 'mq_' || d::text, 'MEMBER') THEN
			EXECUTE format('REVOKE %I FROM %I', 'mq_' || d::text, p_login);
		END IF;
	END LOOP;
	IF NOT pg_catalog.pg_has_role(p_login, 'mq_' || p_duty::text, 'MEMBER') THEN
		EXECUTE format('GRANT %I TO %I', 'mq_' || p_duty::text, p_login);
	END IF;
	IF s.duty <> p_duty THEN
		UPDATE minqing.staff x SET duty = p_duty WHERE x.staff_id = s.staff_id;
	END IF;
END
$$;
ALTER FUNCTION minqing.staff_set_duty(name, minqing.duty, integer) OWNER TO mq_role_manager;
COMMENT ON FUNCTION minqing.staff_set_duty(name, minqing.duty, integer) IS
	'Change an account''s duty (its group role: exactly the new duty''s), by an administrator within their '
	'jurisdiction or the DBA; not one''s own.';
REVOKE ALL ON FUNCTION minqing.staff_set_duty(name, minqing.duty, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.staff_set_duty(name, minqing.duty, integer) TO mq_admin;

-- Disable (the staff row inactive, the role NOLOGIN) or enable an account.
CREATE OR REPLACE FUNCTION minqing.staff_set_active(p_login name, p_active boolean, p_row_version integer DEFAULT NULL)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	s minqing.staff := minqing.staff_for_change(p_login, p_row_version);
BEGIN
	IF p_active IS NULL THEN
		RAISE EXCEPTION 'the % is required', 'active' USING ERRCODE = 'not_null_violation', COLUMN = 'active';
	END IF;
	IF s.active <> p_active THEN
		UPDATE minqing.staff x SET active = p_active WHERE x.staff_id = s.staff_id;
	END IF;
	IF p_active THEN
		EXECUTE format('ALTER ROLE %I LOGIN', p_login);
	ELSE
		EXECUTE format('ALTER ROLE %I NOLOGIN', p_login);
	END IF;
END
$$;
ALTER FUNCTION minqing.staff_set_active(name, boolean, integer) OWNER TO mq_role_manager;
COMMENT ON FUNCTION minqing.staff_set_active(name, boolean, integer) IS
	'Disable an account (staff row inactive, login role NOLOGIN) or enable it again, by an administrator '
	'within their jurisdiction or the DBA; not one''s own.';
REVOKE ALL ON FUNCTION minqing.staff_set_active(name, boolean, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.staff_set_active(name, boolean, integer) TO mq_admin;

SET LOCAL ROLE mq_owner;

RESET ROLE;
