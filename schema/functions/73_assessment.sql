-- schema/functions/73_assessment.sql: the assessment (考核评分,
-- docs/assessment.md) — the metrics' facts functions, the engine that
-- computes a snapshot for a whole district set-based (one statement per
-- item over all its towns and villages), adjusting, publishing as a
-- circular on the bulletin board, new versions, the rules, the screens'
-- reads and the export; and login_mark (定期登录).
--
-- Writes are SECURITY DEFINER functions for the district's administrator
-- (my_admin_district()); the tables bind them by FORCE row-level security,
-- and a published snapshot is refused any change by a trigger whoever asks.
-- Reads are invoker functions: a town supervisor reads the town's rows.
--
-- The current definition of these functions, with their grants and comments:
-- idempotent, re-applied by `minqing-admin migrate` whenever the function
-- files change (docs/development.md, "Functions, views and grants").
SET LOCAL ROLE mq_owner;
SET LOCAL search_path = minqing, ext, pg_temp;

------------------------------------------------------------------------------
-- A published assessment never changes (bound in 021_assessment.sql)
------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION minqing.assessment_frozen() RETURNS trigger
LANGUAGE plpgsql SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	a_id bigint;
	st text;
BEGIN
	IF TG_OP = 'TRUNCATE' THEN
		RAISE EXCEPTION 'assessments are kept: % cannot be truncated', TG_TABLE_NAME
			USING ERRCODE = 'object_not_in_prerequisite_state';
	END IF;
	IF TG_TABLE_NAME = 'assessment' THEN
		IF OLD.status = 'published' THEN
			RAISE EXCEPTION 'assessment % is published and cannot change: a correction is a new version',
				OLD.assessment_id USING ERRCODE = 'object_not_in_prerequisite_state';
		END IF;
		RETURN CASE TG_OP WHEN 'DELETE' THEN OLD ELSE NEW END;
	END IF;
	a_id := CASE TG_OP WHEN 'INSERT' THEN NEW.assessment_id ELSE OLD.assessment_id END;
	SELECT a.status INTO st FROM minqing.assessment a WHERE a.assessment_id = a_id;
	-- (Not found: an assessment the caller cannot see is not theirs to change.)
	IF st IS DISTINCT FROM 'draft' THEN
		RAISE EXCEPTION 'assessment % is published and cannot change: a correction is a new version', a_id
			USING ERRCODE = 'object_not_in_prerequisite_state';
	END IF;
	RETURN CASE TG_OP WHEN 'DELETE' THEN OLD ELSE NEW END;
END
$$;
REVOKE ALL ON FUNCTION minqing.assessment_frozen() FROM PUBLIC;

------------------------------------------------------------------------------
-- Logins (定期登录)
------------------------------------------------------------------------------
-- The console says who connected (p_login: the session's own login, or
-- refused) when it connects and reconnects: the account's first login of the
-- district's day is kept; a kiosk's is not.
CREATE OR REPLACE FUNCTION minqing.login_mark(p_login name) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	s minqing.staff;
	d date;
BEGIN
	IF p_login IS DISTINCT FROM session_user THEN
		RAISE EXCEPTION 'account % is not yours', left(coalesce(p_login::text, 'NULL'), 63)
			USING ERRCODE = 'insufficient_privilege';
	END IF;
	SELECT * INTO s FROM minqing.staff x WHERE x.login = session_user AND x.active AND x.duty <> 'kiosk';
	IF NOT FOUND THEN
		RETURN;
	END IF;
	d := minqing.district_local_time(s.district_id, now())::date;
	IF EXISTS (SELECT 1 FROM minqing.staff_login_day l WHERE l.staff_id = s.staff_id AND l.day = d) THEN
		RETURN;
	END IF;
	BEGIN
		INSERT INTO minqing.staff_login_day (staff_id, day, district_id, path)
		VALUES (s.staff_id, d, s.district_id, s.path);
	EXCEPTION WHEN unique_violation THEN
		NULL; -- another session of the same account on the same day
	END;
END
$$;
COMMENT ON FUNCTION minqing.login_mark(name) IS
	'Record the caller''s login of today (the district''s day; the first one kept): what 定期登录 counts. '
	'p_login must be the caller''s own login. Called by the console when it connects.';
REVOKE ALL ON FUNCTION minqing.login_mark(name) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.login_mark(name) TO mq_staff;

------------------------------------------------------------------------------
-- Periods and the caller
------------------------------------------------------------------------------
-- A period's first day and the day after its last: '2026' a year, '2026Q4'
-- a quarter; NULL for anything else.
CREATE OR REPLACE FUNCTION minqing.assessment_period_days(p_period text, OUT starts_on date, OUT ends_on date)
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
	SELECT CASE WHEN p_period ~ '^[0-9]{4}$' THEN make_date(left(p_period, 4)::int, 1, 1)
	            WHEN p_period ~ '^[0-9]{4}Q[1-4]$'
	            THEN make_date(left(p_period, 4)::int, 3 * right(p_period, 1)::int - 2, 1) END,
	       CASE WHEN p_period ~ '^[0-9]{4}$' THEN make_date(left(p_period, 4)::int + 1, 1, 1)
	            WHEN p_period ~ '^[0-9]{4}Q[1-4]$'
	            THEN (make_date(left(p_period, 4)::int, 3 * right(p_period, 1)::int - 2, 1)
	                  + interval '3 months')::date END
$$;
COMMENT ON FUNCTION minqing.assessment_period_days(text) IS
	'The first day and the day after the last of an assessment period: 2026 (a year) or 2026Q4 (a quarter).';
REVOKE ALL ON FUNCTION minqing.assessment_period_days(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.assessment_period_days(text) TO mq_staff;

-- The start of a district's day (its time zone) as a moment.
CREATE OR REPLACE FUNCTION minqing.assessment_day_start(p_district smallint, p_day date) RETURNS timestamptz
LANGUAGE sql STABLE SET search_path = minqing, ext, pg_temp AS $$
	SELECT p_day::timestamp AT TIME ZONE (minqing.calendar_setting(p_district)).time_zone
$$;
COMMENT ON FUNCTION minqing.assessment_day_start(smallint, date) IS
	'Midnight of a day in the district''s time zone, as a moment.';
REVOKE ALL ON FUNCTION minqing.assessment_day_start(smallint, date) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.assessment_day_start(smallint, date) TO mq_staff;

-- The caller for every change: an active administrator at the district's root.
CREATE OR REPLACE FUNCTION minqing.assessment_admin() RETURNS minqing.staff
LANGUAGE plpgsql STABLE SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	s minqing.staff;
BEGIN
	s := minqing.case_caller('{admin}');
	IF minqing.my_admin_district() IS DISTINCT FROM s.district_id THEN
		RAISE EXCEPTION 'only an administrator of the whole district keeps its assessment'
			USING ERRCODE = 'insufficient_privilege';
	END IF;
	RETURN s;
END
$$;
COMMENT ON FUNCTION minqing.assessment_admin() IS
	'The caller as the district''s administrator (at the district''s root), or raises.';
REVOKE ALL ON FUNCTION minqing.assessment_admin() FROM PUBLIC;

CREATE OR REPLACE FUNCTION minqing.assessment_period_check(p_period text) RETURNS void
LANGUAGE plpgsql IMMUTABLE SET search_path = minqing, ext, pg_temp AS $$
BEGIN
	IF coalesce(p_period ~ '^20[0-9]{2}(Q[1-4])?$', false) THEN
		RETURN;
	END IF;
	RAISE EXCEPTION 'a period is a year (2026) or a quarter (2026Q4), not %', left(coalesce(p_period, 'NULL'), 20)
		USING ERRCODE = 'invalid_parameter_value', COLUMN = 'period';
END
$$;
COMMENT ON FUNCTION minqing.assessment_period_check(text) IS 'Raises unless p_period is a year 2000-2099 or a quarter (2026Q4).';
REVOKE ALL ON FUNCTION minqing.assessment_period_check(text) FROM PUBLIC;

------------------------------------------------------------------------------
-- The metrics' facts: one row per record counted, for the subtree p_path of
-- district p_district, from p_from to p_to. num counts toward the value (a
-- ratio's numerator, a deduction's occurrences), den toward its
-- denominator. Invoker functions: they see what the caller sees (the
-- engine runs them as the district's administrator; the evidence screen as
-- the reader).
------------------------------------------------------------------------------
-- The cases that count for the subtree p_path: a case counts for the unit
-- that handles it (assigned_path, else origin_path). A unit's path never
-- changes, so "that path lies in the subtree" is "that unit is one of the
-- subtree's", which the cases' unit indexes find unit by unit, each branch
-- its own (the evidence of a village or a town), where an ltree test read the
-- district's every case of the period under the policy (0.8-1.3 s for a
-- village at scale 10). Inlined into the facts below: their conditions
-- reach both branches. The caller's policy decides every row, as before.
CREATE OR REPLACE FUNCTION minqing.assessment_cases(p_path ext.ltree) RETURNS SETOF minqing.cases
LANGUAGE sql STABLE AS $$
	SELECT c.* FROM minqing.org_unit u JOIN minqing.cases c ON c.assigned_unit_id = u.unit_id
	 WHERE u.path OPERATOR(ext.<@) p_path
	UNION ALL
	SELECT c.* FROM minqing.org_unit u JOIN minqing.cases c ON c.origin_unit_id = u.unit_id
	 WHERE u.path OPERATOR(ext.<@) p_path AND c.assigned_unit_id IS NULL
$$;
COMMENT ON FUNCTION minqing.assessment_cases(ext.ltree) IS
	'The cases handled in the subtree p_path (assigned there, or received there and not assigned), as the '
	'caller sees them.';
REVOKE ALL ON FUNCTION minqing.assessment_cases(ext.ltree) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.assessment_cases(ext.ltree) TO mq_staff;

-- 按时办结率: cases resolved in the period; on time when resolved by due_at.
CREATE OR REPLACE FUNCTION minqing.assessment_facts_on_time(p_district smallint, p_from timestamptz, p_to timestamptz,
                                                             p_path ext.ltree)
RETURNS TABLE (path ext.ltree, kind text, ref_id bigint, ref_no text, label text, at timestamptz, num numeric,
               den numeric)
LANGUAGE sql STABLE AS $$
	SELECT coalesce(c.assigned_path, c.origin_path), 'case', c.case_id, c.case_no,
	       CASE WHEN c.due_at IS NULL OR c.resolved_at <= c.due_at THEN '' ELSE '【超期】' END || c.title,
	       c.resolved_at, CASE WHEN c.due_at IS NULL OR c.resolved_at <= c.due_at THEN 1 ELSE 0 END, 1
	  FROM minqing.assessment_cases(p_path) c
	 WHERE c.district_id = p_district AND c.resolved_at >= p_from AND c.resolved_at < p_to
$$;
COMMENT ON FUNCTION minqing.assessment_facts_on_time(smallint, timestamptz, timestamptz, ext.ltree) IS
	'Metric on_time_rate: each case resolved from p_from to p_to, 1 when by its deadline.';
REVOKE ALL ON FUNCTION minqing.assessment_facts_on_time(smallint, timestamptz, timestamptz, ext.ltree) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.assessment_facts_on_time(smallint, timestamptz, timestamptz, ext.ltree) TO mq_staff;

-- 办结率: cases recorded in the period (withdrawn ones not); resolved by the
-- cut-off (a reopened case has no resolved_at until resolved again).
CREATE OR REPLACE FUNCTION minqing.assessment_facts_resolution(p_district smallint, p_from timestamptz,
                                                                p_to timestamptz, p_path ext.ltree)
RETURNS TABLE (path ext.ltree, kind text, ref_id bigint, ref_no text, label text, at timestamptz, num numeric,
               den numeric)
LANGUAGE sql STABLE AS $$
	SELECT coalesce(c.assigned_path, c.origin_path), 'case', c.case_id, c.case_no,
	       CASE WHEN c.resolved_at < p_to THEN '' ELSE '【未办结】' END || c.title, c.created_at,
	       CASE WHEN c.resolved_at < p_to THEN 1 ELSE 0 END, 1
	  FROM minqing.assessment_cases(p_path) c
	 WHERE c.created_at >= p_from AND c.created_at < p_to AND c.district_id = p_district
	   AND c.status <> 'withdrawn'
$$;
COMMENT ON FUNCTION minqing.assessment_facts_resolution(smallint, timestamptz, timestamptz, ext.ltree) IS
	'Metric resolution_rate: each case recorded from p_from to p_to (not withdrawn), 1 when resolved before p_to.';
REVOKE ALL ON FUNCTION minqing.assessment_facts_resolution(smallint, timestamptz, timestamptz, ext.ltree) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.assessment_facts_resolution(smallint, timestamptz, timestamptz, ext.ltree)
	TO mq_staff;

-- 满意率: every judgement of a resident in the period: a case closed
-- (satisfied, basically: its closed_at and satisfaction; closed is final) or
-- reopened (not satisfied: the timeline's reopen events).
CREATE OR REPLACE FUNCTION minqing.assessment_facts_satisfaction(p_district smallint, p_from timestamptz,
                                                                  p_to timestamptz, p_path ext.ltree)
RETURNS TABLE (path ext.ltree, kind text, ref_id bigint, ref_no text, label text, at timestamptz, num numeric,
               den numeric)
LANGUAGE sql STABLE AS $$
	SELECT coalesce(c.assigned_path, c.origin_path), 'case', c.case_id, c.case_no,
	       CASE c.satisfaction WHEN 'satisfied' THEN '【满意】' WHEN 'basically_satisfied' THEN '【基本满意】'
	                           ELSE '【不满意】' END || c.title,
	       c.closed_at, CASE WHEN c.satisfaction IN ('satisfied', 'basically_satisfied') THEN 1 ELSE 0 END, 1
	  FROM minqing.assessment_cases(p_path) c
	 WHERE c.district_id = p_district AND c.status = 'closed' AND c.satisfaction IS NOT NULL
	   AND c.closed_at >= p_from AND c.closed_at < p_to
	UNION ALL
	SELECT coalesce(c.assigned_path, c.origin_path), 'case', c.case_id, c.case_no, '【不满意·重办】' || c.title, e.at, 0, 1
	  FROM minqing.case_event e JOIN minqing.assessment_cases(p_path) c ON c.case_id = e.case_id
	 WHERE e.district_id = p_district AND e.kind = 'reopen'
	   AND e.at >= p_from AND e.at < p_to
$$;
COMMENT ON FUNCTION minqing.assessment_facts_satisfaction(smallint, timestamptz, timestamptz, ext.ltree) IS
	'Metric satisfaction: each resident''s judgement from p_from to p_to — a case closed (1 when satisfied or '
	'basically satisfied) or reopened as not satisfied (0).';
REVOKE ALL ON FUNCTION minqing.assessment_facts_satisfaction(smallint, timestamptz, timestamptz, ext.ltree)
	FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.assessment_facts_satisfaction(smallint, timestamptz, timestamptz, ext.ltree)
	TO mq_staff;

-- 走访覆盖率: households of the cells (rural only when the district says
-- so), visited in the twelve months up to the cut-off's day. The latest
-- visit answers for most households; the register of visits only for those
-- visited after the cut-off.
CREATE OR REPLACE FUNCTION minqing.assessment_facts_visits(p_district smallint, p_from timestamptz, p_to timestamptz,
                                                            p_path ext.ltree)
RETURNS TABLE (path ext.ltree, kind text, ref_id bigint, ref_no text, label text, at timestamptz, num numeric,
               den numeric)
LANGUAGE sql STABLE AS $$
	SELECT hc.path, 'household', h.household_id, h.household_no, h.address,
	       hc.last_visited_on::timestamp AT TIME ZONE (SELECT c.time_zone FROM minqing.calendar_setting(p_district) c),
	       CASE WHEN hc.last_visited_on IS NULL THEN 0
	            WHEN hc.last_visited_on <= w.last_day
	            THEN CASE WHEN hc.last_visited_on > w.first_day THEN 1 ELSE 0 END
	            WHEN EXISTS (SELECT 1 FROM minqing.visit_household vh
	                          WHERE vh.household_id = hc.household_id
	                            AND vh.visited_on > w.first_day AND vh.visited_on <= w.last_day) THEN 1
	            ELSE 0 END, 1
	  FROM minqing.household_cell hc
	  JOIN minqing.household h ON h.household_id = hc.household_id
	  CROSS JOIN LATERAL (
		SELECT (SELECT minqing.district_local_time(p_district, p_to - interval '1 microsecond')::date) AS last_day,
		       (SELECT (minqing.district_local_time(p_district, p_to - interval '1 microsecond')
		                - interval '1 year')::date) AS first_day) w
	 WHERE hc.district_id = p_district AND hc.path OPERATOR(ext.<@) p_path AND h.active
	   AND (NOT coalesce((SELECT s.rural_only FROM minqing.visit_setting s WHERE s.district_id = p_district), true)
	        OR hc.unit_id IN (SELECT u.unit_id FROM minqing.org_unit u
	                           WHERE u.district_id = p_district AND u.kind = 'village'))
$$;
COMMENT ON FUNCTION minqing.assessment_facts_visits(smallint, timestamptz, timestamptz, ext.ltree) IS
	'Metric visit_coverage: each household of the grid cells (villages only when the district''s visit '
	'setting counts rural households), 1 when visited in the twelve months up to p_to''s day.';
REVOKE ALL ON FUNCTION minqing.assessment_facts_visits(smallint, timestamptz, timestamptz, ext.ltree) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.assessment_facts_visits(smallint, timestamptz, timestamptz, ext.ltree) TO mq_staff;

-- 村情档案更新: the eight sections of each village's archive; kept up when a
-- revision was saved within the district's stale period before the cut-off.
CREATE OR REPLACE FUNCTION minqing.assessment_facts_archive(p_district smallint, p_from timestamptz, p_to timestamptz,
                                                             p_path ext.ltree)
RETURNS TABLE (path ext.ltree, kind text, ref_id bigint, ref_no text, label text, at timestamptz, num numeric,
               den numeric)
LANGUAGE sql STABLE AS $$
	SELECT u.path, 'archive', u.unit_id::bigint, u.code || '-' || sec,
	       u.name || ' ' || minqing.archive_section_name(sec), r.saved_at,
	       CASE WHEN r.saved_at IS NOT NULL THEN 1 ELSE 0 END, 1
	  FROM minqing.org_unit u
	 CROSS JOIN generate_series(1, 8) AS sec
	  LEFT JOIN LATERAL (
		SELECT max(x.saved_at) AS saved_at FROM minqing.archive_revision x
		 WHERE x.unit_id = u.unit_id AND x.section = sec AND x.saved_at < p_to
		   AND x.saved_at >= p_to - make_interval(months => minqing.archive_stale_months(p_district))) r ON true
	 WHERE u.district_id = p_district AND u.active AND u.level = 'village' AND u.kind IN ('village', 'community')
	   AND u.path OPERATOR(ext.<@) p_path
$$;
COMMENT ON FUNCTION minqing.assessment_facts_archive(smallint, timestamptz, timestamptz, ext.ltree) IS
	'Metric archive_fresh: each section of each village''s archive, 1 when saved within the stale period '
	'before p_to.';
REVOKE ALL ON FUNCTION minqing.assessment_facts_archive(smallint, timestamptz, timestamptz, ext.ltree) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.assessment_facts_archive(smallint, timestamptz, timestamptz, ext.ltree) TO mq_staff;

-- 户情档案更新: active households; kept up when the memo was saved within the
-- stale period before the cut-off (the revisions answer for a memo saved
-- after it).
CREATE OR REPLACE FUNCTION minqing.assessment_facts_memo(p_district smallint, p_from timestamptz, p_to timestamptz,
                                                          p_path ext.ltree)
RETURNS TABLE (path ext.ltree, kind text, ref_id bigint, ref_no text, label text, at timestamptz, num numeric,
               den numeric)
LANGUAGE sql STABLE AS $$
	WITH w AS MATERIALIZED (SELECT p_to - make_interval(months => minqing.archive_stale_months(p_district)) AS since)
	SELECT h.path, 'household', h.household_id, h.household_no, h.address, m.saved_at,
	       CASE WHEN m.saved_at IS NULL THEN 0
	            WHEN m.saved_at < p_to THEN CASE WHEN m.saved_at >= w.since THEN 1 ELSE 0 END
	            WHEN EXISTS (SELECT 1 FROM minqing.household_memo_revision r
	                          WHERE r.household_id = h.household_id AND r.saved_at >= w.since
	                            AND r.saved_at < p_to) THEN 1
	            ELSE 0 END, 1
	  FROM w, minqing.household h
	  LEFT JOIN minqing.household_memo m ON m.household_id = h.household_id
	 WHERE h.district_id = p_district AND h.active AND h.path OPERATOR(ext.<@) p_path
$$;
COMMENT ON FUNCTION minqing.assessment_facts_memo(smallint, timestamptz, timestamptz, ext.ltree) IS
	'Metric memo_fresh: each active household, 1 when its memo was saved within the stale period before p_to.';
REVOKE ALL ON FUNCTION minqing.assessment_facts_memo(smallint, timestamptz, timestamptz, ext.ltree) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.assessment_facts_memo(smallint, timestamptz, timestamptz, ext.ltree) TO mq_staff;

-- 党员联户覆盖率: active households with a link (a party member or a
-- representative) made by the cut-off's day.
CREATE OR REPLACE FUNCTION minqing.assessment_facts_links(p_district smallint, p_from timestamptz, p_to timestamptz,
                                                           p_path ext.ltree)
RETURNS TABLE (path ext.ltree, kind text, ref_id bigint, ref_no text, label text, at timestamptz, num numeric,
               den numeric)
LANGUAGE sql STABLE AS $$
	WITH w AS MATERIALIZED (SELECT minqing.district_local_time(p_district, p_to)::date AS last_day),
	l AS (SELECT DISTINCT x.household_id FROM w, minqing.household_link x
	       WHERE x.district_id = p_district AND x.since <= w.last_day AND x.path OPERATOR(ext.<@) p_path)
	SELECT h.path, 'household', h.household_id, h.household_no, h.address, NULL::timestamptz,
	       CASE WHEN l.household_id IS NOT NULL THEN 1 ELSE 0 END, 1
	  FROM minqing.household h LEFT JOIN l ON l.household_id = h.household_id
	 WHERE h.district_id = p_district AND h.active AND h.path OPERATOR(ext.<@) p_path
$$;
COMMENT ON FUNCTION minqing.assessment_facts_links(smallint, timestamptz, timestamptz, ext.ltree) IS
	'Metric link_coverage: each active household, 1 when a party member or representative is linked to it.';
REVOKE ALL ON FUNCTION minqing.assessment_facts_links(smallint, timestamptz, timestamptz, ext.ltree) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.assessment_facts_links(smallint, timestamptz, timestamptz, ext.ltree) TO mq_staff;

-- 红色预警扣分: each red warning the escalation job raised in the period
-- (its event on the timeline; a case reopened may be warned again).
CREATE OR REPLACE FUNCTION minqing.assessment_facts_red(p_district smallint, p_from timestamptz, p_to timestamptz,
                                                         p_path ext.ltree)
RETURNS TABLE (path ext.ltree, kind text, ref_id bigint, ref_no text, label text, at timestamptz, num numeric,
               den numeric)
LANGUAGE sql STABLE AS $$
	SELECT coalesce(c.assigned_path, c.origin_path), 'case', c.case_id, c.case_no, c.title, e.at, 1, 0
	  FROM minqing.case_event e JOIN minqing.cases c ON c.case_id = e.case_id
	 WHERE e.district_id = p_district AND e.kind = 'warning' AND e.data ->> 'step' = 'red'
	   AND e.at >= p_from AND e.at < p_to
	   AND coalesce(c.assigned_path, c.origin_path) OPERATOR(ext.<@) p_path
$$;
COMMENT ON FUNCTION minqing.assessment_facts_red(smallint, timestamptz, timestamptz, ext.ltree) IS
	'Metric red_warnings: each red warning raised from p_from to p_to (a deduction each).';
REVOKE ALL ON FUNCTION minqing.assessment_facts_red(smallint, timestamptz, timestamptz, ext.ltree) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.assessment_facts_red(smallint, timestamptz, timestamptz, ext.ltree) TO mq_staff;

-- 民情恳谈会: each village, 1 when it held a dialogue meeting in the period
-- and reviewed it (评事) by the cut-off; the record shown is that meeting
-- (or the one held and not reviewed, or none).
CREATE OR REPLACE FUNCTION minqing.assessment_facts_meetings(p_district smallint, p_from timestamptz,
                                                              p_to timestamptz, p_path ext.ltree)
RETURNS TABLE (path ext.ltree, kind text, ref_id bigint, ref_no text, label text, at timestamptz, num numeric,
               den numeric)
LANGUAGE sql STABLE AS $$
	SELECT u.path, CASE WHEN m.meeting_id IS NULL THEN 'unit' ELSE 'meeting' END,
	       coalesce(m.meeting_id, u.unit_id), u.code,
	       coalesce(CASE WHEN m.done THEN '' ELSE '【未评事】' END || m.title, u.name || '：本期未召开民情恳谈会'),
	       m.held_at, CASE WHEN m.done THEN 1 ELSE 0 END, 1
	  FROM minqing.org_unit u
	  LEFT JOIN LATERAL (
		SELECT x.meeting_id, x.title, x.held_at, coalesce(x.reviewed_at < p_to, false) AS done
		  FROM minqing.meeting x
		 WHERE x.path OPERATOR(ext.<@) u.path AND x.held_at >= p_from AND x.held_at < p_to
		 ORDER BY coalesce(x.reviewed_at < p_to, false) DESC, x.held_at, x.meeting_id LIMIT 1) m ON true
	 WHERE u.district_id = p_district AND u.active AND u.level = 'village' AND u.kind IN ('village', 'community')
	   AND u.path OPERATOR(ext.<@) p_path
$$;
COMMENT ON FUNCTION minqing.assessment_facts_meetings(smallint, timestamptz, timestamptz, ext.ltree) IS
	'Metric meetings: each village, 1 when it held a dialogue meeting from p_from to p_to and reviewed it '
	'before p_to.';
REVOKE ALL ON FUNCTION minqing.assessment_facts_meetings(smallint, timestamptz, timestamptz, ext.ltree) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.assessment_facts_meetings(smallint, timestamptz, timestamptz, ext.ltree)
	TO mq_staff;

-- 志愿者参与率: active volunteers registered before the cut-off; 1 when they
-- attended an activity on a day of the period.
CREATE OR REPLACE FUNCTION minqing.assessment_facts_volunteers(p_district smallint, p_from timestamptz,
                                                                p_to timestamptz, p_path ext.ltree)
RETURNS TABLE (path ext.ltree, kind text, ref_id bigint, ref_no text, label text, at timestamptz, num numeric,
               den numeric)
LANGUAGE sql STABLE AS $$
	WITH w AS MATERIALIZED (SELECT minqing.district_local_time(p_district, p_from)::date AS d0,
	                  minqing.district_local_time(p_district, p_to - interval '1 microsecond')::date AS d1)
	SELECT v.path, 'volunteer', v.volunteer_id, NULL::text, v.name, a.last_on::timestamptz,
	       CASE WHEN a.last_on IS NOT NULL THEN 1 ELSE 0 END, 1
	  FROM w, minqing.volunteer v
	  LEFT JOIN LATERAL (
		SELECT max(s.attended_on) AS last_on FROM minqing.activity_signup s, w w2
		 WHERE s.volunteer_id = v.volunteer_id AND s.attended_on BETWEEN w2.d0 AND w2.d1) a ON true
	 WHERE v.district_id = p_district AND v.active AND v.created_at < p_to AND v.path OPERATOR(ext.<@) p_path
$$;
COMMENT ON FUNCTION minqing.assessment_facts_volunteers(smallint, timestamptz, timestamptz, ext.ltree) IS
	'Metric volunteers: each active volunteer, 1 when they attended an activity on a day from p_from to p_to.';
REVOKE ALL ON FUNCTION minqing.assessment_facts_volunteers(smallint, timestamptz, timestamptz, ext.ltree)
	FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.assessment_facts_volunteers(smallint, timestamptz, timestamptz, ext.ltree)
	TO mq_staff;

-- 定期登录: each active handler, the working days of the period up to the
-- cut-off (the district's calendar: holidays not, make-up days yes) on
-- which they logged in, over those working days.
CREATE OR REPLACE FUNCTION minqing.assessment_facts_logins(p_district smallint, p_from timestamptz, p_to timestamptz,
                                                            p_path ext.ltree)
RETURNS TABLE (path ext.ltree, kind text, ref_id bigint, ref_no text, label text, at timestamptz, num numeric,
               den numeric)
LANGUAGE sql STABLE AS $$
	WITH days AS (
		SELECT d::date AS day
		  FROM generate_series(minqing.district_local_time(p_district, p_from)::date,
		                       minqing.district_local_time(p_district, p_to - interval '1 microsecond')::date,
		                       interval '1 day') AS d
		 WHERE minqing.is_working_day(p_district, d::date)),
	n AS (SELECT count(*) AS days FROM days)
	SELECT s.path, 'staff', s.staff_id::bigint, s.login::text,
	       s.display_name || '：登录 ' || coalesce(l.days, 0) || '/' || n.days || ' 个工作日', l.last_at,
	       coalesce(l.days, 0), n.days
	  FROM n, minqing.staff s
	  LEFT JOIN LATERAL (
		SELECT count(*) AS days, max(x.first_at) AS last_at FROM minqing.staff_login_day x
		 WHERE x.staff_id = s.staff_id AND x.day IN (SELECT days.day FROM days) AND x.first_at < p_to) l ON true
	 WHERE s.district_id = p_district AND s.active AND s.duty = 'handler' AND s.path OPERATOR(ext.<@) p_path
$$;
COMMENT ON FUNCTION minqing.assessment_facts_logins(smallint, timestamptz, timestamptz, ext.ltree) IS
	'Metric handler_logins: each active handler, the working days from p_from to p_to with a login (num) '
	'over the working days (den).';
REVOKE ALL ON FUNCTION minqing.assessment_facts_logins(smallint, timestamptz, timestamptz, ext.ltree) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.assessment_facts_logins(smallint, timestamptz, timestamptz, ext.ltree) TO mq_staff;

------------------------------------------------------------------------------
-- Value functions of the metrics over the large tables: the same figures
-- as their facts rolled up, counted by unit id in one pass without
-- row-level security (owned by mq_lister, executable by mq_owner only: the
-- engine calls them for the district of the administrator computing it,
-- whose jurisdiction is the whole district), then added up to the towns
-- and villages by assessment_rollup_units.
------------------------------------------------------------------------------
-- Counts per unit (any unit of the district) → every town's and village's
-- value and basis: a unit's counts go to the town and the village its path
-- falls in.
CREATE OR REPLACE FUNCTION minqing.assessment_rollup_units(p_district smallint, p_units integer[], p_num numeric[],
                                                            p_den numeric[], p_scoring text)
RETURNS TABLE (unit_id integer, value numeric, basis text)
LANGUAGE sql STABLE AS $$
	SELECT t.unit_id,
	       CASE WHEN p_scoring = 'deduct' THEN sum(x.n) WHEN sum(x.d) > 0 THEN round(100 * sum(x.n) / sum(x.d), 2) END,
	       CASE WHEN p_scoring = 'deduct' THEN trim_scale(sum(x.n))::text
	            WHEN sum(x.d) > 0 THEN trim_scale(sum(x.n)) || '/' || trim_scale(sum(x.d)) END
	  FROM unnest(p_units, p_num, p_den) AS x(unit_id, n, d)
	  JOIN minqing.org_unit u ON u.unit_id = x.unit_id
	  JOIN minqing.org_unit t ON t.district_id = p_district
	                         AND t.path IN (ext.subpath(u.path, 0, least(2, ext.nlevel(u.path))),
	                                        ext.subpath(u.path, 0, least(3, ext.nlevel(u.path))))
	                         AND ext.nlevel(t.path) IN (2, 3)
	 GROUP BY t.unit_id
$$;
COMMENT ON FUNCTION minqing.assessment_rollup_units(smallint, integer[], numeric[], numeric[], text) IS
	'Counts per unit (parallel arrays) added up to the town and the village each unit falls in: their value '
	'(a ratio''s percentage, a deduction''s count) and basis.';
REVOKE ALL ON FUNCTION minqing.assessment_rollup_units(smallint, integer[], numeric[], numeric[], text) FROM PUBLIC;
-- (What the value functions below call, as mq_lister.)
GRANT EXECUTE ON FUNCTION minqing.assessment_rollup_units(smallint, integer[], numeric[], numeric[], text) TO mq_lister;
GRANT EXECUTE ON FUNCTION minqing.district_local_time(smallint, timestamptz) TO mq_lister;
GRANT EXECUTE ON FUNCTION minqing.archive_stale_months(smallint) TO mq_lister;

RESET ROLE;
CREATE OR REPLACE FUNCTION minqing.assessment_value_on_time(p_district smallint, p_from timestamptz, p_to timestamptz)
RETURNS TABLE (unit_id integer, value numeric, basis text)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = minqing, ext, pg_temp AS $$
#variable_conflict use_column
BEGIN
	RETURN QUERY
	SELECT r.* FROM (
		SELECT array_agg(x.u) AS u, array_agg(x.n) AS n, array_agg(x.d) AS d FROM (
			SELECT coalesce(c.assigned_unit_id, c.origin_unit_id) AS u,
			       count(*) FILTER (WHERE c.due_at IS NULL OR c.resolved_at <= c.due_at)::numeric AS n,
			       count(*)::numeric AS d
			  FROM minqing.cases c
			 WHERE c.district_id = p_district AND c.resolved_at >= p_from AND c.resolved_at < p_to
			 GROUP BY 1) x) a,
	       minqing.assessment_rollup_units(p_district, a.u, a.n, a.d, 'ratio') r;
END
$$;
ALTER FUNCTION minqing.assessment_value_on_time(smallint, timestamptz, timestamptz) OWNER TO mq_lister;
CREATE OR REPLACE FUNCTION minqing.assessment_value_resolution(p_district smallint, p_from timestamptz,
                                                               p_to timestamptz)
RETURNS TABLE (unit_id integer, value numeric, basis text)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = minqing, ext, pg_temp AS $$
#variable_conflict use_column
BEGIN
	RETURN QUERY
	SELECT r.* FROM (
		SELECT array_agg(x.u) AS u, array_agg(x.n) AS n, array_agg(x.d) AS d FROM (
			SELECT coalesce(c.assigned_unit_id, c.origin_unit_id) AS u,
			       count(*) FILTER (WHERE c.resolved_at < p_to)::numeric AS n, count(*)::numeric AS d
			  FROM minqing.cases c
			 WHERE c.created_at >= p_from AND c.created_at < p_to AND c.district_id = p_district
			   AND c.status <> 'withdrawn'
			 GROUP BY 1) x) a,
	       minqing.assessment_rollup_units(p_district, a.u, a.n, a.d, 'ratio') r;
END
$$;
ALTER FUNCTION minqing.assessment_value_resolution(smallint, timestamptz, timestamptz) OWNER TO mq_lister;
CREATE OR REPLACE FUNCTION minqing.assessment_value_satisfaction(p_district smallint, p_from timestamptz,
                                                                 p_to timestamptz)
RETURNS TABLE (unit_id integer, value numeric, basis text)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = minqing, ext, pg_temp AS $$
#variable_conflict use_column
BEGIN
	RETURN QUERY
	SELECT r.* FROM (
		SELECT array_agg(x.u) AS u, array_agg(x.n) AS n, array_agg(x.d) AS d FROM (
			SELECT y.u, sum(y.n) AS n, sum(y.d) AS d FROM (
				SELECT coalesce(c.assigned_unit_id, c.origin_unit_id) AS u,
				       count(*) FILTER (WHERE c.satisfaction IN ('satisfied', 'basically_satisfied'))::numeric AS n,
				       count(*)::numeric AS d
				  FROM minqing.cases c
				 WHERE c.district_id = p_district AND c.status = 'closed' AND c.satisfaction IS NOT NULL
				   AND c.closed_at >= p_from AND c.closed_at < p_to
				 GROUP BY 1
				UNION ALL
				SELECT coalesce(c.assigned_unit_id, c.origin_unit_id), 0, count(*)
				  FROM minqing.case_event e JOIN minqing.cases c ON c.case_id = e.case_id
				 WHERE e.district_id = p_district AND e.kind = 'reopen'
				   AND e.at >= p_from AND e.at < p_to
				 GROUP BY 1) y
			 GROUP BY y.u) x) a,
	       minqing.assessment_rollup_units(p_district, a.u, a.n, a.d, 'ratio') r;
END
$$;
ALTER FUNCTION minqing.assessment_value_satisfaction(smallint, timestamptz, timestamptz) OWNER TO mq_lister;
CREATE OR REPLACE FUNCTION minqing.assessment_value_visits(p_district smallint, p_from timestamptz, p_to timestamptz)
RETURNS TABLE (unit_id integer, value numeric, basis text)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = minqing, ext, pg_temp AS $$
#variable_conflict use_column
BEGIN
	RETURN QUERY
	SELECT r.* FROM (
		SELECT array_agg(x.u) AS u, array_agg(x.n) AS n, array_agg(x.d) AS d FROM (
			SELECT hc.unit_id AS u,
			       count(*) FILTER (WHERE CASE WHEN hc.last_visited_on IS NULL THEN false
			                                   WHEN hc.last_visited_on <= w.last_day THEN hc.last_visited_on > w.first_day
			                                   ELSE EXISTS (SELECT 1 FROM minqing.visit_household vh
			                                                 WHERE vh.household_id = hc.household_id
			                                                   AND vh.visited_on > w.first_day
			                                                   AND vh.visited_on <= w.last_day) END)::numeric AS n,
			       count(*)::numeric AS d
			  FROM minqing.household_cell hc
			  JOIN minqing.household h ON h.household_id = hc.household_id
			  CROSS JOIN LATERAL (
				SELECT (SELECT minqing.district_local_time(p_district, p_to - interval '1 microsecond')::date) AS last_day,
				       (SELECT (minqing.district_local_time(p_district, p_to - interval '1 microsecond')
				                - interval '1 year')::date) AS first_day) w
			 WHERE hc.district_id = p_district AND h.active
			   AND (NOT coalesce((SELECT s.rural_only FROM minqing.visit_setting s WHERE s.district_id = p_district), true)
			        OR hc.unit_id IN (SELECT u.unit_id FROM minqing.org_unit u
			                           WHERE u.district_id = p_district AND u.kind = 'village'))
			 GROUP BY 1) x) a,
	       minqing.assessment_rollup_units(p_district, a.u, a.n, a.d, 'ratio') r;
END
$$;
ALTER FUNCTION minqing.assessment_value_visits(smallint, timestamptz, timestamptz) OWNER TO mq_lister;
CREATE OR REPLACE FUNCTION minqing.assessment_value_memo(p_district smallint, p_from timestamptz, p_to timestamptz)
RETURNS TABLE (unit_id integer, value numeric, basis text)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = minqing, ext, pg_temp AS $$
#variable_conflict use_column
BEGIN
	RETURN QUERY
	SELECT r.* FROM (
		SELECT array_agg(x.u) AS u, array_agg(x.n) AS n, array_agg(x.d) AS d FROM (
			SELECT h.unit_id AS u,
			       count(*) FILTER (WHERE CASE WHEN m.saved_at IS NULL THEN false
			                                   WHEN m.saved_at < p_to THEN m.saved_at >= w.since
			                                   ELSE EXISTS (SELECT 1 FROM minqing.household_memo_revision v
			                                                 WHERE v.household_id = h.household_id
			                                                   AND v.saved_at >= w.since AND v.saved_at < p_to) END
			                   )::numeric AS n,
			       count(*)::numeric AS d
			  FROM minqing.household h
			  LEFT JOIN minqing.household_memo m ON m.household_id = h.household_id
			  CROSS JOIN LATERAL (SELECT (SELECT p_to - make_interval(months => minqing.archive_stale_months(p_district)))
			                             AS since) w
			 WHERE h.district_id = p_district AND h.active
			 GROUP BY 1) x) a,
	       minqing.assessment_rollup_units(p_district, a.u, a.n, a.d, 'ratio') r;
END
$$;
ALTER FUNCTION minqing.assessment_value_memo(smallint, timestamptz, timestamptz) OWNER TO mq_lister;
CREATE OR REPLACE FUNCTION minqing.assessment_value_links(p_district smallint, p_from timestamptz, p_to timestamptz)
RETURNS TABLE (unit_id integer, value numeric, basis text)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = minqing, ext, pg_temp AS $$
#variable_conflict use_column
BEGIN
	RETURN QUERY
	SELECT r.* FROM (
		SELECT array_agg(x.u) AS u, array_agg(x.n) AS n, array_agg(x.d) AS d FROM (
			SELECT h.unit_id AS u, count(l.household_id)::numeric AS n, count(*)::numeric AS d
			  FROM minqing.household h
			  LEFT JOIN (SELECT DISTINCT k.household_id FROM minqing.household_link k
			              WHERE k.district_id = p_district
			                AND k.since <= (SELECT minqing.district_local_time(p_district, p_to)::date)) l
			         ON l.household_id = h.household_id
			 WHERE h.district_id = p_district AND h.active
			 GROUP BY 1) x) a,
	       minqing.assessment_rollup_units(p_district, a.u, a.n, a.d, 'ratio') r;
END
$$;
ALTER FUNCTION minqing.assessment_value_links(smallint, timestamptz, timestamptz) OWNER TO mq_lister;
COMMENT ON FUNCTION minqing.assessment_value_on_time(smallint, timestamptz, timestamptz) IS
	'Value of metric on_time_rate: cases resolved in the period, on time — every town and village of district p_district, counted past row-level '
	'security (owned by mq_lister; executable by mq_owner only: the engine, for the district of the '
	'administrator computing it). The same figures as its facts function rolled up.';
REVOKE ALL ON FUNCTION minqing.assessment_value_on_time(smallint, timestamptz, timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.assessment_value_on_time(smallint, timestamptz, timestamptz) TO mq_owner;
COMMENT ON FUNCTION minqing.assessment_value_resolution(smallint, timestamptz, timestamptz) IS
	'Value of metric resolution_rate: cases recorded in the period, resolved — every town and village of district p_district, counted past row-level '
	'security (owned by mq_lister; executable by mq_owner only: the engine, for the district of the '
	'administrator computing it). The same figures as its facts function rolled up.';
REVOKE ALL ON FUNCTION minqing.assessment_value_resolution(smallint, timestamptz, timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.assessment_value_resolution(smallint, timestamptz, timestamptz) TO mq_owner;
COMMENT ON FUNCTION minqing.assessment_value_satisfaction(smallint, timestamptz, timestamptz) IS
	'Value of metric satisfaction: judgements in the period, satisfied or basically — every town and village of district p_district, counted past row-level '
	'security (owned by mq_lister; executable by mq_owner only: the engine, for the district of the '
	'administrator computing it). The same figures as its facts function rolled up.';
REVOKE ALL ON FUNCTION minqing.assessment_value_satisfaction(smallint, timestamptz, timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.assessment_value_satisfaction(smallint, timestamptz, timestamptz) TO mq_owner;
COMMENT ON FUNCTION minqing.assessment_value_visits(smallint, timestamptz, timestamptz) IS
	'Value of metric visit_coverage: households of the cells, visited in the twelve months — every town and village of district p_district, counted past row-level '
	'security (owned by mq_lister; executable by mq_owner only: the engine, for the district of the '
	'administrator computing it). The same figures as its facts function rolled up.';
REVOKE ALL ON FUNCTION minqing.assessment_value_visits(smallint, timestamptz, timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.assessment_value_visits(smallint, timestamptz, timestamptz) TO mq_owner;
COMMENT ON FUNCTION minqing.assessment_value_memo(smallint, timestamptz, timestamptz) IS
	'Value of metric memo_fresh: active households, memo kept up — every town and village of district p_district, counted past row-level '
	'security (owned by mq_lister; executable by mq_owner only: the engine, for the district of the '
	'administrator computing it). The same figures as its facts function rolled up.';
REVOKE ALL ON FUNCTION minqing.assessment_value_memo(smallint, timestamptz, timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.assessment_value_memo(smallint, timestamptz, timestamptz) TO mq_owner;
COMMENT ON FUNCTION minqing.assessment_value_links(smallint, timestamptz, timestamptz) IS
	'Value of metric link_coverage: active households, linked — every town and village of district p_district, counted past row-level '
	'security (owned by mq_lister; executable by mq_owner only: the engine, for the district of the '
	'administrator computing it). The same figures as its facts function rolled up.';
REVOKE ALL ON FUNCTION minqing.assessment_value_links(smallint, timestamptz, timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.assessment_value_links(smallint, timestamptz, timestamptz) TO mq_owner;
SET LOCAL ROLE mq_owner;
SET LOCAL search_path = minqing, ext, pg_temp;

------------------------------------------------------------------------------
-- The engine
------------------------------------------------------------------------------
-- A score from a value: a ratio earns max_points at the target, in
-- proportion below it (no record: max_points, nothing to blame); a
-- deduction takes deduct per occurrence off max_points, not below 0.
CREATE OR REPLACE FUNCTION minqing.assessment_points(p_scoring text, p_max numeric, p_target numeric,
                                                      p_deduct numeric, p_value numeric) RETURNS numeric
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
	SELECT CASE p_scoring
	            WHEN 'ratio' THEN CASE WHEN p_value IS NULL THEN p_max
	                                   ELSE round(p_max * least(p_value / p_target, 1), 2) END
	            WHEN 'deduct' THEN greatest(p_max - p_deduct * coalesce(p_value, 0), 0) END
$$;
COMMENT ON FUNCTION minqing.assessment_points(text, numeric, numeric, numeric, numeric) IS
	'An item''s score from its value: ratio max*min(value/target, 1) (no record: max); deduct '
	'max - deduct*count, not below 0.';
REVOKE ALL ON FUNCTION minqing.assessment_points(text, numeric, numeric, numeric, numeric) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.assessment_points(text, numeric, numeric, numeric, numeric) TO mq_staff;

-- The explanation of a computed score, in words (Chinese: it is printed in
-- the circular and the export as it is).
CREATE OR REPLACE FUNCTION minqing.assessment_explain(p_name text, p_scoring text, p_max numeric, p_target numeric,
                                                       p_deduct numeric, p_value numeric, p_basis text,
                                                       p_score numeric) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
	SELECT CASE
	       WHEN p_scoring = 'ratio' AND p_value IS NULL
	       THEN format('%s：本期无可计记录，不扣分，得 %s 分（满分 %s）', p_name, trim_scale(p_score), trim_scale(p_max))
	       WHEN p_scoring = 'ratio'
	       THEN format('%s：%s = %s%%，目标 %s%%，得 %s 分（满分 %s）', p_name, p_basis, trim_scale(p_value),
	                   trim_scale(p_target), trim_scale(p_score), trim_scale(p_max))
	       ELSE format('%s：%s 项，每项扣 %s 分，得 %s 分（满分 %s）', p_name, coalesce(trim_scale(p_value), 0),
	                   trim_scale(p_deduct), trim_scale(p_score), trim_scale(p_max)) END
$$;
COMMENT ON FUNCTION minqing.assessment_explain(text, text, numeric, numeric, numeric, numeric, text, numeric) IS
	'The words explaining a computed item''s score (the basis, the value against the target or the '
	'deductions, the score and the maximum).';
REVOKE ALL ON FUNCTION minqing.assessment_explain(text, text, numeric, numeric, numeric, numeric, text, numeric)
	FROM PUBLIC;

-- Totals and ranks of a draft: towns among towns, villages within their town
-- (1 the best; equal totals share a rank).
CREATE OR REPLACE FUNCTION minqing.assessment_rank(p_assessment bigint) RETURNS void
LANGUAGE sql SET search_path = minqing, ext, pg_temp AS $$
	UPDATE minqing.assessment_unit x SET total = r.total, rank = r.rank
	  FROM (SELECT u.unit_id, t.total,
	               rank() OVER (PARTITION BY u.level, CASE WHEN u.level = 'village' THEN u.town_unit_id END
	                            ORDER BY t.total DESC) AS rank
	          FROM minqing.assessment_unit u
	          JOIN (SELECT s.unit_id, coalesce(sum(s.score), 0) AS total FROM minqing.assessment_score s
	                 WHERE s.assessment_id = p_assessment GROUP BY s.unit_id) t ON t.unit_id = u.unit_id
	         WHERE u.assessment_id = p_assessment) r
	 WHERE x.assessment_id = p_assessment AND x.unit_id = r.unit_id
	   AND (x.total, x.rank) IS DISTINCT FROM (r.total, r.rank);
$$;
COMMENT ON FUNCTION minqing.assessment_rank(bigint) IS
	'Recompute the totals and ranks of a draft assessment''s towns and villages from their scores.';
REVOKE ALL ON FUNCTION minqing.assessment_rank(bigint) FROM PUBLIC;

-- Compute a draft from its rules: its rows replaced, then one statement per
-- computed item over every town and village of the district (the facts
-- rolled up by path to the town and the village they fall in, or the
-- metric's value function), and an empty score for each manual item.
CREATE OR REPLACE FUNCTION minqing.assessment_fill(p_assessment bigint) RETURNS void
LANGUAGE plpgsql SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	a minqing.assessment;
	it record;
	dpath ext.ltree;
	to_at timestamptz;
	t0 timestamptz := clock_timestamp();
	rolled text;
BEGIN
	SELECT * INTO a FROM minqing.assessment x WHERE x.assessment_id = p_assessment FOR UPDATE;
	dpath := a.path;
	SELECT least(a.cutoff_at, minqing.assessment_day_start(a.district_id, r.ends_on)) INTO to_at
	  FROM minqing.assessment_rule_set r WHERE r.rule_set_id = a.rule_set_id;
	DELETE FROM minqing.assessment_adjustment x WHERE x.assessment_id = p_assessment;
	DELETE FROM minqing.assessment_score x WHERE x.assessment_id = p_assessment;
	DELETE FROM minqing.assessment_unit x WHERE x.assessment_id = p_assessment;
	DELETE FROM minqing.assessment_item x WHERE x.assessment_id = p_assessment;
	INSERT INTO minqing.assessment_item (assessment_id, item_no, district_id, path, code, name_zh, name_en, kind,
	                                     metric_code, scoring, max_points, target, deduct)
	SELECT p_assessment, r.item_no, a.district_id, a.path, r.code, r.name_zh, r.name_en, r.kind, r.metric_code,
	       m.scoring, r.max_points,
	       CASE WHEN m.scoring = 'ratio' THEN coalesce(r.target, m.default_target) END,
	       CASE WHEN m.scoring = 'deduct' THEN coalesce(r.deduct, m.default_deduct) END
	  FROM minqing.assessment_rule r LEFT JOIN minqing.assessment_metric m ON m.metric_code = r.metric_code
	 WHERE r.rule_set_id = a.rule_set_id;
	INSERT INTO minqing.assessment_unit (assessment_id, unit_id, district_id, path, level, town_unit_id)
	SELECT p_assessment, u.unit_id, u.district_id, u.path, u.level::text, t.unit_id
	  FROM minqing.org_unit u
	  JOIN minqing.org_unit t ON t.path = ext.subpath(u.path, 0, 2)
	 WHERE u.district_id = a.district_id AND u.active AND ext.nlevel(u.path) IN (2, 3)
	   AND ((u.level = 'town' AND u.kind IN ('town', 'street'))
	        OR (u.level = 'village' AND u.kind IN ('village', 'community')));
	FOR it IN SELECT i.*, m.facts_function, m.value_function
	            FROM minqing.assessment_item i LEFT JOIN minqing.assessment_metric m ON m.metric_code = i.metric_code
	           WHERE i.assessment_id = p_assessment ORDER BY i.item_no LOOP
		IF it.kind = 'manual' THEN
			INSERT INTO minqing.assessment_score (assessment_id, item_no, unit_id, district_id, path, explanation)
			SELECT p_assessment, it.item_no, u.unit_id, u.district_id, u.path,
			       format('%s：人工评分，待录入（满分 %s）', it.name_zh, trim_scale(it.max_points))
			  FROM minqing.assessment_unit u WHERE u.assessment_id = p_assessment;
			CONTINUE;
		END IF;
		IF it.facts_function IS NOT NULL AND it.value_function IS NULL THEN
			-- each fact counts for the town (2 levels) and the village (3) it
			-- falls in (summed by path first: a few hundred paths, not a row
			-- per household)
			rolled := format(
				'SELECT k.p, sum(f.n) AS n, sum(f.d) AS d '
				'FROM (SELECT x.path::text::ext.ltree AS path, x.n, x.d FROM (SELECT y.path::text AS path, sum(y.num) AS n, '
				'sum(y.den) AS d FROM %s($1, $2, $3, $4) y GROUP BY y.path::text) x) f '
				'CROSS JOIN LATERAL (VALUES (CASE WHEN ext.nlevel(f.path) >= 2 THEN ext.subpath(f.path, 0, 2) END), '
				'(CASE WHEN ext.nlevel(f.path) >= 3 THEN ext.subpath(f.path, 0, 3) END)) AS k(p) '
				'WHERE k.p IS NOT NULL GROUP BY k.p', it.facts_function);
			EXECUTE format(
				'INSERT INTO minqing.assessment_score (assessment_id, item_no, unit_id, district_id, path, value, '
				'basis, computed_score, score, explanation) '
				'SELECT $5, $6, u.unit_id, u.district_id, u.path, v.value, v.basis, sc.score, sc.score, '
				'minqing.assessment_explain($7, $8, $9, $10, $11, v.value, v.basis, sc.score) '
				'FROM minqing.assessment_unit u LEFT JOIN (%s) g ON g.p = u.path '
				'CROSS JOIN LATERAL (SELECT CASE WHEN $8 = ''deduct'' THEN coalesce(g.n, 0) '
				'WHEN g.d > 0 THEN round(100 * g.n / g.d, 2) END AS value, '
				'CASE WHEN $8 = ''deduct'' THEN trim_scale(coalesce(g.n, 0))::text '
				'WHEN g.d > 0 THEN trim_scale(g.n) || ''/'' || trim_scale(g.d) END AS basis) v '
				'CROSS JOIN LATERAL (SELECT minqing.assessment_points($8, $9, $10, $11, v.value) AS score) sc '
				'WHERE u.assessment_id = $5', rolled)
			USING a.district_id, a.from_at, to_at, dpath, p_assessment, it.item_no, it.name_zh, it.scoring,
			      it.max_points, it.target, it.deduct;
		ELSE
			EXECUTE format(
				'INSERT INTO minqing.assessment_score (assessment_id, item_no, unit_id, district_id, path, value, '
				'basis, computed_score, score, explanation) '
				'SELECT $4, $5, u.unit_id, u.district_id, u.path, v.value, v.basis, sc.score, sc.score, '
				'minqing.assessment_explain($6, $7, $8, $9, $10, v.value, v.basis, sc.score) '
				'FROM minqing.assessment_unit u LEFT JOIN %s($1, $2, $3) v ON v.unit_id = u.unit_id '
				'CROSS JOIN LATERAL (SELECT minqing.assessment_points($7, $8, $9, $10, v.value) AS score) sc '
				'WHERE u.assessment_id = $4', it.value_function)
			USING a.district_id, a.from_at, to_at, p_assessment, it.item_no, it.name_zh, it.scoring,
			      it.max_points, it.target, it.deduct;
		END IF;
	END LOOP;
	PERFORM minqing.assessment_rank(p_assessment);
	UPDATE minqing.assessment x
	   SET computed_at = now(), computed_by = session_user,
	       compute_ms = (extract(epoch FROM clock_timestamp() - t0) * 1000)::integer
	 WHERE x.assessment_id = p_assessment;
END
$$;
COMMENT ON FUNCTION minqing.assessment_fill(bigint) IS
	'Compute a draft assessment from its rule set: items copied, towns and villages listed, each computed '
	'item in one statement for all of them, manual items empty, totals and ranks.';
REVOKE ALL ON FUNCTION minqing.assessment_fill(bigint) FROM PUBLIC;

-- The assessment to change: locked, the caller's district's, at the row
-- version the caller saw (40001 when it moved), a draft.
CREATE OR REPLACE FUNCTION minqing.assessment_for(p_assessment bigint, p_row_version integer)
RETURNS minqing.assessment
LANGUAGE plpgsql SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	s minqing.staff := minqing.assessment_admin();
	a minqing.assessment;
BEGIN
	SELECT * INTO a FROM minqing.assessment x WHERE x.assessment_id = p_assessment AND x.district_id = s.district_id
	   FOR UPDATE;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'assessment % not found', coalesce(p_assessment::text, 'NULL') USING ERRCODE = 'no_data_found';
	END IF;
	IF p_row_version IS NOT NULL AND a.row_version <> p_row_version THEN
		RAISE EXCEPTION 'assessment % was changed by someone else since you opened it', p_assessment
			USING ERRCODE = 'serialization_failure',
			      DETAIL = format('version %s when opened, %s now', p_row_version, a.row_version),
			      HINT = 'reload it and try again';
	END IF;
	IF a.status <> 'draft' THEN
		RAISE EXCEPTION 'assessment % is published and cannot change: a correction is a new version', p_assessment
			USING ERRCODE = 'object_not_in_prerequisite_state';
	END IF;
	RETURN a;
END
$$;
COMMENT ON FUNCTION minqing.assessment_for(bigint, integer) IS
	'A draft assessment of the caller''s district locked for a change at the row version the caller saw.';
REVOKE ALL ON FUNCTION minqing.assessment_for(bigint, integer) FROM PUBLIC;

-- Compute (or compute again) the period's draft at a cut-off (now when
-- none): the first version, or the draft there is. A period whose latest
-- version is published is corrected by assessment_new_version().
CREATE OR REPLACE FUNCTION minqing.assessment_compute(p_period text, p_cutoff timestamptz DEFAULT NULL)
RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = minqing, ext, pg_temp SET work_mem = '64MB' AS $$
DECLARE
	s minqing.staff := minqing.assessment_admin();
	rs minqing.assessment_rule_set;
	a minqing.assessment;
	cut timestamptz := coalesce(p_cutoff, now());
	f timestamptz;
BEGIN
	PERFORM minqing.assessment_period_check(p_period);
	SELECT * INTO rs FROM minqing.assessment_rule_set r WHERE r.district_id = s.district_id AND r.period = p_period;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'there are no assessment rules for period %', p_period USING ERRCODE = 'no_data_found';
	END IF;
	f := minqing.assessment_day_start(s.district_id, rs.starts_on);
	IF cut <= f OR cut > now() THEN
		RAISE EXCEPTION 'the cut-off must be after the start of the period and not in the future'
			USING ERRCODE = 'invalid_parameter_value', COLUMN = 'cutoff';
	END IF;
	SELECT * INTO a FROM minqing.assessment x WHERE x.district_id = s.district_id AND x.period = p_period
	 ORDER BY x.version DESC LIMIT 1 FOR UPDATE;
	IF FOUND AND a.status = 'published' THEN
		RAISE EXCEPTION 'assessment % is published and cannot change: a correction is a new version', a.assessment_id
			USING ERRCODE = 'object_not_in_prerequisite_state';
	ELSIF FOUND THEN
		UPDATE minqing.assessment x SET cutoff_at = cut, from_at = f WHERE x.assessment_id = a.assessment_id;
	ELSE
		INSERT INTO minqing.assessment (district_id, path, rule_set_id, period, from_at, cutoff_at, version)
		VALUES (s.district_id, rs.path, rs.rule_set_id, p_period, f, cut, 1)
		RETURNING minqing.assessment.assessment_id INTO a.assessment_id;
	END IF;
	PERFORM minqing.assessment_fill(a.assessment_id);
	RETURN a.assessment_id;
END
$$;
COMMENT ON FUNCTION minqing.assessment_compute(text, timestamptz) IS
	'Compute the district''s assessment of p_period at cut-off p_cutoff (now when NULL) into a draft: the '
	'first version, or the period''s draft again. The district''s administrator. Returns its id.';
REVOKE ALL ON FUNCTION minqing.assessment_compute(text, timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.assessment_compute(text, timestamptz) TO mq_admin;

-- Change one unit's score of one item on a draft, with the reason: the
-- adjustment is kept (old, new, reason, author, time), the totals and ranks
-- follow.
CREATE OR REPLACE FUNCTION minqing.assessment_adjust(p_assessment bigint, p_item integer, p_unit text,
                                                     p_score numeric, p_reason text,
                                                     p_row_version integer DEFAULT NULL)
RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	a minqing.assessment := minqing.assessment_for(p_assessment, p_row_version);
	it minqing.assessment_item;
	sc minqing.assessment_score;
	uid integer;
	v integer;
BEGIN
	SELECT * INTO it FROM minqing.assessment_item i WHERE i.assessment_id = a.assessment_id AND i.item_no = p_item;
	SELECT u.unit_id INTO uid FROM minqing.org_unit u WHERE u.code = p_unit AND u.district_id = a.district_id;
	SELECT * INTO sc FROM minqing.assessment_score x
	 WHERE x.assessment_id = a.assessment_id AND x.item_no = p_item AND x.unit_id = uid FOR UPDATE;
	IF it.item_no IS NULL OR sc.unit_id IS NULL THEN
		RAISE EXCEPTION 'assessment % has no item % for unit %', p_assessment, coalesce(p_item::text, 'NULL'),
			left(coalesce(p_unit, 'NULL'), 40) USING ERRCODE = 'no_data_found';
	END IF;
	IF p_score IS NULL OR p_score < 0 OR p_score > it.max_points THEN
		RAISE EXCEPTION 'the score must be from 0 to % points', trim_scale(it.max_points)
			USING ERRCODE = 'check_violation', COLUMN = 'score';
	END IF;
	PERFORM minqing.require_text(p_reason, 'reason');
	INSERT INTO minqing.assessment_adjustment (assessment_id, item_no, unit_id, district_id, path, old_score,
	                                           new_score, reason)
	VALUES (a.assessment_id, p_item, uid, a.district_id, sc.path, sc.score, round(p_score, 2), p_reason);
	UPDATE minqing.assessment_score x
	   SET score = round(p_score, 2), adjusted = true,
	       explanation = CASE WHEN it.kind = 'manual'
	                          THEN format('%s：人工评分 %s 分（满分 %s）。理由：%s', it.name_zh, trim_scale(round(p_score, 2)),
	                                      trim_scale(it.max_points), p_reason)
	                          ELSE split_part(x.explanation, E'\n', 1) || E'\n' ||
	                               format('调整为 %s 分。理由：%s', trim_scale(round(p_score, 2)), p_reason) END
	 WHERE x.assessment_id = a.assessment_id AND x.item_no = p_item AND x.unit_id = uid;
	PERFORM minqing.assessment_rank(a.assessment_id);
	UPDATE minqing.assessment x SET updated_at = now() WHERE x.assessment_id = a.assessment_id
	RETURNING x.row_version INTO v;
	RETURN v;
END
$$;
COMMENT ON FUNCTION minqing.assessment_adjust(bigint, integer, text, numeric, text, integer) IS
	'Adjust one unit''s (code p_unit) score of item p_item on a draft assessment, with a reason (kept with '
	'the old score, the author and the time); totals and ranks follow. Returns the assessment''s row version.';
REVOKE ALL ON FUNCTION minqing.assessment_adjust(bigint, integer, text, numeric, text, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.assessment_adjust(bigint, integer, text, numeric, text, integer) TO mq_admin;

-- The circular's text: the ranking of the towns, with their totals.
CREATE OR REPLACE FUNCTION minqing.assessment_circular_body(p_assessment bigint) RETURNS text
LANGUAGE sql STABLE AS $$
	SELECT format('%s年%s考核结果（第 %s 版，数据截至 %s）。', left(a.period, 4),
	              CASE WHEN length(a.period) = 6 THEN '第' || right(a.period, 1) || '季度' ELSE '度' END, a.version,
	              to_char(minqing.district_local_time(a.district_id, a.cutoff_at), 'YYYY-MM-DD HH24:MI'))
	       || CASE WHEN a.supersedes IS NOT NULL THEN '本版更正并取代第 ' || (a.version - 1) || ' 版。' ELSE '' END
	       || E'\n镇（街道）排名：\n'
	       || coalesce((SELECT string_agg(format('%s. %s %s 分', u.rank, o.name, trim_scale(u.total)), E'\n'
	                                      ORDER BY u.rank, o.code)
	                      FROM minqing.assessment_unit u JOIN minqing.org_unit o ON o.unit_id = u.unit_id
	                     WHERE u.assessment_id = a.assessment_id AND u.level = 'town'), '（无）')
	       || E'\n各项得分及村（社区）得分见 考核通报 > 考核评分。'
	  FROM minqing.assessment a WHERE a.assessment_id = p_assessment
$$;
COMMENT ON FUNCTION minqing.assessment_circular_body(bigint) IS
	'The text of an assessment''s circular: period, version, cut-off and the towns'' ranking with totals.';
REVOKE ALL ON FUNCTION minqing.assessment_circular_body(bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.assessment_circular_body(bigint) TO mq_staff;

-- Publish a draft: it becomes immutable, and a circular (通报) with the
-- ranking is published on the district's bulletin board (notice_save and
-- notice_publish, as a person would), for every unit of the district.
CREATE OR REPLACE FUNCTION minqing.assessment_publish(p_assessment bigint, p_row_version integer)
RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	a minqing.assessment := minqing.assessment_for(p_assessment, p_row_version);
	dcode text;
	n record;
	title text;
	v integer;
BEGIN
	IF EXISTS (SELECT 1 FROM minqing.assessment_score x JOIN minqing.assessment_item i
	                      ON i.assessment_id = x.assessment_id AND i.item_no = x.item_no
	            WHERE x.assessment_id = a.assessment_id AND i.kind = 'manual' AND x.score IS NULL) THEN
		RAISE EXCEPTION 'assessment % has manual items without a score: adjust them first', p_assessment
			USING ERRCODE = 'object_not_in_prerequisite_state';
	END IF;
	SELECT u.code INTO dcode FROM minqing.org_unit u WHERE u.path = a.path;
	title := format('%s年%s考核结果通报', left(a.period, 4),
	                CASE WHEN length(a.period) = 6 THEN '第' || right(a.period, 1) || '季度' ELSE '度' END)
	         || CASE WHEN a.version > 1 THEN format('（第%s版更正）', a.version) ELSE '' END;
	SELECT * INTO n FROM minqing.notice_save(p_unit_code => dcode, p_kind => 'circular', p_audience => 'staff',
	                                         p_title => title,
	                                         p_body => minqing.assessment_circular_body(a.assessment_id));
	PERFORM minqing.notice_publish(n.saved_notice_id, n.saved_row_version);
	UPDATE minqing.assessment x
	   SET status = 'published', published_at = now(), published_by = session_user, notice_id = n.saved_notice_id
	 WHERE x.assessment_id = a.assessment_id
	RETURNING x.row_version INTO v;
	RETURN v;
END
$$;
COMMENT ON FUNCTION minqing.assessment_publish(bigint, integer) IS
	'Publish a draft assessment (every manual item scored) at the row version the caller saw: it never '
	'changes again, and its circular with the towns'' ranking is published on the district''s bulletin '
	'board. Returns the row version.';
REVOKE ALL ON FUNCTION minqing.assessment_publish(bigint, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.assessment_publish(bigint, integer) TO mq_admin;

-- A correction: a new draft version superseding the published latest one,
-- a copy of its items, units and scores (adjust it, or compute it again
-- with another cut-off).
CREATE OR REPLACE FUNCTION minqing.assessment_new_version(p_assessment bigint) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	s minqing.staff := minqing.assessment_admin();
	a minqing.assessment;
	id bigint;
BEGIN
	SELECT * INTO a FROM minqing.assessment x WHERE x.assessment_id = p_assessment AND x.district_id = s.district_id
	   FOR UPDATE;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'assessment % not found', coalesce(p_assessment::text, 'NULL') USING ERRCODE = 'no_data_found';
	END IF;
	IF a.status <> 'published' OR EXISTS (SELECT 1 FROM minqing.assessment x
	                                       WHERE x.district_id = a.district_id AND x.period = a.period
	                                         AND x.version > a.version) THEN
		RAISE EXCEPTION 'only the latest published version of an assessment is corrected by a new version'
			USING ERRCODE = 'object_not_in_prerequisite_state';
	END IF;
	INSERT INTO minqing.assessment (district_id, path, rule_set_id, period, from_at, cutoff_at, version, supersedes,
	                                compute_ms)
	VALUES (a.district_id, a.path, a.rule_set_id, a.period, a.from_at, a.cutoff_at, a.version + 1, a.assessment_id,
	        0)
	RETURNING minqing.assessment.assessment_id INTO id;
	INSERT INTO minqing.assessment_item (assessment_id, item_no, district_id, path, code, name_zh, name_en, kind,
	                                     metric_code, scoring, max_points, target, deduct)
	SELECT id, i.item_no, i.district_id, i.path, i.code, i.name_zh, i.name_en, i.kind, i.metric_code, i.scoring,
	       i.max_points, i.target, i.deduct
	  FROM minqing.assessment_item i WHERE i.assessment_id = a.assessment_id;
	INSERT INTO minqing.assessment_unit (assessment_id, unit_id, district_id, path, level, town_unit_id, total, rank)
	SELECT id, u.unit_id, u.district_id, u.path, u.level, u.town_unit_id, u.total, u.rank
	  FROM minqing.assessment_unit u WHERE u.assessment_id = a.assessment_id;
	INSERT INTO minqing.assessment_score (assessment_id, item_no, unit_id, district_id, path, value, basis,
	                                      computed_score, score, explanation, adjusted)
	SELECT id, x.item_no, x.unit_id, x.district_id, x.path, x.value, x.basis, x.computed_score, x.score,
	       x.explanation, x.adjusted
	  FROM minqing.assessment_score x WHERE x.assessment_id = a.assessment_id;
	RETURN id;
END
$$;
COMMENT ON FUNCTION minqing.assessment_new_version(bigint) IS
	'Correct a published assessment (the latest version of its period): a new draft version superseding '
	'it, a copy of its scores, to adjust or compute again. Returns its id.';
REVOKE ALL ON FUNCTION minqing.assessment_new_version(bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.assessment_new_version(bigint) TO mq_admin;

------------------------------------------------------------------------------
-- The rules (考核细则), kept by the district's administrator
------------------------------------------------------------------------------
-- A period's rules: new, from the rules of period p_copy_from, or (NULL) the
-- default items (every built-in metric, and one manual item; 100 points).
CREATE OR REPLACE FUNCTION minqing.assessment_rule_set_add(p_period text, p_title text,
                                                           p_copy_from text DEFAULT NULL)
RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	s minqing.staff := minqing.assessment_admin();
	src bigint;
	id bigint;
	dpath ext.ltree;
BEGIN
	PERFORM minqing.assessment_period_check(p_period);
	PERFORM minqing.require_text(p_title, 'title');
	IF EXISTS (SELECT 1 FROM minqing.assessment_rule_set r WHERE r.district_id = s.district_id AND r.period = p_period) THEN
		RAISE EXCEPTION 'the assessment rules for period % exist already', p_period USING ERRCODE = 'unique_violation';
	END IF;
	IF p_copy_from IS NOT NULL THEN
		SELECT r.rule_set_id INTO src FROM minqing.assessment_rule_set r
		 WHERE r.district_id = s.district_id AND r.period = p_copy_from;
		IF NOT FOUND THEN
			RAISE EXCEPTION 'there are no assessment rules for period %', left(p_copy_from, 20)
				USING ERRCODE = 'no_data_found';
		END IF;
	END IF;
	SELECT u.path INTO dpath FROM minqing.org_unit u WHERE u.district_id = s.district_id AND u.kind = 'district';
	INSERT INTO minqing.assessment_rule_set (district_id, path, period, starts_on, ends_on, title)
	SELECT s.district_id, dpath, p_period, d.starts_on, d.ends_on, p_title FROM minqing.assessment_period_days(p_period) d
	RETURNING minqing.assessment_rule_set.rule_set_id INTO id;
	IF src IS NOT NULL THEN
		INSERT INTO minqing.assessment_rule (rule_set_id, district_id, path, item_no, code, name_zh, name_en, kind,
		                                     metric_code, max_points, target, deduct)
		SELECT id, s.district_id, dpath, r.item_no, r.code, r.name_zh, r.name_en, r.kind, r.metric_code,
		       r.max_points, r.target, r.deduct
		  FROM minqing.assessment_rule r WHERE r.rule_set_id = src;
	ELSE
		INSERT INTO minqing.assessment_rule (rule_set_id, district_id, path, item_no, code, name_zh, name_en, kind,
		                                     metric_code, max_points)
		SELECT id, s.district_id, dpath, v.no, v.code, m.name_zh, m.name_en, 'computed', m.metric_code, v.pts
		  FROM (VALUES (1, 'ontime', 'on_time_rate', 15), (2, 'resolve', 'resolution_rate', 15),
		               (3, 'satisfy', 'satisfaction', 15), (4, 'visits', 'visit_coverage', 15),
		               (5, 'archive', 'archive_fresh', 5), (6, 'memo', 'memo_fresh', 5),
		               (7, 'links', 'link_coverage', 5), (8, 'red', 'red_warnings', 5),
		               (9, 'meetings', 'meetings', 5), (10, 'volunteer', 'volunteers', 5),
		               (11, 'logins', 'handler_logins', 5)) AS v(no, code, metric, pts)
		  JOIN minqing.assessment_metric m ON m.metric_code = v.metric;
		INSERT INTO minqing.assessment_rule (rule_set_id, district_id, path, item_no, code, name_zh, name_en, kind,
		                                     max_points)
		VALUES (id, s.district_id, dpath, 12, 'special', '特色工作', 'Special work', 'manual', 5);
	END IF;
	RETURN id;
END
$$;
COMMENT ON FUNCTION minqing.assessment_rule_set_add(text, text, text) IS
	'New assessment rules of the caller''s district for a period (a year or a quarter): a copy of period '
	'p_copy_from''s, or the default items (the built-in metrics and one manual item, 100 points).';
REVOKE ALL ON FUNCTION minqing.assessment_rule_set_add(text, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.assessment_rule_set_add(text, text, text) TO mq_admin;

-- Add (p_rule NULL) or change an item of a period's rules.
CREATE OR REPLACE FUNCTION minqing.assessment_rule_save(p_period text, p_rule bigint DEFAULT NULL,
                                                        p_row_version integer DEFAULT NULL,
                                                        p_item_no integer DEFAULT NULL, p_code text DEFAULT NULL,
                                                        p_name_zh text DEFAULT NULL, p_name_en text DEFAULT NULL,
                                                        p_kind text DEFAULT 'computed',
                                                        p_metric_code text DEFAULT NULL,
                                                        p_max_points numeric DEFAULT NULL,
                                                        p_target numeric DEFAULT NULL, p_deduct numeric DEFAULT NULL)
RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	s minqing.staff := minqing.assessment_admin();
	rs minqing.assessment_rule_set;
	r minqing.assessment_rule;
	id bigint;
BEGIN
	SELECT * INTO rs FROM minqing.assessment_rule_set x WHERE x.district_id = s.district_id AND x.period = p_period;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'there are no assessment rules for period %', left(coalesce(p_period, 'NULL'), 20)
			USING ERRCODE = 'no_data_found';
	END IF;
	IF p_rule IS NOT NULL THEN
		SELECT * INTO r FROM minqing.assessment_rule x WHERE x.rule_id = p_rule AND x.rule_set_id = rs.rule_set_id
		   FOR UPDATE;
		IF NOT FOUND THEN
			RAISE EXCEPTION 'there is no item % in the assessment rules', p_rule USING ERRCODE = 'no_data_found';
		END IF;
		IF p_row_version IS NULL OR r.row_version <> p_row_version THEN
			RAISE EXCEPTION 'item % of the assessment rules was changed by someone else since you opened it', p_rule
				USING ERRCODE = 'serialization_failure';
		END IF;
	END IF;
	IF p_kind IS NULL OR p_kind NOT IN ('computed', 'manual') THEN
		RAISE EXCEPTION 'an item is computed or manual, not %', left(coalesce(p_kind, 'NULL'), 20)
			USING ERRCODE = 'invalid_parameter_value', COLUMN = 'kind';
	END IF;
	IF p_kind = 'computed' AND NOT EXISTS (SELECT 1 FROM minqing.assessment_metric m WHERE m.metric_code = p_metric_code) THEN
		RAISE EXCEPTION 'there is no metric %', left(coalesce(p_metric_code, 'NULL'), 40)
			USING ERRCODE = 'no_data_found', COLUMN = 'metric_code';
	END IF;
	PERFORM minqing.require_text(p_name_zh, 'name_zh');
	IF p_max_points IS NULL THEN
		RAISE EXCEPTION 'the % is required', 'max_points' USING ERRCODE = 'not_null_violation', COLUMN = 'max_points';
	END IF;
	IF p_rule IS NULL THEN
		INSERT INTO minqing.assessment_rule (rule_set_id, district_id, path, item_no, code, name_zh, name_en, kind,
		                                     metric_code, max_points, target, deduct)
		VALUES (rs.rule_set_id, rs.district_id, rs.path,
		        coalesce(p_item_no, (SELECT coalesce(max(x.item_no), 0) + 1 FROM minqing.assessment_rule x
		                              WHERE x.rule_set_id = rs.rule_set_id)),
		        coalesce(p_code, 'item' || (SELECT count(*) + 1 FROM minqing.assessment_rule x
		                                     WHERE x.rule_set_id = rs.rule_set_id)),
		        p_name_zh, coalesce(nullif(p_name_en, ''), p_name_zh), p_kind,
		        CASE WHEN p_kind = 'computed' THEN p_metric_code END, p_max_points, p_target, p_deduct)
		RETURNING minqing.assessment_rule.rule_id INTO id;
	ELSE
		UPDATE minqing.assessment_rule x
		   SET item_no = coalesce(p_item_no, x.item_no), code = coalesce(p_code, x.code), name_zh = p_name_zh,
		       name_en = coalesce(nullif(p_name_en, ''), p_name_zh), kind = p_kind,
		       metric_code = CASE WHEN p_kind = 'computed' THEN p_metric_code END, max_points = p_max_points,
		       target = p_target, deduct = p_deduct
		 WHERE x.rule_id = r.rule_id;
		id := r.rule_id;
	END IF;
	RETURN id;
END
$$;
COMMENT ON FUNCTION minqing.assessment_rule_save(text, bigint, integer, integer, text, text, text, text, text,
                                                 numeric, numeric, numeric) IS
	'Add (p_rule NULL) or change (at its row version) an item of the caller''s district''s rules for '
	'p_period: number, code, names, computed from a metric or manual, maximum points, target, deduction.';
REVOKE ALL ON FUNCTION minqing.assessment_rule_save(text, bigint, integer, integer, text, text, text, text, text,
                                                    numeric, numeric, numeric) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.assessment_rule_save(text, bigint, integer, integer, text, text, text, text, text,
                                                       numeric, numeric, numeric) TO mq_admin;

CREATE OR REPLACE FUNCTION minqing.assessment_rule_remove(p_rule bigint, p_row_version integer) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	s minqing.staff := minqing.assessment_admin();
	r minqing.assessment_rule;
BEGIN
	SELECT * INTO r FROM minqing.assessment_rule x WHERE x.rule_id = p_rule AND x.district_id = s.district_id
	   FOR UPDATE;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'there is no item % in the assessment rules', coalesce(p_rule::text, 'NULL') USING ERRCODE = 'no_data_found';
	END IF;
	IF p_row_version IS NULL OR r.row_version <> p_row_version THEN
		RAISE EXCEPTION 'item % of the assessment rules was changed by someone else since you opened it', p_rule
			USING ERRCODE = 'serialization_failure';
	END IF;
	DELETE FROM minqing.assessment_rule x WHERE x.rule_id = r.rule_id;
END
$$;
COMMENT ON FUNCTION minqing.assessment_rule_remove(bigint, integer) IS
	'Remove an item from the caller''s district''s rules (the snapshots computed keep their copy).';
REVOKE ALL ON FUNCTION minqing.assessment_rule_remove(bigint, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.assessment_rule_remove(bigint, integer) TO mq_admin;

------------------------------------------------------------------------------
-- Reads for the screens (invoker: row-level security decides)
------------------------------------------------------------------------------
-- The assessments of the caller's district, newest period first.
CREATE OR REPLACE FUNCTION minqing.assessments()
RETURNS TABLE (assessment_id bigint, period text, version smallint, status text, cutoff_at timestamptz,
               computed_at timestamptz, published_at timestamptz, compute_ms integer, towns bigint,
               supersedes_version smallint, row_version integer)
LANGUAGE sql STABLE SET search_path = minqing, ext, pg_temp AS $$
	SELECT a.assessment_id, a.period, a.version, a.status, a.cutoff_at, a.computed_at, a.published_at, a.compute_ms,
	       (SELECT count(*) FROM minqing.assessment_unit u WHERE u.assessment_id = a.assessment_id AND u.level = 'town'),
	       (SELECT p.version FROM minqing.assessment p WHERE p.assessment_id = a.supersedes), a.row_version
	  FROM minqing.assessment a
	 ORDER BY a.period DESC, a.version DESC
	 LIMIT 500
$$;
COMMENT ON FUNCTION minqing.assessments() IS
	'The assessments the caller can see (their district''s): period, version, status, cut-off, times, '
	'the towns they can see, the version superseded.';
REVOKE ALL ON FUNCTION minqing.assessments() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.assessments() TO mq_staff;

-- The towns (p_town NULL) or one town's villages of an assessment, ranked,
-- with the scores of items 1-12 as columns s1..s12.
CREATE OR REPLACE FUNCTION minqing.assessment_ranking(p_assessment bigint, p_town text DEFAULT NULL)
RETURNS TABLE (unit_id integer, unit_code text, unit_name text, rank integer, total numeric, status text,
               s1 text, s2 text, s3 text, s4 text, s5 text, s6 text, s7 text, s8 text, s9 text, s10 text,
               s11 text, s12 text, assessment_id bigint, row_version integer)
LANGUAGE sql STABLE SET search_path = minqing, ext, pg_temp AS $$
	SELECT u.unit_id, o.code, o.name, u.rank, u.total, a.status,
	       max(x.cell) FILTER (WHERE x.item_no = 1), max(x.cell) FILTER (WHERE x.item_no = 2),
	       max(x.cell) FILTER (WHERE x.item_no = 3), max(x.cell) FILTER (WHERE x.item_no = 4),
	       max(x.cell) FILTER (WHERE x.item_no = 5), max(x.cell) FILTER (WHERE x.item_no = 6),
	       max(x.cell) FILTER (WHERE x.item_no = 7), max(x.cell) FILTER (WHERE x.item_no = 8),
	       max(x.cell) FILTER (WHERE x.item_no = 9), max(x.cell) FILTER (WHERE x.item_no = 10),
	       max(x.cell) FILTER (WHERE x.item_no = 11), max(x.cell) FILTER (WHERE x.item_no = 12),
	       a.assessment_id, a.row_version
	  FROM minqing.assessment a
	  JOIN minqing.assessment_unit u ON u.assessment_id = a.assessment_id
	  JOIN minqing.org_unit o ON o.unit_id = u.unit_id
	  LEFT JOIN (SELECT s.unit_id, s.item_no,
	                    coalesce(trim_scale(round(s.score, 1))::text, '-') || CASE WHEN s.adjusted THEN '*' ELSE '' END AS cell
	               FROM minqing.assessment_score s WHERE s.assessment_id = p_assessment) x ON x.unit_id = u.unit_id
	 WHERE a.assessment_id = p_assessment
	   AND CASE WHEN p_town IS NULL THEN u.level = 'town'
	            ELSE u.level = 'village'
	                 AND u.town_unit_id = (SELECT t.unit_id FROM minqing.org_unit t WHERE t.code = p_town) END
	 GROUP BY u.unit_id, o.code, o.name, u.rank, u.total, a.status, a.assessment_id, a.row_version
	 ORDER BY u.rank, o.code
$$;
COMMENT ON FUNCTION minqing.assessment_ranking(bigint, text) IS
	'An assessment''s towns (p_town NULL) or the villages of town p_town, ranked, with the total and the '
	'scores of items 1-12 to a tenth (* adjusted by hand, - not scored yet), as far as the caller can see.';
REVOKE ALL ON FUNCTION minqing.assessment_ranking(bigint, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.assessment_ranking(bigint, text) TO mq_staff;

-- One unit's items: the value, basis, score and the explanation, and the
-- adjustments made.
CREATE OR REPLACE FUNCTION minqing.assessment_unit_items(p_assessment bigint, p_unit text)
RETURNS TABLE (item_no smallint, name text, name_en text, kind text, value_text text, score numeric,
               max_points numeric, adjusted boolean, explanation text, unit_code text, status text,
               assessment_id bigint, row_version integer)
LANGUAGE sql STABLE SET search_path = minqing, ext, pg_temp AS $$
	SELECT i.item_no, i.name_zh, i.name_en, i.kind,
	       CASE WHEN i.scoring = 'ratio' AND s.value IS NOT NULL THEN trim_scale(s.value) || '%'
	            ELSE trim_scale(s.value)::text END,
	       s.score, i.max_points, s.adjusted,
	       s.explanation || coalesce((SELECT string_agg(format(E'\n%s %s：%s → %s，%s',
	                                                           to_char(minqing.district_local_time(a.district_id, j.at),
	                                                                   'MM-DD HH24:MI'),
	                                                           coalesce(st.display_name, j.author::text),
	                                                           coalesce(trim_scale(j.old_score)::text, '-'),
	                                                           trim_scale(j.new_score), j.reason), '' ORDER BY j.at)
	                                    FROM minqing.assessment_adjustment j
	                                    LEFT JOIN minqing.staff st ON st.login = j.author
	                                   WHERE j.assessment_id = s.assessment_id AND j.item_no = s.item_no
	                                     AND j.unit_id = s.unit_id), ''),
	       o.code, a.status, a.assessment_id, a.row_version
	  FROM minqing.assessment a
	  JOIN minqing.assessment_item i ON i.assessment_id = a.assessment_id
	  JOIN minqing.org_unit o ON o.code = p_unit
	  JOIN minqing.assessment_score s ON s.assessment_id = a.assessment_id AND s.item_no = i.item_no
	                                 AND s.unit_id = o.unit_id
	 WHERE a.assessment_id = p_assessment
	 ORDER BY i.item_no
$$;
COMMENT ON FUNCTION minqing.assessment_unit_items(bigint, text) IS
	'One unit''s (code p_unit) items of an assessment: value, score, maximum, whether adjusted, the '
	'explanation and the adjustments (when, who, old → new, reason).';
REVOKE ALL ON FUNCTION minqing.assessment_unit_items(bigint, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.assessment_unit_items(bigint, text) TO mq_staff;

-- The records behind one unit's item: the metric's facts for the unit's
-- subtree over the assessment's period and cut-off, as the reader sees them
-- now, those that cost points first (at most 1000). points: for a ratio 1
-- counted for the unit, 0 against; for a deduction the points taken off.
-- case_id: the case a row opens, or a negative number (a row that is not a
-- case: the list keeps its selection by it, the console opens nothing).
-- Bitmap scans off: the policy's GiST indexes were ANDed in and read every
-- case of the district (docs/operations.md, "List screens at a million
-- cases"); the facts of cases walk the unit indexes (assessment_cases()).
CREATE OR REPLACE FUNCTION minqing.assessment_evidence(p_assessment bigint, p_item integer, p_unit text)
RETURNS TABLE (kind text, ref_id bigint, ref_no text, label text, at timestamptz, points numeric, case_id bigint)
LANGUAGE plpgsql STABLE SET search_path = minqing, ext, pg_temp SET enable_bitmapscan = off SET jit = off AS $$
#variable_conflict use_column
DECLARE
	a minqing.assessment;
	i minqing.assessment_item;
	m minqing.assessment_metric;
	u minqing.org_unit;
	to_at timestamptz;
BEGIN
	SELECT * INTO a FROM minqing.assessment x WHERE x.assessment_id = p_assessment;
	SELECT * INTO i FROM minqing.assessment_item x WHERE x.assessment_id = p_assessment AND x.item_no = p_item;
	SELECT * INTO u FROM minqing.org_unit x WHERE x.code = p_unit;
	IF a.assessment_id IS NULL OR i.item_no IS NULL OR u.unit_id IS NULL OR i.kind <> 'computed'
	   OR NOT EXISTS (SELECT 1 FROM minqing.assessment_unit x WHERE x.assessment_id = p_assessment
	                   AND x.unit_id = u.unit_id) THEN
		RETURN;
	END IF;
	SELECT * INTO m FROM minqing.assessment_metric x WHERE x.metric_code = i.metric_code;
	SELECT least(a.cutoff_at, minqing.assessment_day_start(a.district_id, r.ends_on)) INTO to_at
	  FROM minqing.assessment_rule_set r WHERE r.rule_set_id = a.rule_set_id;
	IF m.facts_function IS NOT NULL THEN
		RETURN QUERY EXECUTE format(
			'SELECT f.kind, f.ref_id, f.ref_no, f.label, f.at, '
			'CASE WHEN $5 = ''deduct'' THEN -$6 * f.num ELSE f.num END, '
			'CASE WHEN f.kind = ''case'' THEN f.ref_id ELSE -row_number() OVER () END '
			'FROM %s($1, $2, $3, $4) f ORDER BY CASE WHEN $5 = ''deduct'' THEN 0 ELSE f.num / nullif(f.den, 0) END, '
			'f.at, f.ref_id LIMIT 1000', m.facts_function)
		USING a.district_id, a.from_at, to_at, u.path, i.scoring, i.deduct;
	ELSE
		RETURN QUERY EXECUTE format(
			'SELECT e.kind, e.ref_id, e.ref_no, e.label, e.at, '
			'CASE WHEN $5 = ''deduct'' THEN -$6 * e.points ELSE e.points END, '
			'CASE WHEN e.kind = ''case'' THEN e.ref_id ELSE -row_number() OVER () END '
			'FROM %s($1, $2, $3, $4) e ORDER BY e.points, e.at, e.ref_id LIMIT 1000', m.evidence_function)
		USING a.district_id, a.from_at, to_at, u.unit_id, i.scoring, i.deduct;
	END IF;
END
$$;
COMMENT ON FUNCTION minqing.assessment_evidence(bigint, integer, text) IS
	'The records behind a unit''s (code p_unit) computed item p_item of an assessment, as the caller sees '
	'them: kind (case, household, archive, meeting, volunteer, staff, unit), id, number, label, time, and '
	'the points (ratio: 1 counted for, 0 against; deduction: the points off); at most 1000, against first.';
REVOKE ALL ON FUNCTION minqing.assessment_evidence(bigint, integer, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.assessment_evidence(bigint, integer, text) TO mq_staff;

-- The rules of the caller's district for a period (or every period).
CREATE OR REPLACE FUNCTION minqing.assessment_rules(p_period text DEFAULT NULL)
RETURNS TABLE (rule_id bigint, period text, item_no smallint, code text, name_zh text, name_en text, kind text,
               metric_code text, metric_name text, max_points numeric, target numeric, deduct numeric,
               row_version integer)
LANGUAGE sql STABLE SET search_path = minqing, ext, pg_temp AS $$
	SELECT r.rule_id, rs.period, r.item_no, r.code, r.name_zh, r.name_en, r.kind, r.metric_code, m.name_zh,
	       trim_scale(r.max_points), trim_scale(coalesce(r.target, m.default_target)),
	       trim_scale(coalesce(r.deduct, m.default_deduct)), r.row_version
	  FROM minqing.assessment_rule r
	  JOIN minqing.assessment_rule_set rs ON rs.rule_set_id = r.rule_set_id
	  LEFT JOIN minqing.assessment_metric m ON m.metric_code = r.metric_code
	 WHERE p_period IS NULL OR rs.period = p_period
	 ORDER BY rs.period DESC, r.item_no
$$;
COMMENT ON FUNCTION minqing.assessment_rules(text) IS
	'The items of the caller''s district''s assessment rules for p_period (NULL: every period).';
REVOKE ALL ON FUNCTION minqing.assessment_rules(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.assessment_rules(text) TO mq_staff;

-- The export for the party-building assessment (党建考核): one CSV line per
-- unit and item (and the header first), as the caller sees them:
--   psql -Atc "SELECT line FROM minqing.assessment_export(ID)" > file.csv
CREATE OR REPLACE FUNCTION minqing.assessment_export(p_assessment bigint)
RETURNS TABLE (line text)
LANGUAGE sql STABLE SET search_path = minqing, ext, pg_temp AS $$
	SELECT l.line FROM (
		SELECT 0 AS o1, ''::text AS o2, 0 AS o3,
		       '期间,版本,状态,数据截至,层级,镇街,单位代码,单位,名次,总分,序号,考核项目,满分,指标值,依据,得分,人工调整,说明' AS line
		UNION ALL
		SELECT 1, o.path::text, i.item_no,
		       concat_ws(',', a.period, a.version, CASE a.status WHEN 'published' THEN '已发布' ELSE '草稿' END,
		                 to_char(minqing.district_local_time(a.district_id, a.cutoff_at), 'YYYY-MM-DD HH24:MI'),
		                 CASE u.level WHEN 'town' THEN '镇街' ELSE '村社区' END, t.name, o.code, o.name, u.rank,
		                 trim_scale(u.total), i.item_no, i.name_zh, trim_scale(i.max_points),
		                 trim_scale(s.value), s.basis, trim_scale(s.score),
		                 CASE WHEN s.adjusted THEN '是' ELSE '否' END,
		                 '"' || replace(replace(s.explanation, '"', '""'), E'\n', ' ') || '"')
		  FROM minqing.assessment a
		  JOIN minqing.assessment_unit u ON u.assessment_id = a.assessment_id
		  JOIN minqing.org_unit o ON o.unit_id = u.unit_id
		  JOIN minqing.org_unit t ON t.unit_id = u.town_unit_id
		  JOIN minqing.assessment_item i ON i.assessment_id = a.assessment_id
		  JOIN minqing.assessment_score s ON s.assessment_id = a.assessment_id AND s.item_no = i.item_no
		                                 AND s.unit_id = u.unit_id
		 WHERE a.assessment_id = p_assessment
	) l ORDER BY l.o1, l.o2, l.o3
$$;
COMMENT ON FUNCTION minqing.assessment_export(bigint) IS
	'An assessment as CSV lines (header first; one line per unit and item: period, version, status, '
	'cut-off, level, town, unit, rank, total, item, maximum, value, basis, score, adjusted, explanation) '
	'for the party-building assessment, as far as the caller can see.';
REVOKE ALL ON FUNCTION minqing.assessment_export(bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.assessment_export(bigint) TO mq_staff;

RESET ROLE;
