-- account: demo_village
-- The registers as a village's information officer: they read their own
-- village's station, accounts and roster, phones masked, and change nothing.
BEGIN;
SET search_path = minqing, ext, tap, public;
SELECT plan(10);

SELECT throws_ok($$SELECT station_save('ST901', '我的分站', 'village', 'T01V01')$$, '42501', NULL,
	'an officer cannot add a station');
SELECT throws_ok($$SELECT station_set_active('ST001', false)$$, '42501', NULL,
	'nor take one out of use');
SELECT throws_ok($$UPDATE minqing.station SET name = '改名' WHERE code = 'ST001'$$, '42501', NULL,
	'nor change one directly');
SELECT throws_ok($$SELECT staff_set_duty('officer_011', 'admin')$$, '42501', NULL,
	'an officer cannot change a staff member''s duty');
SELECT throws_ok($$SELECT staff_set_unit('demo_village', 'T01')$$, '42501', NULL,
	'nor move an account, their own either');
SELECT throws_ok($$SELECT staff_set_active('demo_village2', false)$$, '42501', NULL,
	'nor disable one');
SELECT is((SELECT array_agg(DISTINCT unit_code) FROM stations_list(p_limit => 500)), ARRAY['T01V01'],
	'the stations list holds my village''s station only');
SELECT is((SELECT array_agg(DISTINCT unit_code) FROM officers_roster(p_limit => 500)), ARRAY['T01V01'],
	'the roster holds my village''s officers only');
SELECT is((SELECT count(*)::int FROM officers_roster(p_unit => 'T02V01')), 0,
	'another village''s roster is empty for me');
SELECT is((SELECT count(*)::int FROM staff_list(p_limit => 500)
	    WHERE phone IS NOT NULL AND phone !~ '^[0-9]{3}\*+[0-9]{4}$'), 0,
	'phones stay masked');

SELECT * FROM finish();
ROLLBACK;
