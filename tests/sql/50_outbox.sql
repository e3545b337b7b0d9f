-- account: postgres
-- The outbox (schema 003): templates render Chinese text, a dedupe key
-- queues one message per event, the drainer's functions lock, back off and
-- bury, the gateway's delivery is recorded (a failure buries the message),
-- and nobody but mq_notifier may call them; nobody writes the table
-- directly. (Two sessions at once, SKIP LOCKED and LISTEN are tested by
-- tests/cli/notify_spool.sh, which runs the real drainer.)
BEGIN;
SET search_path = minqing, ext, tap, public;
SELECT plan(67);

INSERT INTO minqing.district (district_id, code, name) VALUES (1, '330303', '龙湾区')
ON CONFLICT DO NOTHING;
-- The counts below must not move under tests running beside this one (a case
-- resolved elsewhere queues its SMS): they wait until this file is done.
LOCK TABLE minqing.outbox IN SHARE ROW EXCLUSIVE MODE;
-- Nothing else due (rolled back at the end).
UPDATE minqing.outbox SET status = 'sent' WHERE status IN ('queued', 'failed');

-- Templates --------------------------------------------------------------------
SELECT has_table('minqing', 'message_template', 'message templates exist');
SELECT is(minqing.render_template('case_resolved_sms',
	'{"case_no": "LW-2026-000123", "result": "路灯已修复", "unit": "永中街道民情中心"}'),
	'【民情e站】您反映的问题（LW-2026-000123）已办结：路灯已修复。如有疑问请联系永中街道民情中心。',
	'render_template fills the Chinese template');
SELECT is(minqing.render_template('case_resolved_sms', '{}'),
	'【民情e站】您反映的问题（）已办结：。如有疑问请联系。', 'a missing variable becomes empty');
SELECT is(minqing.render_template('case_resolved_sms',
	'{"case_no": "{unit}", "result": "{ 不是变量 }", "unit": "街道"}'),
	'【民情e站】您反映的问题（{unit}）已办结：{ 不是变量 }。如有疑问请联系街道。',
	'a value is inserted as it is, never expanded again');
SELECT throws_ok($$SELECT minqing.render_template('no_such_template', '{}')$$, 'P0002',
	'unknown message template "no_such_template"', 'an unknown template code is a clear error');
SELECT is((SELECT count(*) FROM minqing.message_template WHERE district_id IS NULL
	    AND code IN ('case_resolved_sms', 'case_reminder', 'case_warning_yellow',
	                 'case_warning_orange', 'case_warning_red', 'district_overdue_report')),
	6::bigint, 'the six default templates are seeded');
SELECT ok((SELECT bool_and(body ~ '^【民情e站'
	                    AND body ~ '\{case_no\}|\{date\}|\{cases\}|\{minutes\}|\{finding_no\}|\{findings\}')
	     FROM minqing.message_template WHERE district_id IS NULL),
	'every default template is Chinese and names its case (its cases, date, minutes late, or findings)');
INSERT INTO minqing.message_template (code, district_id, body)
VALUES ('case_resolved_sms', 1, '【龙湾民情】{case_no}已办结。');
SELECT is(minqing.render_template('case_resolved_sms', '{"case_no": "LW-1"}', 1::smallint),
	'【龙湾民情】LW-1已办结。', 'a district''s own template overrides the default');
SELECT is(minqing.render_template('case_resolved_sms', '{"case_no": "LW-1"}', 2::smallint),
	'【民情e站】您反映的问题（LW-1）已办结：。如有疑问请联系。', 'other districts get the default');
SELECT throws_ok($$INSERT INTO minqing.message_template (code, district_id, body)
	VALUES ('case_resolved_sms', NULL, 'x')$$, '23505', NULL, 'one default per code');
UPDATE minqing.message_template SET body = body || '回复TD退订' WHERE code = 'case_reminder';
SELECT is((SELECT row_version FROM minqing.message_template WHERE code = 'case_reminder'), 2,
	'a template change bumps the row version');
SELECT is((SELECT count(*) FROM minqing.audit_log
	    WHERE table_name = 'message_template' AND op = 'UPDATE' AND after ->> 'body' LIKE '%TD退订'),
	1::bigint, 'a template change is audited');
SELECT ok(has_column_privilege('mq_admin', 'minqing.message_template', 'body', 'UPDATE')
	AND NOT has_column_privilege('mq_admin', 'minqing.message_template', 'code', 'UPDATE')
	AND NOT has_table_privilege('mq_admin', 'minqing.message_template', 'INSERT'),
	'administrators change the text of a template, nothing else');
SELECT ok(has_table_privilege('mq_staff', 'minqing.message_template', 'SELECT')
	AND NOT has_column_privilege('mq_officer', 'minqing.message_template', 'body', 'UPDATE'),
	'staff read the templates; officers do not change them');

-- Enqueue ----------------------------------------------------------------------
CREATE TEMP TABLE t_msg AS
SELECT minqing.outbox_enqueue(1::smallint, 'LW.T01.T01V01', '13812345678', '张三', '测试一',
                              'test:1', NULL, NULL) AS id;
SELECT isnt((SELECT id FROM t_msg), NULL, 'enqueue returns the message_id');
SELECT is(minqing.outbox_enqueue(1::smallint, 'LW.T01.T01V01', '13812345678', '张三', '测试一again',
                                 'test:1'), NULL, 'the same dedupe key again: NULL, nothing queued');
SELECT is((SELECT count(*) FROM minqing.outbox WHERE dedupe_key = 'test:1'), 1::bigint,
	'one row for one dedupe key');
SELECT is((SELECT status || ' ' || attempts || ' ' || body FROM minqing.outbox WHERE dedupe_key = 'test:1'),
	'queued 0 测试一', 'the first text stays, queued');
SELECT has_trigger('minqing', 'outbox', 'outbox_notify', 'an insert leaves news for the drainer''s wake-up');
DELETE FROM minqing.outbox_news;
INSERT INTO t_msg SELECT minqing.outbox_enqueue(1::smallint, 'LW.T01', '13812345679', NULL, '测试二', 'test:2');
SELECT is((SELECT count(*) FROM minqing.outbox_news), 1::bigint,
	'a queued message leaves one row of news, not a NOTIFY in the queuing transaction');
SELECT is(minqing.outbox_news_relay(), 1, 'the relay takes the news and notifies minqing_outbox');
SELECT is((SELECT count(*) FROM minqing.outbox_news), 0::bigint, 'the news is gone after the relay');
SELECT is(minqing.outbox_news_relay(), 0, 'nothing new: the relay does not notify');
INSERT INTO minqing.outbox_news DEFAULT VALUES;
SELECT lives_ok('SELECT minqing.case_news_relay()', 'the console''s relay runs');
SELECT is((SELECT count(*) FROM minqing.outbox_news), 0::bigint,
	'case_news_relay (the console''s relay) relays the outbox''s news too');
SELECT is((SELECT prosecdef FROM pg_proc WHERE oid = 'minqing.outbox_notify()'::regprocedure), true,
	'the trigger appends as the owner, whoever inserts');

-- The drainer's functions --------------------------------------------------------
SELECT is((SELECT array_agg(dedupe_key ORDER BY dedupe_key) FROM minqing.outbox_due(10)),
	ARRAY['test:1', 'test:2'], 'outbox_due returns the due messages');
SELECT is((SELECT count(*) FROM minqing.outbox_due(1)), 1::bigint, 'at most p_limit of them');
SELECT is((SELECT count(*) FROM minqing.outbox_due(10, now() - interval '1 hour')), 0::bigint,
	'nothing is due before it was queued');

SELECT is(minqing.outbox_mark_failed((SELECT min(id) FROM t_msg), 'gateway busy', false, 3,
                                     '2026-03-01 10:00+08'), 'failed', 'a first failure: failed');
SELECT is((SELECT attempts || ' ' || next_attempt_at || ' ' || last_error FROM minqing.outbox
	    WHERE message_id = (SELECT min(id) FROM t_msg)),
	'1 ' || ('2026-03-01 10:02+08'::timestamptz)::text || ' gateway busy',
	'retry after 2 minutes, the error recorded');
SELECT is(minqing.outbox_mark_failed((SELECT min(id) FROM t_msg), 'gateway busy', false, 3,
                                     '2026-03-01 10:02+08'), 'failed', 'a second failure: failed');
SELECT is((SELECT next_attempt_at FROM minqing.outbox WHERE message_id = (SELECT min(id) FROM t_msg)),
	'2026-03-01 10:06+08'::timestamptz, 'then after 4 minutes');
SELECT is((SELECT count(*) FROM minqing.outbox_due(10, '2026-03-01 10:05+08')
	    WHERE message_id = (SELECT min(id) FROM t_msg)), 0::bigint, 'not due during the backoff');
SELECT is(minqing.outbox_mark_failed((SELECT min(id) FROM t_msg), 'gateway busy', false, 3),
	'dead', 'dead after max attempts');
SELECT is((SELECT count(*) FROM minqing.outbox_due(10) WHERE dedupe_key = 'test:1'), 0::bigint,
	'a dead message is never due again');
UPDATE minqing.outbox SET attempts = 20, status = 'failed' WHERE dedupe_key = 'test:1';
SELECT is(minqing.outbox_mark_failed((SELECT min(id) FROM t_msg), 'x', false, 100,
                                     '2026-03-01 10:00+08'), 'failed', 'the 21st failure');
SELECT is((SELECT next_attempt_at FROM minqing.outbox WHERE dedupe_key = 'test:1'),
	'2026-03-02 10:00+08'::timestamptz, 'the backoff is at most a day');
SELECT is(minqing.outbox_mark_failed((SELECT min(id) FROM t_msg), 'invalid mobile number: 0577-8888',
                                     true, 100), 'dead', 'a permanent error is dead at once');

SELECT lives_ok(format('SELECT minqing.outbox_mark_sent(%s, ''spool'', ''/x/1.txt'', 2)',
                       (SELECT max(id) FROM t_msg)), 'mark_sent');
SELECT is((SELECT status || ' ' || transport || ' ' || segments || ' ' || (sent_at IS NOT NULL)
	     FROM minqing.outbox WHERE dedupe_key = 'test:2'), 'sent spool 2 true',
	'a sent message records transport, segments and time');
SELECT throws_ok(format('SELECT minqing.outbox_mark_sent(%s, ''spool'', NULL, 1)',
                        (SELECT max(id) FROM t_msg)), 'P0002', NULL,
	'a message is marked sent once');
SELECT is((SELECT array_agg(status || '=' || n) FROM minqing.outbox_summary
	    WHERE status IN ('queued', 'dead')),
	ARRAY['queued=0', 'dead=' || (SELECT count(*) FROM minqing.outbox WHERE status = 'dead')],
	'the summary counts by status');

-- Delivery read back from the gateway ---------------------------------------------
INSERT INTO t_msg SELECT minqing.outbox_enqueue(1::smallint, 'LW.T01', '13812345670', NULL, '测试三', 'test:3');
INSERT INTO t_msg SELECT minqing.outbox_enqueue(1::smallint, 'LW.T01', '13812345671', NULL, '测试四', 'test:4');
CREATE TEMP TABLE t_id AS
SELECT (SELECT message_id FROM minqing.outbox WHERE dedupe_key = 'test:3') AS m3,
       (SELECT message_id FROM minqing.outbox WHERE dedupe_key = 'test:4') AS m4,
       (SELECT message_id FROM minqing.outbox WHERE dedupe_key = 'test:1') AS m1;
SELECT throws_ok(format('SELECT minqing.outbox_mark_delivery(%s, ''accepted'', now(), ''SendingOK'')',
                        (SELECT m3 FROM t_id)), 'P0002', NULL,
	'a message not yet sent has no delivery to record');
SELECT minqing.outbox_mark_sent((SELECT m3 FROM t_id), 'gammu', 'gammu:1', 1);
SELECT minqing.outbox_mark_sent((SELECT m4 FROM t_id), 'gammu', 'gammu:2', 3);
SELECT is((SELECT delivery_status FROM minqing.outbox WHERE message_id = (SELECT m3 FROM t_id)), NULL,
	'a message just handed to Gammu: delivery not known yet');
SELECT throws_ok(format('SELECT minqing.outbox_mark_delivery(%s, ''received'', now(), NULL)',
                        (SELECT m3 FROM t_id)), '22023', NULL, 'an unknown delivery state is refused');
SELECT is(minqing.outbox_mark_delivery((SELECT m3 FROM t_id), 'accepted', '2026-03-01 10:00+08', 'SendingOKNoReport'),
	true, 'accepted: recorded');
SELECT is((SELECT status || ' ' || delivery_status || ' ' || delivered_at FROM minqing.outbox
	    WHERE message_id = (SELECT m3 FROM t_id)),
	'sent accepted ' || ('2026-03-01 10:00+08'::timestamptz)::text, 'accepted keeps the message sent, with the time');
SELECT is(minqing.outbox_mark_delivery((SELECT m3 FROM t_id), 'accepted', '2026-03-01 10:00+08', 'SendingOKNoReport'),
	false, 'the same report again changes nothing');
SELECT is(minqing.outbox_mark_delivery((SELECT m3 FROM t_id), 'pending', '2026-03-01 10:01+08', 'DeliveryPending'),
	true, 'then pending');
SELECT is(minqing.outbox_mark_delivery((SELECT m3 FROM t_id), 'delivered', '2026-03-01 10:02+08', 'DeliveryOK'),
	true, 'then delivered');
SELECT is(minqing.outbox_mark_delivery((SELECT m3 FROM t_id), 'failed', '2026-03-01 10:03+08', 'DeliveryFailed'),
	false, 'delivered is final: a later report changes nothing');
SELECT is((SELECT status || ' ' || delivery_status || ' ' || delivered_at || ' ' || coalesce(last_error, '-')
	     FROM minqing.outbox WHERE message_id = (SELECT m3 FROM t_id)),
	'sent delivered ' || ('2026-03-01 10:02+08'::timestamptz)::text || ' -', 'delivered, at the report''s time');
SELECT is(minqing.outbox_mark_delivery((SELECT m4 FROM t_id), 'failed', '2026-03-01 11:00+08', 'SendingError'),
	true, 'failed: recorded');
SELECT is((SELECT status || ' ' || delivery_status || ' ' || attempts || ' ' || last_error
	     FROM minqing.outbox WHERE message_id = (SELECT m4 FROM t_id)),
	'dead failed 1 gateway: SendingError',
	'a gateway failure makes the message dead, last_error says what the gateway said, no new attempt');
SELECT is(minqing.outbox_mark_delivery((SELECT m4 FROM t_id), 'accepted', now(), 'SendingOK'), false,
	'failed is final');
SELECT is((SELECT count(*) FROM minqing.outbox_due(10, now() + interval '2 days')
	    WHERE message_id = (SELECT m4 FROM t_id)), 0::bigint,
	'a gateway failure is never resent automatically');
SELECT throws_ok(format('SELECT minqing.outbox_mark_delivery(%s, ''delivered'', now(), NULL)',
                        (SELECT m1 FROM t_id)), 'P0002', NULL,
	'a message dead before it was sent has no delivery');
SELECT has_index('minqing', 'outbox', 'outbox_readback', 'the read-back candidates are indexed');

-- Who may do what ---------------------------------------------------------------
SELECT is((SELECT array_agg(DISTINCT r.rolname::text || ':' || p.proname ORDER BY r.rolname::text || ':' || p.proname)
	     FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
	     CROSS JOIN pg_roles r
	    WHERE n.nspname = 'minqing' AND r.rolname ~ '^mq_' AND r.rolname NOT IN ('mq_owner')
	      AND p.proname IN ('outbox_due', 'outbox_mark_sent', 'outbox_mark_failed',
	                        'outbox_mark_delivery', 'outbox_enqueue')
	      AND has_function_privilege(r.oid, p.oid, 'EXECUTE')),
	ARRAY['mq_notifier:outbox_due', 'mq_notifier:outbox_mark_delivery',
	      'mq_notifier:outbox_mark_failed', 'mq_notifier:outbox_mark_sent'],
	'only mq_notifier may execute the drainer''s functions; nobody may call outbox_enqueue');
SELECT is((SELECT array_agg(g ORDER BY g) FROM (
	     SELECT grantee::text || ':' || privilege_type::text AS g
	       FROM information_schema.role_table_grants
	      WHERE table_schema = 'minqing' AND table_name = 'outbox' AND grantee <> 'mq_owner') x),
	ARRAY['mq_admin:SELECT', 'mq_handler:SELECT', 'mq_officer:SELECT', 'mq_supervisor:SELECT',
	      'mq_system:SELECT'],
	'nobody holds INSERT, UPDATE or DELETE on the outbox; staff read it (within their jurisdiction)');
SELECT ok((SELECT relrowsecurity AND relforcerowsecurity FROM pg_class WHERE oid = 'minqing.outbox'::regclass),
	'row-level security binds the outbox, its owner too');


-- The message limits' counts (message_counts): each capped at its own
-- limit, the hour's inside the day's, whatever the order of the caps.
INSERT INTO minqing.outbox (district_id, path, created_at, recipient_phone, body, dedupe_key, caused_by)
SELECT 1, 'LW', now() - x.age, '13800000000', '计数', 'mc:' || x.age || ':' || g, 'mc_test'
  FROM (VALUES (interval '10 minutes', 5), (interval '5 hours', 7), (interval '30 hours', 3)) x(age, n),
       generate_series(1, x.n) g;
SELECT is((SELECT (k.sender_hour, k.sender_day)::text FROM minqing.message_counts('mc_test', '', 'none', 100, 100, 100) k),
	'(5,12)', 'counts: 5 in the last hour, 12 in the last day (not the older 3)');
SELECT is((SELECT (k.sender_hour, k.sender_day)::text FROM minqing.message_counts('mc_test', '', 'none', 3, 100, 100) k),
	'(3,12)', 'the hour''s count stops at its cap, the day''s does not');
SELECT is((SELECT (k.sender_hour, k.sender_day)::text FROM minqing.message_counts('mc_test', '', 'none', 100, 8, 100) k),
	'(5,8)', 'the day''s count stops at its cap, the hour''s does not');
SELECT is((SELECT (k.sender_hour, k.sender_day)::text FROM minqing.message_counts('mc_test', '', 'none', 10, 2, 100) k),
	'(5,2)', 'a day cap below the hour''s: each count still right up to its own cap');
SELECT is((SELECT (k.sender_hour, k.sender_day, k.queued)::text
             FROM minqing.message_counts('nobody', '', 'mc:00:10:00:1', 60, 300, 10) k),
	'(0,0,t)', 'another sender: nothing counted; the dedupe key is seen as queued');

SELECT * FROM finish();
ROLLBACK;
