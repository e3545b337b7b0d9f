-- The report figures (统计报表) of the assessment module: cases recorded,
-- resolved, on time, overdue, warned, answered and reopened, by unit and by
-- centre, category, channel and handling level, for any period, with the
-- period before, the same period last year and a twelve-month trend; the
-- outreach figures by unit; the cases behind a figure. docs/reports.md has
-- the definitions.
--
-- The case figures come from the summaries of 020_report_figures.sql
-- (report_case_day, report_case_hours), kept by the statement triggers
-- below (owned by mq_summariser, which reads past RLS: a case's figures go
-- to units above the caller's sight). The report functions are invoker
-- functions: row-level security on the summaries (by path) and my_scope()
-- decide what a caller sees, as for every list.

SET LOCAL ROLE mq_owner;
SET LOCAL search_path = minqing, ext, pg_temp;

------------------------------------------------------------------------------
-- What a case contributes (used by the triggers and report_rebuild)
------------------------------------------------------------------------------
-- The units a case counts for: every unit on the path where it was received
-- and on the path of the unit it is assigned to, once each (as
-- report_summary counts a case for a jurisdiction: received or handled in it).
-- Looked up by the paths' prefixes (org_unit_path_key), not by testing every
-- unit's path: a report reads the log of the last minute's changes through
-- this, a row at a time (0.02 ms a row instead of 0.06 at 256 units).
-- (No SET clause, so that it is inlined into the callers.)
CREATE OR REPLACE FUNCTION minqing.report_case_units(p_origin ext.ltree, p_assigned ext.ltree)
RETURNS TABLE (unit_id integer, path ext.ltree)
LANGUAGE sql STABLE AS $$
	SELECT u.unit_id, u.path FROM minqing.org_unit u
	 WHERE u.path = ANY (ARRAY(SELECT ext.subpath(p_origin, 0, i) FROM generate_series(1, ext.nlevel(p_origin)) i
	                           UNION
	                           SELECT ext.subpath(p_assigned, 0, i)
	                             FROM generate_series(1, ext.nlevel(p_assigned)) i))
$$;
COMMENT ON FUNCTION minqing.report_case_units(ext.ltree, ext.ltree) IS
	'The units a case counts for in the reports: the ancestors (and self) of the unit where it was received '
	'and of the unit handling it, once each.';
REVOKE ALL ON FUNCTION minqing.report_case_units(ext.ltree, ext.ltree) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.report_case_units(ext.ltree, ext.ltree) TO mq_summariser, mq_staff;

-- The summary rows of one row of the report log (report_case_log,
-- 028_report_log.sql), signed. A case (event NULL): for each of its units
-- and each dimension, the day it was recorded (district calendar) and its
-- counters. Resolved: resolved, reported back or closed (as
-- report_summary); on time: resolved by the deadline (no deadline: on
-- time); hours: working hours (the district's calendar) from recording to
-- resolution, unsigned (sign says whether the case comes or goes). An
-- event: a warning raised by the escalation rules (yellow, orange, red), an
-- answer at close (satisfied, basically satisfied) or a reopening (not
-- satisfied: the case is handled again), on the day of the event, for the
-- units of the case at that time. The inner query is a fence (OFFSET 0):
-- the calendar is read once per row, not once per part.
CREATE OR REPLACE FUNCTION minqing.report_log_parts(l minqing.report_case_log)
RETURNS TABLE (unit_id integer, path ext.ltree, day date, dim text, key text, sign integer, recorded integer,
               withdrawn integer, resolved integer, on_time integer, hours numeric, yellow integer,
               orange integer, red integer, satisfied integer, basic integer, unsatisfied integer,
               reopened integer)
LANGUAGE sql STABLE AS $$
	SELECT u.unit_id, u.path, f.day, d.dim, d.key, l.sign, l.sign * f.recorded, l.sign * f.withdrawn,
	       l.sign * f.resolved, l.sign * f.on_time, f.hours,
	       -- (a case's row has no event: coalesce, or NULL would be its counters)
	       l.sign * coalesce(l.event = 'warning' AND l.answer = 'yellow', false)::integer,
	       l.sign * coalesce(l.event = 'warning' AND l.answer = 'orange', false)::integer,
	       l.sign * coalesce(l.event = 'warning' AND l.answer = 'red', false)::integer,
	       l.sign * coalesce(l.event = 'close' AND l.answer = 'satisfied', false)::integer,
	       l.sign * coalesce(l.event = 'close' AND l.answer = 'basically_satisfied', false)::integer,
	       l.sign * coalesce(l.event = 'reopen' OR (l.event = 'close' AND l.answer = 'not_satisfied'),
	                         false)::integer,
	       l.sign * coalesce(l.event = 'reopen', false)::integer
	  FROM (SELECT (l.at AT TIME ZONE s.time_zone)::date AS day,
	               (l.event IS NULL)::integer AS recorded,
	               (l.event IS NULL AND l.status = 'withdrawn')::integer AS withdrawn,
	               (l.event IS NULL AND l.status IN ('resolved', 'reported', 'closed'))::integer AS resolved,
	               (l.event IS NULL AND l.status IN ('resolved', 'reported', 'closed')
	                AND l.resolved_at <= coalesce(l.due_at, l.resolved_at))::integer AS on_time,
	               CASE WHEN l.event IS NULL AND l.status IN ('resolved', 'reported', 'closed')
	                         AND l.resolved_at IS NOT NULL
	                    THEN minqing.working_seconds_between(l.district_id, l.created_at, l.resolved_at) / 3600
	               END AS hours,
	               (SELECT g.centre FROM minqing.case_category g WHERE g.category_id = l.category_id) AS centre,
	               (SELECT o.level FROM minqing.org_unit o
	                 WHERE o.unit_id = coalesce(l.assigned_unit_id, l.origin_unit_id)) AS level
	          FROM minqing.calendar_setting(l.district_id) s OFFSET 0) f
	 CROSS JOIN minqing.report_case_units(l.origin_path, l.assigned_path) u
	 CROSS JOIN LATERAL (VALUES ('unit', ''), ('centre', f.centre::text), ('category', l.category_id::text),
	                            ('channel', l.channel::text), ('level', f.level::text)) d (dim, key)
$$;
COMMENT ON FUNCTION minqing.report_log_parts(minqing.report_case_log) IS
	'The signed rows a row of the report log adds to report_case_day (and, a resolved case, to '
	'report_case_hours): per unit it counts for and per dimension, the day and the counters of a case '
	'(recorded, withdrawn, resolved, on time, working hours to resolution) or of an event (warnings, answers '
	'at close, reopenings).';
REVOKE ALL ON FUNCTION minqing.report_log_parts(minqing.report_case_log) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.report_log_parts(minqing.report_case_log) TO mq_summariser;

-- The mark an event leaves for the drill-down lists (report_case_mark):
-- 'red' for a red warning, 'reopen' for a reopening, NULL for the rest.
-- (No SET clause, so that it is inlined into the callers.)
CREATE OR REPLACE FUNCTION minqing.report_mark_kind(e minqing.case_event)
RETURNS text
LANGUAGE sql IMMUTABLE AS $$
	SELECT CASE WHEN e.kind = 'reopen' THEN 'reopen'
	            WHEN e.kind = 'warning' AND e.data ->> 'step' = 'red' THEN 'red' END
$$;
COMMENT ON FUNCTION minqing.report_mark_kind(minqing.case_event) IS
	'The mark (report_case_mark) an event of a case leaves: red (a red warning), reopen, or NULL.';
REVOKE ALL ON FUNCTION minqing.report_mark_kind(minqing.case_event) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.report_mark_kind(minqing.case_event) TO mq_summariser;

------------------------------------------------------------------------------
-- Keeping the summaries: a log the triggers append to, folded in by the job
------------------------------------------------------------------------------
RESET ROLE;
-- Move the report log into the summaries: take every committed row (and
-- this transaction's own), expand them, and add the sums to report_case_day
-- and report_case_hours in key order, so that two folds never wait for
-- each other's rows in opposite orders (a second fold at the same time
-- finds the rows gone: DELETE skips what another transaction deleted).
-- Sums of nothing (a case moved and moved back) write nothing. Returns the
-- log rows folded. Run by the escalation job after every pass (mq_system)
-- and by the triggers after a statement of more than a thousand rows (as
-- their owner, mq_summariser).
CREATE OR REPLACE FUNCTION minqing.report_fold() RETURNS bigint
LANGUAGE sql SECURITY DEFINER SET search_path = minqing, ext, pg_temp AS $$
	-- (One statement: the rows taken are expanded and summed as they are
	-- deleted, with nothing kept in between under a name a caller could shadow.)
	WITH l AS (
		DELETE FROM minqing.report_case_log RETURNING *
	), p AS MATERIALIZED (
		SELECT x.* FROM l CROSS JOIN LATERAL minqing.report_log_parts(ROW(l.*)::minqing.report_case_log) x
	), d AS (
		INSERT INTO minqing.report_case_day AS t (unit_id, path, day, dim, key, recorded, withdrawn, resolved,
		                                          on_time, hours_sum, yellow, orange, red, satisfied, basic,
		                                          unsatisfied, reopened)
		SELECT p.unit_id, p.path, p.day, p.dim, p.key, sum(p.recorded), sum(p.withdrawn), sum(p.resolved),
		       sum(p.on_time), coalesce(sum(p.sign * p.hours), 0), sum(p.yellow), sum(p.orange), sum(p.red),
		       sum(p.satisfied), sum(p.basic), sum(p.unsatisfied), sum(p.reopened)
		  FROM p GROUP BY p.unit_id, p.path, p.day, p.dim, p.key
		HAVING sum(p.recorded) <> 0 OR sum(p.withdrawn) <> 0 OR sum(p.resolved) <> 0 OR sum(p.on_time) <> 0
		    OR coalesce(sum(p.sign * p.hours), 0) <> 0 OR sum(p.yellow) <> 0 OR sum(p.orange) <> 0
		    OR sum(p.red) <> 0 OR sum(p.satisfied) <> 0 OR sum(p.basic) <> 0 OR sum(p.unsatisfied) <> 0
		    OR sum(p.reopened) <> 0
		 ORDER BY p.unit_id, p.dim, p.day, p.key
		ON CONFLICT (unit_id, dim, day, key) DO UPDATE
		   SET recorded = t.recorded + excluded.recorded, withdrawn = t.withdrawn + excluded.withdrawn,
		       resolved = t.resolved + excluded.resolved, on_time = t.on_time + excluded.on_time,
		       hours_sum = t.hours_sum + excluded.hours_sum, yellow = t.yellow + excluded.yellow,
		       orange = t.orange + excluded.orange, red = t.red + excluded.red,
		       satisfied = t.satisfied + excluded.satisfied, basic = t.basic + excluded.basic,
		       unsatisfied = t.unsatisfied + excluded.unsatisfied, reopened = t.reopened + excluded.reopened
	), mo AS (
		-- the same sums per month (036_report_case_month.sql): a month's row is
		-- the sum of its days' (a change that nets to nothing in the month
		-- leaves it as it is)
		INSERT INTO minqing.report_case_month AS t (unit_id, path, month, dim, key, recorded, withdrawn, resolved,
		                                            on_time, hours_sum, yellow, orange, red, satisfied, basic,
		                                            unsatisfied, reopened)
		SELECT p.unit_id, p.path, date_trunc('month', p.day)::date, p.dim, p.key, sum(p.recorded),
		       sum(p.withdrawn), sum(p.resolved), sum(p.on_time), coalesce(sum(p.sign * p.hours), 0),
		       sum(p.yellow), sum(p.orange), sum(p.red), sum(p.satisfied), sum(p.basic), sum(p.unsatisfied),
		       sum(p.reopened)
		  FROM p GROUP BY p.unit_id, p.path, date_trunc('month', p.day)::date, p.dim, p.key
		HAVING sum(p.recorded) <> 0 OR sum(p.withdrawn) <> 0 OR sum(p.resolved) <> 0 OR sum(p.on_time) <> 0
		    OR coalesce(sum(p.sign * p.hours), 0) <> 0 OR sum(p.yellow) <> 0 OR sum(p.orange) <> 0
		    OR sum(p.red) <> 0 OR sum(p.satisfied) <> 0 OR sum(p.basic) <> 0 OR sum(p.unsatisfied) <> 0
		    OR sum(p.reopened) <> 0
		 ORDER BY p.unit_id, p.dim, 3, p.key
		ON CONFLICT (unit_id, dim, month, key) DO UPDATE
		   SET recorded = t.recorded + excluded.recorded, withdrawn = t.withdrawn + excluded.withdrawn,
		       resolved = t.resolved + excluded.resolved, on_time = t.on_time + excluded.on_time,
		       hours_sum = t.hours_sum + excluded.hours_sum, yellow = t.yellow + excluded.yellow,
		       orange = t.orange + excluded.orange, red = t.red + excluded.red,
		       satisfied = t.satisfied + excluded.satisfied, basic = t.basic + excluded.basic,
		       unsatisfied = t.unsatisfied + excluded.unsatisfied, reopened = t.reopened + excluded.reopened
	), h AS (
		INSERT INTO minqing.report_case_hours AS t (unit_id, path, month, dim, key, hours, n)
		SELECT p.unit_id, p.path, date_trunc('month', p.day)::date, p.dim, p.key, ceil(p.hours)::integer,
		       sum(p.sign)
		  FROM p WHERE p.hours IS NOT NULL
		 GROUP BY 1, 2, 3, 4, 5, 6 HAVING sum(p.sign) <> 0 ORDER BY 1, 4, 3, 5, 6
		ON CONFLICT (unit_id, dim, month, key, hours) DO UPDATE SET n = t.n + excluded.n
	)
	SELECT count(*) FROM l
$$;
ALTER FUNCTION minqing.report_fold() OWNER TO mq_summariser;
REVOKE ALL ON FUNCTION minqing.report_fold() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.report_fold() TO mq_system;
COMMENT ON FUNCTION minqing.report_fold() IS
	'Move the report log (report_case_log) into the summaries report_case_day, report_case_month and '
	'report_case_hours; returns '
	'the log rows folded. Run by the escalation job after each pass; system jobs only.';

-- AFTER INSERT / AFTER UPDATE on cases, per statement: the cases whose
-- figures can have changed go to the log, as they were (-1) and as they are
-- (+1); a new case as it is. What decides the figures: the day recorded,
-- category, channel, district, the paths and the handling unit, whether
-- withdrawn, and when resolved (resolved, reported or closed) its times.
-- Accepting, starting, reporting back or a warning change none of these and
-- cost one join of the transition tables. Appending waits for nobody.
CREATE OR REPLACE FUNCTION minqing.report_cases_sync() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	logged bigint;
BEGIN
	IF TG_OP = 'INSERT' THEN
		INSERT INTO minqing.report_case_log (sign, at, district_id, status, created_at, resolved_at, due_at,
		                                     category_id, channel, origin_unit_id, assigned_unit_id,
		                                     origin_path, assigned_path)
		SELECT 1, c.created_at, c.district_id, c.status, c.created_at, c.resolved_at, c.due_at, c.category_id,
		       c.channel, c.origin_unit_id, c.assigned_unit_id, c.origin_path, c.assigned_path
		  FROM new_rows c;
	ELSE
		WITH ch AS (
			SELECT o.case_id FROM old_rows o JOIN new_rows n ON n.case_id = o.case_id
			 WHERE (o.created_at, o.district_id, o.category_id, o.channel, o.origin_path, o.assigned_path,
			        coalesce(o.assigned_unit_id, o.origin_unit_id), o.status = 'withdrawn',
			        o.status IN ('resolved', 'reported', 'closed'),
			        CASE WHEN o.status IN ('resolved', 'reported', 'closed') THEN (o.resolved_at, o.due_at) END)
			       IS DISTINCT FROM
			       (n.created_at, n.district_id, n.category_id, n.channel, n.origin_path, n.assigned_path,
			        coalesce(n.assigned_unit_id, n.origin_unit_id), n.status = 'withdrawn',
			        n.status IN ('resolved', 'reported', 'closed'),
			        CASE WHEN n.status IN ('resolved', 'reported', 'closed') THEN (n.resolved_at, n.due_at) END)
		), c AS (
			SELECT -1 AS sign, o.* FROM old_rows o JOIN ch USING (case_id)
			UNION ALL
			SELECT 1, n.* FROM new_rows n JOIN ch USING (case_id)
		)
		INSERT INTO minqing.report_case_log (sign, at, district_id, status, created_at, resolved_at, due_at,
		                                     category_id, channel, origin_unit_id, assigned_unit_id,
		                                     origin_path, assigned_path)
		SELECT c.sign, c.created_at, c.district_id, c.status, c.created_at, c.resolved_at, c.due_at,
		       c.category_id, c.channel, c.origin_unit_id, c.assigned_unit_id, c.origin_path, c.assigned_path
		  FROM c;
	END IF;
	GET DIAGNOSTICS logged = ROW_COUNT;
	-- A large statement (an import, the demo district) is folded at once:
	-- the readers would otherwise expand its rows until the next pass.
	IF logged > 1000 THEN
		PERFORM minqing.report_fold();
	END IF;
	RETURN NULL;
END
$$;
ALTER FUNCTION minqing.report_cases_sync() OWNER TO mq_summariser;
REVOKE ALL ON FUNCTION minqing.report_cases_sync() FROM PUBLIC;
COMMENT ON FUNCTION minqing.report_cases_sync() IS
	'Trigger (AFTER INSERT / UPDATE on cases, per statement): appends the cases whose figures can have changed '
	'to the report log (report_case_log), as they were and as they are; report_fold() moves the log into the '
	'summaries. Owned by mq_summariser (BYPASSRLS).';

-- AFTER INSERT on case_event, per statement: warnings, closes and
-- reopenings go to the log with the case's columns now (the other events
-- cost one look at the transition table); red warnings and reopenings are
-- marked for the drill-down lists (report_case_mark: one new row per event,
-- nobody else's).
CREATE OR REPLACE FUNCTION minqing.report_events_sync() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	logged bigint;
BEGIN
	IF NOT EXISTS (SELECT 1 FROM new_rows e WHERE e.kind IN ('warning', 'close', 'reopen')) THEN
		RETURN NULL;
	END IF;
	INSERT INTO minqing.report_case_log (sign, event, answer, at, district_id, status, created_at, resolved_at,
	                                     due_at, category_id, channel, origin_unit_id, assigned_unit_id,
	                                     origin_path, assigned_path)
	SELECT 1, e.kind, left(coalesce(e.data ->> 'step', e.data ->> 'satisfaction'), 40), e.at, c.district_id,
	       c.status, c.created_at, c.resolved_at, c.due_at, c.category_id, c.channel, c.origin_unit_id,
	       c.assigned_unit_id, c.origin_path, c.assigned_path
	  FROM new_rows e
	  JOIN minqing.cases c ON c.case_id = e.case_id
	 WHERE e.kind IN ('warning', 'close', 'reopen');
	GET DIAGNOSTICS logged = ROW_COUNT;
	INSERT INTO minqing.report_case_mark (event_id, kind, at, case_id, created_at, origin_path, assigned_path)
	SELECT e.event_id, minqing.report_mark_kind(e), e.at, e.case_id, c.created_at, c.origin_path, c.assigned_path
	  FROM new_rows e
	  JOIN minqing.cases c ON c.case_id = e.case_id
	 WHERE minqing.report_mark_kind(e) IS NOT NULL;
	IF logged > 1000 THEN
		PERFORM minqing.report_fold();
	END IF;
	RETURN NULL;
END
$$;
ALTER FUNCTION minqing.report_events_sync() OWNER TO mq_summariser;
REVOKE ALL ON FUNCTION minqing.report_events_sync() FROM PUBLIC;
COMMENT ON FUNCTION minqing.report_events_sync() IS
	'Trigger (AFTER INSERT on case_event, per statement): appends warnings raised, answers at close and '
	'reopenings to the report log (report_case_log) with the case''s units at the time, and marks red '
	'warnings and reopenings (report_case_mark). Owned by mq_summariser (BYPASSRLS).';

-- What the log holds that the summaries do not have yet, for the report
-- readers: the signed rows of units p_units in dimension p_dim, of the
-- caller's jurisdiction only (the policy of the summaries, by path). A
-- minute's changes at most while the escalation job runs: a thousand rows
-- at 400 sessions, each expanded (report_log_parts) when a report is read.
-- Only the rows received or handled under one of the units are expanded (a
-- town's report reads a tenth of the district's changes), and the plan is
-- kept for the session (PL/pgSQL; an SQL function with SET clauses is
-- planned at every call, 2-5 ms here).
CREATE OR REPLACE FUNCTION minqing.report_pending(p_units integer[], p_dim text)
RETURNS TABLE (unit_id integer, key text, day date, sign integer, recorded integer, withdrawn integer,
               resolved integer, on_time integer, hours numeric, yellow integer, orange integer, red integer,
               satisfied integer, basic integer, unsatisfied integer, reopened integer)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = minqing, ext, pg_temp AS $$
#variable_conflict use_column
DECLARE
	scope ext.ltree := minqing.my_scope();
	paths ext.ltree[];
BEGIN
	IF scope IS NULL THEN
		RETURN;
	END IF;
	paths := ARRAY(SELECT o.path FROM minqing.org_unit o WHERE o.unit_id = ANY (p_units));
	RETURN QUERY
	SELECT p.unit_id, p.key, p.day, p.sign, p.recorded, p.withdrawn, p.resolved, p.on_time, p.hours, p.yellow,
	       p.orange, p.red, p.satisfied, p.basic, p.unsatisfied, p.reopened
	  FROM minqing.report_case_log l
	 CROSS JOIN LATERAL minqing.report_log_parts(l) p
	 WHERE (paths OPERATOR(ext.@>) l.origin_path OR paths OPERATOR(ext.@>) l.assigned_path)
	   AND p.unit_id = ANY (p_units) AND p.dim = p_dim
	   AND p.path OPERATOR(ext.<@) scope;
END
$$;
ALTER FUNCTION minqing.report_pending(integer[], text) OWNER TO mq_summariser;
REVOKE ALL ON FUNCTION minqing.report_pending(integer[], text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.report_pending(integer[], text) TO mq_staff;
COMMENT ON FUNCTION minqing.report_pending(integer[], text) IS
	'The report figures still in the log (report_case_log, not yet folded into the summaries) of units in one '
	'dimension, as signed rows, within the caller''s jurisdiction: the report functions add them to the '
	'summaries.';

-- The month summaries again from the day summaries, each month's row the
-- sum of its days' (036_report_case_month.sql): report_rebuild() after its
-- recount, and the demo load after it fills the days. Owned by
-- mq_summariser; no grant (the superuser and the owner's functions).
CREATE OR REPLACE FUNCTION minqing.report_month_recount() RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	n bigint;
BEGIN
	DELETE FROM minqing.report_case_month;
	INSERT INTO minqing.report_case_month (unit_id, path, month, dim, key, recorded, withdrawn, resolved, on_time,
	                                       hours_sum, yellow, orange, red, satisfied, basic, unsatisfied, reopened)
	SELECT d.unit_id, min(d.path::text)::ext.ltree, date_trunc('month', d.day)::date, d.dim, d.key,
	       sum(d.recorded), sum(d.withdrawn), sum(d.resolved), sum(d.on_time), sum(d.hours_sum), sum(d.yellow),
	       sum(d.orange), sum(d.red), sum(d.satisfied), sum(d.basic), sum(d.unsatisfied), sum(d.reopened)
	  FROM minqing.report_case_day d
	 GROUP BY d.unit_id, date_trunc('month', d.day)::date, d.dim, d.key;
	GET DIAGNOSTICS n = ROW_COUNT;
	RETURN n;
END
$$;
ALTER FUNCTION minqing.report_month_recount() OWNER TO mq_summariser;
REVOKE ALL ON FUNCTION minqing.report_month_recount() FROM PUBLIC;
COMMENT ON FUNCTION minqing.report_month_recount() IS
	'The month summaries (report_case_month) recounted from the day summaries (report_case_day); returns the '
	'month rows. Used by report_rebuild() and the demo load; no grant.';

-- Recount every summary from the cases and their timelines (after a repair,
-- a change of the working calendar that should apply to past cases, or to
-- check the triggers). Holds the summaries and the log locked: case
-- changes wait. Events count for the units their case has now (the
-- triggers counted them for the units of the time: they differ only for
-- cases moved since).
CREATE OR REPLACE FUNCTION minqing.report_rebuild() RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	n bigint;
BEGIN
	IF NOT pg_has_role(session_user, 'mq_system', 'MEMBER') THEN
		RAISE EXCEPTION 'only a system job may recount the report summaries'
			USING ERRCODE = 'insufficient_privilege';
	END IF;
	LOCK TABLE minqing.report_case_day, minqing.report_case_month, minqing.report_case_hours,
	           minqing.report_case_mark, minqing.report_case_log IN EXCLUSIVE MODE;
	DELETE FROM minqing.report_case_day;
	DELETE FROM minqing.report_case_hours;
	DELETE FROM minqing.report_case_mark;
	DELETE FROM minqing.report_case_log;
	WITH l AS (
		SELECT ROW(1, NULL, NULL, c.created_at, c.district_id, c.status, c.created_at, c.resolved_at, c.due_at,
		           c.category_id, c.channel, c.origin_unit_id, c.assigned_unit_id, c.origin_path,
		           c.assigned_path)::minqing.report_case_log AS l
		  FROM minqing.cases c
		UNION ALL
		SELECT ROW(1, e.kind, left(coalesce(e.data ->> 'step', e.data ->> 'satisfaction'), 40), e.at,
		           c.district_id, c.status, c.created_at, c.resolved_at, c.due_at, c.category_id, c.channel,
		           c.origin_unit_id, c.assigned_unit_id, c.origin_path, c.assigned_path)::minqing.report_case_log
		  FROM minqing.case_event e
		  JOIN minqing.cases c ON c.case_id = e.case_id
		 WHERE e.kind IN ('warning', 'close', 'reopen')
	), p AS MATERIALIZED (
		SELECT x.* FROM l CROSS JOIN LATERAL minqing.report_log_parts(l.l) x
	), d AS (
		INSERT INTO minqing.report_case_day (unit_id, path, day, dim, key, recorded, withdrawn, resolved,
		                                     on_time, hours_sum, yellow, orange, red, satisfied, basic,
		                                     unsatisfied, reopened)
		SELECT p.unit_id, p.path, p.day, p.dim, p.key, sum(p.recorded), sum(p.withdrawn), sum(p.resolved),
		       sum(p.on_time), coalesce(sum(p.hours), 0), sum(p.yellow), sum(p.orange), sum(p.red),
		       sum(p.satisfied), sum(p.basic), sum(p.unsatisfied), sum(p.reopened)
		  FROM p GROUP BY p.unit_id, p.path, p.day, p.dim, p.key
	)
	INSERT INTO minqing.report_case_hours (unit_id, path, month, dim, key, hours, n)
	SELECT p.unit_id, p.path, date_trunc('month', p.day)::date, p.dim, p.key, ceil(p.hours)::integer, count(*)
	  FROM p WHERE p.hours IS NOT NULL GROUP BY 1, 2, 3, 4, 5, 6;
	INSERT INTO minqing.report_case_mark (event_id, kind, at, case_id, created_at, origin_path, assigned_path)
	SELECT e.event_id, minqing.report_mark_kind(e), e.at, e.case_id, c.created_at, c.origin_path, c.assigned_path
	  FROM minqing.case_event e
	  JOIN minqing.cases c ON c.case_id = e.case_id
	 WHERE e.kind IN ('warning', 'reopen') AND minqing.report_mark_kind(e) IS NOT NULL;
	PERFORM minqing.report_month_recount();
	SELECT count(*) INTO n FROM minqing.report_case_day;
	RETURN n;
END
$$;
ALTER FUNCTION minqing.report_rebuild() OWNER TO mq_summariser;
REVOKE ALL ON FUNCTION minqing.report_rebuild() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.report_rebuild() TO mq_system;
COMMENT ON FUNCTION minqing.report_rebuild() IS
	'Recount the report summaries (report_case_day, report_case_month, report_case_hours, report_case_mark) from '
	'every case and its '
	'timeline, for every district, and empty the report log: system jobs and the migrating superuser only. '
	'Returns the number of summary rows.';
-- The outreach summaries (report_outreach_state, report_outreach_day),
-- recounted from the registers past RLS, for every district: run by the
-- escalation job after its pass, at most once in five minutes of the clock
-- (p_force: now). "Now" for the registers (visited in the last twelve
-- months, stale) is p_now, the pass's time; as_of is the clock's. True
-- when it recounted. Units are the rows' own (a volunteer's
-- attendance: the unit of the volunteer's path); days are the district's.
CREATE OR REPLACE FUNCTION minqing.report_outreach_refresh(p_now timestamptz DEFAULT now(),
                                                           p_force boolean DEFAULT false)
RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER SET search_path = minqing, ext, pg_temp AS $$
BEGIN
	IF NOT pg_has_role(session_user, 'mq_system', 'MEMBER') THEN
		RAISE EXCEPTION 'only a system job may recount the report summaries'
			USING ERRCODE = 'insufficient_privilege';
	END IF;
	-- (The pace is the clock's, whatever time the job's pass believes it is.)
	IF NOT coalesce(p_force, false)
	   AND (SELECT max(s.as_of) FROM minqing.report_outreach_state s) > now() - interval '5 minutes' THEN
		RETURN false;
	END IF;
	LOCK TABLE minqing.report_outreach_state, minqing.report_outreach_day IN EXCLUSIVE MODE;
	DELETE FROM minqing.report_outreach_state;
	DELETE FROM minqing.report_outreach_day;
	WITH u AS (
		SELECT o.unit_id, o.path, o.district_id,
		       (minqing.district_local_time(o.district_id, p_now))::date AS today,
		       minqing.archive_stale_months(o.district_id) AS stale_months
		  FROM minqing.org_unit o
	), hh AS (
		SELECT h.unit_id, count(*) AS n,
		       count(*) FILTER (WHERE EXISTS (SELECT 1 FROM minqing.household_link l
		                                       WHERE l.household_id = h.household_id
		                                         AND l.contact_kind = 'party_member')) AS linked
		  FROM minqing.household h WHERE h.active GROUP BY h.unit_id
	), cells AS (
		SELECT c.unit_id, sum(c.households) AS n FROM minqing.grid_cell c GROUP BY c.unit_id
	), visited AS (
		SELECT hc.unit_id, count(*) AS n FROM minqing.household_cell hc JOIN u USING (unit_id)
		 WHERE hc.last_visited_on > (u.today - interval '1 year')::date GROUP BY hc.unit_id
	), vol AS (
		SELECT v.unit_id, count(*) AS n FROM minqing.volunteer v WHERE v.active GROUP BY v.unit_id
	), arch AS (
		SELECT a.unit_id, count(*) AS n FROM minqing.archive_section a JOIN u USING (unit_id)
		 WHERE a.saved_at < p_now - make_interval(months => u.stale_months) GROUP BY a.unit_id
	), memo AS (
		SELECT m.unit_id, count(*) AS n FROM minqing.household_memo m JOIN u USING (unit_id)
		 WHERE m.saved_at < p_now - make_interval(months => u.stale_months) GROUP BY m.unit_id
	)
	INSERT INTO minqing.report_outreach_state (unit_id, path, as_of, households, visited_12m, active_households,
	                                           linked_households, volunteers, archive_sections_stale, memos_stale)
	SELECT u.unit_id, u.path, now(), coalesce(cells.n, 0), coalesce(visited.n, 0), coalesce(hh.n, 0),
	       coalesce(hh.linked, 0), coalesce(vol.n, 0), coalesce(arch.n, 0), coalesce(memo.n, 0)
	  FROM u LEFT JOIN hh USING (unit_id) LEFT JOIN cells USING (unit_id) LEFT JOIN visited USING (unit_id)
	  LEFT JOIN vol USING (unit_id) LEFT JOIN arch USING (unit_id) LEFT JOIN memo USING (unit_id)
	 WHERE hh.n IS NOT NULL OR cells.n IS NOT NULL OR visited.n IS NOT NULL OR vol.n IS NOT NULL
	    OR arch.n IS NOT NULL OR memo.n IS NOT NULL;
	WITH tz AS (
		SELECT d.district_id, (minqing.calendar_setting(d.district_id)).time_zone AS tz FROM minqing.district d
	), x AS (
		SELECT v.unit_id, (v.visited_at AT TIME ZONE tz.tz)::date AS day, 1 AS visits, v.persons_met,
		       0 AS issued, 0 AS voided, 0::numeric AS hours, 0 AS activities, 0 AS held, 0 AS reviewed
		  FROM minqing.visit v JOIN tz USING (district_id)
		UNION ALL
		SELECT c.unit_id, c.issued_on, 0, 0, 1, 0, 0, 0, 0, 0 FROM minqing.service_card c
		UNION ALL
		SELECT c.unit_id, (c.voided_at AT TIME ZONE tz.tz)::date, 0, 0, 0, 1, 0, 0, 0, 0
		  FROM minqing.service_card c JOIN tz USING (district_id) WHERE c.voided_at IS NOT NULL
		UNION ALL
		SELECT o.unit_id, s.attended_on, 0, 0, 0, 0, s.hours, 0, 0, 0
		  FROM minqing.activity_signup s JOIN minqing.org_unit o ON o.path = s.path
		 WHERE s.attended_on IS NOT NULL AND s.hours IS NOT NULL
		UNION ALL
		SELECT a.unit_id, a.starts_on, 0, 0, 0, 0, 0, 1, 0, 0 FROM minqing.activity a
		UNION ALL
		SELECT m.unit_id, (m.held_at AT TIME ZONE tz.tz)::date, 0, 0, 0, 0, 0, 0, 1, (m.status = 'reviewed')::integer
		  FROM minqing.meeting m JOIN tz USING (district_id)
		 WHERE m.status IN ('held', 'reviewed') AND m.held_at IS NOT NULL
	)
	INSERT INTO minqing.report_outreach_day (unit_id, path, day, visits, persons_met, cards_issued, cards_voided,
	                                         volunteer_hours, activities, meetings_held, meetings_reviewed)
	SELECT x.unit_id, o.path, x.day, sum(x.visits), sum(x.persons_met), sum(x.issued), sum(x.voided), sum(x.hours),
	       sum(x.activities), sum(x.held), sum(x.reviewed)
	  FROM x JOIN minqing.org_unit o ON o.unit_id = x.unit_id
	 GROUP BY x.unit_id, o.path, x.day;
	RETURN true;
END
$$;
ALTER FUNCTION minqing.report_outreach_refresh(timestamptz, boolean) OWNER TO mq_summariser;
REVOKE ALL ON FUNCTION minqing.report_outreach_refresh(timestamptz, boolean) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.report_outreach_refresh(timestamptz, boolean) TO mq_system;
COMMENT ON FUNCTION minqing.report_outreach_refresh(timestamptz, boolean) IS
	'Recount the outreach summaries (report_outreach_state, report_outreach_day) from the registers, for every '
	'district; at most once in five minutes unless p_force. Run by the escalation job after its pass.';
SET LOCAL ROLE mq_owner;

------------------------------------------------------------------------------
-- Periods
------------------------------------------------------------------------------
-- What was typed at a report's period prompt: kind 'period' and the
-- canonical token, or kind 'bad'. Accepts 2026-03, 2026年3月, 2026Q1,
-- 2026-Q1, 2026年第1季度, 2026, 2026年, a range 2026-01-01..2026-03-31 (or
-- ~, 至, －), 本月, 上月, 本季度, 本年, 上年 and the tokens themselves; nothing
-- typed is the current month. Full-width digits are read as digits.
CREATE OR REPLACE FUNCTION minqing.report_period_classify(p_query text)
RETURNS TABLE (kind text, norm text)
LANGUAGE plpgsql IMMUTABLE ROWS 1 SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	q text := translate(btrim(coalesce(p_query, ''), E' \t\u3000'),
	                    '０１２３４５６７８９－～Ｑｑ', '0123456789-~QQ');
	m text[];
	a date;
	b date;
BEGIN
	q := upper(regexp_replace(q, '\s+', '', 'g'));
	IF q IN ('', 'MONTH', '本月') THEN
		RETURN QUERY SELECT 'period'::text, 'month'::text;
	ELSIF q IN ('LAST_MONTH', '上月', '上个月') THEN
		RETURN QUERY SELECT 'period'::text, 'last_month'::text;
	ELSIF q IN ('QUARTER', '本季度', '本季') THEN
		RETURN QUERY SELECT 'period'::text, 'quarter'::text;
	ELSIF q IN ('YEAR', '本年', '今年', '本年度') THEN
		RETURN QUERY SELECT 'period'::text, 'year'::text;
	ELSIF q IN ('LAST_YEAR', '上年', '去年', '上年度') THEN
		RETURN QUERY SELECT 'period'::text, 'last_year'::text;
	ELSIF q ~ '^(19|20)[0-9]{2}年?$' THEN
		RETURN QUERY SELECT 'period'::text, left(q, 4);
	ELSIF (q ~ '^(19|20)[0-9]{2}(-|/|\.|年)[0-9]{1,2}月?$') THEN
		m := regexp_match(q, '^([0-9]{4})(-|/|\.|年)([0-9]{1,2})月?$');
		IF m[3]::integer BETWEEN 1 AND 12 AND (m[2] = '年' OR right(q, 1) <> '月') THEN
			RETURN QUERY SELECT 'period'::text, m[1] || '-' || lpad(m[3], 2, '0');
		ELSE
			RETURN QUERY SELECT 'bad'::text, q;
		END IF;
	ELSIF q ~ '^(19|20)[0-9]{2}(-?Q[1-4]|年第?[1-4一二三四]季度?)$' THEN
		RETURN QUERY SELECT 'period'::text, left(q, 4) || '-Q'
			|| translate(right(regexp_replace(substr(q, 5), '[^1-4一二三四]', '', 'g'), 1), '一二三四', '1234');
	ELSIF q ~ '^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(\.\.|~|至|-|—|到)[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}$' THEN
		m := regexp_match(q, '^([0-9]{4}-[0-9]{1,2}-[0-9]{1,2})(\.\.|~|至|-|—|到)([0-9]{4}-[0-9]{1,2}-[0-9]{1,2})$');
		BEGIN
			a := to_date(m[1], 'YYYY-MM-DD');
			b := to_date(m[3], 'YYYY-MM-DD');
			-- to_date accepts 2026-02-30 as March 2nd: the text must be the day
			IF to_char(a, 'FMYYYY-FMMM-FMDD') <> regexp_replace(m[1], '-0', '-', 'g')
			   OR to_char(b, 'FMYYYY-FMMM-FMDD') <> regexp_replace(m[3], '-0', '-', 'g')
			   OR b < a OR b - a > 3660 THEN
				RETURN QUERY SELECT 'bad'::text, q;
			ELSE
				RETURN QUERY SELECT 'period'::text, a::text || '..' || b::text;
			END IF;
		EXCEPTION WHEN invalid_datetime_format OR datetime_field_overflow THEN
			RETURN QUERY SELECT 'bad'::text, q;
		END;
	ELSE
		RETURN QUERY SELECT 'bad'::text, q;
	END IF;
END
$$;
COMMENT ON FUNCTION minqing.report_period_classify(text) IS
	'What was typed at a report''s period prompt: kind period with the canonical token (month, last_month, '
	'quarter, year, last_year, YYYY-MM, YYYY-Qn, YYYY, YYYY-MM-DD..YYYY-MM-DD), or kind bad.';
REVOKE ALL ON FUNCTION minqing.report_period_classify(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.report_period_classify(text) TO mq_staff;

-- The days of a period (a canonical token; NULL is the current month), of
-- the period before it (the previous month, quarter or year; for a range,
-- as many days just before) and of the same period a year earlier, with its
-- label. Today is the district's (the caller's; the first district for a
-- system job), whatever the server's time zone. A period still running
-- (today inside it) is compared to date: the period before and last year's
-- are cut to as many days as have begun (this month's first 7 days against
-- the first 7 of last month, not against all of it).
CREATE OR REPLACE FUNCTION minqing.report_period_bounds(p_period text)
RETURNS TABLE (period text, period_from date, period_to date, prev_from date, prev_to date, ly_from date,
               ly_to date, label_zh text, label_en text)
LANGUAGE plpgsql STABLE ROWS 1 SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	tok text := coalesce(nullif(btrim(p_period), ''), 'month');
	today date;
	a date;
	b date;
	step interval;
	m text[];
BEGIN
	today := (now() AT TIME ZONE (minqing.calendar_setting(
		coalesce(minqing.my_district(), (SELECT min(d.district_id) FROM minqing.district d)))).time_zone)::date;
	IF tok IN ('month', 'last_month') THEN
		a := date_trunc('month', today)::date - CASE tok WHEN 'last_month' THEN interval '1 month' ELSE interval '0' END;
		step := interval '1 month';
	ELSIF tok = 'quarter' THEN
		a := date_trunc('quarter', today)::date;
		step := interval '3 months';
	ELSIF tok IN ('year', 'last_year') THEN
		a := date_trunc('year', today)::date - CASE tok WHEN 'last_year' THEN interval '1 year' ELSE interval '0' END;
		step := interval '1 year';
	ELSIF tok ~ '^[0-9]{4}-(0[1-9]|1[0-2])$' THEN
		a := (tok || '-01')::date;
		step := interval '1 month';
	ELSIF tok ~ '^[0-9]{4}-Q[1-4]$' THEN
		a := make_date(left(tok, 4)::integer, 3 * right(tok, 1)::integer - 2, 1);
		step := interval '3 months';
	ELSIF tok ~ '^[0-9]{4}$' THEN
		a := make_date(tok::integer, 1, 1);
		step := interval '1 year';
	ELSIF tok ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}\.\.[0-9]{4}-[0-9]{2}-[0-9]{2}$' THEN
		m := regexp_match(tok, '^(.*)\.\.(.*)$');
		BEGIN
			a := m[1]::date;
			b := m[2]::date;
		EXCEPTION WHEN invalid_datetime_format OR datetime_field_overflow THEN
			a := NULL;
		END;
		IF a IS NULL OR b < a THEN
			RAISE EXCEPTION 'unknown report period "%"', p_period USING ERRCODE = 'invalid_parameter_value',
				HINT = 'month, last_month, quarter, year, last_year, YYYY-MM, YYYY-Qn, YYYY or YYYY-MM-DD..YYYY-MM-DD';
		END IF;
		RETURN QUERY SELECT a::text || '..' || b::text, a, b, a - (b - a + 1),
			CASE WHEN today BETWEEN a AND b THEN a - (b - a + 1) + (today - a) ELSE a - 1 END,
			(a - interval '1 year')::date,
			CASE WHEN today BETWEEN a AND b THEN (today - interval '1 year')::date
			     ELSE ((b + 1) - interval '1 year')::date - 1 END,
			to_char(a, 'YYYY年FMMM月FMDD日') || '至' || to_char(b, 'YYYY年FMMM月FMDD日'),
			a::text || ' to ' || b::text;
		RETURN;
	ELSE
		RAISE EXCEPTION 'unknown report period "%"', p_period USING ERRCODE = 'invalid_parameter_value',
			HINT = 'month, last_month, quarter, year, last_year, YYYY-MM, YYYY-Qn, YYYY or YYYY-MM-DD..YYYY-MM-DD';
	END IF;
	RETURN QUERY SELECT
		CASE step WHEN interval '1 month' THEN to_char(a, 'YYYY-MM')
		          WHEN interval '3 months' THEN to_char(a, 'YYYY-"Q"Q') ELSE to_char(a, 'YYYY') END,
		a, (a + step)::date - 1, (a - step)::date,
		CASE WHEN today BETWEEN a AND (a + step)::date - 1
		     THEN least((a - step)::date + (today - a), a - 1) ELSE a - 1 END,
		(a - interval '1 year')::date,
		CASE WHEN today BETWEEN a AND (a + step)::date - 1
		     THEN least((today - interval '1 year')::date, (a + step - interval '1 year')::date - 1)
		     ELSE (a + step - interval '1 year')::date - 1 END,
		CASE step WHEN interval '1 month' THEN to_char(a, 'YYYY年FMMM月')
		          WHEN interval '3 months' THEN to_char(a, 'YYYY年第Q季度') ELSE to_char(a, 'YYYY年') END,
		CASE step WHEN interval '1 month' THEN to_char(a, 'FMMonth YYYY')
		          WHEN interval '3 months' THEN to_char(a, 'YYYY "Q"Q') ELSE to_char(a, 'YYYY') END;
END
$$;
COMMENT ON FUNCTION minqing.report_period_bounds(text) IS
	'The days of a report period (canonical token; NULL: the current month in the district''s calendar), of '
	'the period before it and of the same period last year, with the period''s label.';
REVOKE ALL ON FUNCTION minqing.report_period_bounds(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.report_period_bounds(text) TO mq_staff, mq_system;

------------------------------------------------------------------------------
-- The figures from the summaries (invoker: RLS on the summaries decides)
------------------------------------------------------------------------------
-- Whether a row read by report_figures counts in the days p_from to p_to:
-- a month's row (kind 'm', report_case_month; day: the month's first) when
-- they hold the whole month; a day's row ('d', report_case_day) when they
-- hold the day but not the whole of its month (the month's row counts
-- then); a row of the report log not folded yet ('p', report_pending) when
-- they hold its day. Each case or event is counted once: a month's row is
-- the sum of its days'. (Plain SQL, immutable throughout: inlined.)
CREATE OR REPLACE FUNCTION minqing.report_counts_in(p_kind text, p_day date, p_from date, p_to date)
RETURNS boolean
LANGUAGE sql IMMUTABLE
RETURN CASE p_kind
	WHEN 'm' THEN p_day >= p_from AND (p_day + interval '1 month')::date - 1 <= p_to
	WHEN 'd' THEN p_day BETWEEN p_from AND p_to
	              AND NOT (date_trunc('month', p_day::timestamp)::date >= p_from
	                       AND (date_trunc('month', p_day::timestamp) + interval '1 month')::date - 1 <= p_to)
	ELSE p_day BETWEEN p_from AND p_to
END;
COMMENT ON FUNCTION minqing.report_counts_in(text, date, date, date) IS
	'report_figures: whether a month''s row (m), a day''s row (d) or an unfolded log row (p) of day p_day '
	'counts in the days p_from to p_to (a month whole, or the days of a month held in part).';
REVOKE ALL ON FUNCTION minqing.report_counts_in(text, date, date, date) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.report_counts_in(text, date, date, date) TO mq_staff;

-- The case figures of units (p_units) in one dimension (p_dim; 'unit' for
-- the units' totals), per unit and key, for a period, the period before,
-- the same period last year and the twelve months ending with the period's
-- last month (up to the period's end). Rates in percent, one decimal, NULL
-- when nothing was counted; average hours over the resolved cases. Whole
-- months are read from report_case_month, one row each; the days only of
-- the months a period begins or ends inside (report_counts_in decides
-- which row counts where): a district's report read 8,500 day rows, 28 ms.
CREATE OR REPLACE FUNCTION minqing.report_figures(p_units integer[], p_dim text, p_from date, p_to date,
                                                  p_prev_from date, p_prev_to date, p_ly_from date, p_ly_to date)
RETURNS TABLE (unit_id integer, key text, recorded bigint, withdrawn bigint, resolved bigint,
               resolution_rate numeric, on_time bigint, on_time_rate numeric, yellow bigint, orange bigint,
               red bigint, avg_hours numeric, satisfied bigint, basic bigint, unsatisfied bigint,
               reopened bigint, recorded_prev bigint, recorded_ly bigint, resolution_rate_prev numeric,
               resolution_rate_ly numeric, on_time_rate_prev numeric, on_time_rate_ly numeric,
               trend_recorded integer[], trend_resolution_rate numeric[])
LANGUAGE sql STABLE ROWS 50 AS $$
	WITH t AS (
		SELECT (date_trunc('month', p_to) - interval '11 months')::date AS t0
	), w AS (
		SELECT least(p_from, p_prev_from, p_ly_from, t.t0) AS lo, greatest(p_to, p_prev_to) AS hi FROM t
	), part AS (
		-- the days a day's row is read for: those of a period (or of the
		-- trend) in a month the period holds only in part
		SELECT array_agg(DISTINCT g.d::date) AS days
		  FROM t CROSS JOIN LATERAL (VALUES (p_from, p_to), (p_prev_from, p_prev_to), (p_ly_from, p_ly_to),
		                                    (t.t0, p_to)) x (a, b)
		 CROSS JOIN LATERAL generate_series(x.a, x.b, interval '1 day') g (d)
		 WHERE NOT minqing.report_counts_in('m', date_trunc('month', g.d)::date, x.a, x.b)
	), r AS MATERIALIZED (
		SELECT 'm'::text AS kind, r.unit_id, r.key, r.month AS day, r.recorded, r.withdrawn, r.resolved,
		       r.on_time, r.hours_sum, r.yellow, r.orange, r.red, r.satisfied, r.basic, r.unsatisfied, r.reopened
		  FROM minqing.report_case_month r, w
		 WHERE r.unit_id = ANY (p_units) AND r.dim = p_dim
		   AND r.month >= date_trunc('month', w.lo::timestamp)::date AND r.month <= w.hi
		UNION ALL
		SELECT 'd', r.unit_id, r.key, r.day, r.recorded, r.withdrawn, r.resolved, r.on_time, r.hours_sum,
		       r.yellow, r.orange, r.red, r.satisfied, r.basic, r.unsatisfied, r.reopened
		  FROM part JOIN minqing.report_case_day r
		    ON r.unit_id = ANY (p_units) AND r.dim = p_dim AND r.day = ANY (part.days)
		UNION ALL
		-- what the report log holds that the summaries do not have yet
		SELECT 'p', r.unit_id, r.key, r.day, r.recorded, r.withdrawn, r.resolved, r.on_time,
		       coalesce(r.sign * r.hours, 0), r.yellow, r.orange, r.red, r.satisfied, r.basic, r.unsatisfied,
		       r.reopened
		  FROM minqing.report_pending(p_units, p_dim) r, w
		 WHERE r.day >= w.lo AND r.day <= w.hi
	), rc AS (
		-- where each row counts
		SELECT r.*, minqing.report_counts_in(r.kind, r.day, p_from, p_to) AS in_p,
		       minqing.report_counts_in(r.kind, r.day, p_prev_from, p_prev_to) AS in_prev,
		       minqing.report_counts_in(r.kind, r.day, p_ly_from, p_ly_to) AS in_ly,
		       minqing.report_counts_in(r.kind, r.day, t.t0, p_to) AS in_trend
		  FROM r, t
	), a AS (
		SELECT r.unit_id, r.key,
		       sum(r.recorded) FILTER (WHERE r.in_p) AS recorded,
		       sum(r.withdrawn) FILTER (WHERE r.in_p) AS withdrawn,
		       sum(r.resolved) FILTER (WHERE r.in_p) AS resolved,
		       sum(r.on_time) FILTER (WHERE r.in_p) AS on_time,
		       sum(r.hours_sum) FILTER (WHERE r.in_p) AS hours_sum,
		       sum(r.yellow) FILTER (WHERE r.in_p) AS yellow,
		       sum(r.orange) FILTER (WHERE r.in_p) AS orange,
		       sum(r.red) FILTER (WHERE r.in_p) AS red,
		       sum(r.satisfied) FILTER (WHERE r.in_p) AS satisfied,
		       sum(r.basic) FILTER (WHERE r.in_p) AS basic,
		       sum(r.unsatisfied) FILTER (WHERE r.in_p) AS unsatisfied,
		       sum(r.reopened) FILTER (WHERE r.in_p) AS reopened,
		       sum(r.recorded) FILTER (WHERE r.in_prev) AS recorded_prev,
		       sum(r.resolved) FILTER (WHERE r.in_prev) AS resolved_prev,
		       sum(r.on_time) FILTER (WHERE r.in_prev) AS on_time_prev,
		       sum(r.recorded) FILTER (WHERE r.in_ly) AS recorded_ly,
		       sum(r.resolved) FILTER (WHERE r.in_ly) AS resolved_ly,
		       sum(r.on_time) FILTER (WHERE r.in_ly) AS on_time_ly
		  FROM rc r GROUP BY r.unit_id, r.key
	), m AS (
		SELECT r.unit_id, r.key, date_trunc('month', r.day)::date AS month, sum(r.recorded) AS rec,
		       sum(r.resolved) AS res
		  FROM rc r WHERE r.in_trend GROUP BY 1, 2, 3
	), tr AS (
		SELECT a.unit_id, a.key, array_agg(coalesce(m.rec, 0)::integer ORDER BY g.month) AS rec,
		       array_agg(round(100.0 * m.res / nullif(m.rec, 0), 1) ORDER BY g.month) AS rate
		  FROM a CROSS JOIN t
		 CROSS JOIN LATERAL generate_series(t.t0, t.t0 + interval '11 months', interval '1 month') AS g (month)
		  LEFT JOIN m ON m.unit_id = a.unit_id AND m.key = a.key AND m.month = g.month::date
		 GROUP BY a.unit_id, a.key
	)
	SELECT a.unit_id, a.key, coalesce(a.recorded, 0), coalesce(a.withdrawn, 0), coalesce(a.resolved, 0),
	       round(100.0 * a.resolved / nullif(a.recorded, 0), 1), coalesce(a.on_time, 0),
	       round(100.0 * a.on_time / nullif(a.resolved, 0), 1), coalesce(a.yellow, 0), coalesce(a.orange, 0),
	       coalesce(a.red, 0), round(a.hours_sum / nullif(a.resolved, 0), 1), coalesce(a.satisfied, 0),
	       coalesce(a.basic, 0), coalesce(a.unsatisfied, 0), coalesce(a.reopened, 0),
	       coalesce(a.recorded_prev, 0), coalesce(a.recorded_ly, 0),
	       round(100.0 * a.resolved_prev / nullif(a.recorded_prev, 0), 1),
	       round(100.0 * a.resolved_ly / nullif(a.recorded_ly, 0), 1),
	       round(100.0 * a.on_time_prev / nullif(a.resolved_prev, 0), 1),
	       round(100.0 * a.on_time_ly / nullif(a.resolved_ly, 0), 1),
	       tr.rec, tr.rate
	  FROM a JOIN tr ON tr.unit_id = a.unit_id AND tr.key = a.key
$$;
COMMENT ON FUNCTION minqing.report_figures(integer[], text, date, date, date, date, date, date) IS
	'The case figures of units in one dimension (unit, centre, category, channel, level) from report_case_day: '
	'the period, the period before, the same period last year, a twelve-month trend. Used by report_units and '
	'report_breakdown; row-level security decides which summary rows are read.';
REVOKE ALL ON FUNCTION minqing.report_figures(integer[], text, date, date, date, date, date, date) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.report_figures(integer[], text, date, date, date, date, date, date) TO mq_staff;

-- The 90th percentile of the working hours to resolution, in whole hours
-- (rounded up): the fewest hours within which at least 90 % of the resolved
-- cases recorded in the months from p_from to p_to were resolved.
CREATE OR REPLACE FUNCTION minqing.report_p90(p_units integer[], p_dim text, p_from date, p_to date)
RETURNS TABLE (unit_id integer, key text, p90_hours integer)
LANGUAGE sql STABLE ROWS 50 AS $$
	WITH h AS (
		SELECT h.unit_id, h.key, h.hours, sum(h.n) AS n
		  FROM (SELECT h.unit_id, h.key, h.hours, h.n, h.month
		          FROM minqing.report_case_hours h
		         WHERE h.unit_id = ANY (p_units) AND h.dim = p_dim
		        UNION ALL
		        -- what the report log holds that the summaries do not have yet
		        SELECT r.unit_id, r.key, ceil(r.hours)::integer, r.sign, date_trunc('month', r.day)::date
		          FROM minqing.report_pending(p_units, p_dim) r
		         WHERE r.hours IS NOT NULL) h
		 WHERE h.month BETWEEN date_trunc('month', p_from)::date AND p_to
		 GROUP BY 1, 2, 3 HAVING sum(h.n) > 0
	), c AS (
		SELECT h.*, sum(h.n) OVER (PARTITION BY h.unit_id, h.key ORDER BY h.hours) AS cum,
		       sum(h.n) OVER (PARTITION BY h.unit_id, h.key) AS total
		  FROM h
	)
	SELECT c.unit_id, c.key, min(c.hours) FROM c WHERE c.cum >= 0.9 * c.total GROUP BY c.unit_id, c.key
$$;
COMMENT ON FUNCTION minqing.report_p90(integer[], text, date, date) IS
	'The 90th percentile of working hours to resolution (whole hours, rounded up) per unit and key, from '
	'report_case_hours over the months of a period.';
REVOKE ALL ON FUNCTION minqing.report_p90(integer[], text, date, date) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.report_p90(integer[], text, date, date) TO mq_staff;

-- Cases of a period that are overdue now: accepted, dispatched or in
-- progress (a waiting case's clock is stopped) and past their deadline, as
-- case_stats counts them. A state, not a count of the period: read through
-- the index of the open cases by deadline (cases_report_open), whose size
-- is the open cases, never all of them. (No bitmap scans: the planner
-- would AND that index with the policy's path indexes, which match every
-- case of a district.) Per unit of p_units (a case counts for a
-- unit when it was received or is handled in its subtree) and key of p_dim.
CREATE OR REPLACE FUNCTION minqing.report_overdue(p_units integer[], p_dim text, p_from date, p_to date)
RETURNS TABLE (unit_id integer, key text, overdue_now bigint)
LANGUAGE sql STABLE ROWS 50 SET enable_bitmapscan = off SET max_parallel_workers_per_gather = 0 AS $$
	WITH u AS (
		SELECT o.unit_id, o.path, o.district_id FROM minqing.org_unit o WHERE o.unit_id = ANY (p_units)
	), tz AS (
		SELECT (minqing.calendar_setting(min(u.district_id))).time_zone AS tz FROM u
	), k AS MATERIALIZED (
		SELECT c.case_id, c.origin_unit_id, c.assigned_unit_id,
		       CASE p_dim WHEN 'unit' THEN ''
		                  WHEN 'centre' THEN (SELECT g.centre::text FROM minqing.case_category g
		                                       WHERE g.category_id = c.category_id)
		                  WHEN 'category' THEN c.category_id::text
		                  WHEN 'channel' THEN c.channel::text
		                  ELSE (SELECT o.level::text FROM minqing.org_unit o
		                         WHERE o.unit_id = coalesce(c.assigned_unit_id, c.origin_unit_id)) END AS key
		  FROM minqing.cases c, tz
		 WHERE c.status IN ('accepted', 'dispatched', 'in_progress') AND c.due_at < now()
		   AND c.created_at >= p_from::timestamp AT TIME ZONE tz.tz
		   AND c.created_at < (p_to + 1)::timestamp AT TIME ZONE tz.tz
	), m AS MATERIALIZED (
		-- every unit under the report's units, with the report unit it lies in
		SELECT o.unit_id AS member, u.unit_id FROM u JOIN minqing.org_unit o ON o.path OPERATOR(ext.<@) u.path
	), x AS (
		SELECT m.unit_id, k.key FROM k JOIN m ON m.member = k.origin_unit_id
		UNION ALL
		SELECT m.unit_id, k.key FROM k JOIN m ON m.member = k.assigned_unit_id
		 WHERE NOT EXISTS (SELECT FROM m m2 WHERE m2.member = k.origin_unit_id AND m2.unit_id = m.unit_id)
	)
	-- A case counts once for a report unit whose subtree holds the unit
	-- that received it or the unit that handles it: integer joins through
	-- the few hundred units (m), instead of testing each case's paths
	-- against each report unit's (60 ms for a year of a district at scale
	-- 10, against 20 ms).
	SELECT x.unit_id, x.key, count(*) FROM x GROUP BY x.unit_id, x.key
$$;
COMMENT ON FUNCTION minqing.report_overdue(integer[], text, date, date) IS
	'Cases recorded in a period that are overdue now (accepted, dispatched or in progress, past the deadline), '
	'per unit and key of a dimension; through the index of open cases (cases_report_open).';
REVOKE ALL ON FUNCTION minqing.report_overdue(integer[], text, date, date) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.report_overdue(integer[], text, date, date) TO mq_staff;

-- The unit a report is about: p_unit (a code) inside the caller's
-- jurisdiction, or the jurisdiction itself; nothing for a unit outside it.
CREATE OR REPLACE FUNCTION minqing.report_unit(p_unit text)
RETURNS TABLE (unit_id integer, code text, name text, name_en text, level minqing.unit_level, path ext.ltree)
LANGUAGE sql STABLE ROWS 1 AS $$
	SELECT u.unit_id, u.code, u.name, coalesce(u.name_en, u.name), u.level, u.path
	  FROM minqing.org_unit u
	 WHERE CASE WHEN p_unit IS NULL THEN u.path = (SELECT minqing.my_scope())
	            ELSE u.code = p_unit AND u.path OPERATOR(ext.<@) (SELECT minqing.my_scope()) END
$$;
COMMENT ON FUNCTION minqing.report_unit(text) IS
	'The unit of a report: the one with code p_unit if it is inside the caller''s jurisdiction, the '
	'jurisdiction''s own unit for NULL, none otherwise.';
REVOKE ALL ON FUNCTION minqing.report_unit(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.report_unit(text) TO mq_staff;

------------------------------------------------------------------------------
-- The report functions
------------------------------------------------------------------------------
-- 统计报表 by unit: the unit (p_unit, else the caller's jurisdiction) as a
-- total, then each unit directly under it (towns and departments under the
-- district; villages, communities, enterprises and agencies under a town),
-- by code. A unit outside the caller's jurisdiction gives no rows.
CREATE OR REPLACE FUNCTION minqing.report_units(p_unit text DEFAULT NULL, p_period text DEFAULT NULL)
RETURNS TABLE (unit_code text, unit_name text, unit_level text, has_children boolean, is_total boolean,
               period text, period_label text, recorded bigint, resolved bigint, resolution_rate numeric,
               on_time bigint, on_time_rate numeric, overdue_now bigint, yellow bigint, orange bigint,
               red bigint, avg_hours numeric, p90_hours numeric, satisfied bigint, basic bigint,
               unsatisfied bigint, reopened bigint, recorded_prev bigint, recorded_ly bigint,
               resolution_rate_prev numeric, resolution_rate_ly numeric, on_time_rate_prev numeric,
               on_time_rate_ly numeric, trend_recorded integer[], trend_resolution_rate numeric[],
               unit_name_en text, period_label_en text, withdrawn bigint, as_of timestamptz,
               unit_id bigint, drill boolean)
LANGUAGE sql STABLE ROWS 50 SET search_path = minqing, ext, pg_temp SET jit = off AS $$
	WITH b AS MATERIALIZED (
		SELECT * FROM minqing.report_period_bounds(p_period)
	), me AS MATERIALIZED (
		SELECT * FROM minqing.report_unit(p_unit)
	), us AS MATERIALIZED (
		SELECT me.unit_id, me.code, me.name, me.name_en, me.level, NULL::minqing.unit_kind AS kind,
		       true AS is_total FROM me
		UNION ALL
		SELECT c.unit_id, c.code, c.name, coalesce(c.name_en, c.name), c.level, c.kind, false
		  FROM minqing.org_unit c JOIN me ON c.parent_id = me.unit_id
	), ids AS MATERIALIZED (
		SELECT array_agg(us.unit_id) AS ids FROM us
	), f AS MATERIALIZED (
		SELECT f.* FROM b, ids, minqing.report_figures(ids.ids, 'unit', b.period_from, b.period_to, b.prev_from,
		                                                 b.prev_to, b.ly_from, b.ly_to) f
	), p AS MATERIALIZED (
		SELECT p.* FROM b, ids, minqing.report_p90(ids.ids, 'unit', b.period_from, b.period_to) p
	), o AS MATERIALIZED (
		SELECT o.* FROM b, ids, minqing.report_overdue(ids.ids, 'unit', b.period_from, b.period_to) o
	)
	SELECT us.code, us.name, us.level::text,
	       EXISTS (SELECT 1 FROM minqing.org_unit x WHERE x.parent_id = us.unit_id), us.is_total,
	       b.period, b.label_zh, coalesce(f.recorded, 0), coalesce(f.resolved, 0), f.resolution_rate,
	       coalesce(f.on_time, 0), f.on_time_rate, coalesce(o.overdue_now, 0), coalesce(f.yellow, 0),
	       coalesce(f.orange, 0), coalesce(f.red, 0), f.avg_hours, p.p90_hours::numeric,
	       coalesce(f.satisfied, 0), coalesce(f.basic, 0), coalesce(f.unsatisfied, 0), coalesce(f.reopened, 0),
	       coalesce(f.recorded_prev, 0), coalesce(f.recorded_ly, 0), f.resolution_rate_prev,
	       f.resolution_rate_ly, f.on_time_rate_prev, f.on_time_rate_ly,
	       coalesce(f.trend_recorded, array_fill(0, ARRAY[12])),
	       coalesce(f.trend_resolution_rate, array_fill(NULL::numeric, ARRAY[12])),
	       us.name_en, b.label_en, coalesce(f.withdrawn, 0), now(), us.unit_id::bigint,
	       -- Enter goes down a level from a unit with units under it; the total row lists its cases
	       NOT us.is_total AND EXISTS (SELECT 1 FROM minqing.org_unit x WHERE x.parent_id = us.unit_id)
	  FROM us CROSS JOIN b
	  LEFT JOIN f ON f.unit_id = us.unit_id
	  LEFT JOIN p ON p.unit_id = us.unit_id
	  LEFT JOIN o ON o.unit_id = us.unit_id
	 -- towns before departments and agencies, villages before communities and enterprises
	 ORDER BY us.is_total DESC, us.kind, us.code
$$;
COMMENT ON FUNCTION minqing.report_units(text, text) IS
	'统计报表 by unit: the figures of cases of a unit (default: the caller''s jurisdiction) as a total and of '
	'each unit under it, for a period (report_period_bounds), with the period before, last year and a '
	'twelve-month trend; from the summaries (docs/reports.md). A unit outside the jurisdiction: no rows.';
REVOKE ALL ON FUNCTION minqing.report_units(text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.report_units(text, text) TO mq_staff;

-- 统计报表 by centre, category, channel or handling level, for a unit's
-- subtree: one row per key that has figures, by key.
CREATE OR REPLACE FUNCTION minqing.report_breakdown(p_unit text DEFAULT NULL, p_period text DEFAULT NULL,
                                                    p_by text DEFAULT 'centre')
RETURNS TABLE (key text, label_zh text, label_en text, period text, recorded bigint, resolved bigint,
               resolution_rate numeric, on_time bigint, on_time_rate numeric, overdue_now bigint, yellow bigint,
               orange bigint, red bigint, avg_hours numeric, p90_hours numeric, satisfied bigint, basic bigint,
               unsatisfied bigint, reopened bigint, recorded_prev bigint, recorded_ly bigint,
               resolution_rate_prev numeric, resolution_rate_ly numeric, on_time_rate_prev numeric,
               on_time_rate_ly numeric, trend_recorded integer[], trend_resolution_rate numeric[],
               period_label text, withdrawn bigint, as_of timestamptz)
LANGUAGE plpgsql STABLE SET search_path = minqing, ext, pg_temp SET jit = off AS $$
#variable_conflict use_column
BEGIN
	IF p_by IS NULL OR p_by NOT IN ('centre', 'category', 'channel', 'level') THEN
		RAISE EXCEPTION 'unknown breakdown "%": centre, category, channel or level', p_by
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	RETURN QUERY
	WITH b AS MATERIALIZED (
		SELECT * FROM minqing.report_period_bounds(p_period)
	), me AS MATERIALIZED (
		SELECT array_agg(u.unit_id) AS ids FROM minqing.report_unit(p_unit) u
	), f AS MATERIALIZED (
		SELECT f.* FROM b, me, minqing.report_figures(me.ids, p_by, b.period_from, b.period_to, b.prev_from,
		                                                b.prev_to, b.ly_from, b.ly_to) f
		 WHERE me.ids IS NOT NULL
	), p AS MATERIALIZED (
		SELECT p.* FROM b, me, minqing.report_p90(me.ids, p_by, b.period_from, b.period_to) p WHERE me.ids IS NOT NULL
	), o AS MATERIALIZED (
		SELECT o.* FROM b, me, minqing.report_overdue(me.ids, p_by, b.period_from, b.period_to) o
		 WHERE me.ids IS NOT NULL
	), ks AS (
		SELECT f.key FROM f UNION SELECT o.key FROM o
	)
	SELECT ks.key,
	       CASE p_by
	         WHEN 'centre' THEN CASE ks.key WHEN 'mediation' THEN '民情调处中心' WHEN 'policy' THEN '政策咨询中心'
	                                        WHEN 'service' THEN '便民服务中心' ELSE ks.key END
	         WHEN 'category' THEN (SELECT g.name FROM minqing.case_category g WHERE g.category_id::text = ks.key)
	         WHEN 'channel' THEN CASE ks.key WHEN 'walk_in' THEN '来访' WHEN 'hotline' THEN '热线电话'
	                                         WHEN 'email' THEN '电子邮件' WHEN 'letter' THEN '来信'
	                                         WHEN 'party_visit' THEN '党员走访' WHEN 'dialogue_meeting' THEN '民情恳谈会'
	                                         WHEN 'station_terminal' THEN '站点终端' WHEN 'sms' THEN '短信'
	                                         ELSE ks.key END
	         ELSE CASE ks.key WHEN 'village' THEN '村（社区）级' WHEN 'town' THEN '镇（街道）级'
	                          WHEN 'district' THEN '区级' ELSE ks.key END
	       END,
	       CASE p_by
	         WHEN 'centre' THEN CASE ks.key WHEN 'mediation' THEN 'Mediation centre'
	                                        WHEN 'policy' THEN 'Policy consultation centre'
	                                        WHEN 'service' THEN 'Convenience service centre' ELSE ks.key END
	         WHEN 'category' THEN (SELECT coalesce(g.name_en, g.name) FROM minqing.case_category g
	                                WHERE g.category_id::text = ks.key)
	         ELSE replace(ks.key, '_', ' ')
	       END,
	       b.period, coalesce(f.recorded, 0), coalesce(f.resolved, 0), f.resolution_rate, coalesce(f.on_time, 0),
	       f.on_time_rate, coalesce(o.overdue_now, 0), coalesce(f.yellow, 0), coalesce(f.orange, 0),
	       coalesce(f.red, 0), f.avg_hours, p.p90_hours::numeric, coalesce(f.satisfied, 0), coalesce(f.basic, 0),
	       coalesce(f.unsatisfied, 0), coalesce(f.reopened, 0), coalesce(f.recorded_prev, 0),
	       coalesce(f.recorded_ly, 0), f.resolution_rate_prev, f.resolution_rate_ly, f.on_time_rate_prev,
	       f.on_time_rate_ly, coalesce(f.trend_recorded, array_fill(0, ARRAY[12])),
	       coalesce(f.trend_resolution_rate, array_fill(NULL::numeric, ARRAY[12])), b.label_zh,
	       coalesce(f.withdrawn, 0), now()
	  FROM ks CROSS JOIN b
	  LEFT JOIN f ON f.key = ks.key
	  LEFT JOIN p ON p.key = ks.key
	  LEFT JOIN o ON o.key = ks.key
	 ORDER BY CASE WHEN p_by = 'category' THEN lpad(ks.key, 10, '0') ELSE ks.key END;
END
$$;
COMMENT ON FUNCTION minqing.report_breakdown(text, text, text) IS
	'统计报表 by centre, category, channel or handling level (p_by) of a unit''s subtree (default: the '
	'caller''s jurisdiction) for a period: the figures of report_units per key, from the summaries.';
REVOKE ALL ON FUNCTION minqing.report_breakdown(text, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.report_breakdown(text, text, text) TO mq_staff;

-- 统计报表, outreach and basic information by unit: the unit (p_unit, else
-- the caller's jurisdiction) as a total, then each unit under it, by code;
-- the definitions of the e-station's summary (report_summary_lines) and of
-- docs/visits.md, docs/memo.md, docs/archive.md (docs/reports.md). From the
-- outreach summaries (report_outreach_refresh(), the escalation job: as_of
-- says when they were counted); what is "now" there (households, visits in
-- the last twelve months, links, volunteers, stale sections and memos) is
-- as of that count, whatever the period. Pairings (a small table) are
-- counted here, at the period's end.
CREATE OR REPLACE FUNCTION minqing.report_outreach(p_unit text DEFAULT NULL, p_period text DEFAULT NULL)
RETURNS TABLE (unit_code text, unit_name text, unit_level text, has_children boolean, is_total boolean,
               period text, period_label text, households bigint, visited_households bigint,
               visit_coverage numeric, visit_target numeric, visits bigint, persons_met bigint, cards bigint,
               volunteers bigint, volunteer_hours numeric, activities bigint, meetings_held bigint,
               meetings_reviewed bigint, pairings_active bigint, link_coverage numeric,
               archive_sections_stale bigint, memos_stale bigint, unit_name_en text, period_label_en text,
               linked_households bigint, active_households bigint, as_of timestamptz, unit_id bigint,
               drill boolean)
LANGUAGE sql STABLE ROWS 50 SET search_path = minqing, ext, pg_temp SET jit = off AS $$
	WITH b AS MATERIALIZED (
		SELECT * FROM minqing.report_period_bounds(p_period)
	), me AS MATERIALIZED (
		SELECT r.*, coalesce(vs.target_percent, 80) AS target, coalesce(vs.rural_only, true) AS rural_only
		  FROM minqing.report_unit(p_unit) r
		  JOIN minqing.org_unit o ON o.unit_id = r.unit_id
		  LEFT JOIN minqing.visit_setting vs ON vs.district_id = o.district_id
	), us AS MATERIALIZED (
		SELECT me.unit_id, me.code, me.name, me.name_en, me.level, me.path, NULL::minqing.unit_kind AS kind,
		       true AS is_total FROM me
		UNION ALL
		SELECT c.unit_id, c.code, c.name, coalesce(c.name_en, c.name), c.level, c.path, c.kind, false
		  FROM minqing.org_unit c JOIN me ON c.parent_id = me.unit_id
	), st AS MATERIALIZED (
		SELECT s.*, (o.kind = 'village' OR NOT me.rural_only) AS counted
		  FROM me, minqing.report_outreach_state s JOIN minqing.org_unit o ON o.unit_id = s.unit_id
		 WHERE s.path OPERATOR(ext.<@) me.path
	), dy AS MATERIALIZED (
		-- (grouped by the unit's id, its path joined after: the district's
		-- 38,000 day rows sorted by their ltree paths took 24 ms, by id 9)
		SELECT o.path, x.visits, x.persons_met, x.cards, x.volunteer_hours, x.activities, x.meetings_held,
		       x.meetings_reviewed
		  FROM (SELECT d.unit_id, sum(d.visits) FILTER (WHERE d.day >= b.period_from) AS visits,
		               sum(d.persons_met) FILTER (WHERE d.day >= b.period_from) AS persons_met,
		               sum(d.cards_issued - d.cards_voided) AS cards,
		               sum(d.volunteer_hours) FILTER (WHERE d.day >= b.period_from) AS volunteer_hours,
		               sum(d.activities) FILTER (WHERE d.day >= b.period_from) AS activities,
		               sum(d.meetings_held) FILTER (WHERE d.day >= b.period_from) AS meetings_held,
		               sum(d.meetings_reviewed) FILTER (WHERE d.day >= b.period_from) AS meetings_reviewed
		          FROM me, b, minqing.report_outreach_day d
		         WHERE d.path OPERATOR(ext.<@) me.path AND d.day <= b.period_to
		         GROUP BY d.unit_id) x
		  JOIN minqing.org_unit o ON o.unit_id = x.unit_id
	), fs AS (
		SELECT us.unit_id, coalesce(sum(st.households) FILTER (WHERE st.counted), 0) AS households,
		       coalesce(sum(st.visited_12m) FILTER (WHERE st.counted), 0) AS visited,
		       coalesce(sum(st.active_households), 0) AS active_hh, coalesce(sum(st.linked_households), 0) AS linked,
		       coalesce(sum(st.volunteers), 0) AS volunteers, coalesce(sum(st.archive_sections_stale), 0) AS archive_stale,
		       coalesce(sum(st.memos_stale), 0) AS memo_stale
		  FROM us LEFT JOIN st ON st.path OPERATOR(ext.<@) us.path GROUP BY us.unit_id
	), fd AS (
		SELECT us.unit_id, coalesce(sum(dy.visits), 0) AS visits, coalesce(sum(dy.persons_met), 0) AS persons,
		       coalesce(sum(dy.cards), 0) AS cards, coalesce(sum(dy.volunteer_hours), 0) AS vhours,
		       coalesce(sum(dy.activities), 0) AS activities, coalesce(sum(dy.meetings_held), 0) AS held,
		       coalesce(sum(dy.meetings_reviewed), 0) AS reviewed
		  FROM us LEFT JOIN dy ON dy.path OPERATOR(ext.<@) us.path GROUP BY us.unit_id
	), pa AS (
		SELECT us.unit_id, count(*) AS n
		  FROM us, b, minqing.pairing p
		 WHERE (p.path OPERATOR(ext.<@) us.path OR p.agency_path OPERATOR(ext.<@) us.path)
		   AND p.since <= b.period_to AND (p.until IS NULL OR p.until >= b.period_to)
		 GROUP BY us.unit_id
	)
	SELECT us.code, us.name, us.level::text,
	       EXISTS (SELECT 1 FROM minqing.org_unit c WHERE c.parent_id = us.unit_id), us.is_total,
	       b.period, b.label_zh, fs.households::bigint, fs.visited::bigint,
	       round(100.0 * fs.visited / nullif(fs.households, 0), 1), me.target::numeric, fd.visits::bigint,
	       fd.persons::bigint, fd.cards::bigint, fs.volunteers::bigint, fd.vhours, fd.activities::bigint,
	       fd.held::bigint, fd.reviewed::bigint, coalesce(pa.n, 0),
	       round(100.0 * fs.linked / nullif(fs.active_hh, 0), 1), fs.archive_stale::bigint, fs.memo_stale::bigint,
	       us.name_en, b.label_en, fs.linked::bigint, fs.active_hh::bigint, (SELECT min(st.as_of) FROM st),
	       us.unit_id::bigint,
	       NOT us.is_total AND EXISTS (SELECT 1 FROM minqing.org_unit c WHERE c.parent_id = us.unit_id)
	  FROM us CROSS JOIN b CROSS JOIN me JOIN fs ON fs.unit_id = us.unit_id JOIN fd ON fd.unit_id = us.unit_id
	  LEFT JOIN pa ON pa.unit_id = us.unit_id
	 -- towns before departments and agencies, villages before communities and enterprises
	 ORDER BY us.is_total DESC, us.kind, us.code
$$;
COMMENT ON FUNCTION minqing.report_outreach(text, text) IS
	'统计报表, outreach and basic information: per unit (a total, then the units under it) visit coverage '
	'against the target, visits, persons met, live cards, volunteers and hours, activities, dialogue meetings '
	'held and reviewed, pairings in force, party-member link coverage, stale archive sections and memos, for a '
	'period, from the outreach summaries (as_of: when they were counted; docs/reports.md).';
REVOKE ALL ON FUNCTION minqing.report_outreach(text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.report_outreach(text, text) TO mq_staff;
-- (report_outreach_refresh, owned by mq_summariser, reads the stale period.)
GRANT EXECUTE ON FUNCTION minqing.archive_stale_months(smallint) TO mq_summariser;

-- The cases behind a figure of a unit's subtree in a period, newest first,
-- a page at a time by keyset (created_at DESC, case_id DESC): recorded
-- (created in the period), resolved (of those), overdue_now (of those),
-- red (a red warning raised in the period), reopened and unsatisfied (a
-- reopening in the period). Rows as the cases list gives them; Enter opens
-- the case.
CREATE OR REPLACE FUNCTION minqing.report_cases_list(p_unit text, p_period text, p_filter text DEFAULT 'recorded',
                                                     p_limit integer DEFAULT 50,
                                                     p_after_created timestamptz DEFAULT NULL,
                                                     p_after_id bigint DEFAULT NULL)
RETURNS TABLE (case_id bigint, case_no text, status minqing.case_status, warning_level minqing.warning_level,
               title text, created_at timestamptz, due_at timestamptz, unit_name text, row_version integer)
LANGUAGE plpgsql STABLE SET search_path = minqing, ext, pg_temp SET jit = off
SET enable_bitmapscan = off SET max_parallel_workers_per_gather = 0 AS $$
#variable_conflict use_column
DECLARE
	b record;
	u record;
	tz text;
	t0 timestamptz;
	t1 timestamptz;
	lim integer := least(greatest(coalesce(p_limit, 50), 1), 500);
	f text := coalesce(p_filter, 'recorded');
	ac timestamptz := coalesce(p_after_created, 'infinity');
	ai bigint := coalesce(p_after_id, 9223372036854775807);
BEGIN
	IF f NOT IN ('recorded', 'resolved', 'overdue_now', 'red', 'reopened', 'unsatisfied') THEN
		RAISE EXCEPTION 'unknown figure "%": recorded, resolved, overdue_now, red, reopened or unsatisfied', f
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	SELECT * INTO b FROM minqing.report_period_bounds(p_period);
	SELECT r.unit_id, r.path, o.district_id INTO u
	  FROM minqing.report_unit(p_unit) r JOIN minqing.org_unit o ON o.unit_id = r.unit_id;
	IF NOT FOUND THEN
		RETURN;
	END IF;
	tz := (minqing.calendar_setting(u.district_id)).time_zone;
	t0 := b.period_from::timestamp AT TIME ZONE tz;
	t1 := (b.period_to + 1)::timestamp AT TIME ZONE tz;
	IF f IN ('red', 'reopened', 'unsatisfied') THEN
		-- the period's marks under the unit (as the figure counts them: the
		-- case's paths at the time), newest case first, then the page's cases
		RETURN QUERY
		WITH k AS MATERIALIZED (
			SELECT DISTINCT m.case_id, m.created_at FROM minqing.report_case_mark m
			 WHERE m.kind = CASE f WHEN 'red' THEN 'red' ELSE 'reopen' END AND m.at >= t0 AND m.at < t1
			   AND (m.origin_path OPERATOR(ext.<@) u.path OR m.assigned_path OPERATOR(ext.<@) u.path)
			   AND (m.created_at, m.case_id) < (ac, ai)
		)
		SELECT c.case_id, c.case_no, c.status, c.warning_level, c.title, c.created_at, c.due_at,
		       h.name, c.row_version
		  FROM (SELECT k.* FROM k ORDER BY k.created_at DESC, k.case_id DESC) k
		  JOIN minqing.cases c ON c.case_id = k.case_id
		  JOIN minqing.org_unit h ON h.unit_id = coalesce(c.assigned_unit_id, c.origin_unit_id)
		 ORDER BY k.created_at DESC, k.case_id DESC LIMIT lim;
	ELSIF f = 'overdue_now' THEN
		-- the open cases past their deadline first (cases_report_open), then the page
		RETURN QUERY
		WITH k AS MATERIALIZED (
			SELECT o.case_id FROM minqing.cases o
			 WHERE o.status IN ('accepted', 'dispatched', 'in_progress') AND o.due_at < now()
			   AND o.created_at >= t0 AND o.created_at < t1 AND (o.created_at, o.case_id) < (ac, ai)
			   AND (o.origin_path OPERATOR(ext.<@) u.path OR o.assigned_path OPERATOR(ext.<@) u.path)
		)
		SELECT c.case_id, c.case_no, c.status, c.warning_level, c.title, c.created_at, c.due_at,
		       h.name, c.row_version
		  FROM k JOIN minqing.cases c ON c.case_id = k.case_id
		  JOIN minqing.org_unit h ON h.unit_id = coalesce(c.assigned_unit_id, c.origin_unit_id)
		 ORDER BY c.created_at DESC, c.case_id DESC LIMIT lim;
	ELSIF NOT EXISTS (SELECT 1 FROM minqing.org_unit x WHERE x.parent_id = u.unit_id) THEN
		-- A unit with no unit below it: its received and its handled cases,
		-- each stream in the page's order by the unit's index
		-- (cases_origin_created, cases_assigned_created), not the period's
		-- every case of the district tested against the unit's path (an
		-- enterprise with none read them all: 30-80 ms at scale 10). A case
		-- both received and handled there is in both: the union is of keys.
		RETURN QUERY
		SELECT c.case_id, c.case_no, c.status, c.warning_level, c.title, c.created_at, c.due_at,
		       h.name, c.row_version
		  FROM ((SELECT o.created_at, o.case_id FROM minqing.cases o
		          WHERE o.origin_unit_id = u.unit_id AND o.created_at >= t0 AND o.created_at < t1
		            AND (o.created_at, o.case_id) < (ac, ai)
		            AND (f = 'recorded' OR o.status IN ('resolved', 'reported', 'closed'))
		          ORDER BY o.created_at DESC, o.case_id DESC LIMIT lim)
		        UNION
		        (SELECT o.created_at, o.case_id FROM minqing.cases o
		          WHERE o.assigned_unit_id = u.unit_id AND o.created_at >= t0 AND o.created_at < t1
		            AND (o.created_at, o.case_id) < (ac, ai)
		            AND (f = 'recorded' OR o.status IN ('resolved', 'reported', 'closed'))
		          ORDER BY o.created_at DESC, o.case_id DESC LIMIT lim)) k
		  JOIN minqing.cases c ON c.case_id = k.case_id
		  JOIN minqing.org_unit h ON h.unit_id = coalesce(c.assigned_unit_id, c.origin_unit_id)
		 ORDER BY k.created_at DESC, k.case_id DESC LIMIT lim;
	ELSE
		RETURN QUERY
		SELECT c.case_id, c.case_no, c.status, c.warning_level, c.title, c.created_at, c.due_at,
		       h.name, c.row_version
		  FROM minqing.cases c
		  JOIN minqing.org_unit h ON h.unit_id = coalesce(c.assigned_unit_id, c.origin_unit_id)
		 WHERE c.created_at >= t0 AND c.created_at < t1 AND c.created_at <= ac
		   AND (c.created_at, c.case_id) < (ac, ai)
		   AND (f = 'recorded' OR c.status IN ('resolved', 'reported', 'closed'))
		   AND (c.origin_path OPERATOR(ext.<@) u.path OR c.assigned_path OPERATOR(ext.<@) u.path)
		 ORDER BY c.created_at DESC, c.case_id DESC LIMIT lim;
	END IF;
END
$$;
COMMENT ON FUNCTION minqing.report_cases_list(text, text, text, integer, timestamptz, bigint) IS
	'The cases behind a report figure (recorded, resolved, overdue_now, red, reopened, unsatisfied) of a unit''s '
	'subtree in a period, newest first, keyset (created_at, case_id); the columns of the cases list.';
REVOKE ALL ON FUNCTION minqing.report_cases_list(text, text, text, integer, timestamptz, bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.report_cases_list(text, text, text, integer, timestamptz, bigint) TO mq_staff;

RESET ROLE;
