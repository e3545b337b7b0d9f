-- account: demo_dept
-- Pairings as the handler of a department (区信访局, D01), the agency side:
-- its own pairings only, an activity logged for its side (by_agency), a
-- pairing of another agency refused; no household, so no card.
BEGIN;
SET search_path = minqing, ext, tap, public;
SELECT plan(7);

SELECT ok((SELECT count(*) FROM pairings()) > 0, 'the department has pairings');
SELECT is((SELECT count(*) FROM pairing p JOIN org_unit a ON a.unit_id = p.agency_unit_id WHERE a.code <> 'D01'),
	0::bigint, 'only its own');
SELECT pairing_id AS mine FROM pairings(p_limit => 1) \gset
SELECT ok(pairing_activity_add(:mine, 'projects', '协调项目资金', p_problems_solved => 1) > 0,
	'an activity for its pairing');
SELECT is((SELECT by_agency FROM pairing_activity ORDER BY activity_id DESC LIMIT 1), true, 'on the agency''s side');
SELECT min(x) AS theirs FROM generate_series(1, 200) x WHERE x NOT IN (SELECT pairing_id FROM pairing) \gset
SELECT throws_ok(format('SELECT minqing.pairing_activity_add(%s, %L, %L)', :theirs, 'ideas', '座谈'), 'P0002', NULL,
	'a pairing of another agency is refused');
SELECT is((SELECT count(*) FROM service_card), 0::bigint, 'no card: the department has no households');
SELECT throws_ok($$SELECT minqing.pairing_add('D01', 'T01V02')$$, '42501', NULL, 'a handler creates no pairing');

SELECT * FROM finish();
ROLLBACK;
