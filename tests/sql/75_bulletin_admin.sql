-- account: demo_admin
-- The district's administrator keeps the published contact channels and the
-- receiving staff; every change is audited; the results board by town.
BEGIN;
SET search_path = minqing, ext, tap, public;
SELECT plan(16);

SELECT is((SELECT duty::text || ' ' || unit_code FROM whoami()), 'admin LW', 'I am the district''s administrator');
SELECT ok(contacts_set(1::smallint, '区民情e站夜间值班电话', 'consult_phone', '0577-86899222', '17:00-次日8:30', 35) > 0,
	'I add a contact channel');
SELECT is((SELECT value || '|' || note FROM public_contacts() WHERE label = '区民情e站夜间值班电话'),
	'0577-86899222|17:00-次日8:30', 'it is published');
SELECT lives_ok($$SELECT contacts_set(1::smallint, '区民情e站夜间值班电话', 'consult_phone', '0577-86899333')$$,
	'I change its number');
SELECT is((SELECT value FROM public_contacts() WHERE label = '区民情e站夜间值班电话'), '0577-86899333', 'changed');
SELECT ok((SELECT count(*) FROM audit_log WHERE table_name = 'public_contact' AND op IN ('INSERT', 'UPDATE')
            AND actor = session_user) >= 2, 'both changes are in the audit trail');
SELECT throws_ok($$SELECT contacts_set(1::smallint, '坏号码', 'consult_phone', '12-34')$$, '23514', NULL,
	'a phone number that is none is refused');
SELECT throws_ok($$SELECT contacts_set(1::smallint, '坏邮箱', 'mailbox', 'no-at-sign')$$, '23514', NULL,
	'a mailbox that is none is refused');
SELECT throws_ok($$SELECT contacts_set(2::smallint, '外区', 'consult_phone', '0577-86899333')$$, '42501', NULL,
	'another district''s contacts are not mine');
SELECT is(contacts_set(1::smallint, '区民情e站夜间值班电话', NULL, NULL), NULL, 'I remove the channel');
SELECT is((SELECT count(*) FROM public_contacts() WHERE label = '区民情e站夜间值班电话'), 0::bigint, 'it is gone');

-- receiving staff
CREATE TEMP TABLE r AS SELECT receiver_save(NULL, NULL, 'T01V01', '王丽华', '村便民服务窗口受理员', '0577-86123456') AS id;
SELECT ok((SELECT count(*) FROM public_receivers('T01V01') WHERE name = '王丽华') = 1, 'I add a receiver to a village');
SELECT throws_ok(format('SELECT receiver_save(%s, 7, NULL, %L, %L, %L)', (SELECT id FROM r), '王丽华', '受理员',
	'0577-86123456'), '40001', NULL, 'a change at a version I did not see is refused');
SELECT lives_ok(format('SELECT receiver_save(%s, 1, NULL, %L, %L, %L, false)', (SELECT id FROM r), '王丽华',
	'村便民服务窗口受理员', '0577-86123456'), 'I take her off the list');
SELECT is((SELECT count(*) FROM public_receivers('T01V01') WHERE name = '王丽华'), 0::bigint, 'she is off the list');

-- news I post is audited with its unit's path
CREATE TEMP TABLE n AS SELECT * FROM news_post('LW', 'work', '区民情e站年度工作总结', '全年受理民情信息九百余件。');
SELECT is((SELECT path::text || '|' || op FROM audit_log WHERE table_name = 'news'
            AND row_id = (SELECT new_news_id FROM n)::text), 'LW|INSERT', 'a news item''s posting is audited');

SELECT * FROM finish();
ROLLBACK;
