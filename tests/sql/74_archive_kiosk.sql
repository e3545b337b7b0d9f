-- account: demo_kiosk
-- The public kiosk sees nothing of the village archive.
BEGIN;
SET search_path = minqing, ext, tap, public;
SELECT plan(6);

SELECT throws_ok($$SELECT * FROM archive_sections('T01V01')$$, '42501', NULL, 'no sections');
SELECT throws_ok($$SELECT * FROM archive_overview()$$, '42501', NULL, 'no overview');
SELECT throws_ok($$SELECT * FROM archive_diff(1, 2)$$, '42501', NULL, 'no differences');
SELECT throws_ok($$SELECT count(*) FROM archive_revision$$, '42501', NULL, 'no revisions');
SELECT throws_ok($$SELECT count(*) FROM hardship_mark$$, '42501', NULL, 'no hardship marks');
SELECT throws_ok($$SELECT * FROM archive_save_section('T01V01', 3, '{}', 1)$$, '42501', NULL, 'no saving');

SELECT * FROM finish();
ROLLBACK;
