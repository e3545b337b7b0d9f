-- account: demo_kiosk
-- The district hall's kiosk: only public, published, in-date notices, and
-- the four public pages (contacts, the service commitments, the receiving
-- staff, the results board from the masked publication view); no news, no
-- staff notices, no receipts, no writes.
BEGIN;
SET search_path = minqing, ext, tap, public;
SELECT plan(22);

SELECT is((SELECT duty::text FROM whoami()), 'kiosk', 'I am a kiosk');
SELECT ok((SELECT count(*) FROM notices(p_limit => 500)) > 0, 'I show notices');
SELECT is((SELECT count(*) FROM notices(p_filter => 'all', p_limit => 500)
            WHERE audience <> 'public' OR state <> 'published' OR publish_at > now()
               OR expire_at <= now() OR unread IS NOT NULL), 0::bigint,
	'only public, published notices in date, with no unread flag');
SELECT is((SELECT count(*) FROM notice WHERE audience <> 'public' OR state <> 'published' OR publish_at > now()
               OR expire_at <= now()), 0::bigint,
	'the table itself shows me nothing else (row-level security)');
SELECT ok((SELECT pinned FROM notices(p_limit => 1)), 'pinned ones first');
SELECT is((SELECT count(*) FROM notice WHERE title LIKE 'XQ%'), 0::bigint, 'nothing of another district');
SELECT throws_ok('SELECT author FROM notice', '42501', NULL, 'who wrote a notice is not public');
SELECT throws_ok('SELECT count(*) FROM news', '42501', NULL, 'news is for staff');
SELECT throws_ok('SELECT * FROM news_list()', '42501', NULL, 'the news list too');
SELECT throws_ok('SELECT count(*) FROM notice_read', '42501', NULL, 'no receipts');
SELECT throws_ok(format('SELECT notice_mark_read(%s)', (SELECT notice_id FROM notices(p_limit => 1))), '42501', NULL,
	'a kiosk records no reading');
SELECT throws_ok($$SELECT * FROM notice_save(NULL, NULL, 'LW', 'notice', 'public', '标题', '内容')$$, '42501', NULL,
	'a kiosk writes nothing');
SELECT is((SELECT count(*) FROM notice((SELECT min(notice_id) FROM notices(p_limit => 500)))), 1::bigint,
	'I open a public notice');

-- the public pages
SELECT ok((SELECT count(*) FROM public_contacts() WHERE kind IN ('consult_phone', 'complaint_phone')) >= 2
	AND (SELECT count(*) FROM public_contacts() WHERE kind = 'mailbox') >= 1,
	'the consultation and complaint phone numbers and mailboxes');
SELECT is((SELECT count(*) FROM public_commitments()),
	(SELECT count(*) * 3 FROM case_category WHERE district_id = 1 AND parent_id IS NOT NULL AND active),
	'the commitment table: every active category at each of the three levels');
SELECT is((SELECT count(*) FROM public_commitments()
            WHERE promise <> CASE kind WHEN 'immediate' THEN '即时办结' WHEN 'hours' THEN amount || '小时内办结'
                                       ELSE amount || '个工作日内办结' END), 0::bigint,
	'each promise in words: immediately, N hours or N working days');
SELECT is((SELECT count(*) FROM public_commitments() p
            JOIN case_category k ON k.code = p.category_code AND k.district_id = 1
            JOIN service_commitment s ON s.category_id = k.category_id AND s.level = p.level
           WHERE (s.kind, s.amount) IS DISTINCT FROM (p.kind, p.amount)), 0::bigint,
	'a category''s own commitment is the one shown');
SELECT ok((SELECT count(DISTINCT unit_code) FROM public_receivers()) > 100, 'the receiving staff of every unit');
SELECT is((SELECT count(*) FROM public_receivers('T01') WHERE NOT unit_code LIKE 'T01%'), 0::bigint,
	'a town''s receivers: the town and its villages');
CREATE TEMP TABLE m AS SELECT (max(resolved_at) AT TIME ZONE 'Asia/Shanghai')::date AS month
	FROM case_publication WHERE status IN ('resolved', 'reported', 'closed');
SELECT ok((SELECT count(*) FROM public_results(NULL, (SELECT month FROM m))) > 0, 'the results board of a month');
SELECT is((SELECT count(*) FROM public_results(NULL, (SELECT month FROM m), p_limit => 500)
            WHERE date_trunc('month', resolved_on) <> date_trunc('month', (SELECT month FROM m))
               OR status NOT IN ('resolved', 'reported', 'closed')
               OR NOT (submitter = '匿名' OR submitter LIKE '%*%')), 0::bigint,
	'only cases resolved in that month, the submitter masked');
SELECT is((SELECT count(*) FROM public_results('T01', (SELECT month FROM m), p_limit => 500) WHERE town_code <> 'T01'),
	0::bigint, 'one town''s results');

SELECT * FROM finish();
ROLLBACK;
