-- 028_report_log.sql: the report figures' changes go through a log.
--
-- Until now the triggers on cases and case_event added every change of a
-- case to the summary rows (report_case_day, report_case_hours) in the
-- transaction that made it. Those rows are few and hot: every case of a
-- town recorded today adds to the same rows of the town, the district and
-- today, so every transaction that records, dispatches or resolves a case
-- waited for the one before it to commit (intake + accept + dispatch in one
-- transaction ran at 0.03x pgbench's TPC-B from 8 clients, 92 % of the
-- time in that trigger: tests/bench/intake.sh).
--
-- Now the triggers append what changed to report_case_log: a case's
-- columns that decide its figures, once with sign -1 as they were and once
-- with sign +1 as they are (recorded: only +1), and the warnings, answers
-- at close and reopenings with the case's columns at the time. Appending
-- never waits for anyone. minqing.report_fold() moves the log into the
-- summaries set-based, in key order, and is run by the escalation job after
-- every pass (every minute) and by the trigger itself after a statement of
-- more than a thousand cases (an import, the demo district). The report
-- functions read the summaries plus what is still in the log
-- (minqing.report_pending), so a figure is exact the moment the change is
-- committed, folded or not.
--
-- The log is read and written only by mq_summariser (BYPASSRLS) through
-- the triggers and definer functions of schema/functions/72_report_figures.sql;
-- no person's role has any privilege on it.
--
-- Applied by `minqing-admin migrate` as a superuser, in one transaction.

SET LOCAL ROLE mq_owner;
SET LOCAL search_path = minqing, ext, pg_temp;

-- No index: rows are appended by the triggers and taken all at once by
-- report_fold (DELETE ... RETURNING); a reader expands the few rows of
-- the last minute.
CREATE TABLE minqing.report_case_log (
	sign             smallint NOT NULL CHECK (sign IN (-1, 1)),
	event            text CHECK (event IN ('warning', 'close', 'reopen')),
	answer           text CHECK (length(answer) <= 40),
	at               timestamptz NOT NULL,
	district_id      smallint NOT NULL,
	status           minqing.case_status NOT NULL,
	created_at       timestamptz NOT NULL,
	resolved_at      timestamptz,
	due_at           timestamptz,
	category_id      integer NOT NULL,
	channel          minqing.case_channel NOT NULL,
	origin_unit_id   integer NOT NULL,
	assigned_unit_id integer,
	origin_path      ext.ltree NOT NULL,
	assigned_path    ext.ltree,
	CHECK (event IS NULL OR sign = 1)
);
COMMENT ON TABLE minqing.report_case_log IS
	'Changes of the report figures not yet in the summaries: a case''s figure-deciding columns (event NULL; '
	'sign -1 as they were, +1 as they are; at = created_at) and warnings, answers at close and reopenings '
	'(event, answer = step or satisfaction, at = the event''s time, the case''s columns then). Appended by '
	'the triggers on cases and case_event, folded into report_case_day and report_case_hours by '
	'report_fold(). mq_summariser only.';

ALTER TABLE minqing.report_case_log ENABLE ROW LEVEL SECURITY;
ALTER TABLE minqing.report_case_log FORCE ROW LEVEL SECURITY;
-- (no policy: only mq_summariser, which bypasses RLS, reads and writes it)
GRANT SELECT, INSERT, DELETE ON minqing.report_case_log TO mq_summariser;
-- The log is emptied by DELETE a minute at a time; autovacuum keeps up with
-- a small table at its defaults, sooner with these.
ALTER TABLE minqing.report_case_log SET (autovacuum_vacuum_threshold = 1000, autovacuum_vacuum_scale_factor = 0);

-- Copies of two functions of schema/functions/72_report_figures.sql (the
-- function files are applied after the last migration, and 71_reports.sql,
-- applied before 72, reads report_pending): the expansion of a log row and
-- the readers' view of the log.
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

RESET ROLE;
CREATE OR REPLACE FUNCTION minqing.report_pending(p_units integer[], p_dim text)
RETURNS TABLE (unit_id integer, key text, day date, sign integer, recorded integer, withdrawn integer,
               resolved integer, on_time integer, hours numeric, yellow integer, orange integer, red integer,
               satisfied integer, basic integer, unsatisfied integer, reopened integer)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = minqing, ext, pg_temp AS $$
	SELECT p.unit_id, p.key, p.day, p.sign, p.recorded, p.withdrawn, p.resolved, p.on_time, p.hours, p.yellow,
	       p.orange, p.red, p.satisfied, p.basic, p.unsatisfied, p.reopened
	  FROM minqing.report_case_log l
	 CROSS JOIN LATERAL minqing.report_log_parts(l) p
	 WHERE p.unit_id = ANY (p_units) AND p.dim = p_dim
	   AND p.path OPERATOR(ext.<@) (SELECT minqing.my_scope())
$$;
ALTER FUNCTION minqing.report_pending(integer[], text) OWNER TO mq_summariser;
REVOKE ALL ON FUNCTION minqing.report_pending(integer[], text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.report_pending(integer[], text) TO mq_staff;
COMMENT ON FUNCTION minqing.report_pending(integer[], text) IS
	'The report figures still in the log (report_case_log, not yet folded into the summaries) of units in one '
	'dimension, as signed rows, within the caller''s jurisdiction: the report functions add them to the '
	'summaries.';

-- Replaced by report_log_parts (72_report_figures.sql), which expands a log
-- row: the triggers no longer expand cases and events themselves.
DROP FUNCTION minqing.report_case_parts(minqing.cases);
DROP FUNCTION minqing.report_event_parts(minqing.case_event, minqing.cases);
