-- account: demo_town_admin
-- The registers as a town's administrator: their town's stations, accounts
-- and roster, changed within the town only.
BEGIN;
SET search_path = minqing, ext, tap, public;
SELECT plan(10);

SELECT is((SELECT count(*)::int FROM officers_roster(p_limit => 500) WHERE unit_code !~ '^T01V'), 0,
	'the roster holds the officers of my town''s villages only');
SELECT ok((SELECT count(*) FROM officers_roster(p_limit => 500)) > 1, 'several of them');
SELECT is((SELECT count(*)::int FROM officers_roster(p_unit => 'T02', p_limit => 500)), 0,
	'another town''s roster is empty for me');
SELECT is((SELECT count(*)::int FROM stations_list(p_limit => 500) WHERE unit_code !~ '^T01'), 0,
	'the stations list holds my town''s stations only');
SELECT throws_ok($$SELECT station_save('ST902', '外镇分站', 'village', 'T02V01')$$, '42501', NULL,
	'I add no station in another town');
SELECT throws_ok($$SELECT station_set_active('ST015', false)$$, '42501', NULL,
	'nor take another town''s station out of use');
SELECT ok(station_save('ST902', '本镇新分站', 'village', 'T01V02') > 0, 'but may in my town');
SELECT throws_ok($$SELECT staff_set_duty('demo_village2', 'handler')$$, '42501', NULL,
	'I change no account of another town');
SELECT throws_ok($$SELECT staff_set_unit('demo_village', 'T02V01')$$, '42501', NULL,
	'nor move one of mine out of the town');
SELECT lives_ok($$SELECT staff_set_unit('demo_village', 'T01V02')$$, 'but within it');

SELECT * FROM finish();
ROLLBACK;
