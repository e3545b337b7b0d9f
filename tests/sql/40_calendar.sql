-- account: postgres
-- The working-day calendar, categories, service commitments and escalation
-- thresholds (schema 002): deadlines across weekends, statutory holidays,
-- make-up working days and the year end; commitments inherited down the
-- category tree; when each escalation step falls due; who may change it all.
-- Times are written in +08 (Asia/Shanghai, no daylight saving).
BEGIN;
SET search_path = minqing, ext, tap, public;
SELECT plan(71);

-- The demo data seeds district 1; seeding again must change nothing.
SELECT district_seed_defaults(1::smallint);
CREATE TEMP TABLE t_counts AS
SELECT (SELECT count(*) FROM holiday) AS h, (SELECT count(*) FROM case_category) AS c,
       (SELECT count(*) FROM service_commitment) AS s, (SELECT count(*) FROM escalation_rule) AS r,
       (SELECT count(*) FROM work_calendar_setting) AS w;
SELECT lives_ok($$SELECT district_seed_defaults(1::smallint)$$, 'seeding a district again works');
SELECT is((SELECT ARRAY[count(*)] FROM holiday) || (SELECT count(*) FROM case_category)
            || (SELECT count(*) FROM service_commitment) || (SELECT count(*) FROM escalation_rule)
            || (SELECT count(*) FROM work_calendar_setting),
	(SELECT ARRAY[h, c, s, r, w] FROM t_counts), 'and inserts nothing twice (idempotent)');
SELECT is((SELECT holiday_seed_prc(1::smallint) + category_seed_default(1::smallint)
                  + escalation_rule_seed_default(1::smallint)), 0, 'each seed reports nothing new');

-- is_working_day
SELECT ok(is_working_day(1::smallint, '2026-03-10'), 'an ordinary Tuesday is a working day');
SELECT ok(NOT is_working_day(1::smallint, '2026-03-14'), 'a Saturday is not');
SELECT ok(NOT is_working_day(1::smallint, '2026-03-15'), 'a Sunday is not');
SELECT ok(NOT is_working_day(1::smallint, '2026-10-05'), '国庆 Monday 2026-10-05 is a holiday');
SELECT ok(NOT is_working_day(1::smallint, '2025-01-28'), '春节 Tuesday 2025-01-28 is a holiday');
SELECT ok(is_working_day(1::smallint, '2026-10-10'), 'make-up Saturday 2026-10-10 is a working day');
SELECT ok(is_working_day(1::smallint, '2026-01-04'), 'make-up Sunday 2026-01-04 is a working day');
SELECT is((SELECT count(*) FILTER (WHERE is_working_day(1::smallint, d::date))
             FROM generate_series('2026-01-01'::date, '2026-12-31', '1 day') AS d), 248::bigint,
	'2026 has 248 working days');
SELECT throws_ok($$INSERT INTO holiday (district_id, day, kind, name) VALUES (1, '2026-03-11', 'workday', 'x')$$,
	'23514', NULL, 'a make-up working day on a weekday is refused');

-- add_working_days
SELECT is(add_working_days(1::smallint, '2026-03-06 15:00+08', 3), '2026-03-11 17:30+08',
	'Friday 15:00 + 3 working days = Wednesday 17:30');
SELECT is(add_working_days(1::smallint, '2026-09-30 10:00+08', 1), '2026-10-08 17:30+08',
	'2026-09-30 + 1 working day skips 国庆 (10/1-10/7)');
SELECT is(add_working_days(1::smallint, '2026-10-09 10:00+08', 1), '2026-10-10 17:30+08',
	'Friday 2026-10-09 + 1 = the make-up Saturday 10/10');
SELECT is(add_working_days(1::smallint, '2026-10-09 10:00+08', 2), '2026-10-12 17:30+08',
	'Friday 2026-10-09 + 2 = Monday 10/12');
SELECT is(add_working_days(1::smallint, '2025-12-31 10:00+08', 1), '2026-01-04 17:30+08',
	'2025-12-31 + 1 crosses 元旦 (1/1-1/3) to the make-up Sunday 2026-01-04');
SELECT is(add_working_days(1::smallint, '2025-12-30 10:00+08', 3), '2026-01-05 17:30+08',
	'2025-12-30 + 3 = 2026-01-05');
SELECT is(add_working_days(1::smallint, '2026-02-13 09:00+08', 2), '2026-02-24 17:30+08',
	'Friday before 春节 + 2: the make-up Saturday 2/14, then 2/24 after the holiday');
SELECT is(add_working_days(1::smallint, '2026-03-06 15:00+08', 0), '2026-03-06 17:30+08',
	'N = 0 on a working day: its end');
SELECT is(add_working_days(1::smallint, '2026-03-06 18:00+08', 0), '2026-03-09 17:30+08',
	'N = 0 after hours on Friday: Monday''s end');
SELECT is(add_working_days(1::smallint, '2026-10-03 11:00+08', 0), '2026-10-08 17:30+08',
	'N = 0 on a holiday: the end of the next working day');
SELECT is(add_working_days(1::smallint, '2026-03-05 23:30+00', 1), '2026-03-09 17:30+08',
	'the local date counts: Thursday 23:30 UTC is Friday in Shanghai, + 1 = Monday');
SELECT throws_ok($$SELECT add_working_days(1::smallint, now(), -1)$$, '22023', NULL,
	'a negative number of days is refused');
-- Against a day-by-day walk, for every start in 2025-2026.
SELECT is((SELECT count(*) FROM generate_series('2024-12-20'::date, '2027-01-10', '1 day') AS s,
                                unnest(ARRAY[1, 2, 3, 5, 7, 10, 15]) AS n
            WHERE working_day_after(1::smallint, s::date, n) <>
                  (SELECT d::date FROM generate_series(s + interval '1 day', s + interval '40 days',
                                                       interval '1 day') AS d
                    WHERE is_working_day(1::smallint, d::date) ORDER BY d OFFSET n - 1 LIMIT 1)),
	0::bigint, 'working_day_after agrees with a day-by-day walk over two years');

-- add_working_hours
SELECT is(add_working_hours(1::smallint, '2026-03-09 09:00+08', 2), '2026-03-09 11:00+08',
	'2 hours within a day');
SELECT is(add_working_hours(1::smallint, '2026-03-09 16:30+08', 2), '2026-03-10 09:30+08',
	'2 hours across the evening');
SELECT is(add_working_hours(1::smallint, '2026-03-09 20:00+08', 1), '2026-03-10 09:30+08',
	'started after hours: counted from the next morning');
SELECT is(add_working_hours(1::smallint, '2026-03-09 07:00+08', 1), '2026-03-09 09:30+08',
	'started before hours: counted from day_start');
SELECT is(add_working_hours(1::smallint, '2026-03-09 08:30+08', 9), '2026-03-09 17:30+08',
	'a full working day ends at day_end, not the next morning');
SELECT is(add_working_hours(1::smallint, '2026-03-06 16:30+08', 2), '2026-03-09 09:30+08',
	'across a weekend');
SELECT is(add_working_hours(1::smallint, '2026-09-30 16:30+08', 2), '2026-10-08 09:30+08',
	'across 国庆');
SELECT is(add_working_hours(1::smallint, '2026-03-07 10:00+08', 24), '2026-03-11 14:30+08',
	'24 working hours from a Saturday: Mon, Tue, and 6 hours of Wed');
SELECT is(add_working_hours(1::smallint, '2026-03-09 17:30+08', 0), '2026-03-09 17:30+08',
	'0 hours at day_end stays there');

-- working_seconds_between
SELECT is(working_seconds_between(1::smallint, '2026-03-06 16:30+08', '2026-03-09 09:30+08'), 7200::numeric,
	'over a weekend: 1 hour Friday + 1 hour Monday');
SELECT is(working_seconds_between(1::smallint, '2026-09-30 16:30+08', '2026-10-08 09:30+08'), 7200::numeric,
	'over 国庆');
SELECT is(working_seconds_between(1::smallint, '2026-03-09 12:00+08', '2026-03-09 10:00+08'), 0::numeric,
	'0 when b is before a');
SELECT is(working_seconds_between(1::smallint, '2026-01-01 00:00+08', '2027-01-01 00:00+08'),
	248 * 9 * 3600::numeric, 'a whole year: 248 days of 9 hours');
-- A pause from a to b moves a deadline by exactly the working time paused.
SELECT is((SELECT count(*)
             FROM generate_series('2026-09-24 08:00+08'::timestamptz, '2026-10-14 18:00+08', '5 hours 10 minutes') AS a,
                  generate_series('2026-09-24 08:30+08'::timestamptz, '2026-10-14 17:30+08', '2 hours 50 minutes') AS b
            WHERE b > a AND is_working_day(1::smallint, (b AT TIME ZONE 'Asia/Shanghai')::date)
              AND (b AT TIME ZONE 'Asia/Shanghai')::time > '08:30'
              AND (b AT TIME ZONE 'Asia/Shanghai')::time <= '17:30'
              AND add_working_hours(1::smallint, a, working_seconds_between(1::smallint, a, b) / 3600) <> b),
	0::bigint, 'add_working_hours(a, working time from a to b) = b, around 国庆');

-- Another district, in a zone with daylight saving, to keep the arithmetic honest.
INSERT INTO district (district_id, code, name) VALUES (99, '999999', '测试区');
INSERT INTO work_calendar_setting (district_id, time_zone, day_start, day_end)
VALUES (99, 'Europe/Berlin', '09:00', '17:00');
SELECT is(add_working_days(99::smallint, '2026-03-27 15:00+01', 1), '2026-03-30 17:00+02',
	'across a daylight-saving change: local office hours');
SELECT is(working_seconds_between(99::smallint, '2026-03-27 16:00+01', '2026-03-30 10:00+02'), 7200::numeric,
	'working time across a daylight-saving change');
SELECT is(add_working_days(99::smallint, '2026-10-01 10:00+02', 1), '2026-10-02 17:00+02',
	'a district without holidays has only weekends');
SELECT throws_ok($$UPDATE work_calendar_setting SET time_zone = 'Mars/Olympus' WHERE district_id = 99$$,
	'22023', NULL, 'an unknown time zone is refused');
SELECT is((SELECT time_zone || ' ' || day_start || '-' || day_end FROM calendar_setting(98::smallint)),
	'Asia/Shanghai 08:30:00-17:30:00', 'a district without a setting row gets the defaults');

-- Categories
SELECT is((SELECT array_agg(code || ':' || centre ORDER BY code) FROM case_category
            WHERE district_id = 1 AND parent_id IS NULL),
	ARRAY['MED:mediation', 'POL:policy', 'SVC:service'], 'the top level is the three centres');
SELECT is((SELECT name || ' ' || centre || ' ' || path::text FROM case_category
            WHERE district_id = 1 AND code = 'MED_NEIGHBOUR'),
	'邻里纠纷 mediation MED.MED_NEIGHBOUR', 'a subcategory has its centre and path');
INSERT INTO case_category (district_id, parent_id, code, name, centre, path)
SELECT 7, category_id, 'POL_TEST_CHILD', '测试', 'mediation', 'x' FROM case_category
 WHERE district_id = 1 AND code = 'POL_RURAL';
SELECT is((SELECT district_id || ' ' || centre || ' ' || path::text FROM case_category
            WHERE code = 'POL_TEST_CHILD'),
	'1 policy POL.POL_RURAL.POL_TEST_CHILD', 'a child takes district, centre and path from its parent');
SELECT throws_ok($$UPDATE case_category SET parent_id = NULL WHERE code = 'POL_TEST_CHILD'$$, '23514', NULL,
	'a category cannot move');
SELECT throws_ok($$INSERT INTO case_category (district_id, code, name, centre, path)
	VALUES (1, 'MED2', '第二调处中心', 'mediation', 'x')$$, '23505', NULL, 'one top-level row per centre');
SELECT ok((SELECT is_key FROM case_category WHERE district_id = 1 AND code = 'MED_DEMOLITION'),
	'征地拆迁 is key/complex by default');

-- Service commitments
CREATE TEMP TABLE t_cat AS
SELECT code, category_id FROM case_category WHERE district_id = 1;
SELECT is((SELECT kind || ' ' || amount FROM commitment_for((SELECT category_id FROM t_cat WHERE code = 'MED_NEIGHBOUR'), 'village')),
	'days 3', 'a subcategory without a row inherits its centre''s (village 3 days)');
SELECT is((SELECT kind || ' ' || amount FROM commitment_for((SELECT category_id FROM t_cat WHERE code = 'MED_DEMOLITION'), 'town')),
	'days 10', 'a subcategory''s own row wins (征地拆迁 town 10 days)');
SELECT is((SELECT kind || ' ' || amount FROM commitment_for((SELECT category_id FROM t_cat WHERE code = 'SVC_UTILITIES'), 'village')),
	'hours 24', '水电气维修 at a village: 24 working hours');
SELECT is((SELECT kind || ' ' || coalesce(amount::text, '-') FROM commitment_for((SELECT category_id FROM t_cat WHERE code = 'SVC_LICENCE_ENQUIRY'), 'village')),
	'immediate -', '证照办理咨询 at a village: immediate');
SELECT is((SELECT kind || ' ' || amount FROM commitment_for((SELECT category_id FROM t_cat WHERE code = 'SVC_LICENCE'), 'district')),
	'days 7', 'the parent of an immediate category keeps its centre''s');
DELETE FROM service_commitment WHERE level = 'village'
   AND category_id = (SELECT category_id FROM t_cat WHERE code = 'MED');
SELECT is((SELECT kind || ' ' || amount FROM commitment_for((SELECT category_id FROM t_cat WHERE code = 'MED_NEIGHBOUR'), 'village')),
	'days 5', 'no row on the category or any ancestor: the district default (5 days)');
SELECT throws_ok($$INSERT INTO service_commitment (district_id, category_id, level, kind, amount)
	SELECT 1, category_id, 'village', 'days', NULL FROM case_category WHERE code = 'MED_LAND' AND district_id = 1$$,
	'23514', NULL, 'days without an amount is refused');

-- Escalation: a case started Monday 2026-03-02 08:30 with 3 working days, due Thursday 17:30.
SELECT is(escalation_due_at(1::smallint, 'reminder', '2026-03-02 08:30+08', '2026-03-05 17:30+08'),
	'2026-03-05 10:18+08', 'reminder at 80% of the 36 working hours: Thursday 10:18');
SELECT is(escalation_due_at(1::smallint, 'yellow', '2026-03-02 08:30+08', '2026-03-05 17:30+08'),
	'2026-03-05 17:30+08', 'yellow at the deadline');
SELECT is(escalation_due_at(1::smallint, 'orange', '2026-03-02 08:30+08', '2026-03-05 17:30+08'),
	'2026-03-10 17:30+08', 'orange 3 working days overdue: Tuesday');
SELECT is(escalation_due_at(1::smallint, 'red', '2026-03-02 08:30+08', '2026-03-05 17:30+08'),
	'2026-03-16 17:30+08', 'red 7 working days overdue: Monday after next');
SELECT is(escalation_due_at(1::smallint, 'orange', '2026-09-25 09:00+08', '2026-09-30 17:30+08'),
	'2026-10-10 17:30+08', 'orange across 国庆 counts 10/8, 10/9 and the make-up Saturday 10/10');
-- case_schedule() (the trigger's one call) gives what escalation_due_at()
-- gives step by step, over starts and deadlines across weekends, holidays
-- and make-up days, at night and for a deadline at the start itself.
SELECT is((SELECT count(*)::int FROM
	(SELECT a, d FROM generate_series('2026-01-01 00:00+08'::timestamptz, '2026-12-20 00:00+08', '37 hours 13 minutes') AS a
	 CROSS JOIN LATERAL (VALUES (a), (a + interval '5 hours'), (a + interval '3 days 2 hours'),
	                            (a + interval '12 days')) AS v(d)) x
	 CROSS JOIN LATERAL case_schedule(1::smallint, x.a, x.d) s
	 WHERE (s.remind_at, s.yellow_at, s.orange_at, s.red_at) IS DISTINCT FROM
	       (escalation_due_at(1::smallint, 'reminder', x.a, x.d), escalation_due_at(1::smallint, 'yellow', x.a, x.d),
	        escalation_due_at(1::smallint, 'orange', x.a, x.d), escalation_due_at(1::smallint, 'red', x.a, x.d))),
	0, 'case_schedule() agrees with escalation_due_at() for every step over a year of starts');
-- working_seconds_between() by arithmetic equals the day-by-day sum of the
-- office hours of each working day, over starts and spans across weekends,
-- the holidays and make-up days of 2026, at night and within one day.
SELECT is((SELECT count(*)::int FROM
	(SELECT a, b FROM generate_series('2026-01-01 00:00+08'::timestamptz, '2026-12-20 00:00+08', '29 hours 47 minutes') AS a
	 CROSS JOIN LATERAL (VALUES (a + interval '2 hours'), (a + interval '20 hours'), (a + interval '2 days 3 hours'),
	                            (a + interval '9 days 1 hour'), (a + interval '23 days 5 hours')) AS v(b)) x
	 WHERE working_seconds_between(1::smallint, x.a, x.b) IS DISTINCT FROM
	       (SELECT coalesce(sum(greatest(0, extract(epoch FROM
	                   least(x.b, (g.d + time '17:30') AT TIME ZONE 'Asia/Shanghai')
	                   - greatest(x.a, (g.d + time '08:30') AT TIME ZONE 'Asia/Shanghai')))), 0)
	          FROM (SELECT (x.a AT TIME ZONE 'Asia/Shanghai')::date + i AS d
	                  FROM generate_series(0, (x.b AT TIME ZONE 'Asia/Shanghai')::date
	                                          - (x.a AT TIME ZONE 'Asia/Shanghai')::date) AS i) g
	         WHERE is_working_day(1::smallint, g.d))),
	0, 'working_seconds_between() agrees with the day-by-day sum over a year of spans');
SELECT is((SELECT row(s.*)::text FROM case_schedule(1::smallint, '2026-03-02 08:30+08', NULL) s),
	'(,,,)', 'no deadline, no schedule');
UPDATE escalation_rule SET value = 0.5 WHERE district_id = 1 AND step = 'reminder';
SELECT is(escalation_due_at(1::smallint, 'reminder', '2026-03-02 08:30+08', '2026-03-05 17:30+08'),
	'2026-03-03 17:30+08', 'thresholds are data: at 50% the reminder is Tuesday evening');

-- Who may change it: only a district-root administrator of that district.
-- Identity is session_user, so give postgres a staff row and SET ROLE to the
-- group role: RLS and grants then apply as to a real administrator.
SELECT is(my_admin_district(), NULL, 'postgres without a staff row administers no district');
INSERT INTO staff (district_id, login, display_name, unit_id, path, duty)
SELECT 1, 'postgres', '测试管理员', unit_id, 'x', 'admin' FROM org_unit WHERE code = 'LW';
SELECT is(my_admin_district(), 1::smallint, 'an administrator at the district root administers it');
SET LOCAL ROLE mq_admin;
SELECT lives_ok($$UPDATE service_commitment SET amount = 4 WHERE level = 'town'
	AND category_id = (SELECT category_id FROM case_category WHERE district_id = 1 AND code = 'POL')$$,
	'the district administrator may change a commitment');
RESET ROLE;
SELECT is((SELECT amount FROM service_commitment WHERE level = 'town'
	AND category_id = (SELECT category_id FROM case_category WHERE district_id = 1 AND code = 'POL')),
	4, 'and the change is made');
DELETE FROM escalation_rule WHERE district_id = 1 AND step = 'red';
UPDATE staff SET unit_id = (SELECT unit_id FROM org_unit WHERE code = 'T01') WHERE login = 'postgres';
SET LOCAL ROLE mq_admin;
SELECT throws_ok($$INSERT INTO escalation_rule (district_id, step, basis, value)
	VALUES (1, 'red', 'overdue_working_days', 1)$$, '42501', NULL,
	'a town administrator may not write district-wide rules');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
