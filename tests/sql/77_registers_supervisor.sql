-- account: demo_supervisor
-- The registers as the district's supervisor: read everything, change nothing.
BEGIN;
SET search_path = minqing, ext, tap, public;
SELECT plan(4);

SELECT ok((SELECT count(*) FROM stations_list(p_limit => 500)) > 200, 'I read the district''s stations');
SELECT ok((SELECT count(*) FROM officers_roster(p_limit => 500)) >= 100, 'and its roster of officers');
SELECT throws_ok($$SELECT station_save('ST903', '督查分站', 'village', 'T01V01')$$, '42501', NULL,
	'a supervisor adds no station');
SELECT throws_ok($$SELECT staff_set_active('demo_village', false)$$, '42501', NULL,
	'nor disables an account');

SELECT * FROM finish();
ROLLBACK;
