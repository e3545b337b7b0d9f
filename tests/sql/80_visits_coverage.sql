-- account: postgres
-- Coverage arithmetic against a hand count, on a fixture made inside the
-- transaction: a new village of T01 with five households in two cells
-- (A: 1 2 3, B: 4 5), visited by demo_town (the street's handler) 10 days
-- ago (1 2), 200 days ago (2 4) and 500 days ago (5), recorded out of
-- order. Last twelve months: 1 2 4 = 3/5 = 60.0 %; last three months: 1 2
-- = 40.0 %; cells: A 2/3 = 66.7 %, B 1/2 = 50.0 %. Against 80 % the
-- village is below; at 50 % (demo_admin's setting) it is met. The
-- district's figure as demo_admin equals the rural households' count read
-- directly, and a community counts only when the setting says all. A
-- supervisor reads coverage but records no visit.
BEGIN;
SET search_path = minqing, ext, tap, public;
SELECT plan(16);

INSERT INTO org_unit (district_id, parent_id, code, name, kind, level, path)
SELECT 1, u.unit_id, 'T01VTEST', '测试村', 'village', 'village', 'x' FROM org_unit u WHERE u.code = 'T01';
SELECT unit_id AS vid, path AS vpath FROM org_unit WHERE code = 'T01VTEST' \gset
INSERT INTO household (district_id, unit_id, path, household_no, address)
SELECT 1, :vid, :'vpath'::ltree, 'T01VTEST-000' || n, '测试村' || n || '号' FROM generate_series(1, 5) AS n;
INSERT INTO grid_cell (district_id, unit_id, path, code, name)
VALUES (1, :vid, :'vpath'::ltree, 'A', '测试网格A'), (1, :vid, :'vpath'::ltree, 'B', '测试网格B');
INSERT INTO household_cell (household_id, cell_id, unit_id, district_id, path)
SELECT h.household_id, c.cell_id, h.unit_id, 1, h.path
  FROM household h JOIN grid_cell c ON c.unit_id = h.unit_id
       AND c.code = CASE WHEN right(h.household_no, 1)::int <= 3 THEN 'A' ELSE 'B' END
 WHERE h.unit_id = :vid;

SET SESSION AUTHORIZATION demo_town;
SELECT lives_ok($$SELECT * FROM visit_record('T01VTEST-0005', 'day', p_visited_at => now() - interval '500 days')$$,
                'a visit 500 days ago');
SELECT lives_ok($$SELECT * FROM visit_record('T01VTEST-0001 T01VTEST-0002', 'night',
                                             p_visited_at => now() - interval '10 days')$$, 'a visit 10 days ago');
SELECT lives_ok($$SELECT * FROM visit_record('T01VTEST-0002,T01VTEST-0004', 'day',
                                             p_visited_at => now() - interval '200 days')$$, 'a visit 200 days ago');
SELECT is((SELECT households || '/' || visited || ' ' || coverage || ' ' || status
             FROM visit_coverage('village', 'year', 'T01VTEST')), '5/3 60.0 below',
          'last twelve months: 3 of 5, 60.0 %, below 80 %');
SELECT is((SELECT households || '/' || visited || ' ' || coverage FROM visit_coverage('village', 'quarter', 'T01VTEST')),
          '5/2 40.0', 'last three months: 2 of 5, 40.0 %');
SELECT is((SELECT string_agg(unit_code || ' ' || visited || '/' || households || ' ' || coverage, ', ' ORDER BY unit_code)
             FROM visit_coverage('cell', 'year', 'T01VTEST')), 'A 2/3 66.7, B 1/2 50.0', 'per cell');
SELECT is((SELECT count(DISTINCT x.household_id) FROM visit_household x WHERE x.unit_id = :vid
            AND x.visited_on > (now() AT TIME ZONE 'Asia/Shanghai')::date - interval '1 year'), 3::bigint,
          'the visits themselves give the same count');
SELECT is((SELECT households || '/' || visited FROM visit_coverage('town') WHERE unit_code = 'T01'),
          (SELECT count(*) || '/' || count(*) FILTER (WHERE hc.last_visited_on
                   > (now() AT TIME ZONE 'Asia/Shanghai')::date - interval '1 year')
             FROM household_cell hc JOIN org_unit u USING (unit_id) WHERE u.kind = 'village'),
          'the street counts its rural households');

SET SESSION AUTHORIZATION demo_admin;
SELECT lives_ok($$SELECT visit_set_target(1::smallint, 50, true)$$, 'the administrator sets 50 %');
SELECT is((SELECT status FROM visit_coverage('village', 'year', 'T01VTEST')), 'met', '60 % meets 50 %');
SELECT is((SELECT households || '/' || visited FROM visit_coverage('district')),
          (SELECT count(*) || '/' || count(*) FILTER (WHERE hc.last_visited_on
                   > (now() AT TIME ZONE 'Asia/Shanghai')::date - interval '1 year')
             FROM household_cell hc JOIN org_unit u USING (unit_id) WHERE u.kind = 'village'),
          'the district''s figure: rural households, hand count');
SELECT is((SELECT DISTINCT status FROM visit_coverage() WHERE kind = 'community'), 'info',
          'communities show their coverage but do not count');
SELECT lives_ok($$SELECT visit_set_target(1::smallint, 80, false)$$, 'all households count');
SELECT lives_ok($$SELECT visit_target_set(70)$$, 'the form''s way: the administrator''s own district, rural only');
SELECT is((SELECT target_percent || ' ' || rural_only FROM visit_setting WHERE district_id = 1), '70 true',
          'the setting is the district''s');

SET SESSION AUTHORIZATION demo_supervisor;
SELECT throws_ok($$SELECT * FROM visit_record('T01VTEST-0003', 'day')$$, '42501', NULL,
                 'a supervisor records no visit');

SELECT * FROM finish();
ROLLBACK;
