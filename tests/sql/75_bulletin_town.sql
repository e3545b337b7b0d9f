-- account: demo_town
-- News and the bulletin board as the handler of town T01: the town reads
-- the district's items and those of its own villages, never another
-- town's; it writes for its villages too; its drafts and planned notices
-- are its own to see; unread flags are the caller's own; two people
-- editing one draft (optimistic concurrency).
BEGIN;
SET search_path = minqing, ext, tap, public;
SELECT plan(17);

SELECT is((SELECT duty::text || ' ' || unit_code FROM whoami()), 'handler T01', 'I am the handler of town T01');
SELECT ok((SELECT count(*) FROM news_list(p_limit => 500) n JOIN org_unit u ON u.code = n.unit_code
            WHERE u.kind IN ('village', 'community')) > 0, 'I read the news of my villages');
SELECT ok((SELECT count(*) FROM news_list(p_unit_code => 'LW', p_limit => 500)) > 0, 'and the district''s');
SELECT is((SELECT count(*) FROM news_list(p_limit => 500) n JOIN org_unit u ON u.code = n.unit_code
            WHERE NOT (u.path @> my_unit_path() OR u.path <@ my_unit_path())), 0::bigint,
	'nothing but my town''s tree: the units above it and below it');
SELECT is((SELECT count(*) FROM news WHERE path <@ 'LW.T02'::ltree)
          + (SELECT count(*) FROM notice WHERE path <@ 'LW.T02'::ltree), 0::bigint,
	'no news or notice of another town');
SELECT is((SELECT count(*) FROM notices(p_filter => 'all', p_limit => 500) n JOIN org_unit u ON u.code = n.unit_code
            WHERE NOT (u.path @> my_unit_path() OR u.path <@ my_unit_path())), 0::bigint,
	'the board: my town''s tree only');

-- for a village of my town
SELECT ok((SELECT new_row_version FROM news_post('T01V01', 'policy', '医保政策解读', '参保缴费时间为每年九月至十二月。')) = 1,
	'I post news for a village of my town');
SELECT throws_ok($$SELECT * FROM news_post('T02V01', 'work', '标题', '内容')$$, '42501', NULL,
	'not for a village of another town');
SELECT throws_ok($$SELECT * FROM news_post('LW', 'work', '标题', '内容')$$, '42501', NULL, 'not for the district');

-- drafts and planned notices are for those who write them
SELECT is((SELECT count(*) FROM notices(p_filter => 'drafts', p_limit => 500) n JOIN org_unit u ON u.code = n.unit_code
            WHERE NOT u.path <@ my_unit_path()), 0::bigint, 'I see the drafts of my own tree only');
CREATE TEMP TABLE d AS SELECT * FROM notice_save(NULL, NULL, NULL, 'circular', 'staff', '关于民情e站运行情况的通报',
	'请各村（社区）对照整改。', now() + interval '2 days', NULL, false);
SELECT is(notice_publish((SELECT saved_notice_id FROM d), 1), 2, 'I publish a notice planned for the day after tomorrow');
SELECT is((SELECT state::text || '|' || in_force::text || '|' || coalesce(unread::text, 'none')
             FROM notices(p_filter => 'all', p_limit => 500) WHERE notice_id = (SELECT saved_notice_id FROM d)),
	'published|false|none', 'it is published but not in force yet, and not unread');
SELECT is((SELECT count(*) FROM notices() WHERE notice_id = (SELECT saved_notice_id FROM d)), 0::bigint,
	'and not on the current board');

-- two of us edit one draft: the second save with the version both saw is refused
CREATE TEMP TABLE e AS SELECT * FROM notice_save(NULL, NULL, 'T01', 'notice', 'public', '通知', '内容');
SELECT is((SELECT saved_row_version FROM notice_save((SELECT saved_notice_id FROM e), 1, NULL, 'notice', 'public',
	'通知（一）', '第一人的修改')), 2, 'the first save at version 1 wins');
SELECT throws_ok(format('SELECT * FROM notice_save(%s, 1, NULL, %L, %L, %L, %L)', (SELECT saved_notice_id FROM e),
	'notice', 'public', '通知（二）', '第二人的修改'), '40001', NULL, 'the second save at version 1 is refused (40001)');

-- unread flags are my own: they follow my receipts only
SELECT is((SELECT count(*) FROM notices(p_filter => 'all', p_limit => 500) n
            WHERE n.unread IS DISTINCT FROM (CASE WHEN n.state = 'published' AND n.publish_at <= now()
                                                  THEN NOT EXISTS (SELECT 1 FROM notice_read r
                                                                    WHERE r.notice_id = n.notice_id AND r.login = session_user) END)),
	0::bigint, 'every unread flag is whether I have a receipt');
SELECT is((SELECT count(*) FROM notice_read WHERE login <> session_user), 0::bigint,
	'others'' receipts are not mine to see (they have read the same notices)');

SELECT * FROM finish();
ROLLBACK;
