-- account: demo_dept
-- A district department handler sees what is dispatched to the department
-- (cases, in a later migration), not the district's households.
BEGIN;
SET search_path = minqing, ext, tap, public;
SELECT plan(3);

SELECT is((SELECT duty::text || ' ' || unit_kind::text || ' ' || unit_level::text FROM whoami()),
	'handler department district', 'I handle for a district department');
SELECT is((SELECT count(*) FROM household), 0::bigint, 'I see no households');
SELECT is((SELECT count(*) FROM resident), 0::bigint, 'I see no residents');

SELECT * FROM finish();
ROLLBACK;
