-- account: demo_admin
-- The administrator manages accounts through functions, within limits.
BEGIN;
SET search_path = minqing, ext, tap, public;
SELECT plan(9);

SELECT ok(user_add('test_new_officer', '新信息员', 'T01V01', 'officer') > 0, 'I can add an officer');
SELECT is((SELECT duty::text || ' ' || path::text FROM staff WHERE login = 'test_new_officer'),
	'officer LW.T01.T01V01', 'the staff row has duty and jurisdiction');
SELECT ok(pg_has_role('test_new_officer', 'mq_officer', 'MEMBER'), 'the role is an officer');
SELECT ok(NOT pg_has_role('test_new_officer', 'mq_admin', 'MEMBER'), 'and nothing more');
SELECT throws_ok($$SELECT user_add('pg_evil', 'x', 'LW', 'admin')$$, '42939', NULL, 'reserved names are refused');
SELECT throws_ok($$SELECT user_add('postgres', 'x', 'LW', 'admin')$$, '42501', NULL,
	'a superuser role cannot be adopted as staff');
SELECT throws_ok($$SELECT user_disable('demo_admin')$$, '23514', NULL, 'I cannot disable myself');
SELECT lives_ok($$SELECT user_disable('test_new_officer')$$, 'I can disable an account');
SELECT is((SELECT rolcanlogin FROM pg_roles WHERE rolname = 'test_new_officer'), false,
	'a disabled account cannot log in');

SELECT * FROM finish();
ROLLBACK;
