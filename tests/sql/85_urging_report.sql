-- account: postgres
-- The district centre's daily overdue report (overdue_report_pass, run by
-- minqing-escalate as minqing_escalate) at chosen times, the server's
-- session at UTC and the district at Asia/Shanghai (+08): the district's
-- administrator sets it to 09:00 (a town's administrator, a supervisor and
-- a bad time are refused); a pass at 08:59 district time sends nothing;
-- at 09:00 one SMS to each active handler and supervisor of the district
-- root with a phone, with the open and overdue cases by level counted by
-- hand and the units with the most; a second pass sends nothing again
-- (the messages of this transaction: the job's runs by other tests have
-- sent their own, committed);
-- 00:30 of the next district day (16:30 UTC, still "today" and past 09:00
-- at UTC) nothing; 09:05 of that day again one each. Rolled back.
BEGIN;
SET search_path = minqing, ext, tap, public;
SELECT plan(16);
SET LOCAL TimeZone = 'UTC';
UPDATE work_calendar_setting SET time_zone = 'Asia/Shanghai' WHERE district_id = 1;

-- Tomorrow in the district, at chosen local times.
SELECT (now() AT TIME ZONE 'Asia/Shanghai')::date + 1 AS d1 \gset
SELECT ((:'d1'::date + time '08:59') AT TIME ZONE 'Asia/Shanghai') AS t0859,
       ((:'d1'::date + time '09:00') AT TIME ZONE 'Asia/Shanghai') AS t0900,
       ((:'d1'::date + time '13:00') AT TIME ZONE 'Asia/Shanghai') AS t1300,
       ((:'d1'::date + 1 + time '00:30') AT TIME ZONE 'Asia/Shanghai') AS t0030,
       ((:'d1'::date + 1 + time '09:05') AT TIME ZONE 'Asia/Shanghai') AS t0905 \gset

-- The time, by the district's administrator only ------------------------------------
SET SESSION AUTHORIZATION demo_town_admin;
SELECT throws_ok($$SELECT overdue_report_time_set('09:00')$$, '42501', NULL,
	'a town''s administrator may not set the district''s report time');
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION demo_supervisor;
SELECT throws_ok($$SELECT overdue_report_time_set('09:00')$$, '42501', NULL, 'nor a supervisor');
SELECT throws_ok($$SELECT overdue_report_pass()$$, '42501', NULL, 'and the pass is the job''s');
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION demo_admin;
SELECT throws_ok($$SELECT overdue_report_time_set('25:00')$$, '22023',
	'the time of the overdue report is hh:mm (00:00 to 23:59), not "25:00"', 'a time that is none is refused');
SELECT lives_ok($$SELECT overdue_report_time_set('09:00')$$, 'the district''s administrator sets 09:00');
RESET SESSION AUTHORIZATION;
SELECT is((SELECT overdue_report_at FROM work_calendar_setting WHERE district_id = 1), '09:00'::time,
	'the setting is the district''s');

-- Who gets it, and what it says, by hand ---------------------------------------------
SELECT count(*) AS recipients FROM staff s JOIN org_unit u USING (unit_id)
 WHERE u.district_id = 1 AND ext.nlevel(u.path) = 1 AND s.active AND s.duty IN ('handler', 'supervisor')
   AND s.phone IS NOT NULL \gset
SELECT count(*) AS open,
       count(*) FILTER (WHERE due_at < :'t0900') AS overdue,
       count(*) FILTER (WHERE due_at < :'t0900' AND warning_level = 'red') AS red
  FROM cases WHERE district_id = 1 AND status IN ('accepted', 'dispatched', 'in_progress', 'waiting') \gset
SELECT u.name AS top_unit FROM cases c JOIN org_unit u ON u.unit_id = coalesce(c.assigned_unit_id, c.origin_unit_id)
 WHERE c.district_id = 1 AND c.status IN ('accepted', 'dispatched', 'in_progress', 'waiting') AND c.due_at < :'t0900'
 GROUP BY u.name ORDER BY count(*) DESC, u.name LIMIT 1 \gset
SELECT ok(:recipients >= 2, 'the district root has handlers or supervisors with a phone');

SET SESSION AUTHORIZATION minqing_escalate;
SELECT is(overdue_report_pass(:'t0859'), 0, '08:59 district time (00:59 UTC): nothing yet');
SELECT is(overdue_report_pass(:'t0900'), :recipients, '09:00 district time: one SMS to each of them');
SELECT is(overdue_report_pass(:'t1300'), 0, 'a second pass that day sends nothing again');
RESET SESSION AUTHORIZATION;

SELECT is((SELECT count(DISTINCT recipient_phone) FROM outbox
            WHERE dedupe_key LIKE format('district:1:overdue_report:%s:%%', to_char(:'d1'::date, 'YYYYMMDD'))
              AND created_at = now()),
	:recipients::bigint, 'keyed by the district''s date, one per person');
SELECT ok((SELECT bool_and(body LIKE format('%%全区在办事项%s件，超期%s件%%红牌%s件%%超期较多：%s%%',
                                            :open, :overdue, :red, :'top_unit'))
             FROM outbox WHERE dedupe_key LIKE 'district:1:overdue_report:%' AND created_at = now()),
	format('the figures counted by hand: %s open, %s overdue, %s red, most at %s', :open, :overdue, :red, :'top_unit'));
SELECT is((SELECT count(*) FROM outbox o JOIN staff s ON s.phone = o.recipient_phone
            WHERE o.dedupe_key LIKE 'district:1:overdue_report:%' AND o.created_at = now()
              AND s.login = 'demo_town'), 0::bigint,
	'a town''s handler does not get it');

SET SESSION AUTHORIZATION minqing_escalate;
SELECT is(overdue_report_pass(:'t0030'), 0,
	'00:30 of the next district day (16:30 UTC, past 09:00 at UTC): nothing, the district''s clock decides');
SELECT is(overdue_report_pass(:'t0905'), :recipients, '09:05 of that day: the next day''s report');
RESET SESSION AUTHORIZATION;
SELECT is((SELECT count(*) FROM outbox WHERE dedupe_key LIKE 'district:1:overdue_report:%' AND created_at = now()),
	2 * :recipients::bigint, 'two reports in two district days');

SELECT * FROM finish();
ROLLBACK;
