-- account: demo_kiosk
-- The kiosk reads none of the cells, teams and visits and calls none of
-- their functions.
BEGIN;
SET search_path = minqing, ext, tap, public;
SELECT plan(6);
SELECT throws_ok($$SELECT count(*) FROM minqing.visit$$, '42501', NULL, 'no visits');
SELECT throws_ok($$SELECT count(*) FROM minqing.household_cell$$, '42501', NULL, 'no households'' cells');
SELECT throws_ok($$SELECT * FROM minqing.visit_record('1', 'day')$$, '42501', NULL, 'no visit recorded');
SELECT throws_ok($$SELECT * FROM minqing.visit_coverage()$$, '42501', NULL, 'no coverage');
SELECT throws_ok($$SELECT * FROM minqing.visit_plan()$$, '42501', NULL, 'no plan');
SELECT throws_ok($$SELECT * FROM minqing.service_teams()$$, '42501', NULL, 'no teams');
SELECT * FROM finish();
ROLLBACK;
