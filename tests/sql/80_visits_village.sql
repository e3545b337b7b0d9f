-- account: postgres
-- Grid cells, service teams and visits (schema/functions/66_visits.sql) as
-- the information officer of 天兴社区 (demo_village): row-level security on
-- every new table, no direct writes; a five-household night visit typed as
-- numbers, a range and a name fragment; another village's household, an
-- unknown or ambiguous token refused with nothing written; a return visit
-- needs a case reported back or closed; a finding turned into a case keeps
-- the visit; a household in two cells is refused. (Run as postgres to pick
-- the other village's rows, then as demo_village: SET SESSION
-- AUTHORIZATION, so that session_user is the officer; rolled back.)
BEGIN;
SET search_path = minqing, ext, tap, public;
SELECT plan(31);

SELECT u.path AS mypath FROM org_unit u WHERE u.code = 'T01V01' \gset
SELECT h.household_no AS foreign_no, h.household_id AS foreign_id FROM household h JOIN org_unit u USING (unit_id)
 WHERE u.code = 'T02V01' ORDER BY h.household_no LIMIT 1 \gset
SELECT c.case_no AS closed_case FROM cases c WHERE c.origin_path <@ :'mypath'::ltree
   AND c.status = 'closed' ORDER BY c.case_id LIMIT 1 \gset
-- a head's name that two households of the village share a character of
SELECT substr(r.name, 1, 1) AS common FROM household h JOIN resident r ON r.resident_id = h.head_resident_id
 WHERE h.path = :'mypath'::ltree GROUP BY 1 HAVING count(*) > 1 ORDER BY count(*) DESC LIMIT 1 \gset
SELECT min(category_id) AS category FROM case_category WHERE district_id = 1 AND parent_id IS NOT NULL AND active \gset

SET SESSION AUTHORIZATION demo_village;
-- a case still open (just received)
SELECT case_no AS open_case FROM case_intake('walk_in', '楼道灯不亮', '楼道灯不亮，请修理', :category, '张三',
                                             '13800000000') \gset

-- Row-level security: the officer sees its own village only
SELECT is((SELECT count(*) FROM grid_cell WHERE NOT path <@ :'mypath'::ltree), 0::bigint, 'cells: own village only');
SELECT ok((SELECT count(*) FROM grid_cell) > 0, 'the village''s cells are there');
SELECT is((SELECT count(*) FROM household_cell WHERE NOT path <@ :'mypath'::ltree), 0::bigint, 'household cells: own only');
SELECT is((SELECT count(*) FROM service_team WHERE NOT path <@ :'mypath'::ltree), 0::bigint, 'teams: own only');
SELECT is((SELECT count(*) FROM service_team_member WHERE NOT path <@ :'mypath'::ltree), 0::bigint, 'members: own only');
SELECT is((SELECT count(*) FROM service_team_cell WHERE NOT path <@ :'mypath'::ltree), 0::bigint, 'team cells: own only');
SELECT is((SELECT count(*) FROM visit WHERE NOT path <@ :'mypath'::ltree), 0::bigint, 'visits: own only');
SELECT is((SELECT count(*) FROM visit_household WHERE NOT path <@ :'mypath'::ltree), 0::bigint, 'visited households: own only');
SELECT throws_ok($$INSERT INTO grid_cell (district_id, unit_id, path, code, name) SELECT 1, unit_id, path, 'x', 'x'
                    FROM org_unit WHERE code = 'T01V01'$$, '42501', NULL, 'no direct write to the cells');
SELECT throws_ok($$UPDATE household_cell SET last_visited_on = current_date$$, '42501', NULL,
                 'no direct write to a household''s cell');
SELECT throws_ok($$DELETE FROM visit$$, '42501', NULL, 'visits are never deleted');

-- The visit plan: households of my team's cells not visited this year, never first, then oldest
SELECT ok(NOT EXISTS (SELECT 1 FROM visit_plan(p_limit => 500) p JOIN household_cell hc USING (household_id)
                       WHERE hc.cell_id NOT IN (SELECT x.cell_id FROM service_team_cell x
                                                  JOIN service_team_member m USING (team_id)
                                                  JOIN staff st ON st.staff_id = m.staff_id
                                                 WHERE st.login = 'demo_village')),
          'the plan lists the households of my team''s cells');
SELECT ok(NOT EXISTS (SELECT 1 FROM visit_plan(p_limit => 500) p
                       WHERE p.last_visited_on >= date_trunc('year', now() AT TIME ZONE 'Asia/Shanghai')),
          'none visited this year');
SELECT last_key AS k5, household_id AS i5 FROM visit_plan(p_limit => 5) ORDER BY last_key DESC, household_id DESC LIMIT 1 \gset
SELECT is((SELECT array_agg(household_id)::text FROM visit_plan(:'k5', :i5, 10)),
          (SELECT array_agg(household_id)::text FROM (SELECT household_id FROM visit_plan(p_limit => 15) OFFSET 5) x),
          'the next page continues the order');

-- A five-household night visit: two tails, a range of two and a full number
SELECT * FROM visit_record('1,2 3-4 T01V01-0005', 'night', 'irregular', p_findings => '夜访：了解用电情况') \gset v_
SELECT is(:v_households, 5, 'five households on the visit');
SELECT is((SELECT shift || '/' || kind || '/' || households FROM visit WHERE visit_id = :v_visit_id),
          'night/irregular/5', 'the visit is a night visit of five households');
SELECT is((SELECT count(*) FROM household_cell hc JOIN household h USING (household_id)
            WHERE h.household_no IN ('T01V01-0001', 'T01V01-0002', 'T01V01-0003', 'T01V01-0004', 'T01V01-0005')
              AND hc.last_visited_on = (now() AT TIME ZONE 'Asia/Shanghai')::date), 5::bigint,
          'each household''s last visit is today');

-- Refusals; nothing half-written
SELECT count(*) AS visits_before FROM visit \gset
SELECT throws_ok(format($$SELECT * FROM visit_record('1 2 %s', 'day')$$, :'foreign_no'), 'P0002',
                 format('no household "%s" among those you may visit', :'foreign_no'),
                 'another village''s household is refused, named');
SELECT throws_ok(format($$SELECT * FROM visit_record('1', 'day', p_household => %s)$$, :foreign_id), 'P0002', NULL,
                 'another village''s household from a plan row is refused');
SELECT throws_ok($$SELECT * FROM visit_record('1 99999', 'day')$$, 'P0002', NULL, 'an unknown number is refused');
SELECT throws_like(format($$SELECT * FROM visit_record('1 %s', 'day')$$, :'common'),
                   format('"%s" is ambiguous: T01V01-%%', :'common'), 'an ambiguous name names its candidates');
SELECT throws_ok($$SELECT * FROM visit_record('1 1', 'day')$$, '23505', NULL, 'a household named twice is refused');
SELECT is((SELECT count(*) FROM visit), :visits_before::bigint, 'no refused visit left a row');

-- Return visits
SELECT throws_ok($$SELECT * FROM visit_record('7', 'day', 'return')$$, '23502', NULL,
                 'a return visit without a case is refused');
SELECT throws_ok(format($$SELECT * FROM visit_record('7', 'day', 'return', p_return_case => %L)$$, :'open_case'),
                 '23514', NULL, 'a return visit to a case not reported back nor closed is refused');
SELECT lives_ok(format($$SELECT * FROM visit_record('7', 'day', 'return', p_return_case => %L)$$, :'closed_case'),
                'a return visit to a closed case is recorded');

-- A finding becomes a case
SELECT * FROM visit_to_case(:v_visit_id, (SELECT household_id FROM household WHERE household_no = 'T01V01-0003'),
                            :category) \gset c_
SELECT is((SELECT channel::text || ' ' || h.household_no FROM cases c JOIN household h USING (household_id)
            WHERE c.case_id = :c_case_id), 'party_visit T01V01-0003', 'the case came from a party visit, for the household');
SELECT is((SELECT case_no FROM visit_households(:v_visit_id) WHERE household_no = 'T01V01-0003'), :'c_case_no',
          'the visit keeps the case');
SELECT throws_ok(format($$SELECT * FROM visit_to_case(%s, (SELECT household_id FROM household
                          WHERE household_no = 'T01V01-0003'), %s)$$, :v_visit_id, :category), '25000', NULL,
                 'a finding becomes a case once');

-- A whole number as typed, in small letters too, and a number's tail, each
-- found by its generated column's index (033_household_no.sql).
SELECT is((SELECT household_nos FROM visit_record('t01v01-0006 9', 'day')), 'T01V01-0006 T01V01-0009',
          'a whole number in small letters and a tail name their households');

-- Every household in exactly one cell
RESET SESSION AUTHORIZATION;
SELECT throws_ok($$INSERT INTO household_cell (household_id, cell_id, unit_id, district_id, path)
                   SELECT hc.household_id, c.cell_id, hc.unit_id, hc.district_id, hc.path
                     FROM household_cell hc JOIN grid_cell c ON c.unit_id = hc.unit_id AND c.cell_id <> hc.cell_id
                    LIMIT 1$$, '23505', NULL, 'a household in two cells is refused');

SELECT * FROM finish();
ROLLBACK;
