-- account: postgres
-- Circulars (情况通报), rolled back: a town supervisor's inspections of two
-- villages drafted into a circular (the period's inspections, ratings and
-- the findings to rectify; the units concerned are the villages
-- inspected), edited at the version read, published as a notice of each
-- unit concerned: the staff of those villages and of the town read it, a
-- third village of the town and another town's village do not; a published
-- circular no longer changes; a free circular names its units; a warnings
-- circular is drafted from the warnings of the period in the jurisdiction.
BEGIN;
SET search_path = minqing, ext, tap, public;
SELECT plan(20);

SET SESSION AUTHORIZATION demo_town_supervisor;
SELECT district_local_time(1::smallint, now())::date AS today \gset
SELECT inspection_record('T01V01', 'unannounced', '督查组', '民情台账', 'fair', :'today') AS i1 \gset
SELECT inspection_record('T01V02', 'scheduled', '督查组', '值班制度', 'excellent', :'today') AS i2 \gset
SELECT finding_no AS f_no FROM finding_add(:i1, '台账缺页', NULL, true, NULL, 5) \gset
SELECT circular_draft('inspection', :'today', :'today') AS c \gset
RESET SESSION AUTHORIZATION;

SELECT is((SELECT array_agg(u.code ORDER BY u.code) FROM circular c JOIN org_unit u ON u.unit_id = ANY (c.unit_ids)
            WHERE c.circular_id = :c), ARRAY['T01V01', 'T01V02'], 'the units concerned are the villages inspected');
SELECT ok((SELECT title FROM circular WHERE circular_id = :c) LIKE '%督查情况通报%', 'the title says what it is');
SELECT ok((SELECT body FROM circular WHERE circular_id = :c) LIKE '%（暗访，一般）：发现问题1个%'
          AND (SELECT body FROM circular WHERE circular_id = :c) LIKE '%（定期督查，优秀）：发现问题0个%',
	'the body lists each inspection with its kind and rating');
SELECT ok((SELECT body FROM circular WHERE circular_id = :c) LIKE '%' || :'f_no' || '%台账缺页%',
	'and the findings to rectify with their numbers');
SELECT ok((SELECT body FROM circular WHERE circular_id = :c) ~ '共开展督查[0-9]+次',
	'and the period''s figures');

SET SESSION AUTHORIZATION demo_town_supervisor;
SELECT row_version AS v FROM circular WHERE circular_id = :c \gset
SELECT throws_ok(format('SELECT circular_save(%s, %s, %L, %L)', :c, :v + 1, '标题', '正文'), '40001', NULL,
	'an edit over a version not seen is refused');
SELECT lives_ok(format('SELECT circular_save(%s, %s, %L, %L)', :c, :v, '永中街道督查情况通报',
	(SELECT body FROM circular WHERE circular_id = :c) || E'\n请各村引以为戒。'), 'the supervisor edits the draft');
SELECT lives_ok(format('SELECT circular_publish(%s, %s)', :c, :v + 1), 'and publishes it');
SELECT throws_ok(format('SELECT circular_publish(%s, %s)', :c, :v + 2), '25000', NULL,
	'a published circular is not published again');
RESET SESSION AUTHORIZATION;

SELECT is((SELECT array_agg(u.code ORDER BY u.code) FROM notice n JOIN org_unit u USING (unit_id)
            WHERE n.notice_id = ANY ((SELECT notice_ids FROM circular WHERE circular_id = :c)::bigint[])
              AND n.kind = 'circular' AND n.audience = 'staff' AND n.state = 'published'
              AND n.title = '永中街道督查情况通报'),
	ARRAY['T01V01', 'T01V02'], 'a published staff notice of kind circular on each unit''s board');

SET SESSION AUTHORIZATION demo_village;
SELECT is((SELECT count(*) FROM notices('current') WHERE title = '永中街道督查情况通报'), 1::bigint,
	'the officer of an inspected village reads it on the bulletin board');
SELECT ok((SELECT unread FROM notices('current') WHERE title = '永中街道督查情况通报'), 'unread at first');
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION handler_t01v03;
SELECT is((SELECT count(*) FROM notices('all') WHERE title = '永中街道督查情况通报'), 0::bigint,
	'a village of the town not concerned does not');
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION demo_village2;
SELECT is((SELECT count(*) FROM notices('all') WHERE title = '永中街道督查情况通报'), 0::bigint,
	'nor does another town''s village');
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION demo_town;
SELECT is((SELECT count(*) FROM notices('current') WHERE title = '永中街道督查情况通报'), 2::bigint,
	'the town''s handler reads both (down the tree)');
RESET SESSION AUTHORIZATION;

-- A free circular names its units; publishing one without is refused.
SET SESSION AUTHORIZATION demo_town_supervisor;
SELECT circular_draft('free', p_title => '关于规范台账的通报', p_body => '请各村规范台账。') AS c2 \gset
SELECT throws_ok(format('SELECT circular_publish(%s, 1)', :c2), '23514', NULL, 'a circular to no unit is refused');
SELECT throws_ok($$SELECT circular_draft('free', p_title => 't', p_body => 'b', p_unit_codes => 'T02V01')$$, '42501', NULL,
	'a town supervisor publishes only to units of the town');
SELECT circular_draft('warnings', (:'today'::date - 60), :'today') AS c3 \gset
RESET SESSION AUTHORIZATION;
SELECT ok((SELECT bool_and(u.path <@ 'LW.T01') FROM circular c JOIN org_unit u ON u.unit_id = ANY (c.unit_ids)
            WHERE c.circular_id = :c3) IS NOT FALSE,
	'a warnings circular concerns only units of the jurisdiction');
SELECT ok((SELECT body FROM circular WHERE circular_id = :c3) ~ '^本期民情案件触发黄色预警[0-9]+件次',
	'and counts the warnings of the period');
SET SESSION AUTHORIZATION demo_village;
SELECT throws_ok($$SELECT circular_draft('inspection')$$, '42501', NULL, 'an officer does not draft circulars');
RESET SESSION AUTHORIZATION;

SELECT * FROM finish();
ROLLBACK;
