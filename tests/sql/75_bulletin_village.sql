-- account: demo_village
-- News and the bulletin board as the information officer of village T01V01:
-- read down the tree (the district's, the town's and the village's own) and
-- never across; pages that join up; word search; post, edit and withdraw
-- the village's news with the row version; a notice from draft to
-- published to withdrawn; the unread flag; the public pages; what an
-- officer may not do.
BEGIN;
SET search_path = minqing, ext, tap, public;
SELECT plan(56);

SELECT is((SELECT duty::text || ' ' || unit_code FROM whoami()), 'officer T01V01', 'I am the officer of T01V01');

------------------------------------------------------------------------------
-- News: down the tree, not across
------------------------------------------------------------------------------
SELECT ok((SELECT count(*) FROM news_list(p_unit_code => 'LW', p_limit => 500)) > 0, 'I read the district''s news');
SELECT ok((SELECT count(*) FROM news_list(p_unit_code => 'T01', p_limit => 500)) > 0, 'I read my town''s news');
SELECT ok((SELECT count(*) FROM news_list(p_unit_code => 'T01V01', p_limit => 500)) > 0, 'I read my village''s news');
SELECT is((SELECT count(*) FROM news_list(p_limit => 500) n JOIN org_unit u ON u.code = n.unit_code
            WHERE NOT u.path @> my_unit_path()), 0::bigint,
	'every item listed is of my village or a unit above it');
SELECT is((SELECT count(*) FROM news WHERE path <@ 'LW.T02'::ltree), 0::bigint, 'no news of another town');
SELECT is((SELECT count(*) FROM news n JOIN org_unit u USING (unit_id)
            WHERE u.kind IN ('village', 'community') AND u.code <> 'T01V01'), 0::bigint,
	'no news of another village of my own town');
SELECT is((SELECT count(*) FROM news_list(p_unit_code => 'T02V01')), 0::bigint,
	'asking for another town''s village gives nothing');
SELECT is((SELECT count(*) FROM news WHERE title LIKE 'XQ%'), 0::bigint, 'no news of another district');

-- newest first, in pages of 7 that join up without a gap or a repeat
CREATE TEMP TABLE pages (n serial, news_id bigint, published_at timestamptz) ON COMMIT DROP;
DO $$
DECLARE
	at timestamptz;
	id bigint;
	got integer;
BEGIN
	LOOP
		INSERT INTO pages (news_id, published_at)
		SELECT l.news_id, l.published_at FROM minqing.news_list(p_after_at => at, p_after_id => id, p_limit => 7) l;
		GET DIAGNOSTICS got = ROW_COUNT;
		EXIT WHEN got = 0;
		SELECT p.published_at, p.news_id INTO at, id FROM pages p ORDER BY p.n DESC LIMIT 1;
	END LOOP;
END
$$;
SELECT is((SELECT array_agg(news_id ORDER BY n) FROM pages),
	(SELECT array_agg(news_id ORDER BY published_at DESC, news_id DESC) FROM news WHERE withdrawn_at IS NULL),
	'pages of 7 join up to every item I can see, newest first, withdrawn ones left out');

-- kind and words
SELECT ok((SELECT count(*) FROM news_list(p_kind => 'policy', p_limit => 500)) > 0
	AND (SELECT bool_and(kind = 'policy') FROM news_list(p_kind => 'policy', p_limit => 500)),
	'filtered by kind');
SELECT ok((SELECT count(*) FROM news_list(p_query => '政策', p_limit => 500)) > 0
	AND (SELECT bool_and(x.title LIKE '%政策%' OR x.body LIKE '%政策%')
	       FROM news_list(p_query => '政策', p_limit => 500) l JOIN news x USING (news_id)),
	'searched by words: every item found holds them');
SELECT is((SELECT count(*) FROM news_list(p_query => E'\u3000政策 ', p_limit => 500)),
	(SELECT count(*) FROM news_list(p_query => '政策', p_limit => 500)), 'the search is trimmed (U+3000 too)');
SELECT is((SELECT count(*) FROM news_list(p_query => '%', p_limit => 500)), 0::bigint,
	'% is a character searched for, not a wildcard');
SELECT throws_ok($$SELECT * FROM news_list(p_query => repeat('政', 101))$$, '22001', NULL,
	'a search of more than 100 characters is refused');

------------------------------------------------------------------------------
-- News: writing for my village
------------------------------------------------------------------------------
CREATE TEMP TABLE mine AS SELECT * FROM news_post('T01V01', 'work', '天兴社区召开民情恳谈会', E'会议听取了群众意见。\n共收集民情信息5条。');
SELECT is((SELECT new_row_version FROM mine), 1, 'I post news for my village');
SELECT is((SELECT title || '|' || can_edit::text || '|' || author_name FROM news_item((SELECT new_news_id FROM mine))),
	'天兴社区召开民情恳谈会|true|' || (SELECT display_name FROM whoami()), 'and read it back as mine to edit');
SELECT is((SELECT news_id FROM news_list(p_limit => 1)), (SELECT new_news_id FROM mine), 'it is the newest item');
SELECT ok((SELECT new_row_version FROM news_post(NULL, 'activity', '志愿服务', '上门服务。')) = 1,
	'no unit: my own');
SELECT throws_ok($$SELECT * FROM news_post('T01', 'work', '标题', '内容')$$, '42501', NULL,
	'not for my town');
SELECT throws_ok($$SELECT * FROM news_post('T01V02', 'work', '标题', '内容')$$, '42501', NULL,
	'not for a neighbouring village');
SELECT throws_ok($$SELECT * FROM news_post('NOSUCH', 'work', '标题', '内容')$$, 'P0002', NULL,
	'not for a unit that does not exist');
SELECT throws_ok($$SELECT * FROM news_post('T01V01', 'work', repeat('长', 101), '内容')$$, '22001', NULL,
	'a title of 101 characters is refused');
SELECT throws_ok($$SELECT * FROM news_post('T01V01', 'work', E'\u3000', '内容')$$, '23502', NULL,
	'a blank title is refused');
SELECT throws_ok($$SELECT * FROM news_post('T01V01', 'work', '标题', E'内\u202e容')$$, '22021', NULL,
	'a direction override is refused');

SELECT throws_ok(format('SELECT news_edit(%s, 7, NULL, %L, %L)', (SELECT new_news_id FROM mine), '新标题', '新内容'),
	'40001', NULL, 'an edit at a version I did not see is refused (40001)');
SELECT is(news_edit((SELECT new_news_id FROM mine), 1, 'activity', '天兴社区召开民情恳谈会（更正）', '更正后的内容'), 2,
	'an edit at the version I saw gives version 2');
SELECT is((SELECT kind::text || '|' || title FROM news_item((SELECT new_news_id FROM mine))),
	'activity|天兴社区召开民情恳谈会（更正）', 'the edit is stored');
SELECT throws_ok(format('SELECT news_edit(%s, 1, NULL, %L, %L)', (SELECT new_news_id FROM mine), '再改', '再改'),
	'40001', NULL, 'the version I saw before my own edit is stale now');
SELECT lives_ok(format('SELECT news_withdraw(%s, 2)', (SELECT new_news_id FROM mine)), 'I withdraw it');
SELECT is((SELECT count(*) FROM news_list(p_limit => 500) WHERE news_id = (SELECT new_news_id FROM mine)), 0::bigint,
	'a withdrawn item leaves the list');
SELECT is((SELECT (withdrawn_at IS NOT NULL)::text || '|' || can_edit::text FROM news_item((SELECT new_news_id FROM mine))),
	'true|false', 'but I still find it, withdrawn and no longer editable');
SELECT throws_ok(format('SELECT news_edit(%s, 3, NULL, %L, %L)', (SELECT new_news_id FROM mine), '再改', '再改'),
	'25000', NULL, 'a withdrawn item cannot be edited');
SELECT throws_ok(format('SELECT news_edit(%s, 1, NULL, %L, %L)',
	(SELECT min(news_id) FROM news WHERE path = 'LW'), '改区里的', '改区里的'),
	'42501', NULL, 'the district''s news is not mine to edit');

------------------------------------------------------------------------------
-- The bulletin board
------------------------------------------------------------------------------
SELECT ok((SELECT count(*) FROM notices()) > 0, 'I see notices');
SELECT is((SELECT count(*) FROM notices(p_filter => 'all', p_limit => 500) n JOIN org_unit u ON u.code = n.unit_code
            WHERE NOT u.path @> my_unit_path()), 0::bigint, 'only of my village and the units above it');
SELECT is((SELECT count(*) FROM notices(p_limit => 500) WHERE NOT in_force), 0::bigint,
	'the current board holds only notices in force');
SELECT ok((SELECT pinned FROM notices(p_limit => 1)), 'pinned notices first');
SELECT is((SELECT count(*) FROM notice WHERE publish_at > now()), 0::bigint,
	'a notice planned for next week is not shown yet');
SELECT ok((SELECT count(*) FROM notices(p_filter => 'unread')) > 0, 'I have unread notices');
SELECT is((SELECT count(DISTINCT login) FROM notice_read), 1::bigint, 'I see my own read receipts only');

CREATE TEMP TABLE target AS SELECT notice_id FROM notices(p_filter => 'unread', p_limit => 1);
SELECT ok(notice_mark_read((SELECT notice_id FROM target)) = now(), 'reading a notice records the receipt');
SELECT is((SELECT unread FROM notices(p_limit => 500) WHERE notice_id = (SELECT notice_id FROM target)), false,
	'and it is no longer unread');
SELECT is((SELECT read_at FROM notice((SELECT notice_id FROM target))), now(), 'notice() tells when I read it');

-- draft → published → withdrawn
CREATE TEMP TABLE d AS SELECT * FROM notice_save(NULL, NULL, 'T01V01', 'notice', 'public', '天兴社区停水通知',
	'明日上午停水检修。', now() + interval '1 hour', now() + interval '3 days', false);
SELECT is((SELECT state::text || '|' || can_edit::text FROM notice((SELECT saved_notice_id FROM d))), 'draft|true',
	'I save a draft for my village');
SELECT is((SELECT count(*) FROM notices() WHERE notice_id = (SELECT saved_notice_id FROM d)), 0::bigint,
	'a draft is not on the board');
SELECT throws_ok(format('SELECT * FROM notice_save(%s, 1, NULL, %L, %L, %L, %L, now() + interval ''2 days'', now() + interval ''1 day'')',
	(SELECT saved_notice_id FROM d), 'notice', 'public', '停水', '停水'), '23514', NULL,
	'an expiry before the publication is refused');
SELECT is((SELECT saved_row_version FROM notice_save((SELECT saved_notice_id FROM d), 1, NULL, 'notice', 'public',
	'天兴社区停水通知', '明日上午八时至十二时停水检修。', NULL, now() + interval '3 days', true)), 2,
	'I change the draft at the version I saw');
SELECT is(notice_publish((SELECT saved_notice_id FROM d), 2), 3, 'I publish it');
SELECT is((SELECT state::text || '|' || unread::text || '|' || pinned::text FROM notices(p_limit => 500)
            WHERE notice_id = (SELECT saved_notice_id FROM d)), 'published|true|true',
	'it is on the board, pinned, and unread for me');
SELECT throws_ok(format('SELECT * FROM notice_save(%s, 3, NULL, %L, %L, %L, %L)',
	(SELECT saved_notice_id FROM d), 'notice', 'public', '改', '改'), '25000', NULL,
	'a published notice cannot be changed');
SELECT is(notice_withdraw((SELECT saved_notice_id FROM d), 3), 4, 'I withdraw it');
SELECT is((SELECT count(*) FROM notices() WHERE notice_id = (SELECT saved_notice_id FROM d)), 0::bigint,
	'a withdrawn notice leaves the board');
SELECT throws_ok(format('SELECT notice_withdraw(%s, 4)', (SELECT saved_notice_id FROM d)), '25000', NULL,
	'and cannot be withdrawn twice');

------------------------------------------------------------------------------
-- The public pages; what an officer may not do
------------------------------------------------------------------------------
SELECT ok((SELECT count(*) FROM public_contacts() WHERE kind = 'mailbox') > 0
	AND (SELECT count(*) FROM public_contacts() WHERE kind = 'complaint_phone') > 0, 'the public contacts');
SELECT throws_ok($$SELECT contacts_set(1::smallint, '测试', 'consult_phone', '0577-86899999')$$, '42501', NULL,
	'an officer does not set the district''s contacts');

SELECT * FROM finish();
ROLLBACK;
