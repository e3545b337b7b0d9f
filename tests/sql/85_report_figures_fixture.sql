-- account: postgres
-- The report figures (统计报表, schema/functions/72_report_figures.sql) on a
-- small fixture made here in November 2020, a month the demo data does not
-- touch: seven cases of the district LW put in place directly (as postgres;
-- the summary triggers fire as for any write) with chosen times, a holiday
-- on Tuesday 3 November, and the events of their timelines (a close, a
-- reopening, warnings). Every figure is checked against the numbers worked
-- out by hand below and against a count made here over the cases; then the
-- periods (parsing, bad input, bounds), the drill-down to the cases, and a
-- town supervisor who sees the town only. (SET SESSION AUTHORIZATION:
-- session_user is the supervisor, as in 84_report_summary.sql.)
--
-- Office hours of LW: 08:30-17:30 (9 h), Asia/Shanghai. The cases:
--   A  Mon 2 Nov 09:00 -> resolved Wed 4 Nov 10:00, due Fri 6 Nov: 8.5 h on
--      Monday, none on the holiday, 1.5 h on Wednesday = 10 h; on time;
--      closed satisfied on 5 Nov. Received T01V01, handled by T01.
--   B  Thu 5 Nov 09:00 -> 11:30 the same day = 2.5 h (3 whole); on time;
--      reopened (not satisfied) on 13 Nov. T01V01 / T01.
--   C  Fri 6 Nov 16:00 -> Mon 9 Nov 12:00 = 1.5 + 3.5 = 5 h; due Fri 6 Nov
--      17:30: late. T01V01 / T01.
--   D  Tue 10 Nov, withdrawn. T01V01, not assigned.
--   E  Wed 11 Nov, in progress at D01, due 20 Nov: overdue now; yellow on
--      23 Nov, orange on 25 Nov, red on 1 December.
--   F  Thu 12 Nov 10:00 -> 14:00 = 4 h; reported; on time. T02V01 only.
--   G  Fri 30 Oct: the month before.
-- So for 2020-11 in LW: recorded 6, withdrawn 1, resolved 4 (A B C F),
-- rate 66.7 %, on time 3 (75.0 %), overdue now 1, yellow 1, orange 1, red 0
-- (December), hours (10 + 2.5 + 5 + 4) / 4 = 5.4, p90 10 (3, 4, 5, 10: the
-- fourth reaches 90 %), satisfied 1, unsatisfied 1, reopened 1, the month
-- before 1, last year 0. For T01 (A-E): 5 recorded, 3 resolved.
BEGIN;
SET search_path = minqing, ext, tap, public;
SELECT plan(54);

SELECT district_id AS d FROM org_unit WHERE code = 'LW' \gset
SELECT min(category_id) AS cat FROM case_category WHERE district_id = :d AND parent_id IS NOT NULL \gset
INSERT INTO holiday (district_id, day, kind, name) VALUES (:d, '2020-11-03', 'holiday', '测试假日')
ON CONFLICT (district_id, day) DO UPDATE SET kind = 'holiday';

CREATE FUNCTION pg_temp.t(x text) RETURNS timestamptz LANGUAGE sql RETURN (x::timestamp AT TIME ZONE 'Asia/Shanghai');
CREATE FUNCTION pg_temp.put(tag text, origin text, assigned text, st case_status, created text, resolved text,
                            due text, warn warning_level DEFAULT 'none') RETURNS bigint LANGUAGE sql AS $$
	INSERT INTO minqing.cases (district_id, case_no, channel, origin_unit_id, origin_path, submitter_name, title,
	                           content, category_id, status, assigned_unit_id, assigned_path, due_at, started_at,
	                           resolved_at, result, closed_at, satisfaction, warning_level, created_at)
	SELECT o.district_id, 'RF-2020-' || tag, 'walk_in', o.unit_id, o.path, '测试' || tag, '报表测试' || tag, '内容',
	       (SELECT min(category_id) FROM minqing.case_category WHERE district_id = o.district_id AND parent_id IS NOT NULL),
	       st, a.unit_id, a.path, pg_temp.t(due), pg_temp.t(created), pg_temp.t(resolved),
	       CASE WHEN resolved IS NOT NULL THEN '已办' END,
	       CASE WHEN st IN ('closed', 'withdrawn') THEN pg_temp.t(coalesce(resolved, created)) END,
	       CASE WHEN st = 'closed' THEN 'satisfied'::minqing.satisfaction END, warn, pg_temp.t(created)
	  FROM minqing.org_unit o LEFT JOIN minqing.org_unit a ON a.code = assigned
	 WHERE o.code = origin
	RETURNING case_id
$$;
CREATE FUNCTION pg_temp.ev(c bigint, kind_ text, at text, data jsonb) RETURNS void LANGUAGE sql AS $$
	INSERT INTO minqing.case_event (case_id, district_id, at, actor, kind, from_status, to_status, data)
	SELECT c, x.district_id, pg_temp.t(at), 'postgres', kind_, x.status, x.status, data
	  FROM minqing.cases x WHERE x.case_id = c
$$;

SELECT pg_temp.put('A', 'T01V01', 'T01', 'closed', '2020-11-02 09:00', '2020-11-04 10:00', '2020-11-06 17:30') AS a \gset
SELECT pg_temp.put('B', 'T01V01', 'T01', 'resolved', '2020-11-05 09:00', '2020-11-05 11:30', '2020-11-06 17:30') AS b \gset
SELECT pg_temp.put('C', 'T01V01', 'T01', 'resolved', '2020-11-06 16:00', '2020-11-09 12:00', '2020-11-06 17:30') AS c \gset
SELECT pg_temp.put('D', 'T01V01', NULL, 'withdrawn', '2020-11-10 10:00', NULL, NULL) AS d_ \gset
SELECT pg_temp.put('E', 'T01V01', 'D01', 'in_progress', '2020-11-11 10:00', NULL, '2020-11-20 17:30', 'red') AS e \gset
SELECT pg_temp.put('F', 'T02V01', NULL, 'reported', '2020-11-12 10:00', '2020-11-12 14:00', '2020-11-13 17:30') AS f \gset
SELECT pg_temp.put('G', 'T01V01', NULL, 'received', '2020-10-30 10:00', NULL, NULL) AS g \gset
SELECT pg_temp.ev(:a, 'close', '2020-11-05 10:00', '{"satisfaction": "satisfied"}');
SELECT pg_temp.ev(:b, 'reopen', '2020-11-13 10:00', '{"satisfaction": "not_satisfied"}');
SELECT pg_temp.ev(:e, 'warning', '2020-11-23 09:30', '{"step": "yellow"}');
SELECT pg_temp.ev(:e, 'warning', '2020-11-25 09:30', '{"step": "orange"}');
SELECT pg_temp.ev(:e, 'warning', '2020-12-01 09:30', '{"step": "red"}');

-- The count over the cases, independent of the summaries: November 2020
-- in Shanghai, a case counted for LW or T01 when received or handled there.
CREATE FUNCTION pg_temp.hand(p ltree) RETURNS TABLE (recorded bigint, resolved bigint, on_time bigint, withdrawn bigint,
                                                     overdue bigint, avg_hours numeric)
LANGUAGE sql AS $$
	SELECT count(*), count(*) FILTER (WHERE status IN ('resolved', 'reported', 'closed')),
	       count(*) FILTER (WHERE status IN ('resolved', 'reported', 'closed') AND resolved_at <= due_at),
	       count(*) FILTER (WHERE status = 'withdrawn'),
	       count(*) FILTER (WHERE status IN ('accepted', 'dispatched', 'in_progress') AND due_at < now()),
	       round(avg(minqing.working_seconds_between(district_id, created_at, resolved_at) / 3600)
	             FILTER (WHERE status IN ('resolved', 'reported', 'closed')), 1)
	  FROM minqing.cases
	 WHERE created_at >= pg_temp.t('2020-11-01') AND created_at < pg_temp.t('2020-12-01')
	   AND (origin_path <@ p OR assigned_path <@ p)
$$;
SELECT * INTO TEMP hand_lw FROM pg_temp.hand('LW');
SELECT * INTO TEMP hand_t01 FROM pg_temp.hand('LW.T01');

CREATE TEMP TABLE r_lw AS SELECT * FROM report_units('LW', '2020-11') WHERE false;
GRANT ALL ON r_lw TO PUBLIC;
SET SESSION AUTHORIZATION demo_supervisor;
INSERT INTO r_lw SELECT * FROM report_units(NULL, '2020-11');
RESET SESSION AUTHORIZATION;

SELECT is((SELECT unit_code || ' ' || is_total || ' ' || period || ' ' || period_label FROM r_lw LIMIT 1),
          'LW true 2020-11 2020年11月', 'the first row is the jurisdiction as a total, with the period');
SELECT is((SELECT array_agg(unit_code ORDER BY unit_code) FROM r_lw WHERE NOT is_total),
          (SELECT array_agg(code ORDER BY code) FROM org_unit WHERE parent_id = (SELECT unit_id FROM org_unit WHERE code = 'LW')),
          'then every unit directly under the district (towns and departments)');
SELECT is((SELECT array_agg(unit_code) FROM r_lw WHERE NOT is_total),
          (SELECT array_agg(code ORDER BY kind, code) FROM org_unit
            WHERE parent_id = (SELECT unit_id FROM org_unit WHERE code = 'LW')),
          'towns first, then departments, then agencies, each by unit code');
-- Enter on a row goes down a level when the row's unit has units under it
-- and is not the total (the total lists its cases): the console's `when`.
SELECT is((SELECT array_agg(unit_code ORDER BY unit_code) FROM r_lw WHERE drill),
          (SELECT array_agg(c.code ORDER BY c.code) FROM org_unit c
            WHERE c.parent_id = (SELECT unit_id FROM org_unit WHERE code = 'LW')
              AND EXISTS (SELECT 1 FROM org_unit g WHERE g.parent_id = c.unit_id)),
          'drill: the units with units under them, never the total');
SELECT is((SELECT count(*) FROM r_lw r JOIN org_unit u ON u.unit_id = r.unit_id AND u.code = r.unit_code),
          (SELECT count(*) FROM r_lw), 'unit_id is each row''s unit');
SELECT is((SELECT ARRAY[recorded, resolved, on_time] FROM r_lw WHERE is_total), ARRAY[6, 4, 3]::bigint[],
          'recorded 6, resolved 4 (resolved, reported, closed), on time 3 (by the deadline)');
SELECT is((SELECT ARRAY[recorded, resolved, on_time, withdrawn, overdue_now] FROM r_lw WHERE is_total),
          (SELECT ARRAY[recorded, resolved, on_time, withdrawn, overdue] FROM hand_lw), 'the same as a count over the cases');
SELECT is((SELECT ARRAY[resolution_rate, on_time_rate] FROM r_lw WHERE is_total), ARRAY[66.7, 75.0],
          'rates in percent with one decimal');
SELECT is((SELECT withdrawn FROM r_lw WHERE is_total), 1::bigint, 'a withdrawn case is recorded (and counted as withdrawn)');
SELECT is((SELECT overdue_now FROM r_lw WHERE is_total), 1::bigint, 'overdue now: the case in progress past its deadline');
SELECT is((SELECT ARRAY[yellow, orange, red] FROM r_lw WHERE is_total), ARRAY[1, 1, 0]::bigint[],
          'warnings raised in the month by level (the red one fell in December)');
SELECT is((SELECT avg_hours FROM r_lw WHERE is_total), 5.4, 'average working hours: (10 + 2.5 + 5 + 4) / 4, the holiday not counted');
SELECT is((SELECT avg_hours FROM r_lw WHERE is_total), (SELECT avg_hours FROM hand_lw), 'the same as working_seconds_between over the cases');
SELECT is((SELECT p90_hours FROM r_lw WHERE is_total), 10::numeric, 'p90: 10 working hours (3, 4, 5, 10 whole hours)');
SELECT is((SELECT ARRAY[satisfied, basic, unsatisfied, reopened] FROM r_lw WHERE is_total), ARRAY[1, 0, 1, 1]::bigint[],
          'answers at close and reopenings in the month');
SELECT is((SELECT ARRAY[recorded_prev, recorded_ly] FROM r_lw WHERE is_total), ARRAY[1, 0]::bigint[],
          'the month before (October: G) and the same month last year');
SELECT is((SELECT trend_recorded FROM r_lw WHERE is_total), ARRAY[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 6],
          'the trend: twelve months ending with November');
SELECT is((SELECT trend_resolution_rate[12] FROM r_lw WHERE is_total), 66.7, 'the trend of the resolution rate');
SELECT is((SELECT ARRAY[recorded, resolved, overdue_now] FROM r_lw WHERE unit_code = 'T01'),
          (SELECT ARRAY[recorded, resolved, overdue] FROM hand_t01), 'T01: the cases received or handled in the town');
SELECT is((SELECT ARRAY[recorded, overdue_now, orange] FROM r_lw WHERE unit_code = 'D01'), ARRAY[1, 1, 1]::bigint[],
          'D01: the case it handles, overdue, warned');
SELECT is((SELECT ARRAY[recorded, resolved] FROM r_lw WHERE unit_code = 'T02'), ARRAY[1, 1]::bigint[], 'T02: F');
SELECT is((SELECT has_children FROM r_lw WHERE unit_code = 'T01') AND NOT (SELECT has_children FROM r_lw WHERE unit_code = 'D01'),
          true, 'a town has units under it, a department not');

-- A holiday moved after the fact: the stored hours are those of the
-- resolution; report_rebuild() recounts them with the calendar as it is.
DELETE FROM holiday WHERE district_id = :d AND day = '2020-11-03';
SELECT ok(minqing.report_rebuild() > 0, 'report_rebuild recounts the summaries');
SELECT is((SELECT avg_hours FROM report_units('LW', '2020-11') WHERE is_total), 7.6,
          'without the holiday A took 19 working hours: (19 + 2.5 + 5 + 4) / 4');
INSERT INTO holiday (district_id, day, kind, name) VALUES (:d, '2020-11-03', 'holiday', '测试假日');
SELECT minqing.report_rebuild();

-- Breakdowns
SET SESSION AUTHORIZATION demo_supervisor;
SELECT is((SELECT array_agg(key || ':' || recorded ORDER BY key) FROM report_breakdown(NULL, '2020-11', 'level')),
          ARRAY['district:1', 'town:3', 'village:2'], 'by the handling unit''s level');
SELECT is((SELECT array_agg(key || ':' || recorded || ':' || label_zh) FROM report_breakdown(NULL, '2020-11', 'channel')),
          ARRAY['walk_in:6:来访'], 'by channel');
SELECT is((SELECT sum(recorded) FROM report_breakdown(NULL, '2020-11', 'centre')), 6::numeric, 'by centre: every case once');
SELECT is((SELECT ARRAY[recorded, resolved, overdue_now, p90_hours] FROM report_breakdown('T01', '2020-11', 'category')),
          ARRAY[5, 3, 1, 10]::numeric[], 'by category, for a town');
SELECT throws_ok($$SELECT * FROM report_breakdown(NULL, '2020-11', 'colour')$$, '22023', NULL, 'an unknown breakdown is refused');

-- The cases behind the figures, newest first, a page at a time
SELECT is((SELECT array_agg(case_no ORDER BY created_at DESC) FROM report_cases_list(NULL, '2020-11')),
          ARRAY['RF-2020-F', 'RF-2020-E', 'RF-2020-D', 'RF-2020-C', 'RF-2020-B', 'RF-2020-A'], 'recorded, newest first');
SELECT is((SELECT array_agg(case_no) FROM report_cases_list('T01', '2020-11', 'recorded', 2,
                                                            pg_temp.t('2020-11-06 16:00'), :c)),
          ARRAY['RF-2020-B', 'RF-2020-A'], 'the next page after C, by keyset');
-- (a unit with no unit below it: its received and its handled cases by its own indexes)
SELECT is((SELECT array_agg(case_no) FROM report_cases_list('T01V01', '2020-11')),
          ARRAY['RF-2020-E', 'RF-2020-D', 'RF-2020-C', 'RF-2020-B', 'RF-2020-A'], 'a village: the cases it received');
SELECT is((SELECT array_agg(case_no) FROM report_cases_list('T01V01', '2020-11', 'recorded', 2,
                                                            pg_temp.t('2020-11-06 16:00'), :c)),
          ARRAY['RF-2020-B', 'RF-2020-A'], 'a village: the next page after C, by keyset');
SELECT is((SELECT array_agg(case_no) FROM report_cases_list('T01V01', '2020-11', 'resolved')),
          ARRAY['RF-2020-C', 'RF-2020-B', 'RF-2020-A'], 'a village: resolved');
SELECT is((SELECT array_agg(case_no) FROM report_cases_list('D01', '2020-11')), ARRAY['RF-2020-E'],
          'a department: the case it handles');
SELECT is((SELECT array_agg(case_no ORDER BY case_no) FROM report_cases_list('LW', '2020-11', 'resolved')),
          ARRAY['RF-2020-A', 'RF-2020-B', 'RF-2020-C', 'RF-2020-F'], 'resolved');
SELECT is((SELECT array_agg(case_no) FROM report_cases_list('LW', '2020-11', 'overdue_now')), ARRAY['RF-2020-E'], 'overdue now');
SELECT is((SELECT array_agg(case_no) FROM report_cases_list('LW', '2020-11', 'reopened')), ARRAY['RF-2020-B'], 'reopened');
SELECT is((SELECT array_agg(case_no) FROM report_cases_list('LW', '2020-12', 'red')), ARRAY['RF-2020-E'],
          'red: raised in December');
SELECT is((SELECT count(*) FROM report_cases_list('LW', '2020-11', 'red')), 0::bigint, 'no red warning in November');
RESET SESSION AUTHORIZATION;

-- A town supervisor: the town only
SET SESSION AUTHORIZATION demo_town_supervisor;
SELECT is((SELECT unit_code || ':' || recorded FROM report_units(NULL, '2020-11') WHERE is_total), 'T01:5',
          'a town supervisor''s report is the town''s');
SELECT is((SELECT count(*) FROM report_units('LW', '2020-11')) + (SELECT count(*) FROM report_units('T02', '2020-11')),
          0::bigint, 'the district and another town give no rows');
SELECT is((SELECT count(*) FROM report_case_day WHERE NOT path <@ 'LW.T01'), 0::bigint,
          'the summary rows of other units are not visible');
SELECT is((SELECT count(*) FROM report_cases_list('T02', '2020-11')), 0::bigint, 'nor the cases of another town');
RESET SESSION AUTHORIZATION;

SET SESSION AUTHORIZATION demo_kiosk;
SELECT throws_ok($$SELECT * FROM minqing.report_units()$$, '42501', NULL, 'a kiosk reads no report');
RESET SESSION AUTHORIZATION;

-- Periods
SELECT is((SELECT array_agg(kind || ':' || norm) FROM unnest(ARRAY['2026-03', '2026年3月', '2026Q1', '2026-Q1',
                 '2026年第1季度', '2026', '2026年', '2026-01-01..2026-03-31', '2026-01-01~2026-03-31',
                 '2026-01-01至2026-03-31', '本月', '上月', '本季度', '本年', '上年', ' ２０２６年第一季度 ']) q,
                 LATERAL report_period_classify(q)),
          ARRAY['period:2026-03', 'period:2026-03', 'period:2026-Q1', 'period:2026-Q1', 'period:2026-Q1', 'period:2026',
                'period:2026', 'period:2026-01-01..2026-03-31', 'period:2026-01-01..2026-03-31',
                'period:2026-01-01..2026-03-31', 'period:month', 'period:last_month', 'period:quarter',
                'period:year', 'period:last_year', 'period:2026-Q1'],
          'every form of a period is read to its token');
SELECT is((SELECT array_agg(kind) FROM unnest(ARRAY['2026-13', '2026Q5', '2026-02-30..2026-03-01',
                 '2026-03-31..2026-01-01', '路灯', '20261']) q, LATERAL report_period_classify(q)),
          ARRAY['bad', 'bad', 'bad', 'bad', 'bad', 'bad'], 'bad input is bad');
SELECT is((SELECT ARRAY[period_from, period_to, prev_from, prev_to, ly_from, ly_to]
             FROM report_period_bounds('2024-02')),
          ARRAY['2024-02-01', '2024-02-29', '2024-01-01', '2024-01-31', '2023-02-01', '2023-02-28']::date[],
          'a month (a leap February), the month before, last year''s');
SELECT is((SELECT ARRAY[period_from, period_to, prev_from, prev_to]::text[] || label_zh FROM report_period_bounds('2026-Q1')),
          ARRAY['2026-01-01', '2026-03-31', '2025-10-01', '2025-12-31', '2026年第1季度'], 'a quarter');
SELECT is((SELECT ARRAY[period_from, period_to, prev_from, prev_to, ly_from, ly_to]
             FROM report_period_bounds('2026-01-10..2026-01-19')),
          ARRAY['2026-01-10', '2026-01-19', '2025-12-31', '2026-01-09', '2025-01-10', '2025-01-19']::date[],
          'a range: the same number of days before');
SELECT is((SELECT period_from FROM report_period_bounds(NULL)),
          date_trunc('month', now() AT TIME ZONE 'Asia/Shanghai')::date, 'no period: this month in the district''s calendar');
SELECT (now() AT TIME ZONE 'Asia/Shanghai')::date AS today \gset
SELECT is((SELECT ARRAY[prev_from, prev_to, ly_from, ly_to] FROM report_period_bounds('month')),
          ARRAY[(date_trunc('month', :'today'::date) - interval '1 month')::date,
                least((date_trunc('month', :'today'::date) - interval '1 month')::date
                      + (:'today'::date - date_trunc('month', :'today'::date)::date),
                      date_trunc('month', :'today'::date)::date - 1),
                (date_trunc('month', :'today'::date) - interval '1 year')::date,
                (:'today'::date - interval '1 year')::date],
          'this month is compared to date: as many days of last month and of the month a year ago');
SELECT is((SELECT ARRAY[period_from, period_to, prev_from, prev_to, ly_from, ly_to]
             FROM report_period_bounds((:'today'::date - 3) || '..' || (:'today'::date + 6))),
          ARRAY[:'today'::date - 3, :'today'::date + 6, :'today'::date - 13, :'today'::date - 10,
                (:'today'::date - 3 - interval '1 year')::date, (:'today'::date - interval '1 year')::date],
          'a range still running: its first four days against the four days of the range before, and last year''s');
SELECT throws_ok($$SELECT * FROM report_period_bounds('2026-Q7')$$, '22023', NULL, 'an unknown period is refused');

SELECT * FROM finish();
ROLLBACK;
