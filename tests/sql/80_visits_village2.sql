-- account: postgres
-- The officer of 石岙村 (demo_village2, another town) cannot record a visit
-- for a household of 天兴社区, turn its visit into a case, move it to a
-- cell or change 天兴社区's cells and teams, nor set the district's target;
-- sees none of their rows; makes a team of its own village.
BEGIN;
SET search_path = minqing, ext, tap, public;
SELECT plan(14);

SELECT min(v.visit_id) AS their_visit FROM visit v JOIN org_unit u USING (unit_id) WHERE u.code = 'T01V01' \gset
SELECT min(x.household_id) AS their_household FROM visit_household x WHERE x.visit_id = :their_visit \gset
SELECT min(t.team_id) AS their_team FROM service_team t JOIN org_unit u USING (unit_id) WHERE u.code = 'T01V01' \gset
SELECT min(category_id) AS category FROM case_category WHERE district_id = 1 AND parent_id IS NOT NULL AND active \gset

SET SESSION AUTHORIZATION demo_village2;
SELECT throws_ok($$SELECT * FROM visit_record('T01V01-0001', 'night')$$, 'P0002', NULL,
                 'a visit to another village''s household is refused');
SELECT throws_ok(format($$SELECT * FROM visit_record('1', 'night', p_household => %s)$$, :their_household), 'P0002',
                 NULL, 'also from a plan row');
SELECT throws_ok(format($$SELECT * FROM visit_to_case(%s, %s, %s)$$, :their_visit, :their_household, :category),
                 'P0002', NULL, 'another village''s visit cannot become a case');
SELECT throws_ok(format($$SELECT household_cell_set(%s, '01')$$, :their_household), 'P0002', NULL,
                 'another village''s household cannot be moved');
SELECT throws_ok($$SELECT cell_save('T01V01', '99', '外村网格')$$, '42501', NULL, 'no cell for another village');
SELECT throws_ok(format($$SELECT team_member_add(%s, 'demo_village2')$$, :their_team), 'P0002', NULL,
                 'no member for another village''s team');
SELECT throws_ok(format($$SELECT team_cell_set(%s, '01')$$, :their_team), 'P0002', NULL,
                 'no cell for another village''s team');
SELECT throws_ok(format($$SELECT team_member_remove(%s, (SELECT 1::bigint))$$, :their_team), 'P0002', NULL,
                 'no member taken off another village''s team');
SELECT throws_ok($$SELECT team_save('T01V01', '外村服务队')$$, '42501', NULL, 'no team for another village');
SELECT throws_ok($$SELECT visit_set_target(1::smallint, 10, false)$$, '42501', NULL, 'an officer sets no target');
SELECT throws_ok($$SELECT visit_target_set(10)$$, '42501', NULL, 'nor through the form''s function');
SELECT lives_ok($$SELECT team_save('T02V01', '石岙村测试服务队')$$, 'a team of its own village');
SELECT is((SELECT count(*) FROM visit v JOIN org_unit u USING (unit_id) WHERE u.code = 'T01V01'), 0::bigint,
          'another village''s visits are not seen');
SELECT is((SELECT count(*) FROM visit_coverage() WHERE unit_code = 'T01V01'), 0::bigint,
          'nor its coverage');

SELECT * FROM finish();
ROLLBACK;
