-- account: demo_kiosk
-- The kiosk sees no volunteer, enterprise, activity, sign-up or message
-- received, and may call none of the functions that write them.
BEGIN;
SET search_path = minqing, ext, tap, public;
SELECT plan(8);
SELECT throws_ok('SELECT count(*) FROM minqing.volunteer', '42501', NULL, 'no volunteers');
SELECT throws_ok('SELECT count(*) FROM minqing.activity', '42501', NULL, 'no activities');
SELECT throws_ok('SELECT count(*) FROM minqing.sms_inbound', '42501', NULL, 'no messages received');
SELECT throws_ok('SELECT count(*) FROM minqing.enterprise', '42501', NULL, 'no enterprises');
SELECT throws_ok('SELECT * FROM minqing.activity_rows()', '42501', NULL, 'no list of activities');
SELECT throws_ok('SELECT minqing.activity_signup(1, 1)', '42501', NULL, 'no sign-up');
SELECT throws_ok($$SELECT minqing.volunteer_add('x', '13800000000')$$, '42501', NULL, 'no new volunteer');
SELECT throws_ok($$SELECT minqing.sms_receive(1, '13800000000', '1')$$, '42501', NULL, 'no message received');
SELECT * FROM finish();
ROLLBACK;
