-- account: demo_supervisor
-- A district supervisor reads every village's archive and changes nothing.
BEGIN;
SET search_path = minqing, ext, tap, public;
SELECT plan(7);

SELECT is((SELECT count(*) FROM archive_overview()),
	8 * (SELECT count(*) FROM org_unit WHERE level = 'village' AND kind IN ('village', 'community') AND active
	                                     AND path <@ 'LW'),
	'the overview: every village of the district × eight sections');
SELECT is((SELECT count(*) FROM archive_sections('T02V01')), 8::bigint, 'I read any village''s sections');
SELECT ok((SELECT content IS NOT NULL FROM archive_section('T05V01', 2)), 'and their content');
SELECT throws_ok($$SELECT * FROM archive_save_section('T01V01', 3, '{"note": "督查意见"}', 1)$$, '42501', NULL,
	'I cannot save a section');
SELECT throws_ok($$SELECT hardship_mark_add((SELECT min(household_id) FROM household), NULL, 'dibao')$$, '42501', NULL,
	'nor add a hardship mark');
SELECT throws_ok($$SELECT archive_set_stale_months(1::smallint, 6)$$, '42501', NULL, 'nor set the stale period');
SELECT throws_ok($$UPDATE archive_revision SET changed = '{}'$$, '42501', NULL, 'nor edit a revision');

SELECT * FROM finish();
ROLLBACK;
