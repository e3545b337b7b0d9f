-- account: demo_admin
-- Importing a register (minqing-admin import) at the level of the functions:
-- the staging view files rows only under the caller's open import, the
-- checks reject by line, nothing is written while a row is rejected, an
-- import is used once, and the staging tables stay the caller's own.
-- (The command itself, with real files: tests/cli/admin_import.sh.)
BEGIN;
SET search_path = minqing, ext, tap, public;
SELECT plan(14);

SELECT throws_ok($$SELECT import_begin('cattle')$$, '22023', NULL, 'an unknown kind of register is refused');
SELECT throws_ok($$INSERT INTO import_input (c1) VALUES ('T01V01')$$, '55000', NULL,
	'a row without an open import is refused');
SELECT throws_ok($$SELECT * FROM import_row$$, '42501', NULL, 'the staged rows are not for reading');
SELECT throws_ok($$SELECT * FROM import_id_cards_registered(ARRAY['330303196003070012'])$$, '42501', NULL,
	'whether an ID number is registered anywhere is not for asking');

SELECT set_config('minqing.import_id', import_begin('households')::text, true) IS NOT NULL AS opened \gset
INSERT INTO import_input (c1, c2, c3, c4, c5) VALUES ('T01V01', 'TAP-1', '测试路1号', NULL, NULL),
	('NOPE', 'TAP-2', '测试路2号', NULL, NULL);
INSERT INTO import_input (c1, c2, c3)
SELECT 'T01V01', h.household_no, '别处1号' FROM household h
 WHERE h.path = 'LW.T01.T01V01' AND h.address <> '别处1号' ORDER BY h.household_id LIMIT 1;
SELECT results_eq(
	$$SELECT line, field, reason FROM import_households(current_setting('minqing.import_id')::bigint, false)$$,
	$$VALUES (3, 'c1', 'unknown village %s'),
	         (4, 'c2', 'household number %s is already registered at another address: %s')$$,
	'the rejects by line (the header is line 1), column and reason');
SELECT is((SELECT count(*) FROM household WHERE household_no = 'TAP-1'), 0::bigint,
	'nothing is written while a row is rejected');
SELECT is((SELECT row(read_rows, inserted, rejected, written)::text FROM import_run
	    WHERE import_id = current_setting('minqing.import_id')::bigint),
	'(3,0,2,f)', 'the import records its figures');
SELECT is((SELECT array_agg(args ORDER BY line) FROM import_reject
	    WHERE import_id = current_setting('minqing.import_id')::bigint AND line = 3),
	ARRAY[ARRAY['NOPE']], 'a reject keeps its parameters');
SELECT throws_ok($$SELECT * FROM import_households(current_setting('minqing.import_id')::bigint, true)$$,
	'55000', NULL, 'an import is checked once');
SELECT throws_ok($$INSERT INTO import_input (c1) VALUES ('T01V01')$$, '55000', NULL,
	'no row goes to a finished import');

SELECT set_config('minqing.import_id', import_begin('households')::text, true) IS NOT NULL AS opened \gset
INSERT INTO import_input (c1, c2, c3) VALUES ('T01V01', 'TAP-1', '测试路1号'), ('NOPE', 'TAP-2', '测试路2号');
SELECT throws_ok($$SELECT * FROM import_residents(current_setting('minqing.import_id')::bigint, true)$$,
	'P0002', NULL, 'an import is checked as its own kind only');
SELECT is((SELECT count(*) FROM import_households(current_setting('minqing.import_id')::bigint, true)),
	1::bigint, 'with partial, the bad row is still rejected');
SELECT is((SELECT path::text FROM household WHERE household_no = 'TAP-1'), 'LW.T01.T01V01',
	'and the good one written, in its village');
SELECT is((SELECT count(*) FROM audit_log WHERE table_name = 'household' AND op = 'INSERT'
	    AND after ->> 'household_no' = 'TAP-1' AND actor = 'demo_admin'), 1::bigint,
	'the import is audited as the administrator');

SELECT * FROM finish();
ROLLBACK;
