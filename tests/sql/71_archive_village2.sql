-- account: demo_village2
-- The officer of T02V01 (another town): their own archive, nothing of T01V01's.
BEGIN;
SET search_path = minqing, ext, tap, public;
SELECT plan(8);

SELECT is((SELECT duty::text || ' ' || unit_code FROM whoami()), 'officer T02V01', 'I am the officer of T02V01');
SELECT is((SELECT count(*) FROM archive_sections('T02V01') WHERE filled), 8::bigint, 'my village''s eight sections');
SELECT throws_ok($$SELECT * FROM archive_section('T01V01', 1)$$, '42501', NULL, 'T01V01''s archive: refused');
SELECT throws_ok($$SELECT * FROM archive_save_section('T01V01', 3, '{"note": "改别村的档案"}', 1)$$, '42501', NULL,
	'and I cannot save it');
SELECT is((SELECT count(*) FROM hardship_mark WHERE NOT path <@ 'LW.T02.T02V01'), 0::bigint,
	'I see only my village''s hardship marks');
SELECT throws_ok(format('SELECT hardship_mark_end(%s)', (SELECT min(mark_id) - 1 FROM hardship_mark)), 'P0002', NULL,
	'a mark of another village (of another town): not found');
SELECT is((SELECT count(*) FROM household_hardship((SELECT min(household_id) - 1 FROM household))), 0::bigint,
	'another village''s household shows no marks');
SELECT is((SELECT count(*) FROM archive_overview() WHERE unit_code <> 'T02V01'), 0::bigint,
	'the overview holds my village only');

SELECT * FROM finish();
ROLLBACK;
