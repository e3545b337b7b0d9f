-- account: demo_supervisor
-- A district supervisor reads everything and changes nothing.
BEGIN;
SET search_path = minqing, ext, tap, public;
SELECT plan(5);

SELECT is((SELECT duty::text || ' ' || unit_code FROM whoami()), 'supervisor LW', 'I am a district supervisor');
SELECT is((SELECT count(DISTINCT subpath(path, 0, 2)) FROM household), 10::bigint,
	'I see households of all ten towns');
SELECT throws_ok($$UPDATE household SET address = 'x'$$, '42501', NULL, 'I cannot change households');
SELECT throws_ok($$DELETE FROM resident$$, '42501', NULL, 'I cannot delete residents');
SELECT lives_ok('SELECT count(*) FROM audit_log', 'I read the audit trail');

SELECT * FROM finish();
ROLLBACK;
