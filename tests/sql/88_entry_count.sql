-- account: postgres
-- The cases kept per person, day and unit (entry_count, 039_entry_count.sql;
-- the trigger of schema/functions/81_entry_count.sql) and 信息员名册's
-- counts read from them (officers_roster().cases_30d): after the demo load
-- the kept counts are a recount of the cases; a case entered is counted on
-- the district's calendar day, not the server's (the suite's server runs
-- at UTC: 16:30 UTC is the next day in the district), on the session's own
-- row; a statement of
-- several cases on two days and two units adds to each row; the roster of
-- a supervisor and of a village officer counts what a plain query under
-- their row-level security counts of the last 30 days, today included;
-- a village officer reads only their village's rows; nobody but the
-- trigger writes the counts, and the recount is the superuser's. Rolled
-- back.
BEGIN;
SET search_path = minqing, ext, tap, public;
SELECT plan(15);

-- The rows of entry_count that differ from a recount of the cases (none: 0).
CREATE FUNCTION pg_temp.mismatches() RETURNS bigint LANGUAGE sql AS $$
	SELECT count(*)
	  FROM (SELECT c.entered_by, (c.created_at AT TIME ZONE 'Asia/Shanghai')::date AS day, c.origin_unit_id,
	               count(*)::integer AS n
	          FROM minqing.cases c GROUP BY 1, 2, 3) m
	  FULL JOIN (SELECT x.entered_by, x.day, x.origin_unit_id, sum(x.n)::integer AS n FROM minqing.entry_count x
	              GROUP BY 1, 2, 3) e USING (entered_by, day, origin_unit_id)
	 WHERE m.n IS NULL OR e.n IS NULL OR m.n <> e.n
$$;
SELECT is(pg_temp.mismatches(), 0::bigint, 'after the demo load the kept counts are the cases');

SELECT min(category_id) AS cat FROM case_category c JOIN org_unit u ON u.district_id = c.district_id
 WHERE u.code = 'LW' AND c.parent_id IS NOT NULL \gset
SELECT coalesce(sum(n), 0)::integer AS before FROM entry_count
 WHERE entered_by = 'demo_village' AND day = (now() AT TIME ZONE 'Asia/Shanghai')::date \gset

-- Two cases entered by the officer of T01V01 at its console.
SET SESSION AUTHORIZATION demo_village;
SELECT count(*) FROM (
	SELECT case_intake('walk_in', '录入计数测试' || g, '录入计数测试内容' || g, :cat, '测试人',
	                   '137' || lpad(g::text, 8, '0'))
	  FROM generate_series(1, 2) g) x;
RESET SESSION AUTHORIZATION;
SELECT is((SELECT sum(n)::integer FROM entry_count
            WHERE entered_by = 'demo_village' AND day = (now() AT TIME ZONE 'Asia/Shanghai')::date),
          :before + 2, 'two cases entered: two more on the officer''s day, the district''s');
SELECT is((SELECT n FROM entry_count
            WHERE entered_by = 'demo_village' AND day = (now() AT TIME ZONE 'Asia/Shanghai')::date
              AND slot = pg_backend_pid()), 2,
          'on this session''s own row (slot: its process id), which no other session writes');

-- One statement of three cases: two at T01V01 on a day whose UTC date is
-- the day before (16:30 UTC on the 9th is 00:30 on the 10th in the
-- district), one at T01V02 on another day.
INSERT INTO cases (district_id, case_no, channel, origin_unit_id, origin_path, title, content, category_id, anonymous,
                   entered_by, created_at)
SELECT u.district_id, 'LW-TEST-ENTRY-' || x.i, 'walk_in', u.unit_id, u.path, '计数' || x.i, '计数', :cat, true,
       'entry_test_login', x.at
  FROM (VALUES (1, 'T01V01', timestamptz '2026-03-09 16:30+00'), (2, 'T01V01', '2026-03-10 03:00+00'),
               (3, 'T01V02', '2026-03-11 03:00+00')) x(i, code, at)
  JOIN org_unit u ON u.code = x.code;
SELECT is((SELECT array_agg(format('%s %s %s', e.day, u.code, e.n) ORDER BY e.day, u.code)
             FROM (SELECT x.day, x.origin_unit_id, sum(x.n) AS n FROM entry_count x
                    WHERE x.entered_by = 'entry_test_login' GROUP BY 1, 2) e
             JOIN org_unit u ON u.unit_id = e.origin_unit_id),
          ARRAY['2026-03-10 T01V01 2', '2026-03-11 T01V02 1'],
          'a statement''s cases summed per district day and unit');
SELECT is(pg_temp.mismatches(), 0::bigint, 'and the kept counts are still the cases');

-- The roster's counts against a plain query under the caller's policies:
-- the cases each listed officer entered at units the caller sees, on the
-- district's last 30 days.
CREATE FUNCTION pg_temp.roster_wrong() RETURNS bigint LANGUAGE sql AS $$
	SELECT count(*)
	  FROM minqing.officers_roster(p_limit => 500) r
	 WHERE r.cases_30d <> (SELECT count(*) FROM minqing.cases c
	                        WHERE c.entered_by = r.login
	                          AND c.origin_path OPERATOR(ext.<@) minqing.my_scope()
	                          AND (c.created_at AT TIME ZONE 'Asia/Shanghai')::date
	                              > (now() AT TIME ZONE 'Asia/Shanghai')::date - 30)
$$;
GRANT EXECUTE ON FUNCTION pg_temp.roster_wrong() TO PUBLIC;
SET SESSION AUTHORIZATION demo_supervisor;
SELECT ok((SELECT count(*) FROM officers_roster(p_limit => 500) WHERE cases_30d > 0) > 10,
          'the district''s roster: officers with cases this month');
SELECT is(pg_temp.roster_wrong(), 0::bigint, 'each officer''s count is a count of the cases');
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION demo_village;
SELECT is((SELECT cases_30d FROM officers_roster() WHERE login = 'demo_village'),
          (SELECT count(*)::integer FROM cases
            WHERE entered_by = 'demo_village'
              AND (created_at AT TIME ZONE 'Asia/Shanghai')::date > (now() AT TIME ZONE 'Asia/Shanghai')::date - 30),
          'the village officer''s own count, the two new cases in it');
SELECT is(pg_temp.roster_wrong(), 0::bigint, 'and the village''s roster is a count of the cases');
SELECT is((SELECT count(*) FROM entry_count e
            WHERE NOT e.origin_path OPERATOR(ext.<@) (SELECT u.path FROM org_unit u WHERE u.code = 'T01V01')),
          0::bigint, 'a village officer reads its village''s rows only');
SELECT ok((SELECT count(*) FROM entry_count) > 0, 'and reads them');
SELECT throws_ok($$UPDATE entry_count SET n = 10$$, '42501', NULL, 'a person may not write the counts');
SELECT throws_ok($$INSERT INTO entry_count VALUES ('demo_village', current_date, 1, 1, 'x', 1)$$, '42501', NULL,
                 'nor add to them');
SELECT throws_ok($$SELECT entry_count_rebuild()$$, '42501', NULL, 'nor count them again');
RESET SESSION AUTHORIZATION;

SELECT lives_ok($$SELECT entry_count_rebuild()$$, 'the superuser counts them again');

SELECT * FROM finish();
ROLLBACK;
