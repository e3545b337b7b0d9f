-- account: demo_town
-- Volunteers and activities as the handler of 永中街道 (T01): the town's
-- subtree (its villages' volunteers, enterprises, activities and those of
-- the district above it), not another town's; a volunteer of a village of
-- the town may be signed up by the town; the messages received of the
-- district are not the town's.
BEGIN;
SET search_path = minqing, ext, tap, public;
SELECT plan(8);

SELECT path AS my_path FROM org_unit WHERE code = 'T01' \gset
SELECT is((SELECT count(*) FROM volunteer WHERE NOT path <@ :'my_path'::ltree), 0::bigint,
	'no volunteer of another town');
SELECT ok((SELECT count(DISTINCT unit_id) FROM volunteer) > 1, 'the volunteers of the town''s villages');
SELECT is((SELECT count(*) FROM enterprise WHERE NOT path <@ :'my_path'::ltree), 0::bigint, 'enterprises of the town');
SELECT is((SELECT count(*) FROM activity WHERE NOT (path <@ :'my_path'::ltree OR path @> :'my_path'::ltree)),
	0::bigint, 'activities of the town and above it');
SELECT is((SELECT count(*) FROM activity_target WHERE NOT path <@ :'my_path'::ltree), 0::bigint, 'targets of the town');
SELECT is((SELECT count(*) FROM sms_inbound), 0::bigint, 'the district''s messages received are not the town''s');
SELECT v.volunteer_id AS vol, a.activity_id AS act FROM volunteer v, activity a
 WHERE v.active AND a.path = v.path AND a.starts_on <= current_date AND a.ends_on > current_date
   AND NOT EXISTS (SELECT 1 FROM activity_signup g WHERE g.activity_id = a.activity_id AND g.volunteer_id = v.volunteer_id)
 ORDER BY v.volunteer_id LIMIT 1 \gset
SELECT lives_ok(format('SELECT activity_signup(%s, %s)', :act, :vol), 'the town signs up a volunteer of its village');
SELECT throws_ok($$SELECT activity_add('镇测试活动', 'villages', current_date, p_unit_code => 'T02')$$, '42501', NULL,
	'not an activity of another town');
SELECT * FROM finish();
ROLLBACK;
