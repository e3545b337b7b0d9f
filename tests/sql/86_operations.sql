-- account: postgres
-- The operations screens (schema/functions/77_operations.sql) as the
-- accounts concerned (SET SESSION AUTHORIZATION; rolled back): 运行状态's
-- lines for the district's administrator after an escalation pass (its
-- duration recorded), a stalled job said so; the outbox figures and the
-- dead messages as row-level security shows them (the district's
-- administrator, a town's administrator who sees the town only), the
-- drainer's errors in Chinese; a retry of dead messages (queued again,
-- attempts from zero, the drainer woken), another town's skipped, refused
-- to a village officer, empty and oversized batches refused; the
-- replication and sessions readers; nobody but administrators may call
-- them.
BEGIN;
SET search_path = minqing, ext, tap, public;
SELECT plan(23);

CREATE FUNCTION pg_temp.line(p_label text) RETURNS text LANGUAGE sql AS $$
	SELECT value FROM minqing.ops_status_lines() WHERE label_zh = p_label LIMIT 1
$$;
GRANT EXECUTE ON FUNCTION pg_temp.line(text) TO PUBLIC;

-- Dead messages: two of T01 (a bad number, a gateway failure), one of T02.
SELECT minqing.outbox_enqueue(1::smallint, 'LW.T01'::ext.ltree, '13900000001', '运维甲', '运维测试一', 'ops-1') AS m1 \gset
SELECT minqing.outbox_enqueue(1::smallint, 'LW.T01'::ext.ltree, '13900000002', '运维乙', '运维测试二', 'ops-2') AS m2 \gset
SELECT minqing.outbox_enqueue(1::smallint, 'LW.T02'::ext.ltree, '13900000003', '运维丙', '运维测试三', 'ops-3') AS m3 \gset
UPDATE minqing.outbox SET status = 'dead', attempts = 1, last_error = 'invalid mobile number: 0577-1234'
 WHERE message_id = :m1;
UPDATE minqing.outbox SET status = 'dead', attempts = 1, last_error = 'gateway: SendingError'
 WHERE message_id IN (:m2, :m3);

-- A pass, as the job runs it: its duration is kept.
SELECT minqing.escalation_pass();
SELECT ok((SELECT last_duration_ms >= 0 FROM minqing.job_state WHERE job = 'escalation'),
          'the escalation pass records how long it took');

SET SESSION AUTHORIZATION demo_admin;
SELECT is(pg_temp.line('状态'), '正常', 'after a pass the job is running');
SELECT ok(pg_temp.line('用时') ~ '^[0-9]+\.[0-9] 秒$', 'its duration in seconds: ' || pg_temp.line('用时'));
SELECT is((SELECT array_agg(label_zh ORDER BY ord) FROM (SELECT label_zh, row_number() OVER () AS ord
             FROM minqing.ops_status_lines() WHERE depth = 0) x),
          ARRAY['升级预警任务', '短信发送', '统计摘要', '工作日历', '数据库', '复制', '当前会话'], 'the sections of 运行状态');
SELECT is(pg_temp.line('发送失败'), (SELECT count(*) || ' 条' FROM minqing.outbox WHERE status = 'dead'),
          'the dead messages counted as the administrator sees them');
SELECT is(pg_temp.line('备库'), '无', 'no standby');
SELECT is((SELECT sum(sessions) FROM minqing.ops_sessions()),
          (SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND usename IS NOT NULL)::numeric,
          'every session counted once, by duty');
SELECT ok(pg_temp.line('数据库管理员') ~ '^[1-9][0-9]* 个$', 'this session (the superuser''s login) among the DBA''s');
SELECT ok((SELECT count(*) FROM minqing.ops_tables(5)) = 5
          AND (SELECT bool_and(total_bytes > 0) FROM minqing.ops_tables(5)), 'the five largest tables');
SELECT is((SELECT reason FROM minqing.ops_dead_messages() WHERE message_id = :m1),
          '不是有效的手机号码：0577-1234', 'a bad number said in Chinese');
SELECT is((SELECT reason || ' | ' || last_error FROM minqing.ops_dead_messages() WHERE message_id = :m2),
          '短信网关报告未送达：SendingError | gateway: SendingError', 'a gateway failure, and its English words');
SELECT is((SELECT phone FROM minqing.ops_dead_messages() WHERE message_id = :m1), '139****0001', 'the phone masked');
RESET SESSION AUTHORIZATION;

-- A town's administrator: the town's dead messages only; another town's skipped.
SET SESSION AUTHORIZATION demo_town_admin;
SELECT is((SELECT array_agg(message_id ORDER BY message_id) FROM minqing.ops_dead_messages() WHERE message_id IN (:m1, :m2, :m3)),
          ARRAY[:m1, :m2]::bigint[], 'a town administrator sees the town''s dead messages only');
SELECT is((SELECT retried || '/' || skipped FROM minqing.outbox_retry(ARRAY[:m1, :m3]::bigint[])), '1/1',
          'a retry: the town''s message queued again, another town''s skipped');
RESET SESSION AUTHORIZATION;
SELECT is((SELECT status || '/' || attempts || '/' || (next_attempt_at <= now()) FROM minqing.outbox WHERE message_id = :m1),
          'queued/0/true', 'queued again, attempts from zero, due now');
SELECT is((SELECT status FROM minqing.outbox WHERE message_id = :m3), 'dead', 'the other town''s stays dead');

SET SESSION AUTHORIZATION demo_admin;
SELECT throws_ok($$SELECT * FROM minqing.outbox_retry('{}')$$, '22023', NULL, 'an empty retry is refused');
SELECT throws_ok($$SELECT * FROM minqing.outbox_retry(ARRAY(SELECT generate_series(1, 501)::bigint))$$, '54000', NULL,
                 'more than 500 at once is refused');
SELECT is((SELECT retried FROM minqing.outbox_retry(ARRAY[:m1]::bigint[])), 0, 'a message no longer dead is skipped');
SELECT is((SELECT count(*) FROM minqing.ops_replication()), 0::bigint, 'replication: none on this server');
RESET SESSION AUTHORIZATION;

SET SESSION AUTHORIZATION demo_village;
SELECT throws_ok($$SELECT * FROM minqing.outbox_retry(ARRAY[1]::bigint[])$$, '42501', NULL,
                 'a village officer may not retry messages');
SELECT throws_ok($$SELECT * FROM minqing.ops_status_lines()$$, '42501', NULL, 'nor read the status');
RESET SESSION AUTHORIZATION;

-- A job stalled: no pass completed for longer than the district allows.
UPDATE minqing.job_state SET last_completed_at = now() - interval '2 hours' WHERE job = 'escalation';
SET SESSION AUTHORIZATION demo_admin;
SELECT is(pg_temp.line('状态'), '已停滞：2 小时 0 分未完成', 'a stalled job is said to be stalled');
RESET SESSION AUTHORIZATION;

SELECT * FROM finish();
ROLLBACK;
