-- 031_list_indexes.sql: indexes that let the first page of each list screen
-- walk an index in the list's order and stop after a page, at a million
-- cases and for every jurisdiction (issue 15, part 6b; docs/operations.md,
-- "List screens at a million cases"; measured by tests/bench/lists.sh).
--
-- The case lists read a jurisdiction in one of two ways
-- (schema/functions/55_lists.sql, 50_console.sql):
--   a unit with no unit below it (a village, a department, an agency: a
--     "leaf") reads its cases by unit id, the cases received there and
--     those assigned to it, each stream in the list's order (the *_created,
--     *_no and *_open indexes below): a village has 1 % of the cases, an
--     agency perhaps none, and walking the district's order to find them
--     read up to the whole table;
--   a town or the district walks the list's own order (cases_created,
--     the case number, cases_warning_due ...) and row-level security keeps
--     what it may see: a town sees a tenth of the cases, so a page is found
--     after a few hundred rows.
-- The inbox's branches (inbox()) page each by deadline within their unit,
-- handler or (received cases of a town) the received ones.
--
-- Built in the migration's transaction (CREATE INDEX CONCURRENTLY cannot
-- run in one): writes to cases wait while they are built, about 2 s an
-- index at a million cases; the small partial ones take milliseconds.
--
-- Applied by `minqing-admin migrate` as a superuser, in one transaction.

SET LOCAL maintenance_work_mem = '256MB';
SET LOCAL ROLE mq_owner;
SET LOCAL search_path = minqing, ext, pg_temp;

------------------------------------------------------------------------------
-- A unit's cases, newest first or by number (Find cases, for a leaf)
------------------------------------------------------------------------------
CREATE INDEX cases_origin_created ON minqing.cases (origin_unit_id, created_at, case_id);
CREATE INDEX cases_assigned_created ON minqing.cases (assigned_unit_id, created_at, case_id)
	WHERE assigned_unit_id IS NOT NULL;
CREATE INDEX cases_origin_no ON minqing.cases (origin_unit_id, case_no);
CREATE INDEX cases_assigned_no ON minqing.cases (assigned_unit_id, case_no)
	WHERE assigned_unit_id IS NOT NULL;

-- A centre's cases of a unit, newest first: a stream per category of the
-- centre (a department may have none of another centre's: its 15,000 would
-- be read to find none). Section 7 of the village archive reads the first
-- one as it read the index it replaces (origin_unit_id, category_id)
-- INCLUDE (created_at, resolved_at), index only.
DROP INDEX minqing.cases_origin_unit_category;
CREATE INDEX cases_origin_unit_category ON minqing.cases (origin_unit_id, category_id, created_at, case_id)
	INCLUDE (resolved_at);
CREATE INDEX cases_assigned_unit_category ON minqing.cases (assigned_unit_id, category_id, created_at, case_id)
	WHERE assigned_unit_id IS NOT NULL;

------------------------------------------------------------------------------
-- Open cases by deadline (warnings, reminders): a unit's, and those with a
-- warning (the district's and a town's walk)
------------------------------------------------------------------------------
CREATE INDEX cases_origin_open ON minqing.cases (origin_unit_id, due_at, case_id)
	WHERE status IN ('accepted', 'dispatched', 'in_progress', 'waiting');
CREATE INDEX cases_assigned_open ON minqing.cases (assigned_unit_id, due_at, case_id)
	WHERE status IN ('accepted', 'dispatched', 'in_progress', 'waiting');
CREATE INDEX cases_warning_due ON minqing.cases (due_at, case_id)
	WHERE status IN ('accepted', 'dispatched', 'in_progress', 'waiting') AND warning_level <> 'none';
CREATE INDEX cases_origin_warning ON minqing.cases (origin_unit_id, due_at, case_id)
	WHERE status IN ('accepted', 'dispatched', 'in_progress', 'waiting') AND warning_level <> 'none';
CREATE INDEX cases_assigned_warning ON minqing.cases (assigned_unit_id, due_at, case_id)
	WHERE status IN ('accepted', 'dispatched', 'in_progress', 'waiting') AND warning_level <> 'none';

-- Open cases, oldest first (会前汇总: a meeting's proposals), of the
-- district and of a unit.
CREATE INDEX cases_open_created ON minqing.cases (created_at, case_id)
	WHERE status IN ('received', 'accepted', 'dispatched', 'in_progress', 'waiting');
CREATE INDEX cases_origin_open_created ON minqing.cases (origin_unit_id, created_at, case_id)
	WHERE status IN ('received', 'accepted', 'dispatched', 'in_progress', 'waiting');
-- Open cases of a station this year (分站: each station's open cases) and
-- the cases an officer entered in the last 30 days (信息员名册), counted for
-- a page of stations or officers: with the paths the policy tests, so that
-- they are counted from the index alone (an officer enters 700 cases a
-- month at demo scale 10, a page of officers 33,000).
CREATE INDEX cases_station_open ON minqing.cases (station_id, created_at) INCLUDE (origin_path, assigned_path)
	WHERE station_id IS NOT NULL AND status NOT IN ('closed', 'withdrawn');
CREATE INDEX cases_entered_by ON minqing.cases (entered_by, created_at) INCLUDE (origin_path, assigned_path);

------------------------------------------------------------------------------
-- The inbox's branches, each by deadline (none last)
------------------------------------------------------------------------------
DROP INDEX minqing.cases_origin_todo;
CREATE INDEX cases_origin_todo ON minqing.cases (origin_unit_id, (coalesce(due_at, 'infinity')), case_id)
	WHERE status IN ('received', 'accepted', 'resolved');
DROP INDEX minqing.cases_assigned_todo;
CREATE INDEX cases_assigned_todo ON minqing.cases (assigned_unit_id, (coalesce(due_at, 'infinity')), case_id)
	WHERE status IN ('dispatched', 'in_progress', 'waiting');
DROP INDEX minqing.cases_handler_todo;
CREATE INDEX cases_handler_todo ON minqing.cases (handler_staff_id, (coalesce(due_at, 'infinity')), case_id)
	WHERE status IN ('accepted', 'dispatched', 'in_progress', 'waiting', 'resolved');
CREATE INDEX cases_received_due ON minqing.cases ((coalesce(due_at, 'infinity')), case_id)
	WHERE status = 'received';
CREATE INDEX cases_handler_triage ON minqing.cases (handler_staff_id, (coalesce(due_at, 'infinity')), case_id)
	WHERE status = 'accepted' AND assigned_unit_id IS NULL;

------------------------------------------------------------------------------
-- A unit's service cards, newest first (服务卡: a village's)
------------------------------------------------------------------------------
CREATE INDEX service_card_unit_issued ON minqing.service_card (unit_id, issued_on, card_id);

------------------------------------------------------------------------------
-- An activity's targets, counted for each activity of a page (志愿活动: 村/企/户)
------------------------------------------------------------------------------
CREATE INDEX activity_target_activity ON minqing.activity_target (activity_id);

------------------------------------------------------------------------------
-- The visits of a service team (服务队: visits made)
------------------------------------------------------------------------------
CREATE INDEX visit_team ON minqing.visit (team_id) INCLUDE (path) WHERE team_id IS NOT NULL;

RESET ROLE;
