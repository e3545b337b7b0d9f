-- account: postgres
-- Volunteers and activities as demo_village (information officer of
-- 天兴社区, T01V01): what row-level security shows of every new table and
-- list (the village's own volunteers, enterprises, targets and cases; its
-- activities and the district's campaigns above it; nothing of another
-- village); registering a volunteer and an enterprise; planning an
-- activity; signing up the village's volunteer, never another unit's;
-- attendance refused before the activity's day and recorded on it; an
-- invitation by SMS waiting for the answer; a problem found becoming a case
-- kept with the activity; the drainer's function and the district's
-- messages out of reach; no write privilege on any table. The ids of other
-- units are looked up first as the superuser; the calls run as
-- demo_village (SET SESSION AUTHORIZATION: identity is session_user).
BEGIN;
SET search_path = minqing, ext, tap, public;
SELECT plan(36);

SELECT u.unit_id AS my_unit, u.path AS my_path FROM org_unit u WHERE u.code = 'T01V01' \gset
SELECT min(v.volunteer_id) AS other_vol FROM volunteer v WHERE NOT v.path <@ :'my_path'::ltree \gset
SELECT min(v.volunteer_id) AS my_vol FROM volunteer v WHERE v.unit_id = :my_unit AND v.active \gset
SELECT max(v.volunteer_id) AS my_vol2 FROM volunteer v WHERE v.unit_id = :my_unit AND v.active \gset
SELECT a.activity_id AS future_act FROM activity a WHERE a.unit_id = :my_unit AND a.starts_on > current_date
 ORDER BY a.starts_on LIMIT 1 \gset
SELECT a.activity_id AS now_act FROM activity a WHERE a.unit_id = :my_unit AND a.starts_on <= current_date
   AND a.ends_on >= current_date ORDER BY a.starts_on LIMIT 1 \gset
SELECT a.activity_id AS other_act FROM activity a JOIN org_unit u USING (unit_id) WHERE u.code = 'T02V01'
   AND a.ends_on >= current_date LIMIT 1 \gset
SELECT min(m.inbound_id) AS district_msg FROM sms_inbound m WHERE m.outcome = 'triage' \gset
SELECT min(category_id) AS cat FROM case_category WHERE district_id = 1 AND parent_id IS NOT NULL AND active \gset
-- The village's volunteers not yet on the activity to come.
DELETE FROM activity_signup WHERE activity_id IN (:future_act, :now_act) AND volunteer_id IN (:my_vol, :my_vol2);

SET SESSION AUTHORIZATION demo_village;

-- Row-level security
SELECT is((SELECT count(*) FROM volunteer WHERE NOT path <@ :'my_path'::ltree), 0::bigint,
	'no volunteer of another unit is visible');
SELECT ok((SELECT count(*) FROM volunteer) >= 3, 'the village''s own volunteers are');
SELECT is((SELECT count(*) FROM volunteer WHERE volunteer_id = :other_vol), 0::bigint,
	'another unit''s volunteer cannot be read');
SELECT is((SELECT count(*) FROM enterprise WHERE NOT path <@ :'my_path'::ltree), 0::bigint,
	'enterprises: the village''s subtree only');
SELECT is((SELECT count(*) FROM activity WHERE NOT (path <@ :'my_path'::ltree OR path @> :'my_path'::ltree)),
	0::bigint, 'activities: the village''s own and those organised above it only');
SELECT is((SELECT count(*) FROM activity WHERE activity_id = :other_act), 0::bigint,
	'another village''s activity is not visible');
SELECT is((SELECT count(*) FROM activity WHERE title LIKE '百名%'), 3::bigint,
	'the three district campaigns are visible to the village');
SELECT is((SELECT count(*) FROM activity_target WHERE NOT path <@ :'my_path'::ltree), 0::bigint,
	'activity targets: the village''s own only');
SELECT ok((SELECT count(*) FROM activity_target t JOIN activity a USING (activity_id)
            WHERE a.title = '百名机关党支部书记进百村') = 1, 'the campaign reached this village, and shows it');
SELECT is((SELECT count(*) FROM activity_signup
            WHERE NOT (path <@ :'my_path'::ltree OR activity_path <@ :'my_path'::ltree)), 0::bigint,
	'sign-ups: the volunteer''s side or the activity''s side only');
SELECT is((SELECT count(*) FROM activity_case WHERE NOT path <@ :'my_path'::ltree), 0::bigint,
	'activity cases: the village''s own only');
SELECT is((SELECT count(*) FROM sms_inbound WHERE NOT path <@ :'my_path'::ltree), 0::bigint,
	'messages received: none of the district''s');
SELECT is((SELECT count(*) FROM sms_inbound_rows('all')), 0::bigint, 'the list of messages received is empty here');
SELECT is((SELECT count(*) FROM volunteer_rows(p_limit => 500)), (SELECT count(*) FROM volunteer),
	'the volunteers'' list is what row-level security shows');
SELECT ok((SELECT count(*) FROM activity_rows(p_limit => 500) WHERE title LIKE '百名%') = 3,
	'the activities'' list shows the campaigns');

-- Writes
SELECT lives_ok($$SELECT volunteer_add('测试志愿者', '13812345678', p_skills => '理发')$$,
	'an officer registers an outside volunteer of the village');
SELECT throws_ok($$SELECT volunteer_add('测试志愿者二', '12345')$$, '22023', NULL, 'a volunteer''s phone is a mobile');
SELECT throws_ok($$SELECT volunteer_add('测试志愿者三', '13812345679', p_unit_code => 'T02V01')$$, '42501', NULL,
	'not for another village');
SELECT lives_ok($$SELECT enterprise_add('天兴测试五金有限公司', p_industry => '五金', p_contact_phone => '13812345670')$$,
	'an enterprise is registered');
SELECT throws_ok($$SELECT activity_add('测试活动', 'households', current_date + 1, p_unit_code => 'T02V01')$$, '42501',
	NULL, 'an activity is organised by my unit or one below it only');
SELECT lives_ok($$SELECT activity_add('天兴测试活动', 'households', current_date + 2, p_theme => '红七月')$$,
	'an officer plans an activity');
SELECT throws_ok(format('SELECT activity_signup(%s, %s)', :future_act, :other_vol), 'P0002', NULL,
	'a village officer cannot sign up a volunteer of another unit');
SELECT lives_ok(format('SELECT activity_signup(%s, %s)', :future_act, :my_vol), 'the village''s own volunteer signs up');
SELECT throws_ok(format('SELECT activity_signup(%s, %s)', :future_act, :my_vol), '23505', NULL, 'not twice');
SELECT throws_ok(format('SELECT activity_attend(signup_id, row_version, 3) FROM activity_signup WHERE activity_id = %s AND volunteer_id = %s',
                        :future_act, :my_vol), '22023', NULL, 'attendance before the activity''s day is refused');
SELECT throws_ok(format('SELECT activity_signup(%s, %s)', :other_act, :my_vol), 'P0002', NULL,
	'nor for another village''s activity');
SELECT lives_ok(format('SELECT activity_signup(%s, %s)', :now_act, :my_vol), 'signed up for the activity going on');
SELECT lives_ok(format('SELECT activity_attend(signup_id, row_version, 3) FROM activity_signup WHERE activity_id = %s AND volunteer_id = %s',
                       :now_act, :my_vol), 'attendance on the day is recorded');
SELECT is((SELECT attended_on || ' ' || hours FROM activity_signup WHERE activity_id = :now_act AND volunteer_id = :my_vol),
	current_date || ' 3.0', 'with the day and the hours');
SELECT is(activity_invite(:future_act, :my_vol2), 1, 'an invitation by SMS goes to the village''s volunteer');
SELECT is((SELECT status FROM activity_signup WHERE activity_id = :future_act AND volunteer_id = :my_vol2), 'invited',
	'and waits for the answer');
SELECT lives_ok(format($$SELECT activity_to_case(%s, 'party_visit', %s, '活动发现路灯坏了', '天兴路路灯不亮', p_submitter_name => '王五')$$,
                       :now_act, :cat), 'a problem the activity found becomes a case');
SELECT is((SELECT count(*) FROM activity_case ac JOIN cases c USING (case_id)
            WHERE ac.activity_id = :now_act AND c.title = '活动发现路灯坏了'), 1::bigint, 'the activity keeps the case');
SELECT throws_ok(format('SELECT sms_mark_handled(%s, 1, %L)', :district_msg, '测试'), 'P0002', NULL,
	'the district''s message received cannot be handled by a village');
SELECT throws_ok($$SELECT sms_receive(1, '13812345678', '1')$$, '42501', NULL,
	'the drainer''s function is out of reach');
SELECT throws_ok($$INSERT INTO volunteer (district_id, unit_id, path, kind, name) VALUES (1, 1, 'LW', 'outside', 'x')$$,
	'42501', NULL, 'no write privilege on the tables');

RESET SESSION AUTHORIZATION;
SELECT * FROM finish();
ROLLBACK;
