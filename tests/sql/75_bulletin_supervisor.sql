-- account: demo_supervisor
-- A district supervisor reads every unit's news and notices but writes
-- none; it reads its own receipts.
BEGIN;
SET search_path = minqing, ext, tap, public;
SELECT plan(10);

SELECT is((SELECT duty::text FROM whoami()), 'supervisor', 'I am a supervisor of the district');
SELECT ok((SELECT count(DISTINCT path) FROM news) > 100, 'I read the news of every unit');
SELECT ok((SELECT count(*) FROM news WHERE path <@ 'LW.T02'::ltree) > 0, 'another town''s too');
SELECT is((SELECT count(*) FROM news WHERE withdrawn_at IS NOT NULL), 0::bigint, 'withdrawn items are not mine to see');
SELECT is((SELECT count(*) FROM notice WHERE state <> 'published' OR publish_at > now()), 0::bigint,
	'drafts, withdrawn and planned notices are their writers''');
SELECT throws_ok($$SELECT * FROM news_post('LW', 'work', '标题', '内容')$$, '42501', NULL, 'a supervisor posts no news');
SELECT throws_ok($$SELECT * FROM notice_save(NULL, NULL, 'LW', 'notice', 'public', '标题', '内容')$$, '42501', NULL,
	'nor notices');
SELECT throws_ok(format('SELECT news_withdraw(%s, 1)', (SELECT min(news_id) FROM news)), '42501', NULL,
	'nor withdraws any');
SELECT ok(notice_mark_read((SELECT notice_id FROM notices(p_filter => 'unread', p_limit => 1))) IS NOT NULL,
	'but reads notices, with a receipt');
SELECT is((SELECT count(*) FROM news WHERE title LIKE 'XQ%') + (SELECT count(*) FROM notice WHERE title LIKE 'XQ%'),
	0::bigint, 'nothing of another district');

SELECT * FROM finish();
ROLLBACK;
