-- account: demo_supervisor
-- The district's supervisor reads the volunteers, activities, enterprises
-- and messages received of the district, and writes none of them (its duty
-- is not among those the functions take).
BEGIN;
SET search_path = minqing, ext, tap, public;
SELECT plan(7);
SELECT is((SELECT count(*) FROM volunteer WHERE district_team), 142::bigint, 'the district team is visible');
SELECT ok((SELECT count(*) FROM activity_rows(p_limit => 500)) > 100, 'the activities are listed');
SELECT ok((SELECT count(*) FROM sms_inbound_rows()) >= 1, 'the messages waiting are listed');
SELECT throws_ok($$SELECT volunteer_add('督查测试', '13800000000')$$, '42501', NULL, 'no volunteer added');
SELECT throws_ok(format('SELECT activity_signup(%s, %s)', (SELECT min(activity_id) FROM activity),
                        (SELECT min(volunteer_id) FROM volunteer)), '42501', NULL, 'no sign-up');
SELECT throws_ok(format('SELECT sms_mark_handled(%s, 1, %L)', (SELECT min(inbound_id) FROM sms_inbound WHERE outcome = 'triage'),
                        '测试'), '42501', NULL, 'no message handled');
SELECT throws_ok($$SELECT sms_receive(1, '13800000000', '1')$$, '42501', NULL, 'not the drainer''s function');
SELECT * FROM finish();
ROLLBACK;
