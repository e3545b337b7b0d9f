-- account: postgres
-- The report summaries (report_case_day, report_case_hours, and the marks
-- of red warnings and reopenings, report_case_mark) stay right
-- through the workflow: after each transition made by the person whose
-- duty it is (intake, accept, dispatch, start, resolve, report back, a
-- close not satisfied that reopens the case, resolve again, close, a
-- withdrawal, a dispatch to a department, a return), the figures of this
-- month for the district, the town and the department equal a count made
-- here over the cases; at the end (and on the demo data) the summaries the
-- triggers kept equal a recount from scratch (report_rebuild), row for row.
-- The transitions append to the report log (report_case_log) and nothing
-- folds it until the end: the figures after each transition are the
-- summaries plus the log (report_pending), as the reports read them; then
-- report_fold() moves the log in and the summaries alone are a recount's.
BEGIN;
SET search_path = minqing, ext, tap, public;
SELECT plan(33);

-- The demo load: what the triggers kept equals a recount.
-- (Rows whose counters all came back to zero are left by the triggers and
-- not made by a recount: compared without them.)
CREATE TEMP TABLE kept AS SELECT unit_id, day, dim, key, recorded, withdrawn, resolved, on_time, hours_sum, yellow,
	orange, red, satisfied, basic, unsatisfied, reopened FROM report_case_day WHERE false;
CREATE TEMP TABLE kept_h AS SELECT unit_id, month, dim, key, hours, n FROM report_case_hours WHERE false;
CREATE FUNCTION pg_temp.snap() RETURNS void LANGUAGE sql AS $$
	SELECT minqing.report_fold();
	TRUNCATE kept;
	TRUNCATE kept_h;
	INSERT INTO kept SELECT unit_id, day, dim, key, recorded, withdrawn, resolved, on_time, hours_sum, yellow, orange,
		red, satisfied, basic, unsatisfied, reopened FROM minqing.report_case_day
	 WHERE recorded <> 0 OR yellow <> 0 OR orange <> 0 OR red <> 0 OR satisfied <> 0 OR basic <> 0
	    OR unsatisfied <> 0 OR reopened <> 0;
	INSERT INTO kept_h SELECT unit_id, month, dim, key, hours, n FROM minqing.report_case_hours WHERE n <> 0;
$$;
SELECT pg_temp.snap();
CREATE FUNCTION pg_temp.same() RETURNS text LANGUAGE sql AS $$
	SELECT (SELECT count(*) FROM ((SELECT * FROM kept EXCEPT SELECT unit_id, day, dim, key, recorded, withdrawn,
	               resolved, on_time, hours_sum, yellow, orange, red, satisfied, basic, unsatisfied, reopened
	          FROM minqing.report_case_day WHERE recorded <> 0 OR yellow <> 0 OR orange <> 0 OR red <> 0
	             OR satisfied <> 0 OR basic <> 0 OR unsatisfied <> 0 OR reopened <> 0)
	       UNION ALL (SELECT unit_id, day, dim, key, recorded, withdrawn, resolved, on_time, hours_sum, yellow, orange,
	               red, satisfied, basic, unsatisfied, reopened FROM minqing.report_case_day
	         WHERE recorded <> 0 OR yellow <> 0 OR orange <> 0 OR red <> 0 OR satisfied <> 0 OR basic <> 0
	            OR unsatisfied <> 0 OR reopened <> 0
	        EXCEPT SELECT * FROM kept)) x) || ' day rows, '
	    || (SELECT count(*) FROM ((SELECT * FROM kept_h EXCEPT SELECT unit_id, month, dim, key, hours, n
	                                 FROM minqing.report_case_hours WHERE n <> 0)
	                              UNION ALL (SELECT unit_id, month, dim, key, hours, n FROM minqing.report_case_hours
	                                          WHERE n <> 0 EXCEPT SELECT * FROM kept_h)) x) || ' hour rows differ'
$$;
-- Each month's row is the sum of its days' (report_case_month, 036): the
-- month rows that differ from the days summed (all-zero rows left out).
CREATE FUNCTION pg_temp.months() RETURNS bigint LANGUAGE sql AS $$
	WITH d AS (
		SELECT unit_id, date_trunc('month', day::timestamp)::date AS month, dim, key, sum(recorded) AS recorded,
		       sum(withdrawn) AS withdrawn, sum(resolved) AS resolved, sum(on_time) AS on_time,
		       sum(hours_sum) AS hours_sum, sum(yellow) AS yellow, sum(orange) AS orange, sum(red) AS red,
		       sum(satisfied) AS satisfied, sum(basic) AS basic, sum(unsatisfied) AS unsatisfied,
		       sum(reopened) AS reopened
		  FROM minqing.report_case_day GROUP BY 1, 2, 3, 4
	), dn AS (
		SELECT * FROM d WHERE (recorded, withdrawn, resolved, on_time, hours_sum, yellow, orange, red, satisfied,
		                       basic, unsatisfied, reopened) <> (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
	), mn AS (
		SELECT unit_id, month, dim, key, recorded::bigint, withdrawn::bigint, resolved::bigint, on_time::bigint,
		       hours_sum, yellow::bigint, orange::bigint, red::bigint, satisfied::bigint, basic::bigint,
		       unsatisfied::bigint, reopened::bigint
		  FROM minqing.report_case_month
		 WHERE (recorded, withdrawn, resolved, on_time, hours_sum, yellow, orange, red, satisfied, basic,
		        unsatisfied, reopened) <> (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
	)
	SELECT (SELECT count(*) FROM (TABLE dn EXCEPT ALL TABLE mn) x) + (SELECT count(*) FROM (TABLE mn EXCEPT ALL TABLE dn) x)
$$;
SELECT is(pg_temp.months(), 0::bigint, 'the demo load: each month''s row is the sum of its days''');
SELECT minqing.report_rebuild();
SELECT is(pg_temp.same(), '0 day rows, 0 hour rows differ', 'the demo load: the summaries the triggers kept are a recount''s');
SELECT is(pg_temp.months(), 0::bigint, 'and after a recount');
SELECT ok((SELECT sum(recorded) FROM report_case_day d JOIN org_unit u USING (unit_id) WHERE u.code = 'LW' AND d.dim = 'unit')
          = (SELECT count(*) FROM cases WHERE origin_path <@ 'LW' OR assigned_path <@ 'LW'),
          'every case of the district counts once for the district');

-- This month's figures against a count over the cases (this month in the
-- district's calendar; a case counts for a unit when received or handled in it).
CREATE FUNCTION pg_temp.fig(p text) RETURNS text LANGUAGE sql AS $$
	SELECT recorded || '/' || resolved || '/' || on_time || '/' || withdrawn || '/' || coalesce(avg_hours::text, '-')
	  FROM minqing.report_units(p, 'month') WHERE is_total
$$;
CREATE FUNCTION pg_temp.hand(p text) RETURNS text LANGUAGE sql AS $$
	SELECT count(*) || '/' || count(*) FILTER (WHERE k.status IN ('resolved', 'reported', 'closed')) || '/'
	       || count(*) FILTER (WHERE k.status IN ('resolved', 'reported', 'closed') AND k.resolved_at <= coalesce(k.due_at, k.resolved_at))
	       || '/' || count(*) FILTER (WHERE k.status = 'withdrawn') || '/'
	       || coalesce(round(avg(minqing.working_seconds_between(k.district_id, k.created_at, k.resolved_at) / 3600)
	                          FILTER (WHERE k.status IN ('resolved', 'reported', 'closed')), 1)::text, '-')
	  FROM minqing.cases k, minqing.org_unit u
	 WHERE u.code = p AND (k.origin_path <@ u.path OR k.assigned_path <@ u.path)
	   AND k.created_at >= date_trunc('month', now() AT TIME ZONE 'Asia/Shanghai') AT TIME ZONE 'Asia/Shanghai'
$$;
CREATE FUNCTION pg_temp.check(what text) RETURNS text LANGUAGE sql AS $$
	SELECT tap.is(pg_temp.fig('LW') || ' ' || pg_temp.fig('T01') || ' ' || pg_temp.fig('D01'),
	              pg_temp.hand('LW') || ' ' || pg_temp.hand('T01') || ' ' || pg_temp.hand('D01'),
	              'after ' || what || ': recorded/resolved/on time/withdrawn/hours of LW, T01, D01 as counted')
$$;
SELECT min(category_id) AS cat FROM case_category c JOIN org_unit u ON u.district_id = c.district_id
 WHERE u.code = 'LW' AND c.parent_id IS NOT NULL \gset

SET SESSION AUTHORIZATION demo_village;
SELECT case_id AS k1 FROM case_intake('walk_in', '报表流程测试一', '内容', :cat, '测试人', '13800000001') \gset
SELECT case_id AS k2 FROM case_intake('hotline', '报表流程测试二', '内容', :cat, '测试人', '13800000002') \gset
RESET SESSION AUTHORIZATION;
SELECT pg_temp.check('two intakes');
SELECT is((SELECT recorded FROM report_breakdown('LW', 'month', 'channel') WHERE key = 'hotline')
          - (SELECT count(*) FROM cases WHERE channel = 'hotline' AND case_id < :k2
              AND created_at >= date_trunc('month', now() AT TIME ZONE 'Asia/Shanghai') AT TIME ZONE 'Asia/Shanghai'
              AND (origin_path <@ 'LW' OR assigned_path <@ 'LW')), 1::bigint, 'the hotline intake counts by channel');

SET SESSION AUTHORIZATION demo_town;
SELECT case_accept(:k1);
SELECT case_dispatch(p_case => :k1, p_unit_code => 'T01', p_handler_login => 'demo_town');
SELECT case_start(:k1);
RESET SESSION AUTHORIZATION;
SELECT pg_temp.check('accept, dispatch to the town, start');

SET SESSION AUTHORIZATION demo_town;
SELECT case_resolve(:k1, '已修好');
RESET SESSION AUTHORIZATION;
SELECT pg_temp.check('resolve');

SET SESSION AUTHORIZATION demo_village;
SELECT case_report_back(:k1);
SELECT case_close(:k1, 'not_satisfied', '群众不满意');
RESET SESSION AUTHORIZATION;
SELECT pg_temp.check('report back and a close not satisfied (reopened)');
SELECT is((SELECT reopened || '/' || unsatisfied FROM report_units('T01', 'month') WHERE is_total),
          (SELECT count(*) FILTER (WHERE e.kind = 'reopen') || '/' || count(*) FILTER (WHERE e.kind = 'reopen')
             FROM case_event e JOIN cases k USING (case_id)
            WHERE (k.origin_path <@ 'LW.T01' OR k.assigned_path <@ 'LW.T01')
              AND e.at >= date_trunc('month', now() AT TIME ZONE 'Asia/Shanghai') AT TIME ZONE 'Asia/Shanghai'),
          'the reopening counts, reopened and not satisfied');

SET SESSION AUTHORIZATION demo_town;
SELECT case_start(:k1);
SELECT case_resolve(:k1, '再次处理好了');
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION demo_village;
SELECT case_report_back(:k1);
SELECT case_close(:k1, 'satisfied');
RESET SESSION AUTHORIZATION;
SELECT pg_temp.check('resolve again and close satisfied');

SET SESSION AUTHORIZATION demo_village;
SELECT case_withdraw(:k2, '群众撤回');
RESET SESSION AUTHORIZATION;
SELECT pg_temp.check('withdraw');

SET SESSION AUTHORIZATION demo_village;
SELECT case_id AS k3 FROM case_intake('walk_in', '报表流程测试三', '内容', :cat, '测试人', '13800000003') \gset
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION demo_town;
SELECT case_accept(:k3);
SELECT case_dispatch(p_case => :k3, p_unit_code => 'D01', p_handler_login => 'demo_dept');
RESET SESSION AUTHORIZATION;
SELECT pg_temp.check('a dispatch to a department');
SELECT is((SELECT array_agg(key ORDER BY key) FROM report_breakdown('D01', 'month', 'level') WHERE recorded > 0),
          ARRAY['district'], 'the department''s cases are handled at district level');

SET SESSION AUTHORIZATION demo_dept;
SELECT case_return(:k3, '不属于本部门');
RESET SESSION AUTHORIZATION;
SELECT pg_temp.check('a return to triage');

SET SESSION AUTHORIZATION demo_town;
SELECT case_dispatch(p_case => :k3, p_unit_code => 'D01', p_handler_login => 'demo_dept');
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION demo_dept;
SELECT case_start(:k3);
SELECT case_resolve(:k3, '部门已办');
RESET SESSION AUTHORIZATION;
SELECT pg_temp.check('the department resolves');

-- An escalation pass far ahead: warnings raised count for the day they are
-- raised (not this month's figures when it is not this month there).
SELECT count(*) AS warned_before FROM case_event WHERE kind = 'warning' \gset
SELECT ok((SELECT count(*) FROM report_case_log) > 0,
          'the transitions went to the report log, and the figures above read it before any fold');
SELECT escalation_pass(now() + interval '40 days');
SELECT ok(report_fold() > 0, 'report_fold moves the log into the summaries');
SELECT is((SELECT count(*) FROM report_case_log), 0::bigint, 'and empties it');
SELECT is((SELECT sum(yellow + orange + red)::numeric FROM report_case_day d JOIN org_unit u USING (unit_id)
            WHERE u.code = 'LW' AND d.dim = 'unit'),
          (SELECT count(*) FROM case_event e JOIN cases k USING (case_id)
            WHERE e.kind = 'warning' AND e.data ->> 'step' IN ('yellow', 'orange', 'red')
              AND (k.origin_path <@ 'LW' OR k.assigned_path <@ 'LW'))::numeric,
          'warnings of an escalation pass count, one per level raised');

-- The marks behind the drill-down lists: one per red warning and reopening,
-- under the case's paths; the list of the town's reopened cases has k1.
CREATE TEMP TABLE marks AS
SELECT e.event_id, CASE e.kind WHEN 'reopen' THEN 'reopen' ELSE 'red' END AS kind, e.at, e.case_id, k.created_at,
       k.origin_path, k.assigned_path
  FROM case_event e JOIN cases k USING (case_id)
 WHERE e.kind = 'reopen' OR (e.kind = 'warning' AND e.data ->> 'step' = 'red');
SELECT ok((SELECT count(*) FROM marks WHERE kind = 'red') > 0 AND (SELECT count(*) FROM marks WHERE kind = 'reopen') > 0,
          'the demo load and the flow have red warnings and reopenings');
SELECT set_eq('SELECT * FROM minqing.report_case_mark', 'SELECT * FROM marks',
              'every red warning and reopening is marked once, with its case''s paths');
SET SESSION AUTHORIZATION demo_town_supervisor;
SELECT ok(:k1 IN (SELECT case_id FROM minqing.report_cases_list(NULL, 'month', 'reopened', 500)),
          'the reopened case is listed behind the town''s reopened figure');
SELECT is((SELECT count(*) FROM minqing.report_case_mark WHERE NOT (origin_path <@ 'LW.T01' OR assigned_path <@ 'LW.T01')),
          0::bigint, 'a town supervisor reads the marks of the town only');
RESET SESSION AUTHORIZATION;

-- Everything the triggers did equals a recount.
SELECT pg_temp.snap();
SELECT is(pg_temp.months(), 0::bigint, 'after every transition folded, each month''s row is the sum of its days''');
SELECT minqing.report_rebuild();
SELECT is(pg_temp.same(), '0 day rows, 0 hour rows differ', 'after every transition the summaries are a recount''s');
SELECT set_eq('SELECT * FROM minqing.report_case_mark', 'SELECT * FROM marks', 'and the marks are a recount''s');

SET SESSION AUTHORIZATION demo_village;
SELECT throws_ok($$SELECT minqing.report_rebuild()$$, '42501', NULL, 'an officer may not recount the summaries');
SELECT throws_ok($$INSERT INTO minqing.report_case_day (unit_id, path, day, dim, key) VALUES (1, 'LW', current_date, 'unit', 'x')$$,
                 '42501', NULL, 'nor write them');
SELECT throws_ok($$DELETE FROM minqing.report_case_mark$$, '42501', NULL, 'nor remove a mark');
SELECT throws_ok($$UPDATE minqing.report_case_month SET recorded = recorded + 1$$, '42501', NULL,
                 'nor change a month''s figures');
SELECT throws_ok($$SELECT minqing.report_fold()$$, '42501', NULL, 'nor fold the report log');
SELECT throws_ok($$SELECT count(*) FROM minqing.report_case_log$$, '42501', NULL, 'nor read it');
RESET SESSION AUTHORIZATION;

SELECT * FROM finish();
ROLLBACK;
