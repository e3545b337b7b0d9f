-- account: demo_town
-- The handler of town T01: the villages × sections table of the town, saving
-- a village's section and its hardship marks; nothing of town T02.
BEGIN;
SET search_path = minqing, ext, tap, public;
SELECT plan(13);

SELECT is((SELECT count(*) FROM archive_overview()),
	8 * (SELECT count(*) FROM org_unit WHERE path <@ 'LW.T01' AND level = 'village' AND active),
	'the overview: every village of my town × eight sections');
SELECT is((SELECT count(*) FROM archive_overview() WHERE town_code <> 'T01'), 0::bigint, 'and no other town');
SELECT ok((SELECT count(*) FROM archive_overview() WHERE stale) > 0, 'some sections are stale in the demo');
SELECT is((SELECT count(*) FROM archive_overview() o JOIN archive_sections(o.unit_code) s USING (section)
            WHERE o.unit_code = 'T01V02' AND (o.stale, o.saved_at) IS DISTINCT FROM (s.stale, s.saved_at)), 0::bigint,
	'the overview says what the village''s sections say');
SELECT lives_ok(format($$SELECT * FROM archive_save_section('T01V02', 7,
	'{"items": [{"kind": "dispute", "title": "山林权属纠纷", "since": "2026-03-01"}], "note": "镇里协调"}', %s)$$,
	(SELECT revision_no FROM archive_section('T01V02', 7))), 'I save a section of a village of my town');
SELECT is((SELECT content FROM archive_section('T01V02', 7)),
	'{"items": [{"kind": "dispute", "title": "山林权属纠纷", "since": "2026-03-01"}], "note": "镇里协调"}'::jsonb,
	'the structured rows are what the revision says');
SELECT is((SELECT count(*) FROM archive_stability WHERE unit_id = (SELECT unit_id FROM org_unit WHERE code = 'T01V02')),
	1::bigint, 'one item now');
SELECT is((SELECT (derived ->> 'households')::bigint FROM archive_section('T01V02', 1)),
	(SELECT count(*) FROM household h JOIN org_unit u USING (unit_id) WHERE u.code = 'T01V02' AND h.active),
	'a village''s live counts are that village''s, not the town''s');
SELECT is((SELECT coalesce(sum((e ->> 'cases')::int), 0) FROM archive_section('T01V02', 7),
                  jsonb_array_elements(derived -> 'mediation') AS e)::bigint,
	(SELECT count(*) FROM cases c JOIN case_category k USING (category_id)
	  WHERE k.centre = 'mediation' AND c.origin_path <@ (SELECT path FROM org_unit WHERE code = 'T01V02')),
	'and its mediation cases');
SELECT throws_ok($$SELECT * FROM archive_sections('T02V01')$$, '42501', NULL, 'another town''s village: refused');
SELECT throws_ok($$SELECT * FROM archive_save_section('T02V01', 3, '{}', 1)$$, '42501', NULL, 'and not saved');
SELECT is((SELECT count(*) FROM hardship_mark WHERE NOT path <@ 'LW.T01'), 0::bigint,
	'hardship marks: my town''s only');
SELECT ok((SELECT count(DISTINCT unit_id) FROM hardship_mark) > 1, 'of all its villages');

SELECT * FROM finish();
ROLLBACK;
