-- 020_report_figures.sql: the summaries behind the report figures
-- (统计报表), kept in the database by triggers so that a report screen
-- reads a few hundred summary rows instead of counting every case.
--
-- report_case_day: per unit, day (the district's calendar day), dimension
-- and key, the counters of the cases recorded that day (recorded, withdrawn,
-- resolved, on time, working hours to resolution) and of what happened that
-- day (warnings raised by level, answers at close, reopenings). A case
-- counts for every unit on the path where it was received and on the path of
-- the unit handling it (as report_summary counts it), once per unit; the
-- dimensions are 'unit' (key ''), 'centre', 'category', 'channel' and
-- 'level' (the handling unit's level), for the breakdowns.
-- report_case_hours: the same cases' working hours to resolution as a
-- histogram of whole hours per unit, month, dimension and key (the 90th
-- percentile).
--
-- Kept by statement triggers on cases (AFTER INSERT / UPDATE, transition
-- tables: the difference between a case's old and new contribution) and on
-- case_event (AFTER INSERT: warnings, closes, reopenings), owned by the role
-- mq_summariser (BYPASSRLS: a case's contribution goes to units above the
-- caller's sight). minqing.report_rebuild() recounts everything; this
-- migration runs it once for the cases already there. docs/reports.md has
-- the definitions and the reasons; schema/functions/72_report_figures.sql
-- the functions.
--
-- Applied by `minqing-admin migrate` as a superuser, in one transaction.

-- Roles are the cluster's: databases migrated side by side (the tests) take
-- turns.
LOCK TABLE pg_catalog.pg_authid IN SHARE ROW EXCLUSIVE MODE;
DO $$
BEGIN
	IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'mq_summariser') THEN
		CREATE ROLE mq_summariser NOLOGIN BYPASSRLS IN ROLE mq_system;
	END IF;
END
$$;
GRANT USAGE ON SCHEMA minqing, ext TO mq_summariser;

SET LOCAL ROLE mq_owner;
SET LOCAL search_path = minqing, ext, pg_temp;

CREATE TABLE minqing.report_case_day (
	unit_id     integer NOT NULL,
	path        ext.ltree NOT NULL,
	day         date NOT NULL,
	dim         text NOT NULL CHECK (dim IN ('unit', 'centre', 'category', 'channel', 'level')),
	key         text NOT NULL,
	recorded    integer NOT NULL DEFAULT 0,
	withdrawn   integer NOT NULL DEFAULT 0,
	resolved    integer NOT NULL DEFAULT 0,
	on_time     integer NOT NULL DEFAULT 0,
	hours_sum   numeric NOT NULL DEFAULT 0,
	yellow      integer NOT NULL DEFAULT 0,
	orange      integer NOT NULL DEFAULT 0,
	red         integer NOT NULL DEFAULT 0,
	satisfied   integer NOT NULL DEFAULT 0,
	basic       integer NOT NULL DEFAULT 0,
	unsatisfied integer NOT NULL DEFAULT 0,
	reopened    integer NOT NULL DEFAULT 0,
	-- covering: a report reads a unit's rows of a period from the index
	-- alone (the rows of a unit are spread over the heap, a day at a time)
	PRIMARY KEY (unit_id, dim, day, key) INCLUDE (path, recorded, withdrawn, resolved, on_time, hours_sum, yellow,
	                                              orange, red, satisfied, basic, unsatisfied, reopened)
);
COMMENT ON TABLE minqing.report_case_day IS
	'The report figures of cases per unit, day (district calendar), dimension and key: of the cases recorded '
	'that day (recorded, withdrawn, resolved, on_time, hours_sum) and of what happened that day (yellow, '
	'orange, red, satisfied, basic, unsatisfied, reopened). Kept by triggers on cases and case_event '
	'(report_cases_sync, report_events_sync); recounted by report_rebuild(). docs/reports.md.';

CREATE TABLE minqing.report_case_hours (
	unit_id integer NOT NULL,
	path    ext.ltree NOT NULL,
	month   date NOT NULL CHECK (extract(day FROM month) = 1),
	dim     text NOT NULL CHECK (dim IN ('unit', 'centre', 'category', 'channel', 'level')),
	key     text NOT NULL,
	hours   integer NOT NULL CHECK (hours >= 0),
	n       integer NOT NULL DEFAULT 0,
	PRIMARY KEY (unit_id, dim, month, key, hours) INCLUDE (path, n)
);
COMMENT ON TABLE minqing.report_case_hours IS
	'Working hours from recording to resolution of the resolved cases, as a histogram of whole hours '
	'(rounded up) per unit, month of recording, dimension and key: the 90th percentile of a period. Kept '
	'with report_case_day.';

-- Readers: staff of the jurisdiction (the functions of 72 run as the
-- caller). Writers: only mq_summariser, which bypasses RLS.
ALTER TABLE minqing.report_case_day ENABLE ROW LEVEL SECURITY;
ALTER TABLE minqing.report_case_day FORCE ROW LEVEL SECURITY;
CREATE POLICY report_case_day_read ON minqing.report_case_day FOR SELECT
	USING (path <@ (SELECT minqing.my_scope()));
ALTER TABLE minqing.report_case_hours ENABLE ROW LEVEL SECURITY;
ALTER TABLE minqing.report_case_hours FORCE ROW LEVEL SECURITY;
CREATE POLICY report_case_hours_read ON minqing.report_case_hours FOR SELECT
	USING (path <@ (SELECT minqing.my_scope()));
GRANT SELECT ON minqing.report_case_day, minqing.report_case_hours TO mq_staff;
GRANT SELECT, INSERT, UPDATE, DELETE ON minqing.report_case_day, minqing.report_case_hours TO mq_summariser;
GRANT SELECT ON minqing.cases, minqing.case_event, minqing.org_unit, minqing.case_category,
	minqing.district, minqing.holiday, minqing.work_calendar_setting TO mq_summariser;

-- Outreach (report_outreach): what the registers hold now per unit
-- (report_outreach_state) and what happened per unit and day
-- (report_outreach_day), counted by report_outreach_refresh(), which the
-- escalation job runs (at most every five minutes): the registers are
-- changed by many functions of other modules, so a recount past RLS
-- (seconds at scale 10) instead of triggers on each; the lag is shown
-- (as_of).
CREATE TABLE minqing.report_outreach_state (
	unit_id                integer PRIMARY KEY,
	path                   ext.ltree NOT NULL,
	as_of                  timestamptz NOT NULL,
	households             integer NOT NULL DEFAULT 0,
	visited_12m            integer NOT NULL DEFAULT 0,
	active_households      integer NOT NULL DEFAULT 0,
	linked_households      integer NOT NULL DEFAULT 0,
	volunteers             integer NOT NULL DEFAULT 0,
	archive_sections_stale integer NOT NULL DEFAULT 0,
	memos_stale            integer NOT NULL DEFAULT 0
);
COMMENT ON TABLE minqing.report_outreach_state IS
	'Per unit, at as_of: households of its grid cells and those visited in the twelve months before, active '
	'households and those with a party-member link, active volunteers, stale archive sections and memos. '
	'Recounted by report_outreach_refresh() (the escalation job).';
CREATE TABLE minqing.report_outreach_day (
	unit_id           integer NOT NULL,
	path              ext.ltree NOT NULL,
	day               date NOT NULL,
	visits            integer NOT NULL DEFAULT 0,
	persons_met       integer NOT NULL DEFAULT 0,
	cards_issued      integer NOT NULL DEFAULT 0,
	cards_voided      integer NOT NULL DEFAULT 0,
	volunteer_hours   numeric NOT NULL DEFAULT 0,
	activities        integer NOT NULL DEFAULT 0,
	meetings_held     integer NOT NULL DEFAULT 0,
	meetings_reviewed integer NOT NULL DEFAULT 0,
	PRIMARY KEY (unit_id, day)
);
COMMENT ON TABLE minqing.report_outreach_day IS
	'Per unit and day (district calendar): visits and persons met, service cards issued and voided, hours of '
	'volunteers'' attendance, activities starting, dialogue meetings held (and of them reviewed). Recounted by '
	'report_outreach_refresh().';
ALTER TABLE minqing.report_outreach_state ENABLE ROW LEVEL SECURITY;
ALTER TABLE minqing.report_outreach_state FORCE ROW LEVEL SECURITY;
CREATE POLICY report_outreach_state_read ON minqing.report_outreach_state FOR SELECT
	USING (path <@ (SELECT minqing.my_scope()));
ALTER TABLE minqing.report_outreach_day ENABLE ROW LEVEL SECURITY;
ALTER TABLE minqing.report_outreach_day FORCE ROW LEVEL SECURITY;
CREATE POLICY report_outreach_day_read ON minqing.report_outreach_day FOR SELECT
	USING (path <@ (SELECT minqing.my_scope()));
GRANT SELECT ON minqing.report_outreach_state, minqing.report_outreach_day TO mq_staff;
GRANT SELECT, INSERT, UPDATE, DELETE ON minqing.report_outreach_state, minqing.report_outreach_day TO mq_summariser;
GRANT SELECT ON minqing.household, minqing.household_link, minqing.household_cell, minqing.grid_cell,
	minqing.service_card, minqing.volunteer, minqing.activity, minqing.activity_signup, minqing.meeting,
	minqing.visit, minqing.archive_section, minqing.archive_setting, minqing.household_memo TO mq_summariser;

-- The cases behind the event figures of a period (report_cases_list: red,
-- reopened, unsatisfied): a small part of the timeline, so that row-level
-- security checks only those events.
CREATE INDEX case_event_report ON minqing.case_event (at)
	WHERE kind = 'reopen' OR (kind = 'warning' AND data ->> 'step' = 'red');
-- The cases overdue now (report_overdue, report_cases_list): the open cases
-- whose clock runs, by deadline, with what the reports and the row-level
-- security policy of cases read, so that the count is an index-only scan
-- of the open cases (the policy's path indexes would otherwise be combined
-- with it and read every case).
CREATE INDEX cases_report_open ON minqing.cases (due_at)
	INCLUDE (case_id, created_at, origin_path, assigned_path, origin_unit_id, assigned_unit_id, category_id, channel,
	         status)
	WHERE status IN ('accepted', 'dispatched', 'in_progress');

-- The functions that keep the summaries (the same text as in
-- schema/functions/72_report_figures.sql, which replaces them), the
-- triggers, and the first count.
-- The units a case counts for: every unit on the path where it was received
-- and on the path of the unit it is assigned to, once each (as
-- report_summary counts a case for a jurisdiction: received or handled in it).
-- (No SET clause, so that it is inlined into the callers.)
CREATE OR REPLACE FUNCTION minqing.report_case_units(p_origin ext.ltree, p_assigned ext.ltree)
RETURNS TABLE (unit_id integer, path ext.ltree)
LANGUAGE sql STABLE AS $$
	SELECT u.unit_id, u.path FROM minqing.org_unit u
	 WHERE u.path OPERATOR(ext.@>) p_origin
	    OR (p_assigned IS NOT NULL AND u.path OPERATOR(ext.@>) p_assigned)
$$;
COMMENT ON FUNCTION minqing.report_case_units(ext.ltree, ext.ltree) IS
	'The units a case counts for in the reports: the ancestors (and self) of the unit where it was received '
	'and of the unit handling it, once each.';
REVOKE ALL ON FUNCTION minqing.report_case_units(ext.ltree, ext.ltree) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.report_case_units(ext.ltree, ext.ltree) TO mq_summariser, mq_staff;

-- The summary rows of one case as it is now: for each of its units and each
-- dimension, the day it was recorded (district calendar) and its counters.
-- Resolved: resolved, reported back or closed (as report_summary); on time:
-- resolved by the deadline (no deadline: on time); hours: working hours
-- (the district's calendar) from recording to resolution. The inner
-- query is a fence (OFFSET 0): the calendar is read once per case, not once
-- per row.
CREATE OR REPLACE FUNCTION minqing.report_case_parts(c minqing.cases)
RETURNS TABLE (unit_id integer, path ext.ltree, day date, dim text, key text, recorded integer,
               withdrawn integer, resolved integer, on_time integer, hours numeric)
LANGUAGE sql STABLE AS $$
	SELECT u.unit_id, u.path, f.day, d.dim, d.key, 1, f.withdrawn, f.resolved, f.on_time, f.hours
	  FROM (SELECT (c.created_at AT TIME ZONE s.time_zone)::date AS day,
	               (c.status = 'withdrawn')::integer AS withdrawn,
	               (c.status IN ('resolved', 'reported', 'closed'))::integer AS resolved,
	               (c.status IN ('resolved', 'reported', 'closed')
	                AND c.resolved_at <= coalesce(c.due_at, c.resolved_at))::integer AS on_time,
	               CASE WHEN c.status IN ('resolved', 'reported', 'closed') AND c.resolved_at IS NOT NULL
	                    THEN minqing.working_seconds_between(c.district_id, c.created_at, c.resolved_at) / 3600
	               END AS hours,
	               (SELECT g.centre FROM minqing.case_category g WHERE g.category_id = c.category_id) AS centre,
	               (SELECT o.level FROM minqing.org_unit o
	                 WHERE o.unit_id = coalesce(c.assigned_unit_id, c.origin_unit_id)) AS level
	          FROM minqing.calendar_setting(c.district_id) s OFFSET 0) f
	 CROSS JOIN minqing.report_case_units(c.origin_path, c.assigned_path) u
	 CROSS JOIN LATERAL (VALUES ('unit', ''), ('centre', f.centre::text), ('category', c.category_id::text),
	                            ('channel', c.channel::text), ('level', f.level::text)) d (dim, key)
$$;
COMMENT ON FUNCTION minqing.report_case_parts(minqing.cases) IS
	'The rows a case adds to report_case_day (and, resolved, to report_case_hours): per unit it counts for and '
	'per dimension, the day it was recorded and whether it was withdrawn, resolved, on time, and its working '
	'hours to resolution.';
REVOKE ALL ON FUNCTION minqing.report_case_parts(minqing.cases) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.report_case_parts(minqing.cases) TO mq_summariser;

-- The summary rows of one event of a case: a warning raised by the
-- escalation rules (yellow, orange, red), an answer at close (satisfied,
-- basically satisfied) or a reopening (not satisfied: the case is handled
-- again), on the day of the event, for the units of the case at that time.
CREATE OR REPLACE FUNCTION minqing.report_event_parts(e minqing.case_event, c minqing.cases)
RETURNS TABLE (unit_id integer, path ext.ltree, day date, dim text, key text, yellow integer,
               orange integer, red integer, satisfied integer, basic integer, unsatisfied integer,
               reopened integer)
LANGUAGE sql STABLE AS $$
	SELECT u.unit_id, u.path, f.day, d.dim, d.key,
	       (e.kind = 'warning' AND e.data ->> 'step' = 'yellow')::integer,
	       (e.kind = 'warning' AND e.data ->> 'step' = 'orange')::integer,
	       (e.kind = 'warning' AND e.data ->> 'step' = 'red')::integer,
	       (e.kind = 'close' AND e.data ->> 'satisfaction' = 'satisfied')::integer,
	       (e.kind = 'close' AND e.data ->> 'satisfaction' = 'basically_satisfied')::integer,
	       (e.kind = 'reopen' OR (e.kind = 'close' AND e.data ->> 'satisfaction' = 'not_satisfied'))::integer,
	       (e.kind = 'reopen')::integer
	  FROM (SELECT (e.at AT TIME ZONE s.time_zone)::date AS day,
	               (SELECT g.centre FROM minqing.case_category g WHERE g.category_id = c.category_id) AS centre,
	               (SELECT o.level FROM minqing.org_unit o
	                 WHERE o.unit_id = coalesce(c.assigned_unit_id, c.origin_unit_id)) AS level
	          FROM minqing.calendar_setting(c.district_id) s OFFSET 0) f
	 CROSS JOIN minqing.report_case_units(c.origin_path, c.assigned_path) u
	 CROSS JOIN LATERAL (VALUES ('unit', ''), ('centre', f.centre::text), ('category', c.category_id::text),
	                            ('channel', c.channel::text), ('level', f.level::text)) d (dim, key)
	 WHERE e.kind IN ('warning', 'close', 'reopen')
$$;
COMMENT ON FUNCTION minqing.report_event_parts(minqing.case_event, minqing.cases) IS
	'The rows an event of a case adds to report_case_day: a warning raised (yellow, orange, red), an answer at '
	'close (satisfied, basic), a reopening (reopened, and unsatisfied: the answer that reopens), per unit and '
	'dimension, on the day of the event.';
REVOKE ALL ON FUNCTION minqing.report_event_parts(minqing.case_event, minqing.cases) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.report_event_parts(minqing.case_event, minqing.cases) TO mq_summariser;

------------------------------------------------------------------------------
-- Keeping the summaries: statement triggers (owned by mq_summariser)
------------------------------------------------------------------------------
RESET ROLE;
-- AFTER INSERT / AFTER UPDATE on cases, per statement: the difference
-- between the old and the new contribution of the cases whose figures can
-- have changed (an escalation pass's updates of warning levels change
-- none and cost one join of the transition tables). Rows are written in key
-- order, so that two transactions never wait for each other's rows in
-- opposite orders.
CREATE OR REPLACE FUNCTION minqing.report_cases_sync() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = minqing, ext, pg_temp AS $$
BEGIN
	IF TG_OP = 'INSERT' THEN
		WITH p AS MATERIALIZED (
			SELECT 1 AS sign, x.* FROM new_rows n CROSS JOIN LATERAL minqing.report_case_parts(n) x
		), d AS (
			INSERT INTO minqing.report_case_day AS t (unit_id, path, day, dim, key, recorded, withdrawn,
			                                          resolved, on_time, hours_sum)
			SELECT p.unit_id, p.path, p.day, p.dim, p.key, sum(p.sign * p.recorded), sum(p.sign * p.withdrawn),
			       sum(p.sign * p.resolved), sum(p.sign * p.on_time), coalesce(sum(p.sign * p.hours), 0)
			  FROM p GROUP BY p.unit_id, p.path, p.day, p.dim, p.key
			 ORDER BY p.unit_id, p.dim, p.day, p.key
			ON CONFLICT (unit_id, dim, day, key) DO UPDATE
			   SET recorded = t.recorded + excluded.recorded, withdrawn = t.withdrawn + excluded.withdrawn,
			       resolved = t.resolved + excluded.resolved, on_time = t.on_time + excluded.on_time,
			       hours_sum = t.hours_sum + excluded.hours_sum
		)
		INSERT INTO minqing.report_case_hours AS t (unit_id, path, month, dim, key, hours, n)
		SELECT p.unit_id, p.path, date_trunc('month', p.day)::date, p.dim, p.key, ceil(p.hours)::integer,
		       sum(p.sign)
		  FROM p WHERE p.hours IS NOT NULL
		 GROUP BY 1, 2, 3, 4, 5, 6 ORDER BY 1, 4, 3, 5, 6
		ON CONFLICT (unit_id, dim, month, key, hours) DO UPDATE SET n = t.n + excluded.n;
		RETURN NULL;
	END IF;
	WITH ch AS (
		SELECT o.case_id FROM old_rows o JOIN new_rows n ON n.case_id = o.case_id
		 WHERE (o.status, o.resolved_at, o.due_at, o.created_at, o.origin_path, o.assigned_path,
		        o.assigned_unit_id, o.origin_unit_id, o.category_id, o.channel, o.district_id)
		       IS DISTINCT FROM
		       (n.status, n.resolved_at, n.due_at, n.created_at, n.origin_path, n.assigned_path,
		        n.assigned_unit_id, n.origin_unit_id, n.category_id, n.channel, n.district_id)
	), p AS MATERIALIZED (
		SELECT -1 AS sign, x.* FROM ch JOIN old_rows o ON o.case_id = ch.case_id
		 CROSS JOIN LATERAL minqing.report_case_parts(o) x
		UNION ALL
		SELECT 1, x.* FROM ch JOIN new_rows n ON n.case_id = ch.case_id
		 CROSS JOIN LATERAL minqing.report_case_parts(n) x
	), d AS (
		INSERT INTO minqing.report_case_day AS t (unit_id, path, day, dim, key, recorded, withdrawn,
		                                          resolved, on_time, hours_sum)
		SELECT p.unit_id, p.path, p.day, p.dim, p.key, sum(p.sign * p.recorded), sum(p.sign * p.withdrawn),
		       sum(p.sign * p.resolved), sum(p.sign * p.on_time), coalesce(sum(p.sign * p.hours), 0)
		  FROM p GROUP BY p.unit_id, p.path, p.day, p.dim, p.key
		HAVING sum(p.sign * p.recorded) <> 0 OR sum(p.sign * p.withdrawn) <> 0 OR sum(p.sign * p.resolved) <> 0
		    OR sum(p.sign * p.on_time) <> 0 OR coalesce(sum(p.sign * p.hours), 0) <> 0
		 ORDER BY p.unit_id, p.dim, p.day, p.key
		ON CONFLICT (unit_id, dim, day, key) DO UPDATE
		   SET recorded = t.recorded + excluded.recorded, withdrawn = t.withdrawn + excluded.withdrawn,
		       resolved = t.resolved + excluded.resolved, on_time = t.on_time + excluded.on_time,
		       hours_sum = t.hours_sum + excluded.hours_sum
	)
	INSERT INTO minqing.report_case_hours AS t (unit_id, path, month, dim, key, hours, n)
	SELECT p.unit_id, p.path, date_trunc('month', p.day)::date, p.dim, p.key, ceil(p.hours)::integer, sum(p.sign)
	  FROM p WHERE p.hours IS NOT NULL
	 GROUP BY 1, 2, 3, 4, 5, 6 HAVING sum(p.sign) <> 0 ORDER BY 1, 4, 3, 5, 6
	ON CONFLICT (unit_id, dim, month, key, hours) DO UPDATE SET n = t.n + excluded.n;
	RETURN NULL;
END
$$;
ALTER FUNCTION minqing.report_cases_sync() OWNER TO mq_summariser;
REVOKE ALL ON FUNCTION minqing.report_cases_sync() FROM PUBLIC;
COMMENT ON FUNCTION minqing.report_cases_sync() IS
	'Trigger (AFTER INSERT / UPDATE on cases, per statement): adds the difference between the old and new '
	'contribution (report_case_parts) of the cases whose figures changed to the report summaries. Owned by '
	'mq_summariser (BYPASSRLS).';

-- AFTER INSERT on case_event, per statement: warnings, closes and
-- reopenings (the other events cost one look at the transition table).
CREATE OR REPLACE FUNCTION minqing.report_events_sync() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = minqing, ext, pg_temp AS $$
BEGIN
	IF NOT EXISTS (SELECT 1 FROM new_rows e WHERE e.kind IN ('warning', 'close', 'reopen')) THEN
		RETURN NULL;
	END IF;
	INSERT INTO minqing.report_case_day AS t (unit_id, path, day, dim, key, yellow, orange, red, satisfied,
	                                          basic, unsatisfied, reopened)
	SELECT p.unit_id, p.path, p.day, p.dim, p.key, sum(p.yellow), sum(p.orange), sum(p.red), sum(p.satisfied),
	       sum(p.basic), sum(p.unsatisfied), sum(p.reopened)
	  FROM new_rows e
	  JOIN minqing.cases c ON c.case_id = e.case_id
	 CROSS JOIN LATERAL minqing.report_event_parts(e, c) p
	 WHERE e.kind IN ('warning', 'close', 'reopen')
	 GROUP BY p.unit_id, p.path, p.day, p.dim, p.key
	 ORDER BY p.unit_id, p.dim, p.day, p.key
	ON CONFLICT (unit_id, dim, day, key) DO UPDATE
	   SET yellow = t.yellow + excluded.yellow, orange = t.orange + excluded.orange, red = t.red + excluded.red,
	       satisfied = t.satisfied + excluded.satisfied, basic = t.basic + excluded.basic,
	       unsatisfied = t.unsatisfied + excluded.unsatisfied, reopened = t.reopened + excluded.reopened;
	RETURN NULL;
END
$$;
ALTER FUNCTION minqing.report_events_sync() OWNER TO mq_summariser;
REVOKE ALL ON FUNCTION minqing.report_events_sync() FROM PUBLIC;
COMMENT ON FUNCTION minqing.report_events_sync() IS
	'Trigger (AFTER INSERT on case_event, per statement): adds warnings raised, answers at close and '
	'reopenings (report_event_parts) to report_case_day, for the units of the case at the time. Owned by '
	'mq_summariser (BYPASSRLS).';

-- Recount every summary from the cases and their timelines (after a repair,
-- a change of the working calendar that should apply to past cases, or to
-- check the triggers). Holds the summaries locked: case changes wait.
-- Events count for the units their case has now (the triggers counted them
-- for the units of the time: they differ only for cases moved since).
CREATE OR REPLACE FUNCTION minqing.report_rebuild() RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	n bigint;
BEGIN
	IF NOT pg_has_role(session_user, 'mq_system', 'MEMBER') THEN
		RAISE EXCEPTION 'only a system job may recount the report summaries'
			USING ERRCODE = 'insufficient_privilege';
	END IF;
	LOCK TABLE minqing.report_case_day, minqing.report_case_hours IN EXCLUSIVE MODE;
	DELETE FROM minqing.report_case_day;
	DELETE FROM minqing.report_case_hours;
	WITH p AS MATERIALIZED (
		SELECT x.* FROM minqing.cases c CROSS JOIN LATERAL minqing.report_case_parts(c) x
	), d AS (
		INSERT INTO minqing.report_case_day (unit_id, path, day, dim, key, recorded, withdrawn, resolved,
		                                     on_time, hours_sum)
		SELECT p.unit_id, p.path, p.day, p.dim, p.key, sum(p.recorded), sum(p.withdrawn), sum(p.resolved),
		       sum(p.on_time), coalesce(sum(p.hours), 0)
		  FROM p GROUP BY p.unit_id, p.path, p.day, p.dim, p.key
	)
	INSERT INTO minqing.report_case_hours (unit_id, path, month, dim, key, hours, n)
	SELECT p.unit_id, p.path, date_trunc('month', p.day)::date, p.dim, p.key, ceil(p.hours)::integer, count(*)
	  FROM p WHERE p.hours IS NOT NULL GROUP BY 1, 2, 3, 4, 5, 6;
	INSERT INTO minqing.report_case_day AS t (unit_id, path, day, dim, key, yellow, orange, red, satisfied,
	                                          basic, unsatisfied, reopened)
	SELECT p.unit_id, p.path, p.day, p.dim, p.key, sum(p.yellow), sum(p.orange), sum(p.red), sum(p.satisfied),
	       sum(p.basic), sum(p.unsatisfied), sum(p.reopened)
	  FROM minqing.case_event e
	  JOIN minqing.cases c ON c.case_id = e.case_id
	 CROSS JOIN LATERAL minqing.report_event_parts(e, c) p
	 WHERE e.kind IN ('warning', 'close', 'reopen')
	 GROUP BY p.unit_id, p.path, p.day, p.dim, p.key
	ON CONFLICT (unit_id, dim, day, key) DO UPDATE
	   SET yellow = excluded.yellow, orange = excluded.orange, red = excluded.red,
	       satisfied = excluded.satisfied, basic = excluded.basic, unsatisfied = excluded.unsatisfied,
	       reopened = excluded.reopened;
	SELECT count(*) INTO n FROM minqing.report_case_day;
	RETURN n;
END
$$;
ALTER FUNCTION minqing.report_rebuild() OWNER TO mq_summariser;
REVOKE ALL ON FUNCTION minqing.report_rebuild() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.report_rebuild() TO mq_system;
COMMENT ON FUNCTION minqing.report_rebuild() IS
	'Recount the report summaries (report_case_day, report_case_hours) from every case and its timeline, for '
	'every district: system jobs and the migrating superuser only. Returns the number of summary rows.';
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

RESET ROLE;
CREATE TRIGGER report_cases_insert AFTER INSERT ON minqing.cases
	REFERENCING NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION minqing.report_cases_sync();
CREATE TRIGGER report_cases_update AFTER UPDATE ON minqing.cases
	REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION minqing.report_cases_sync();
CREATE TRIGGER report_events_insert AFTER INSERT ON minqing.case_event
	REFERENCING NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION minqing.report_events_sync();
-- Also under session_replication_role = replica (bulk loads, repairs): the
-- summaries must never disagree with the cases.
ALTER TABLE minqing.cases ENABLE ALWAYS TRIGGER report_cases_insert;
ALTER TABLE minqing.cases ENABLE ALWAYS TRIGGER report_cases_update;
ALTER TABLE minqing.case_event ENABLE ALWAYS TRIGGER report_events_insert;

SELECT minqing.report_rebuild();
