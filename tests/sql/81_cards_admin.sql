-- account: demo_admin
-- Pairings and resident cadres as the district's administrator: creating a
-- pairing (an agency or department with a village, community or
-- enterprise; not twice), stationing a cadre (a staff member or a named
-- person); the lists of villages without a pairing and of cadres without a
-- recent contact follow.
BEGIN;
SET search_path = minqing, ext, tap, public;
SELECT plan(14);

SELECT code AS v FROM villages_without_pairing(p_limit => 1) \gset
SELECT count(*) AS unpaired FROM villages_without_pairing(p_limit => 500) \gset
SELECT ok(pairing_add('D03', :'v', p_agency_contact => '王科长', p_agency_phone => '13912345678') > 0,
	'a department paired with a village');
SELECT is((SELECT count(*) FROM villages_without_pairing(p_limit => 500)), :unpaired::bigint - 1,
	'the village leaves the list of villages without a pairing');
SELECT throws_ok(format('SELECT minqing.pairing_add(%L, %L)', 'D03', :'v'), '23505', NULL, 'not twice');
SELECT throws_ok($$SELECT minqing.pairing_add('T01V01', 'T01V02')$$, '23514', NULL,
	'a village is not the agency side');
SELECT throws_ok($$SELECT minqing.pairing_add('D03', 'T01')$$, '23514', NULL, 'a town is not the partner side');
SELECT throws_ok($$SELECT minqing.pairing_add('D03', 'T01E01', p_since => '2026-01-01', p_until => '2025-01-01')$$,
	'23514', NULL, 'a pairing does not end before it starts');
SELECT throws_ok($$SELECT minqing.pairing_add('D03', 'NOSUCH')$$, 'P0002', NULL, 'an unknown unit');

SELECT cadre_add('T01V02', p_login => 'demo_dept') AS k1 \gset
SELECT is((SELECT row(name, from_unit_id)::text FROM resident_cadre WHERE cadre_id = :k1),
	(SELECT row(s.display_name, s.unit_id)::text FROM staff s WHERE s.login = 'demo_dept'),
	'a staff member as a cadre: name and unit from the account');
SELECT ok(cadre_add('T01V02', p_name => '李驻村', p_phone => '13987654321', p_from_code => 'T01') > 0,
	'a named outside person from the town');
SELECT throws_ok($$SELECT minqing.cadre_add('T01V02')$$, '23502', NULL, 'a cadre needs a staff member or a name');
SELECT throws_ok($$SELECT minqing.cadre_add('D01', p_name => '张三')$$, '23514', NULL, 'a cadre is of a village');
SELECT ok(:k1 NOT IN (SELECT cadre_id FROM cadres_without_contact(p_limit => 500)),
	'a cadre who arrived today is not overdue');
SELECT ok((SELECT bool_and(days_since > 30) FROM cadres_without_contact()), 'the overdue cadres: over 30 days');
SELECT ok((SELECT count(*) FROM cadres_without_contact(60)) <= (SELECT count(*) FROM cadres_without_contact(30)),
	'fewer over 60 days than over 30');

SELECT * FROM finish();
ROLLBACK;
