-- schema/functions/68_volunteers.sql: volunteers and activities (志愿者与主题
-- 活动) and the enterprise register (企业名录); docs/volunteers.md.
--
-- Writes: volunteer_add/_update, enterprise_add, activity_add/_result,
-- activity_target_add, activity_invite (an SMS through the outbox, saying
-- how to answer), activity_signup, activity_attend (never before the
-- activity's day), activity_to_case (case_intake() in the same
-- transaction, the link kept in activity_case). Each checks the caller's
-- duty and that the rows are of the caller's jurisdiction: a village
-- officer signs up the village's volunteers only. The lists behind the
-- view files (volunteers, activities, enterprises, activity_signups).
--
-- The current definition of these functions, with their grants and
-- comments: idempotent, re-applied by `minqing-admin migrate` whenever the
-- function files change (docs/development.md, "Functions, views and grants").

SET LOCAL ROLE mq_owner;
SET LOCAL search_path = minqing, ext, pg_temp;

------------------------------------------------------------------------------
-- Helpers
------------------------------------------------------------------------------
-- The unit a new row belongs to: p_unit (a code in the caller's subtree) or
-- the caller's own.
CREATE OR REPLACE FUNCTION minqing.volunteer_unit(s minqing.staff, p_unit text) RETURNS minqing.org_unit
LANGUAGE plpgsql STABLE SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	u minqing.org_unit;
BEGIN
	IF p_unit IS NULL OR btrim(p_unit) = '' THEN
		SELECT * INTO u FROM minqing.org_unit x WHERE x.unit_id = s.unit_id;
		RETURN u;
	END IF;
	RETURN minqing.unit_in_scope(s, btrim(p_unit));
END
$$;
REVOKE ALL ON FUNCTION minqing.volunteer_unit(minqing.staff, text) FROM PUBLIC;

CREATE OR REPLACE FUNCTION minqing.activity_kind_name(p_kind text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE SET search_path = minqing, ext, pg_temp AS $$
	SELECT CASE p_kind WHEN 'pairing' THEN '结对帮扶' WHEN 'donation' THEN '捐赠' WHEN 'villages' THEN '进村'
	                   WHEN 'enterprises' THEN '进企' WHEN 'households' THEN '入户' ELSE p_kind END
$$;
COMMENT ON FUNCTION minqing.activity_kind_name(text) IS
	'The Chinese name of an activity kind: 结对帮扶, 捐赠, 进村, 进企, 入户.';
REVOKE ALL ON FUNCTION minqing.activity_kind_name(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.activity_kind_name(text) TO mq_staff;

-- An activity the caller may see (row-level security), locked when asked.
CREATE OR REPLACE FUNCTION minqing.activity_get(p_activity bigint, p_lock boolean) RETURNS minqing.activity
LANGUAGE plpgsql SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	a minqing.activity;
BEGIN
	IF p_lock THEN
		SELECT * INTO a FROM minqing.activity x WHERE x.activity_id = p_activity FOR UPDATE;
	ELSE
		SELECT * INTO a FROM minqing.activity x WHERE x.activity_id = p_activity;
	END IF;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'activity % not found', coalesce(p_activity::text, 'NULL')
			USING ERRCODE = 'no_data_found', COLUMN = 'activity';
	END IF;
	RETURN a;
END
$$;
REVOKE ALL ON FUNCTION minqing.activity_get(bigint, boolean) FROM PUBLIC;

-- A volunteer of the caller's own subtree, locked.
CREATE OR REPLACE FUNCTION minqing.volunteer_for(s minqing.staff, p_volunteer bigint) RETURNS minqing.volunteer
LANGUAGE plpgsql SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	v minqing.volunteer;
BEGIN
	SELECT * INTO v FROM minqing.volunteer x WHERE x.volunteer_id = p_volunteer FOR UPDATE;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'volunteer % not found', coalesce(p_volunteer::text, 'NULL')
			USING ERRCODE = 'no_data_found', COLUMN = 'volunteer';
	END IF;
	IF NOT minqing.staff_covers(s, v.path) THEN
		RAISE EXCEPTION 'volunteer % is not of your unit', p_volunteer
			USING ERRCODE = 'insufficient_privilege', COLUMN = 'volunteer';
	END IF;
	RETURN v;
END
$$;
REVOKE ALL ON FUNCTION minqing.volunteer_for(minqing.staff, bigint) FROM PUBLIC;

CREATE OR REPLACE FUNCTION minqing.volunteer_row_check(p_what text, p_id bigint, p_have integer, p_want integer)
RETURNS void
LANGUAGE plpgsql IMMUTABLE SET search_path = minqing, ext, pg_temp AS $$
BEGIN
	IF p_want IS NULL THEN
		RAISE EXCEPTION 'the % is required', 'row_version'
			USING ERRCODE = 'not_null_violation', COLUMN = 'row_version';
	END IF;
	IF p_have = p_want THEN
		RETURN;
	END IF;
	IF p_what = 'activity' THEN
		RAISE EXCEPTION 'activity % was changed by someone else since you opened it', p_id
			USING ERRCODE = 'serialization_failure',
			      DETAIL = format('version %s when opened, %s now', p_want, p_have),
			      HINT = 'reload it and try again';
	ELSIF p_what = 'message' THEN
		RAISE EXCEPTION 'message % was changed by someone else since you opened it', p_id
			USING ERRCODE = 'serialization_failure',
			      DETAIL = format('version %s when opened, %s now', p_want, p_have),
			      HINT = 'reload it and try again';
	ELSIF p_what = 'sign-up' THEN
		RAISE EXCEPTION 'sign-up % was changed by someone else since you opened it', p_id
			USING ERRCODE = 'serialization_failure',
			      DETAIL = format('version %s when opened, %s now', p_want, p_have),
			      HINT = 'reload it and try again';
	END IF;
	RAISE EXCEPTION 'volunteer % was changed by someone else since you opened it', p_id
		USING ERRCODE = 'serialization_failure',
		      DETAIL = format('version %s when opened, %s now', p_want, p_have),
		      HINT = 'reload it and try again';
END
$$;
REVOKE ALL ON FUNCTION minqing.volunteer_row_check(text, bigint, integer, integer) FROM PUBLIC;

------------------------------------------------------------------------------
-- Volunteers
------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION minqing.volunteer_add(p_name text DEFAULT NULL, p_phone text DEFAULT NULL,
                                                 p_kind text DEFAULT 'outside', p_resident bigint DEFAULT NULL,
                                                 p_login name DEFAULT NULL, p_unit_code text DEFAULT NULL,
                                                 p_district_team boolean DEFAULT false, p_skills text DEFAULT NULL)
RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = minqing, ext, pg_temp SET jit = off AS $$
DECLARE
	s minqing.staff;
	u minqing.org_unit;
	r minqing.resident;
	st minqing.staff;
	nm text := nullif(btrim(p_name), '');
	ph text := nullif(btrim(p_phone), '');
	id bigint;
BEGIN
	s := minqing.case_caller('{officer,handler,admin}');
	u := minqing.volunteer_unit(s, p_unit_code);
	IF coalesce(p_kind, '') NOT IN ('resident', 'staff', 'outside') THEN
		RAISE EXCEPTION 'a volunteer is a resident, a staff member or an outside person'
			USING ERRCODE = 'invalid_parameter_value', COLUMN = 'kind';
	END IF;
	IF p_kind = 'resident' THEN
		-- Row-level security: a resident of the caller's jurisdiction only.
		SELECT * INTO r FROM minqing.resident x WHERE x.resident_id = p_resident AND x.active;
		IF NOT FOUND OR NOT minqing.staff_covers(s, r.path) THEN
			RAISE EXCEPTION 'resident % not found', coalesce(p_resident::text, 'NULL')
				USING ERRCODE = 'no_data_found', COLUMN = 'resident';
		END IF;
		nm := coalesce(nm, r.name);
		ph := coalesce(ph, r.phone);
	ELSIF p_kind = 'staff' THEN
		SELECT * INTO st FROM minqing.staff x WHERE x.login = p_login AND x.active;
		IF NOT FOUND OR NOT minqing.staff_covers(s, st.path) THEN
			RAISE EXCEPTION 'account % not found', coalesce(p_login::text, 'NULL')
				USING ERRCODE = 'no_data_found', COLUMN = 'login';
		END IF;
		nm := coalesce(nm, st.display_name);
		ph := coalesce(ph, st.phone);
	END IF;
	PERFORM minqing.require_text(nm, 'name');
	IF ph IS NOT NULL AND ph !~ '^1[3-9][0-9]{9}$' THEN
		RAISE EXCEPTION 'a volunteer''s phone must be a mobile number'
			USING ERRCODE = 'invalid_parameter_value', COLUMN = 'phone';
	END IF;
	INSERT INTO minqing.volunteer (district_id, unit_id, path, kind, resident_id, staff_id, name, phone,
	                               district_team, skills)
	VALUES (u.district_id, u.unit_id, u.path, p_kind, CASE WHEN p_kind = 'resident' THEN r.resident_id END,
	        CASE WHEN p_kind = 'staff' THEN st.staff_id END, nm, ph, coalesce(p_district_team, false),
	        nullif(btrim(p_skills), ''))
	RETURNING volunteer_id INTO id;
	RETURN id;
END
$$;
COMMENT ON FUNCTION minqing.volunteer_add(text, text, text, bigint, name, text, boolean, text) IS
	'Register a volunteer of the caller''s unit (or of unit p_unit_code below it): an outside person (name '
	'and mobile), a resident of the register (p_resident) or a staff member (p_login); in the district team '
	'or not; skills. Returns its id. Officers, handlers, administrators. Audited.';
REVOKE ALL ON FUNCTION minqing.volunteer_add(text, text, text, bigint, name, text, boolean, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.volunteer_add(text, text, text, bigint, name, text, boolean, text)
	TO mq_officer, mq_handler, mq_admin;

CREATE OR REPLACE FUNCTION minqing.volunteer_update(p_volunteer bigint, p_row_version integer,
                                                    p_phone text DEFAULT NULL, p_skills text DEFAULT NULL,
                                                    p_district_team boolean DEFAULT NULL,
                                                    p_active boolean DEFAULT NULL)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = minqing, ext, pg_temp SET jit = off AS $$
DECLARE
	s minqing.staff;
	v minqing.volunteer;
BEGIN
	s := minqing.case_caller('{officer,handler,admin}');
	v := minqing.volunteer_for(s, p_volunteer);
	PERFORM minqing.volunteer_row_check('volunteer', v.volunteer_id, v.row_version, p_row_version);
	IF nullif(btrim(p_phone), '') !~ '^1[3-9][0-9]{9}$' THEN
		RAISE EXCEPTION 'a volunteer''s phone must be a mobile number'
			USING ERRCODE = 'invalid_parameter_value', COLUMN = 'phone';
	END IF;
	UPDATE minqing.volunteer x
	   SET phone = coalesce(nullif(btrim(p_phone), ''), x.phone),
	       skills = coalesce(nullif(btrim(p_skills), ''), x.skills),
	       district_team = coalesce(p_district_team, x.district_team),
	       active = coalesce(p_active, x.active)
	 WHERE x.volunteer_id = v.volunteer_id;
END
$$;
COMMENT ON FUNCTION minqing.volunteer_update(bigint, integer, text, text, boolean, boolean) IS
	'Change a volunteer of the caller''s subtree: phone, skills, district team, active (what is not given '
	'stays); p_row_version is the version the person saw (40001 when it moved). Audited.';
REVOKE ALL ON FUNCTION minqing.volunteer_update(bigint, integer, text, text, boolean, boolean) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.volunteer_update(bigint, integer, text, text, boolean, boolean)
	TO mq_officer, mq_handler, mq_admin;

------------------------------------------------------------------------------
-- Enterprises
------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION minqing.enterprise_add(p_name text, p_unit_code text DEFAULT NULL,
                                                  p_industry text DEFAULT NULL, p_contact_name text DEFAULT NULL,
                                                  p_contact_phone text DEFAULT NULL)
RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = minqing, ext, pg_temp SET jit = off AS $$
DECLARE
	s minqing.staff;
	u minqing.org_unit;
	id bigint;
BEGIN
	s := minqing.case_caller('{officer,handler,admin}');
	u := minqing.volunteer_unit(s, p_unit_code);
	PERFORM minqing.require_text(p_name, 'name');
	IF nullif(btrim(p_contact_phone), '') !~ '^(1[3-9][0-9]{9}|0[0-9]{2,3}-?[0-9]{7,8})$' THEN
		RAISE EXCEPTION 'the contact phone is not a phone number'
			USING ERRCODE = 'invalid_parameter_value', COLUMN = 'contact_phone';
	END IF;
	IF EXISTS (SELECT 1 FROM minqing.enterprise x WHERE x.district_id = u.district_id AND x.name = btrim(p_name)) THEN
		RAISE EXCEPTION 'enterprise % is already registered', btrim(p_name)
			USING ERRCODE = 'unique_violation', COLUMN = 'name';
	END IF;
	INSERT INTO minqing.enterprise (district_id, unit_id, path, name, industry, contact_name, contact_phone)
	VALUES (u.district_id, u.unit_id, u.path, btrim(p_name), nullif(btrim(p_industry), ''),
	        nullif(btrim(p_contact_name), ''), nullif(btrim(p_contact_phone), ''))
	RETURNING enterprise_id INTO id;
	RETURN id;
END
$$;
COMMENT ON FUNCTION minqing.enterprise_add(text, text, text, text, text) IS
	'Add an enterprise to the register (企业名录) under the caller''s unit or unit p_unit_code below it: '
	'name (unique in the district), industry, contact and phone. Returns its id. Audited.';
REVOKE ALL ON FUNCTION minqing.enterprise_add(text, text, text, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.enterprise_add(text, text, text, text, text) TO mq_officer, mq_handler, mq_admin;

------------------------------------------------------------------------------
-- Activities
------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION minqing.activity_add(p_title text, p_kind text, p_starts_on date,
                                                p_ends_on date DEFAULT NULL, p_theme text DEFAULT NULL,
                                                p_unit_code text DEFAULT NULL, p_target_villages integer DEFAULT 0,
                                                p_target_enterprises integer DEFAULT 0,
                                                p_target_households integer DEFAULT 0)
RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = minqing, ext, pg_temp SET jit = off AS $$
DECLARE
	s minqing.staff;
	u minqing.org_unit;
	id bigint;
BEGIN
	s := minqing.case_caller('{officer,handler,admin}');
	u := minqing.volunteer_unit(s, p_unit_code);
	PERFORM minqing.require_text(p_title, 'title');
	IF coalesce(p_kind, '') NOT IN ('pairing', 'donation', 'villages', 'enterprises', 'households') THEN
		RAISE EXCEPTION 'unknown activity kind %', left(coalesce(p_kind, 'NULL'), 20)
			USING ERRCODE = 'invalid_parameter_value', COLUMN = 'kind';
	END IF;
	IF p_starts_on IS NULL THEN
		RAISE EXCEPTION 'the % is required', 'starts_on' USING ERRCODE = 'not_null_violation', COLUMN = 'starts_on';
	END IF;
	IF coalesce(p_ends_on, p_starts_on) < p_starts_on OR coalesce(p_ends_on, p_starts_on) > p_starts_on + 366 THEN
		RAISE EXCEPTION 'an activity ends on or after its first day, within a year'
			USING ERRCODE = 'invalid_parameter_value', COLUMN = 'ends_on';
	END IF;
	INSERT INTO minqing.activity (district_id, unit_id, path, title, theme, kind, starts_on, ends_on,
	                              target_villages, target_enterprises, target_households)
	VALUES (u.district_id, u.unit_id, u.path, btrim(p_title), nullif(btrim(p_theme), ''), p_kind, p_starts_on,
	        coalesce(p_ends_on, p_starts_on), coalesce(p_target_villages, 0), coalesce(p_target_enterprises, 0),
	        coalesce(p_target_households, 0))
	RETURNING activity_id INTO id;
	RETURN id;
END
$$;
COMMENT ON FUNCTION minqing.activity_add(text, text, date, date, text, text, integer, integer, integer) IS
	'Plan an activity organised by the caller''s unit (or p_unit_code below it): title, kind (pairing, '
	'donation, villages, enterprises, households), first and last day, theme (红七月), the reach aimed at. '
	'Returns its id. Audited.';
REVOKE ALL ON FUNCTION minqing.activity_add(text, text, date, date, text, text, integer, integer, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.activity_add(text, text, date, date, text, text, integer, integer, integer)
	TO mq_officer, mq_handler, mq_admin;

-- The organiser records results.
CREATE OR REPLACE FUNCTION minqing.activity_result(p_activity bigint, p_row_version integer,
                                                   p_households_helped integer DEFAULT NULL,
                                                   p_money_donated numeric DEFAULT NULL,
                                                   p_goods_donated text DEFAULT NULL,
                                                   p_problems_solved integer DEFAULT NULL,
                                                   p_note text DEFAULT NULL)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = minqing, ext, pg_temp SET jit = off AS $$
DECLARE
	s minqing.staff;
	a minqing.activity;
BEGIN
	s := minqing.case_caller('{officer,handler,admin}');
	a := minqing.activity_get(p_activity, true);
	IF NOT minqing.staff_covers(s, a.path) THEN
		RAISE EXCEPTION 'activity % is not organised by your unit', p_activity
			USING ERRCODE = 'insufficient_privilege', COLUMN = 'activity';
	END IF;
	PERFORM minqing.volunteer_row_check('activity', a.activity_id, a.row_version, p_row_version);
	IF current_date < a.starts_on THEN
		RAISE EXCEPTION 'nothing can be recorded before the activity''s day (%)', a.starts_on
			USING ERRCODE = 'invalid_parameter_value', COLUMN = 'activity';
	END IF;
	UPDATE minqing.activity x
	   SET households_helped = coalesce(p_households_helped, x.households_helped),
	       money_donated = coalesce(p_money_donated, x.money_donated),
	       goods_donated = coalesce(nullif(btrim(p_goods_donated), ''), x.goods_donated),
	       problems_solved = coalesce(p_problems_solved, x.problems_solved),
	       result_note = coalesce(nullif(btrim(p_note), ''), x.result_note)
	 WHERE x.activity_id = a.activity_id;
END
$$;
COMMENT ON FUNCTION minqing.activity_result(bigint, integer, integer, numeric, text, integer, text) IS
	'Record an activity''s results (households helped, money and goods donated, problems solved, a note), '
	'by its organiser''s subtree, on or after its first day; what is not given stays. Audited.';
REVOKE ALL ON FUNCTION minqing.activity_result(bigint, integer, integer, numeric, text, integer, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.activity_result(bigint, integer, integer, numeric, text, integer, text)
	TO mq_officer, mq_handler, mq_admin;

-- A village, enterprise or household the activity reached.
CREATE OR REPLACE FUNCTION minqing.activity_target_add(p_activity bigint, p_unit_code text DEFAULT NULL,
                                                       p_enterprise bigint DEFAULT NULL,
                                                       p_household bigint DEFAULT NULL,
                                                       p_reached_on date DEFAULT NULL)
RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = minqing, ext, pg_temp SET jit = off AS $$
DECLARE
	s minqing.staff;
	a minqing.activity;
	u minqing.org_unit;
	tpath ext.ltree;
	id bigint;
BEGIN
	s := minqing.case_caller('{officer,handler,admin}');
	a := minqing.activity_get(p_activity, false);
	IF num_nonnulls(nullif(btrim(p_unit_code), ''), p_enterprise, p_household) <> 1 THEN
		RAISE EXCEPTION 'a target is one village, enterprise or household'
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF p_enterprise IS NOT NULL THEN
		SELECT x.path INTO tpath FROM minqing.enterprise x WHERE x.enterprise_id = p_enterprise;
	ELSIF p_household IS NOT NULL THEN
		SELECT x.path INTO tpath FROM minqing.household x WHERE x.household_id = p_household;
	ELSE
		u := minqing.unit_in_scope(s, btrim(p_unit_code));
		IF u.kind NOT IN ('village', 'community') THEN
			RAISE EXCEPTION 'unit % is not a village or community', u.code
				USING ERRCODE = 'invalid_parameter_value', COLUMN = 'unit';
		END IF;
		tpath := u.path;
	END IF;
	IF tpath IS NULL OR NOT minqing.staff_covers(s, tpath) THEN
		RAISE EXCEPTION 'the target is outside your jurisdiction'
			USING ERRCODE = 'insufficient_privilege';
	END IF;
	IF p_reached_on > current_date OR p_reached_on < a.starts_on THEN
		RAISE EXCEPTION 'nothing can be recorded before the activity''s day (%)', a.starts_on
			USING ERRCODE = 'invalid_parameter_value', COLUMN = 'reached_on';
	END IF;
	INSERT INTO minqing.activity_target (activity_id, district_id, path, village_unit_id, enterprise_id,
	                                     household_id, reached_on)
	VALUES (a.activity_id, a.district_id, tpath, u.unit_id, p_enterprise, p_household, p_reached_on)
	RETURNING target_id INTO id;
	RETURN id;
END
$$;
COMMENT ON FUNCTION minqing.activity_target_add(bigint, text, bigint, bigint, date) IS
	'Record a village (p_unit_code), enterprise or household an activity reached, in the caller''s '
	'jurisdiction, optionally the day (not before the activity''s). Returns the target''s id. Audited.';
REVOKE ALL ON FUNCTION minqing.activity_target_add(bigint, text, bigint, bigint, date) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.activity_target_add(bigint, text, bigint, bigint, date)
	TO mq_officer, mq_handler, mq_admin;

-- Invitations by SMS: the volunteer (or every active volunteer with a
-- mobile of the caller's subtree not yet asked) gets the template
-- activity_invitation, which says how to answer; the sign-up row waits
-- as 'invited' for the answer (sms_receive).
CREATE OR REPLACE FUNCTION minqing.activity_invite(p_activity bigint, p_volunteer bigint DEFAULT NULL,
                                                   p_team_only boolean DEFAULT false)
RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = minqing, ext, pg_temp SET jit = off AS $$
DECLARE
	s minqing.staff;
	a minqing.activity;
	v record;
	org text;
	msg bigint;
	n integer := 0;
BEGIN
	s := minqing.case_caller('{officer,handler,admin}');
	a := minqing.activity_get(p_activity, false);
	IF p_volunteer IS NOT NULL THEN
		PERFORM minqing.volunteer_for(s, p_volunteer);
	END IF;
	IF a.ends_on < current_date THEN
		RAISE EXCEPTION 'activity % is over', p_activity
			USING ERRCODE = 'invalid_transaction_state', COLUMN = 'activity';
	END IF;
	SELECT u.name INTO org FROM minqing.org_unit u WHERE u.unit_id = a.unit_id;
	FOR v IN
		SELECT x.volunteer_id, x.name, x.phone, x.path
		  FROM minqing.volunteer x
		 WHERE x.active AND x.phone IS NOT NULL AND x.path OPERATOR(ext.<@) s.path
		   AND (p_volunteer IS NULL OR x.volunteer_id = p_volunteer)
		   AND (NOT coalesce(p_team_only, false) OR x.district_team)
		   AND NOT EXISTS (SELECT 1 FROM minqing.activity_signup g
		                    WHERE g.activity_id = a.activity_id AND g.volunteer_id = x.volunteer_id)
		 ORDER BY x.volunteer_id
		 LIMIT 200
	LOOP
		msg := minqing.outbox_enqueue(a.district_id, v.path, v.phone, v.name,
			minqing.render_template('activity_invitation', jsonb_build_object(
				'name', v.name, 'unit', org, 'title', a.title,
				'date', to_char(a.starts_on, 'FMMM"月"FMDD"日"')), a.district_id),
			format('activity:%s:invite:%s', a.activity_id, v.volunteer_id));
		INSERT INTO minqing.activity_signup (activity_id, volunteer_id, district_id, path, activity_path, status,
		                                     via, invited_at, invitation_id)
		VALUES (a.activity_id, v.volunteer_id, a.district_id, v.path, a.path, 'invited', 'sms', now(), msg);
		n := n + 1;
	END LOOP;
	RETURN n;
END
$$;
COMMENT ON FUNCTION minqing.activity_invite(bigint, bigint, boolean) IS
	'Invite by SMS (template activity_invitation: 回复1参加，回复2不参加) one volunteer, or every active '
	'volunteer with a mobile of the caller''s subtree (p_team_only: of the district team) not yet asked, to '
	'an activity not over (at most 200 a call; the outbox''s per-person limits apply). Returns how many were '
	'invited; each waits as invited for the answer.';
REVOKE ALL ON FUNCTION minqing.activity_invite(bigint, bigint, boolean) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.activity_invite(bigint, bigint, boolean) TO mq_officer, mq_handler, mq_admin;

-- Sign a volunteer of the caller's own subtree up (an invitation is
-- answered yes).
CREATE OR REPLACE FUNCTION minqing.activity_signup(p_activity bigint, p_volunteer bigint) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = minqing, ext, pg_temp SET jit = off AS $$
DECLARE
	s minqing.staff;
	a minqing.activity;
	v minqing.volunteer;
	g minqing.activity_signup;
BEGIN
	s := minqing.case_caller('{officer,handler,admin}');
	a := minqing.activity_get(p_activity, false);
	v := minqing.volunteer_for(s, p_volunteer);
	IF NOT v.active THEN
		RAISE EXCEPTION 'volunteer % is not active', p_volunteer
			USING ERRCODE = 'invalid_transaction_state', COLUMN = 'volunteer';
	END IF;
	IF a.ends_on < current_date THEN
		RAISE EXCEPTION 'activity % is over', p_activity
			USING ERRCODE = 'invalid_transaction_state', COLUMN = 'activity';
	END IF;
	SELECT * INTO g FROM minqing.activity_signup x
	 WHERE x.activity_id = a.activity_id AND x.volunteer_id = v.volunteer_id FOR UPDATE;
	IF FOUND THEN
		IF g.status = 'signed' THEN
			RAISE EXCEPTION 'volunteer % is already signed up', p_volunteer
				USING ERRCODE = 'unique_violation', COLUMN = 'volunteer';
		END IF;
		UPDATE minqing.activity_signup x SET status = 'signed', answered_at = now(), signed_by = session_user
		 WHERE x.signup_id = g.signup_id;
		RETURN g.signup_id;
	END IF;
	INSERT INTO minqing.activity_signup (activity_id, volunteer_id, district_id, path, activity_path, status)
	VALUES (a.activity_id, v.volunteer_id, a.district_id, v.path, a.path, 'signed')
	RETURNING signup_id INTO g.signup_id;
	RETURN g.signup_id;
END
$$;
COMMENT ON FUNCTION minqing.activity_signup(bigint, bigint) IS
	'Sign a volunteer of the caller''s own subtree up for an activity the caller can see that is not over '
	'(an invitation waiting becomes signed). A village officer cannot sign up another unit''s volunteer. '
	'Returns the sign-up''s id. Audited.';
REVOKE ALL ON FUNCTION minqing.activity_signup(bigint, bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.activity_signup(bigint, bigint) TO mq_officer, mq_handler, mq_admin;

-- Attendance and hours: only on or after the activity's first day.
CREATE OR REPLACE FUNCTION minqing.activity_attend(p_signup bigint, p_row_version integer, p_hours numeric,
                                                   p_attended_on date DEFAULT NULL)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = minqing, ext, pg_temp SET jit = off AS $$
DECLARE
	s minqing.staff;
	g minqing.activity_signup;
	a minqing.activity;
	d date := coalesce(p_attended_on, current_date);
BEGIN
	s := minqing.case_caller('{officer,handler,admin}');
	SELECT * INTO g FROM minqing.activity_signup x WHERE x.signup_id = p_signup FOR UPDATE;
	IF NOT FOUND OR NOT (minqing.staff_covers(s, g.path) OR minqing.staff_covers(s, g.activity_path)) THEN
		RAISE EXCEPTION 'sign-up % not found', coalesce(p_signup::text, 'NULL')
			USING ERRCODE = 'no_data_found', COLUMN = 'signup';
	END IF;
	PERFORM minqing.volunteer_row_check('sign-up', g.signup_id, g.row_version, p_row_version);
	IF g.status <> 'signed' THEN
		RAISE EXCEPTION 'the volunteer has not signed up for this activity'
			USING ERRCODE = 'invalid_transaction_state', COLUMN = 'signup';
	END IF;
	SELECT * INTO a FROM minqing.activity x WHERE x.activity_id = g.activity_id;
	IF current_date < a.starts_on OR d < a.starts_on THEN
		RAISE EXCEPTION 'attendance cannot be recorded before the activity''s day (%)', a.starts_on
			USING ERRCODE = 'invalid_parameter_value', COLUMN = 'attended_on';
	END IF;
	IF d > current_date OR d > a.ends_on THEN
		RAISE EXCEPTION 'the day attended must be within the activity and not in the future'
			USING ERRCODE = 'invalid_parameter_value', COLUMN = 'attended_on';
	END IF;
	IF p_hours IS NULL OR p_hours <= 0 OR p_hours > 240 THEN
		RAISE EXCEPTION 'hours must be more than 0 and at most 240'
			USING ERRCODE = 'invalid_parameter_value', COLUMN = 'hours';
	END IF;
	UPDATE minqing.activity_signup x SET attended_on = d, hours = round(p_hours, 1)
	 WHERE x.signup_id = g.signup_id;
END
$$;
COMMENT ON FUNCTION minqing.activity_attend(bigint, integer, numeric, date) IS
	'Record that a signed-up volunteer attended (the day, today by default, never before the activity''s '
	'first day nor after its last or today) and the hours served. The volunteer''s or the activity''s side; '
	'p_row_version as seen (40001). Audited.';
REVOKE ALL ON FUNCTION minqing.activity_attend(bigint, integer, numeric, date) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.activity_attend(bigint, integer, numeric, date) TO mq_officer, mq_handler, mq_admin;

-- A problem an activity found becomes a case: case_intake() in this
-- transaction, the link kept in activity_case.
CREATE OR REPLACE FUNCTION minqing.activity_to_case(
	p_activity bigint, p_channel minqing.case_channel, p_category integer, p_title text, p_content text,
	p_household bigint DEFAULT NULL, p_submitter_name text DEFAULT NULL, p_submitter_phone text DEFAULT NULL,
	p_urgency minqing.urgency DEFAULT 'normal', OUT case_id bigint, OUT case_no text, OUT duplicates jsonb)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = minqing, ext, pg_temp SET jit = off AS $$
#variable_conflict use_variable
DECLARE
	s minqing.staff;
	a minqing.activity;
	c record;
BEGIN
	s := minqing.case_caller('{officer,handler,admin}');
	a := minqing.activity_get(p_activity, false);
	IF current_date < a.starts_on THEN
		RAISE EXCEPTION 'nothing can be recorded before the activity''s day (%)', a.starts_on
			USING ERRCODE = 'invalid_parameter_value', COLUMN = 'activity';
	END IF;
	SELECT * INTO c FROM minqing.case_intake(p_channel, p_title, p_content, p_category, p_submitter_name,
	                                         p_submitter_phone, p_household, NULL, false, p_urgency);
	INSERT INTO minqing.activity_case (activity_id, case_id, case_no, district_id, path)
	SELECT a.activity_id, c.case_id, c.case_no, a.district_id, u.path
	  FROM minqing.org_unit u WHERE u.unit_id = s.unit_id;
	case_id := c.case_id;
	case_no := c.case_no;
	duplicates := c.duplicates;
END
$$;
COMMENT ON FUNCTION minqing.activity_to_case(bigint, minqing.case_channel, integer, text, text, bigint, text, text,
                                             minqing.urgency) IS
	'A problem an activity found becomes a case: case_intake() at the caller''s unit in the same transaction, '
	'the activity keeping the case (activity_case). Returns what case_intake returns.';
REVOKE ALL ON FUNCTION minqing.activity_to_case(bigint, minqing.case_channel, integer, text, text, bigint, text, text,
                                                minqing.urgency) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.activity_to_case(bigint, minqing.case_channel, integer, text, text, bigint, text,
                                                   text, minqing.urgency) TO mq_officer, mq_handler, mq_admin;

------------------------------------------------------------------------------
-- The lists (view files volunteers, activities, enterprises,
-- activity_signups). Invoker functions: row-level security decides.
------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION minqing.volunteer_rows(p_after_name text DEFAULT NULL, p_after_id bigint DEFAULT NULL,
                                                  p_limit integer DEFAULT 50)
RETURNS TABLE (volunteer_id bigint, name text, unit_name text, kind text, kind_name text, phone text,
               district_team boolean, team text, skills text, active boolean, signups bigint, hours numeric,
               row_version integer)
LANGUAGE sql STABLE AS $$
	SELECT v.volunteer_id, v.name, u.name, v.kind,
	       CASE v.kind WHEN 'resident' THEN '居民' WHEN 'staff' THEN '干部' ELSE '社会人士' END,
	       v.phone, v.district_team, CASE WHEN v.district_team THEN '区队' ELSE '' END, coalesce(v.skills, ''),
	       v.active,
	       (SELECT count(*) FROM minqing.activity_signup g WHERE g.volunteer_id = v.volunteer_id AND g.status = 'signed'),
	       (SELECT coalesce(sum(g.hours), 0) FROM minqing.activity_signup g WHERE g.volunteer_id = v.volunteer_id),
	       v.row_version
	  FROM minqing.volunteer v
	  JOIN minqing.org_unit u ON u.unit_id = v.unit_id
	 WHERE (v.name COLLATE "C", v.volunteer_id) > (coalesce(p_after_name, '') COLLATE "C", coalesce(p_after_id, -1))
	 ORDER BY v.name COLLATE "C", v.volunteer_id
	 LIMIT least(greatest(coalesce(p_limit, 50), 1), 500)
$$;
COMMENT ON FUNCTION minqing.volunteer_rows(text, bigint, integer) IS
	'The volunteers of the caller''s jurisdiction by name: unit, kind, phone, district team, skills, activities '
	'signed up for and hours served.';
REVOKE ALL ON FUNCTION minqing.volunteer_rows(text, bigint, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.volunteer_rows(text, bigint, integer) TO mq_staff;

-- The activities the caller can see, newest first: the page by activity_start,
-- then each one's targets and sign-ups. Bitmap scans off (docs/operations.md,
-- "List screens at a million cases").
CREATE OR REPLACE FUNCTION minqing.activity_rows(p_after_start date DEFAULT NULL, p_after_id bigint DEFAULT NULL,
                                                 p_limit integer DEFAULT 50)
RETURNS TABLE (activity_id bigint, starts_on date, ends_on date, title text, theme text, kind text,
               kind_name text, unit_name text, reach text, signed bigint, attended bigint, hours numeric,
               households_helped integer, money_donated numeric, problems_solved integer, row_version integer)
LANGUAGE sql STABLE SET enable_bitmapscan = off SET jit = off AS $$
	SELECT a.activity_id, a.starts_on, a.ends_on, a.title, coalesce(a.theme, ''), a.kind,
	       minqing.activity_kind_name(a.kind), u.name,
	       concat_ws(' ',
	                 CASE WHEN a.target_villages > 0 THEN t.villages || '/' || a.target_villages || '村' END,
	                 CASE WHEN a.target_enterprises > 0 THEN t.enterprises || '/' || a.target_enterprises || '企' END,
	                 CASE WHEN a.target_households > 0 THEN t.households || '/' || a.target_households || '户' END),
	       g.signed, g.attended, g.hours, a.households_helped, a.money_donated, a.problems_solved, a.row_version
	  -- (the page first, by activity_start read backwards from the keyset,
	  -- then the counts of its 50 activities)
	  FROM (SELECT y.* FROM minqing.activity y
	         WHERE (y.starts_on, y.activity_id)
	               < (coalesce(p_after_start, 'infinity'::date),
	                  coalesce(p_after_id, CASE WHEN p_after_start IS NULL THEN 9223372036854775807 ELSE 0 END))
	         ORDER BY y.starts_on DESC, y.activity_id DESC
	         LIMIT least(greatest(coalesce(p_limit, 50), 1), 500)) a
	  JOIN minqing.org_unit u ON u.unit_id = a.unit_id
	 CROSS JOIN LATERAL (SELECT count(x.village_unit_id) AS villages, count(x.enterprise_id) AS enterprises,
	                            count(x.household_id) AS households
	                       FROM minqing.activity_target x WHERE x.activity_id = a.activity_id) t
	 CROSS JOIN LATERAL (SELECT count(*) FILTER (WHERE x.status = 'signed') AS signed,
	                            count(x.attended_on) AS attended, coalesce(sum(x.hours), 0) AS hours
	                       FROM minqing.activity_signup x WHERE x.activity_id = a.activity_id) g
	 ORDER BY a.starts_on DESC, a.activity_id DESC
$$;
COMMENT ON FUNCTION minqing.activity_rows(date, bigint, integer) IS
	'The activities the caller can see (their jurisdiction''s and those organised above it), newest first: '
	'dates, title, theme, kind, organiser, reach against the target (村/企/户 as counted in activity_target), '
	'volunteers signed up and attending, hours, results.';
REVOKE ALL ON FUNCTION minqing.activity_rows(date, bigint, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.activity_rows(date, bigint, integer) TO mq_staff;

CREATE OR REPLACE FUNCTION minqing.activity_signup_rows(p_activity bigint, p_after_name text DEFAULT NULL,
                                                        p_after_id bigint DEFAULT NULL, p_limit integer DEFAULT 50)
RETURNS TABLE (signup_id bigint, volunteer_id bigint, name text, unit_name text, status text, status_name text,
               via text, attended_on date, hours numeric, row_version integer)
LANGUAGE sql STABLE AS $$
	SELECT g.signup_id, v.volunteer_id, v.name, u.name, g.status,
	       CASE g.status WHEN 'signed' THEN '已报名' WHEN 'invited' THEN '已邀请' ELSE '不参加' END,
	       CASE g.via WHEN 'sms' THEN '短信' ELSE '登记' END, g.attended_on, g.hours, g.row_version
	  FROM minqing.activity_signup g
	  JOIN minqing.volunteer v ON v.volunteer_id = g.volunteer_id
	  JOIN minqing.org_unit u ON u.unit_id = v.unit_id
	 WHERE g.activity_id = p_activity
	   AND (v.name COLLATE "C", g.signup_id) > (coalesce(p_after_name, '') COLLATE "C", coalesce(p_after_id, -1))
	 ORDER BY v.name COLLATE "C", g.signup_id
	 LIMIT least(greatest(coalesce(p_limit, 50), 1), 500)
$$;
COMMENT ON FUNCTION minqing.activity_signup_rows(bigint, text, bigint, integer) IS
	'The volunteers invited to or signed up for an activity that the caller can see: status (已报名, 已邀请, '
	'不参加), how (短信 or 登记), the day attended and hours.';
REVOKE ALL ON FUNCTION minqing.activity_signup_rows(bigint, text, bigint, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.activity_signup_rows(bigint, text, bigint, integer) TO mq_staff;

CREATE OR REPLACE FUNCTION minqing.enterprise_rows(p_after_name text DEFAULT NULL, p_after_id bigint DEFAULT NULL,
                                                   p_limit integer DEFAULT 50)
RETURNS TABLE (enterprise_id bigint, name text, unit_name text, industry text, contact_name text,
               contact_phone text, has_station boolean, station text, visits bigint, row_version integer)
LANGUAGE sql STABLE AS $$
	SELECT e.enterprise_id, e.name, u.name, coalesce(e.industry, ''), coalesce(e.contact_name, ''),
	       coalesce(e.contact_phone, ''), e.station_id IS NOT NULL,
	       CASE WHEN e.station_id IS NOT NULL THEN '分站' ELSE '' END,
	       (SELECT count(*) FROM minqing.activity_target x WHERE x.enterprise_id = e.enterprise_id), e.row_version
	  FROM minqing.enterprise e
	  JOIN minqing.org_unit u ON u.unit_id = e.unit_id
	 WHERE (e.name COLLATE "C", e.enterprise_id) > (coalesce(p_after_name, '') COLLATE "C", coalesce(p_after_id, -1))
	 ORDER BY e.name COLLATE "C", e.enterprise_id
	 LIMIT least(greatest(coalesce(p_limit, 50), 1), 500)
$$;
COMMENT ON FUNCTION minqing.enterprise_rows(text, bigint, integer) IS
	'The enterprise register (企业名录) of the caller''s jurisdiction by name: town, industry, contact and '
	'phone, whether it has a station, how many activities reached it.';
REVOKE ALL ON FUNCTION minqing.enterprise_rows(text, bigint, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.enterprise_rows(text, bigint, integer) TO mq_staff;

RESET ROLE;
