-- 提示催办 (urging, docs/reports.md): the list of the open cases that were
-- reminded or urged or fall due soon, urging one case or a batch of them,
-- what a handler's console asks when notified, and the district centre's
-- daily overdue report run by minqing-escalate.
--
-- case_urge() (schema/functions/40_cases.sql) and case_urge_many() share
-- one body: case_urge_one() urges a case (checked, locked, logged) and
-- case_urge_notify() texts the handlers of the cases urged, once per case
-- and district day, one digest per handler when several of theirs are
-- urged at once.

SET LOCAL ROLE mq_owner;
SET LOCAL search_path = minqing, ext, pg_temp;

------------------------------------------------------------------------------
-- Urging: one case, or a batch
------------------------------------------------------------------------------
-- One case urged by staff s: locked and checked by case_for() (an open case
-- the caller can see: another jurisdiction's is "not found"), an urge
-- event on its timeline (which notifies minqing_case). The event's id.
CREATE OR REPLACE FUNCTION minqing.case_urge_one(s minqing.staff, p_case bigint, p_note text) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	c minqing.cases;
BEGIN
	c := minqing.case_for(s, p_case, '{accepted,dispatched,in_progress,waiting}', 'urged', 'any');
	RETURN minqing.case_log(c, 'urge', c.status, p_note);
END
$$;
COMMENT ON FUNCTION minqing.case_urge_one(minqing.staff, bigint, text) IS
	'The body of case_urge() and case_urge_many(): an open case the caller can see, locked, an urge on its '
	'timeline; the event id. Internal (executable by no login).';
REVOKE ALL ON FUNCTION minqing.case_urge_one(minqing.staff, bigint, text) FROM PUBLIC;

-- The SMS of the urge events p_events (just logged by case_urge_one()):
-- each case whose handler has a phone and that was not urged before on the
-- district's day (once per case and day, however often it is urged); one
-- message per handler: the reminder of the case (key case:C:urge:DAY, as
-- ever), or a digest of several (key urge:H:DAY:<first case>, unique since
-- a case in it was not urged before that day). The messages queued.
CREATE OR REPLACE FUNCTION minqing.case_urge_notify(p_events bigint[]) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	r record;
	n integer := 0;
BEGIN
	FOR r IN
		WITH ev AS (
			SELECT e.event_id, c.case_id, c.case_no, c.title, c.due_at, c.district_id,
			       coalesce(c.assigned_path, c.origin_path) AS path, c.handler_staff_id,
			       minqing.district_local_time(c.district_id, now())::date AS today,
			       (minqing.calendar_setting(c.district_id)).time_zone AS tz
			  FROM minqing.case_event e
			  JOIN minqing.cases c ON c.case_id = e.case_id
			 WHERE e.event_id = ANY (p_events) AND e.kind = 'urge'
		), fresh AS (
			SELECT ev.* FROM ev
			 WHERE NOT EXISTS (SELECT 1 FROM minqing.case_event p
			                    WHERE p.case_id = ev.case_id AND p.kind = 'urge'
			                      AND p.at >= (ev.today::timestamp AT TIME ZONE ev.tz)
			                      AND NOT p.event_id = ANY (p_events))
		)
		SELECT h.staff_id, h.phone, h.display_name, h.path AS handler_path,
		       min(f.district_id) AS district_id, f.today,
		       count(*)::integer AS cases,
		       (array_agg(f.case_id ORDER BY f.due_at, f.case_id))[1] AS first_case,
		       (array_agg(f.event_id ORDER BY f.due_at, f.case_id))[1] AS first_event,
		       (array_agg(f.case_no ORDER BY f.due_at, f.case_id))[1] AS first_no,
		       (array_agg(f.title ORDER BY f.due_at, f.case_id))[1] AS first_title,
		       (array_agg(f.path ORDER BY f.due_at, f.case_id))[1] AS first_path,
		       min(f.due_at) AS due_at,
		       array_to_string((array_agg(f.case_no ORDER BY f.due_at, f.case_id))[1:3], '、')
		         || CASE WHEN count(*) > 3 THEN '等' ELSE '' END AS case_list,
		       min(f.case_id) AS min_case
		  FROM fresh f
		  JOIN minqing.staff h ON h.staff_id = f.handler_staff_id
		 WHERE h.phone IS NOT NULL
		 GROUP BY h.staff_id, h.phone, h.display_name, h.path, f.today
		 ORDER BY h.staff_id
	LOOP
		IF r.cases = 1 THEN
			PERFORM minqing.outbox_enqueue(r.district_id, r.first_path, r.phone, r.display_name,
				minqing.render_template('case_reminder', jsonb_build_object(
					'case_no', r.first_no, 'title', r.first_title, 'deadline',
					to_char(minqing.district_local_time(r.district_id, r.due_at), 'MM-DD HH24:MI'),
					'handler', r.display_name), r.district_id),
				format('case:%s:urge:%s', r.first_case, to_char(r.today, 'YYYYMMDD')),
				r.first_case, r.first_event);
		ELSE
			PERFORM minqing.outbox_enqueue(r.district_id, r.handler_path, r.phone, r.display_name,
				minqing.render_template('case_urge_digest', jsonb_build_object(
					'handler', r.display_name, 'count', r.cases, 'cases', r.case_list, 'deadline',
					to_char(minqing.district_local_time(r.district_id, r.due_at), 'MM-DD HH24:MI')),
					r.district_id),
				format('urge:%s:%s:%s', r.staff_id, to_char(r.today, 'YYYYMMDD'), r.min_case),
				NULL, r.first_event);
		END IF;
		n := n + 1;
	END LOOP;
	RETURN n;
END
$$;
COMMENT ON FUNCTION minqing.case_urge_notify(bigint[]) IS
	'The SMS of urge events just logged: once per case and district day, one message per handler (a digest '
	'when several of theirs were urged together), through outbox_enqueue. Internal (executable by no login).';
REVOKE ALL ON FUNCTION minqing.case_urge_notify(bigint[]) FROM PUBLIC;

-- A batch (the marked rows of 提示催办): each case the caller may urge is
-- urged with the note (case_urge_one); one it may not (not open, not seen)
-- is skipped and counted, never an error that undoes the others.
CREATE OR REPLACE FUNCTION minqing.case_urge_many(p_cases bigint[], p_note text)
RETURNS TABLE (urged integer, skipped integer)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	s minqing.staff;
	evs bigint[] := '{}';
	id bigint;
	n_skipped integer := 0;
BEGIN
	s := minqing.case_caller('{handler,admin,supervisor,officer}');
	IF p_cases IS NULL OR cardinality(p_cases) = 0 THEN
		RAISE EXCEPTION 'no case was chosen to urge' USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF cardinality(p_cases) > 500 THEN
		RAISE EXCEPTION 'at most 500 cases can be urged at once, not %', cardinality(p_cases)
			USING ERRCODE = 'program_limit_exceeded';
	END IF;
	-- In case order, so that two batches lock their common cases in the same order.
	FOR id IN SELECT DISTINCT x FROM unnest(p_cases) AS x WHERE x IS NOT NULL ORDER BY x LOOP
		BEGIN
			evs := evs || minqing.case_urge_one(s, id, p_note);
		EXCEPTION WHEN no_data_found OR invalid_transaction_state OR insufficient_privilege THEN
			n_skipped := n_skipped + 1;
		END;
	END LOOP;
	PERFORM minqing.case_urge_notify(evs);
	RETURN QUERY SELECT cardinality(evs), n_skipped;
END
$$;
COMMENT ON FUNCTION minqing.case_urge_many(bigint[], text) IS
	'催办 a batch: every open case of p_cases (at most 500) the caller can see is urged with the note, the '
	'others skipped; the handlers texted once per case and day, one digest each. How many urged, skipped.';
REVOKE ALL ON FUNCTION minqing.case_urge_many(bigint[], text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.case_urge_many(bigint[], text) TO mq_officer, mq_handler, mq_admin, mq_supervisor;

------------------------------------------------------------------------------
-- The list (提示催办) and a handler's news
------------------------------------------------------------------------------
-- The open cases the caller can see (row-level security: my_scope()) that
-- were reminded by the escalation pass or urged, or fall due within
-- p_within working days (the district's calendar: add_working_days from
-- now), soonest deadline first (overdue ones first), a page at a time by
-- keyset (due, id): a town or the district walks the partial index
-- cases_open_due, a unit with no unit below it its own open cases
-- (cases_origin_open, cases_assigned_open: see warnings()), each case's
-- urges counted from case_event_urge_case.
CREATE OR REPLACE FUNCTION minqing.urging_list(p_within integer DEFAULT 3, p_after_due timestamptz DEFAULT NULL,
                                               p_after_id bigint DEFAULT NULL, p_limit integer DEFAULT 50)
RETURNS TABLE (case_id bigint, case_no text, status minqing.case_status, warning_level minqing.warning_level,
               due_at timestamptz, title text, unit_name text, handler_name text, urges integer,
               last_urged_at timestamptz, reminded_at timestamptz, row_version integer)
LANGUAGE plpgsql STABLE SET search_path = minqing, ext, pg_temp SET enable_bitmapscan = off SET jit = off AS $$
DECLARE
	leaf integer := minqing.my_leaf_unit();
	cond text := ' c.status IN (''accepted'', ''dispatched'', ''in_progress'', ''waiting'')'
	             ' AND (c.reminded_at IS NOT NULL OR c.due_at <= $5'
	             '      OR EXISTS (SELECT 1 FROM minqing.case_event e WHERE e.case_id = c.case_id AND e.kind = ''urge''))'
	             || CASE WHEN p_after_id IS NOT NULL THEN ' AND (c.due_at, c.case_id) > ($1, $2)' ELSE '' END;
	cols text := 'c.case_id, c.case_no, c.status, c.warning_level, c.due_at, c.title, c.handler_staff_id, '
	             'c.origin_unit_id, c.assigned_unit_id, c.reminded_at, c.row_version';
	page text := ' ORDER BY c.due_at, c.case_id LIMIT $3';
BEGIN
	RETURN QUERY EXECUTE
		'SELECT c.case_id, c.case_no, c.status, c.warning_level, c.due_at, c.title, u.name, h.display_name,'
		'       coalesce(n.urges, 0)::integer, n.last_at, c.reminded_at, c.row_version'
		'  FROM ' || minqing.case_page_from(cols, cond, page, CASE WHEN leaf IS NOT NULL THEN '$4' END) ||
		'  JOIN minqing.org_unit u ON u.unit_id = coalesce(c.assigned_unit_id, c.origin_unit_id)'
		'  LEFT JOIN minqing.staff h ON h.staff_id = c.handler_staff_id'
		'  LEFT JOIN LATERAL (SELECT count(*) AS urges, max(e.at) AS last_at FROM minqing.case_event e'
		'                      WHERE e.case_id = c.case_id AND e.kind = ''urge'') n ON true' || page
		USING p_after_due, p_after_id, least(greatest(coalesce(p_limit, 50), 1), 500), leaf,
		      minqing.add_working_days(minqing.my_district(), now(), least(greatest(coalesce(p_within, 3), 0), 20));
END
$$;
COMMENT ON FUNCTION minqing.urging_list(integer, timestamptz, bigint, integer) IS
	'提示催办: the open cases the caller can see that were reminded or urged, or fall due within p_within '
	'working days (0-20, default 3), with handler, times urged and the last urge; soonest deadline first, '
	'a page at a time by keyset (due, id).';
REVOKE ALL ON FUNCTION minqing.urging_list(integer, timestamptz, bigint, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.urging_list(integer, timestamptz, bigint, integer) TO mq_staff;

-- What a console asks when notified (a notification is only a hint: any
-- login may send one): the urges of the last day on the cases the caller
-- handles, after event p_after_event; last_event is what to pass next time
-- (NULL: just the starting point, nothing counted), the newest urge's case.
-- An urge committed after a later one (ids are taken before commit) can be
-- stepped over: the list and the case show it all the same. PL/pgSQL, whose
-- plan is kept for the session (an SQL function is planned with the
-- console's statement every time, and the console asks every few seconds).
CREATE OR REPLACE FUNCTION minqing.my_urges(p_after_event bigint DEFAULT NULL)
RETURNS TABLE (last_event bigint, urges integer, case_id bigint, case_no text, title text)
LANGUAGE plpgsql STABLE SET search_path = minqing, ext, pg_temp AS $$
#variable_conflict use_column
BEGIN
	RETURN QUERY
	WITH mine AS (
		SELECT e.event_id, c.case_id, c.case_no, c.title
		  FROM minqing.case_event e
		  JOIN minqing.cases c ON c.case_id = e.case_id
		 WHERE e.kind = 'urge' AND e.at > now() - interval '1 day'
		   AND c.handler_staff_id = (SELECT s.staff_id FROM minqing.staff s WHERE s.login = session_user)
	), fresh AS (
		SELECT * FROM mine WHERE p_after_event IS NOT NULL AND mine.event_id > p_after_event
	)
	SELECT greatest((SELECT max(mine.event_id) FROM mine), p_after_event, 0),
	       (SELECT count(*) FROM fresh)::integer, f.case_id, f.case_no, f.title
	  FROM (SELECT 1) AS one
	  LEFT JOIN (SELECT * FROM fresh ORDER BY fresh.event_id DESC LIMIT 1) f ON true;
END
$$;
COMMENT ON FUNCTION minqing.my_urges(bigint) IS
	'The urges of the last day on the cases the caller handles, after event p_after_event (NULL: none, just '
	'the starting point): how many, the newest one''s case, and the event id to pass next time.';
REVOKE ALL ON FUNCTION minqing.my_urges(bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.my_urges(bigint) TO mq_staff;

------------------------------------------------------------------------------
-- The district centre's overdue report
------------------------------------------------------------------------------
-- The time of day (district time, hh:mm) the report goes out, by an
-- administrator of the district (its root unit): p_unit_code names the
-- district, by default the caller's own.
CREATE OR REPLACE FUNCTION minqing.overdue_report_time_set(p_time text, p_unit_code text DEFAULT NULL)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	s minqing.staff;
	d smallint;
	t time;
BEGIN
	s := minqing.case_caller('{admin}');
	d := minqing.district_of_code(p_unit_code, s.district_id);
	IF NOT EXISTS (SELECT 1 FROM minqing.org_unit u
	                WHERE u.district_id = d AND u.kind = 'district' AND u.unit_id = s.unit_id) THEN
		RAISE EXCEPTION 'only an administrator of district % may set the time of its overdue report', d
			USING ERRCODE = 'insufficient_privilege';
	END IF;
	IF p_time IS NULL OR p_time !~ '^([01]?[0-9]|2[0-3]):[0-5][0-9]$' THEN
		RAISE EXCEPTION 'the time of the overdue report is hh:mm (00:00 to 23:59), not "%"',
			left(coalesce(p_time, ''), 20) USING ERRCODE = 'invalid_parameter_value', COLUMN = 'time';
	END IF;
	t := p_time::time;
	UPDATE minqing.work_calendar_setting w SET overdue_report_at = t WHERE w.district_id = d;
	IF NOT FOUND THEN
		INSERT INTO minqing.work_calendar_setting (district_id, overdue_report_at) VALUES (d, t);
	END IF;
END
$$;
COMMENT ON FUNCTION minqing.overdue_report_time_set(text, text) IS
	'Set when (hh:mm, district time) the district centre''s daily overdue report goes out; an administrator '
	'of the district (form overdue_report_time on 提示催办). Audited.';
REVOKE ALL ON FUNCTION minqing.overdue_report_time_set(text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.overdue_report_time_set(text, text) TO mq_admin;

-- Run by minqing-escalate after each pass: in each district whose clock
-- (its time zone, whatever the server's) has passed the report's time
-- today, the overdue open cases counted by warning level and the three
-- units with most of them, one SMS (template district_overdue_report) to
-- each active handler and supervisor of the district centre (the root
-- unit) with a phone. Once per district day: the dedupe key holds the
-- district's date. The messages queued.
CREATE OR REPLACE FUNCTION minqing.overdue_report_pass(p_now timestamptz DEFAULT now()) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = minqing, ext, pg_temp SET jit = off AS $$
DECLARE
	n integer;
BEGIN
	WITH d AS (
		SELECT u.district_id, u.path, u.unit_id,
		       minqing.district_local_time(u.district_id, p_now) AS local,
		       coalesce((SELECT w.overdue_report_at FROM minqing.work_calendar_setting w
		                  WHERE w.district_id = u.district_id), '08:30'::time) AS report_at
		  FROM minqing.org_unit u
		 WHERE u.kind = 'district' AND ext.nlevel(u.path) = 1
	), due AS (
		SELECT d.* FROM d
		 WHERE d.local::time >= d.report_at
		   AND EXISTS (SELECT 1 FROM minqing.staff s
		                WHERE s.unit_id = d.unit_id AND s.active AND s.duty IN ('handler', 'supervisor')
		                  AND s.phone IS NOT NULL
		                  AND NOT EXISTS (SELECT 1 FROM minqing.outbox o
		                                   WHERE o.dedupe_key = format('district:%s:overdue_report:%s:%s',
		                                         d.district_id, to_char(d.local, 'YYYYMMDD'), s.staff_id)))
	), open_cases AS (
		SELECT c.district_id, c.warning_level, coalesce(c.assigned_unit_id, c.origin_unit_id) AS unit_id,
		       c.due_at < p_now AS overdue
		  FROM minqing.cases c JOIN due ON due.district_id = c.district_id
		 WHERE c.status IN ('accepted', 'dispatched', 'in_progress', 'waiting')
	), fig AS (
		SELECT due.district_id, due.path, due.unit_id, due.local,
		       count(o.district_id) AS open,
		       count(*) FILTER (WHERE o.overdue) AS overdue,
		       count(*) FILTER (WHERE o.overdue AND o.warning_level = 'yellow') AS yellow,
		       count(*) FILTER (WHERE o.overdue AND o.warning_level = 'orange') AS orange,
		       count(*) FILTER (WHERE o.overdue AND o.warning_level = 'red') AS red,
		       coalesce((SELECT string_agg(format('%s%s件', t.name, t.n), '、' ORDER BY t.n DESC, t.name)
		                   FROM (SELECT u.name, count(*) AS n FROM open_cases x
		                           JOIN minqing.org_unit u ON u.unit_id = x.unit_id
		                          WHERE x.district_id = due.district_id AND x.overdue
		                          GROUP BY u.name ORDER BY count(*) DESC, u.name LIMIT 3) t), '无') AS units
		  FROM due LEFT JOIN open_cases o ON o.district_id = due.district_id
		 GROUP BY due.district_id, due.path, due.unit_id, due.local
	), sent AS (
		INSERT INTO minqing.outbox (district_id, path, recipient_phone, recipient_name, body, dedupe_key)
		SELECT f.district_id, f.path, s.phone, s.display_name,
		       minqing.render_template('district_overdue_report', jsonb_build_object(
		           'date', to_char(f.local, 'FMMM月FMDD日HH24:MI'), 'open', f.open, 'overdue', f.overdue,
		           'yellow', f.yellow, 'orange', f.orange, 'red', f.red, 'units', f.units), f.district_id),
		       format('district:%s:overdue_report:%s:%s', f.district_id, to_char(f.local, 'YYYYMMDD'), s.staff_id)
		  FROM fig f
		  JOIN minqing.staff s ON s.unit_id = f.unit_id
		 WHERE s.active AND s.duty IN ('handler', 'supervisor') AND s.phone IS NOT NULL
		ON CONFLICT (dedupe_key) DO NOTHING
		RETURNING 1
	)
	SELECT count(*) INTO n FROM sent;
	RETURN n;
END
$$;
COMMENT ON FUNCTION minqing.overdue_report_pass(timestamptz) IS
	'The district centre''s daily overdue report at p_now: in each district whose clock has passed its '
	'overdue_report_at, one SMS (district_overdue_report: open and overdue cases by level, the units with '
	'most) to each active handler and supervisor of the district root with a phone, once per district day. '
	'Returns how many were queued. Run by minqing-escalate.';
REVOKE ALL ON FUNCTION minqing.overdue_report_pass(timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.overdue_report_pass(timestamptz) TO mq_escalator;

RESET ROLE;
