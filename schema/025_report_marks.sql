-- 025_report_marks.sql: the cases behind the event figures (red warnings,
-- reopenings) of a report, for the drill-down list (report_cases_list).
--
-- Before: the list read the red and reopen events of the period from
-- case_event (index case_event_report) and row-level security of case_event
-- looked up each event's case: 9,600 lookups of cases for a year of a
-- district at scale 10, 185 ms warm and 1.5 s cold, for a page of 50. A mark
-- holds what the list needs (the case, when it was recorded, the paths it
-- was visible under then), so the page is an index-only read of the marks of
-- the period, sorted, and 50 lookups of cases.
--
-- Kept by the trigger that keeps report_case_day (report_events_sync, owned
-- by mq_summariser, in schema/functions/72_report_figures.sql): the paths
-- are the case's at the time of the event, as the figures count it.
-- Recounted with the rest by report_rebuild(); filled here for the events
-- already there (with the cases' present paths, as report_rebuild counts).
--
-- Applied by `minqing-admin migrate` as a superuser, in one transaction.

SET LOCAL ROLE mq_owner;
SET LOCAL search_path = minqing, ext, pg_temp;

CREATE TABLE minqing.report_case_mark (
	event_id      bigint PRIMARY KEY,
	kind          text NOT NULL CHECK (kind IN ('red', 'reopen')),
	at            timestamptz NOT NULL,
	case_id       bigint NOT NULL,
	created_at    timestamptz NOT NULL,
	origin_path   ext.ltree NOT NULL,
	assigned_path ext.ltree
);
COMMENT ON TABLE minqing.report_case_mark IS
	'The red warnings and reopenings of cases (one row per event), with when the case was recorded and the '
	'paths it was visible under at the time: the drill-down list of a report''s red, reopened and unsatisfied '
	'figures. Kept by report_events_sync; recounted by report_rebuild(). docs/reports.md.';
-- covering: a page is an index-only read of the period's marks
CREATE INDEX report_case_mark_period ON minqing.report_case_mark (kind, at)
	INCLUDE (case_id, created_at, origin_path, assigned_path);

ALTER TABLE minqing.report_case_mark ENABLE ROW LEVEL SECURITY;
ALTER TABLE minqing.report_case_mark FORCE ROW LEVEL SECURITY;
CREATE POLICY report_case_mark_read ON minqing.report_case_mark FOR SELECT
	USING (origin_path <@ (SELECT minqing.my_scope()) OR assigned_path <@ (SELECT minqing.my_scope()));
GRANT SELECT ON minqing.report_case_mark TO mq_staff;
GRANT SELECT, INSERT, UPDATE, DELETE ON minqing.report_case_mark TO mq_summariser;

RESET ROLE;
INSERT INTO minqing.report_case_mark (event_id, kind, at, case_id, created_at, origin_path, assigned_path)
SELECT e.event_id, CASE e.kind WHEN 'reopen' THEN 'reopen' ELSE 'red' END, e.at, e.case_id, c.created_at,
       c.origin_path, c.assigned_path
  FROM minqing.case_event e
  JOIN minqing.cases c ON c.case_id = e.case_id
 WHERE e.kind = 'reopen' OR (e.kind = 'warning' AND e.data ->> 'step' = 'red');
ANALYZE minqing.report_case_mark;

-- The events' own index for the list is no longer read.
DROP INDEX minqing.case_event_report;
