-- account: demo_admin
-- The registers as the district's administrator: stations are added, changed
-- and taken out of use; accounts moved, given another duty, disabled and
-- enabled; the lists show every phone masked (docs/registers.md).
BEGIN;
SET search_path = minqing, ext, tap, public;
SELECT plan(27);

-- Stations
SELECT ok(station_save('ST900', '测试分站', 'village', 'T01V01', '王五', '13900009000', '一体机') > 0,
	'I can add a station at a village');
SELECT is((SELECT path::text || ' ' || kind::text || ' ' || row_version FROM station WHERE code = 'ST900'),
	'LW.T01.T01V01 village 1', 'it has the unit''s path, its kind and version 1');
SELECT throws_ok($$SELECT station_save('ST900', '重复', 'village', 'T01V01')$$, '23505', NULL,
	'a new station needs a code no other has');
SELECT throws_ok($$SELECT station_save('ST 9', '坏编号', 'village', 'T01V01')$$, '23514', NULL,
	'a code is letters, digits, - or _');
SELECT throws_ok($$SELECT station_save('ST901', '坏电话', 'village', 'T01V01', NULL, '12345')$$, '23514', NULL,
	'a phone is a phone');
SELECT throws_ok($$SELECT station_save('ST901', '企业站', 'enterprise', 'T01V01')$$, '23514', NULL,
	'an enterprise station is not placed at a village');
SELECT throws_ok($$SELECT station_save('ST901', '  ', 'village', 'T01V01')$$, '23502', NULL,
	'a station has a name');
SELECT lives_ok($$SELECT station_save('ST900', '测试分站（改）', 'village', NULL, '赵六', NULL, NULL, 1)$$,
	'I can change it at the version I saw');
SELECT is((SELECT name || ' ' || responsible_name || ' ' || (responsible_phone IS NULL) || ' ' || row_version
	     FROM station WHERE code = 'ST900'),
	'测试分站（改） 赵六 true 2', 'the change is saved, the unit kept');
SELECT throws_ok($$SELECT station_save('ST900', '又改', 'village', NULL, NULL, NULL, NULL, 1)$$, '40001', NULL,
	'a change at an old version is refused');
SELECT lives_ok($$SELECT station_set_active('ST900', false)$$, 'I can take a station out of use');
SELECT is((SELECT state FROM stations_list(p_query => 'ST900', p_active => false)), '停用',
	'the list shows it out of use');
SELECT is((SELECT count(*)::int FROM stations_list(p_query => 'ST900', p_active => true)), 0,
	'and not among those in use');
SELECT is((SELECT count(*)::int FROM stations_list(p_limit => 500)
	    WHERE phone IS NOT NULL AND phone !~ '^[0-9]{3}\*+[0-9]{4}$'), 0,
	'every phone in the stations list is masked');

-- Accounts
SELECT ok(user_add('test_reg_officer', '测试信息员', 'T01V01', 'officer', NULL, NULL, '13900009001') > 0,
	'I add an officer');
SELECT lives_ok($$SELECT staff_set_unit('test_reg_officer', 'T01V02')$$, 'I move the account to another village');
SELECT is((SELECT path::text FROM staff WHERE login = 'test_reg_officer'), 'LW.T01.T01V02',
	'its jurisdiction moved with it');
SELECT lives_ok($$SELECT staff_set_duty('test_reg_officer', 'handler')$$, 'I make the officer a handler');
SELECT ok(pg_has_role('test_reg_officer', 'mq_handler', 'MEMBER')
	AND NOT pg_has_role('test_reg_officer', 'mq_officer', 'MEMBER')
	AND (SELECT duty FROM staff WHERE login = 'test_reg_officer') = 'handler',
	'the role holds the new duty''s group only, and the staff row says so');
SELECT throws_ok($$SELECT staff_set_duty('test_reg_officer', 'admin', 1)$$, '40001', NULL,
	'a change at an old version is refused');
SELECT lives_ok($$SELECT staff_set_active('test_reg_officer', false)$$, 'I disable the account');
SELECT is((SELECT rolcanlogin FROM pg_roles WHERE rolname = 'test_reg_officer'), false, 'it cannot log in');
SELECT lives_ok($$SELECT staff_set_active('test_reg_officer', true)$$, 'I enable it again');
SELECT is((SELECT rolcanlogin::text || ' ' || s.active::text FROM pg_roles r JOIN staff s ON s.login = r.rolname
	     WHERE rolname = 'test_reg_officer'), 'true true', 'it can log in again');
SELECT throws_ok($$SELECT staff_set_duty('demo_admin', 'officer')$$, '23514', NULL, 'I cannot change my own duty');
SELECT throws_ok($$SELECT staff_set_unit('nobody_here', 'T01')$$, 'P0002', NULL, 'an unknown account is named');
SELECT is((SELECT count(*)::int FROM staff_list(p_limit => 500)
	    WHERE phone IS NOT NULL AND phone !~ '^[0-9]{3}\*+[0-9]{4}$'), 0,
	'every phone in the staff list is masked');

SELECT * FROM finish();
ROLLBACK;
