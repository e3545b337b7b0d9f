-- The operations screens (运行状态, the console's 系统管理 menu) and
-- `minqing-admin status` (docs/operations.md, "Operations screens"): is
-- the escalation job running and how long its passes take, is the SMS
-- drainer keeping up (the queue, its oldest message, the dead ones, with a
-- retry), is a standby replaying and how far behind, how large is the
-- database and which tables, who is connected by duty. For administrators
-- (EXECUTE to mq_admin; the DBA as superuser). Invoker functions:
-- row-level security decides which messages and staff are counted; only
-- the replication statistics are read by a definer (ops_replication,
-- owned by mq_monitor, a member of pg_monitor: PostgreSQL shows the lag
-- columns to no one else).

SET LOCAL ROLE mq_owner;
SET LOCAL search_path = minqing, ext, pg_temp;

-- A duration for a person: 45 秒, 3 分 20 秒, 2 小时 5 分, 3 天 4 小时.
CREATE OR REPLACE FUNCTION minqing.ops_duration(p interval, p_en boolean DEFAULT false)
RETURNS text
LANGUAGE sql IMMUTABLE AS $$
	SELECT CASE WHEN p IS NULL THEN NULL
	            WHEN s < 60 THEN s || CASE WHEN p_en THEN ' s' ELSE ' 秒' END
	            WHEN s < 3600 THEN s / 60 || CASE WHEN p_en THEN ' min ' ELSE ' 分 ' END
	                               || s % 60 || CASE WHEN p_en THEN ' s' ELSE ' 秒' END
	            WHEN s < 86400 THEN s / 3600 || CASE WHEN p_en THEN ' h ' ELSE ' 小时 ' END
	                               || s % 3600 / 60 || CASE WHEN p_en THEN ' min' ELSE ' 分' END
	            ELSE s / 86400 || CASE WHEN p_en THEN ' d ' ELSE ' 天 ' END
	                 || s % 86400 / 3600 || CASE WHEN p_en THEN ' h' ELSE ' 小时' END END
	  FROM (SELECT greatest(floor(extract(epoch FROM p)), 0)::bigint AS s) x
$$;
COMMENT ON FUNCTION minqing.ops_duration(interval, boolean) IS
	'A duration in whole seconds, minutes, hours or days, in Chinese (or English with p_en), for the '
	'operations screens.';
REVOKE ALL ON FUNCTION minqing.ops_duration(interval, boolean) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.ops_duration(interval, boolean) TO mq_admin;

-- The largest tables of the schema, with their indexes and TOAST.
CREATE OR REPLACE FUNCTION minqing.ops_tables(p_limit integer DEFAULT 10)
RETURNS TABLE (table_name text, total_bytes bigint, total_size text, table_size text, index_size text,
               rows_estimate bigint)
LANGUAGE sql STABLE SET search_path = minqing, ext, pg_temp AS $$
	SELECT c.relname::text, pg_catalog.pg_total_relation_size(c.oid),
	       pg_catalog.pg_size_pretty(pg_catalog.pg_total_relation_size(c.oid)),
	       pg_catalog.pg_size_pretty(pg_catalog.pg_table_size(c.oid)),
	       pg_catalog.pg_size_pretty(pg_catalog.pg_indexes_size(c.oid)),
	       greatest(c.reltuples, 0)::bigint
	  FROM pg_catalog.pg_class c
	  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
	 WHERE n.nspname = 'minqing' AND c.relkind IN ('r', 'p', 'm')
	 ORDER BY pg_catalog.pg_total_relation_size(c.oid) DESC, c.relname
	 LIMIT least(greatest(coalesce(p_limit, 10), 1), 200)
$$;
COMMENT ON FUNCTION minqing.ops_tables(integer) IS
	'The largest tables of schema minqing (with indexes and TOAST): total, table and index sizes, the '
	'planner''s estimate of their rows.';
REVOKE ALL ON FUNCTION minqing.ops_tables(integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.ops_tables(integer) TO mq_admin;

-- The sessions on this database now, by duty: staff of the caller's
-- district (what row-level security on staff shows), the jobs (members of
-- mq_system), and everyone else.
CREATE OR REPLACE FUNCTION minqing.ops_sessions()
RETURNS TABLE (duty text, sessions bigint)
LANGUAGE sql STABLE SET search_path = minqing, ext, pg_temp AS $$
	SELECT coalesce(s.duty::text, CASE WHEN r.rolsuper THEN 'dba'
	                                   WHEN pg_catalog.pg_has_role(a.usename, 'mq_system', 'MEMBER') THEN 'job'
	                                   ELSE 'other' END) AS duty, count(*)
	  FROM pg_catalog.pg_stat_activity a
	  LEFT JOIN pg_catalog.pg_roles r ON r.rolname = a.usename
	  LEFT JOIN minqing.staff s ON s.login = a.usename
	 -- (backend_type is shown to pg_read_all_stats only: a client has a login)
	 WHERE a.datname = pg_catalog.current_database() AND a.usename IS NOT NULL
	 GROUP BY 1 ORDER BY 2 DESC, 1
$$;
COMMENT ON FUNCTION minqing.ops_sessions() IS
	'Client sessions on this database now, by the duty of their login (dba: a superuser; job: the escalation '
	'job and the drainer; other: accounts that are not staff of the caller''s district).';
REVOKE ALL ON FUNCTION minqing.ops_sessions() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.ops_sessions() TO mq_admin;

-- 运行状态: the record's head.
CREATE OR REPLACE FUNCTION minqing.ops_status()
RETURNS TABLE (title text, server text, as_of timestamptz)
LANGUAGE sql STABLE SET search_path = minqing, ext, pg_temp AS $$
	SELECT '运行状态', pg_catalog.current_database() || ' · PostgreSQL '
	       || pg_catalog.current_setting('server_version') || ' · '
	       || CASE WHEN pg_catalog.pg_is_in_recovery() THEN '备库' ELSE '主库' END, now()
$$;
COMMENT ON FUNCTION minqing.ops_status() IS
	'运行状态: the database, the server''s version and whether it is the primary, now.';
REVOKE ALL ON FUNCTION minqing.ops_status() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.ops_status() TO mq_admin;

-- 运行状态: its lines (label, value in both languages, depth): the
-- escalation job, the SMS outbox, the summaries, the work calendar's
-- holidays, the database and its
-- largest tables, replication, sessions by duty. Times in the district's.
CREATE OR REPLACE FUNCTION minqing.ops_status_lines()
RETURNS TABLE (label_zh text, label_en text, value text, value_en text, depth integer)
LANGUAGE plpgsql STABLE SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	d smallint := coalesce(minqing.my_district(), (SELECT min(x.district_id) FROM minqing.district x));
	j minqing.job_state;
	stall interval;
	o record;
	r record;
	t record;
	n integer := 0;
	outreach timestamptz;
BEGIN
	SELECT * INTO j FROM minqing.job_state x WHERE x.job = 'escalation';
	SELECT s.escalation_stall_after INTO stall FROM minqing.job_setting s;
	label_zh := '升级预警任务'; label_en := 'Escalation job'; value := NULL; value_en := NULL; depth := 0;
	RETURN NEXT;
	depth := 1;
	label_zh := '状态'; label_en := 'State';
	IF j.last_completed_at IS NULL THEN
		value := '从未完成'; value_en := 'never completed';
	ELSIF now() - j.last_completed_at > coalesce(stall, interval '10 minutes') THEN
		value := '已停滞：' || minqing.ops_duration(now() - j.last_completed_at) || '未完成';
		value_en := 'stalled: none completed for ' || minqing.ops_duration(now() - j.last_completed_at, true);
	ELSE
		value := '正常'; value_en := 'running';
	END IF;
	RETURN NEXT;
	IF j.last_completed_at IS NOT NULL THEN
		label_zh := '上次完成'; label_en := 'Last completed';
		value := to_char(minqing.district_local_time(d, j.last_completed_at), 'YYYY-MM-DD HH24:MI:SS')
		         || '（' || minqing.ops_duration(now() - j.last_completed_at) || '前）';
		value_en := to_char(minqing.district_local_time(d, j.last_completed_at), 'YYYY-MM-DD HH24:MI:SS')
		            || ' (' || minqing.ops_duration(now() - j.last_completed_at, true) || ' ago)';
		RETURN NEXT;
		label_zh := '用时'; label_en := 'Duration';
		value := coalesce(to_char(j.last_duration_ms / 1000.0, 'FM999990.0') || ' 秒', '—');
		value_en := coalesce(to_char(j.last_duration_ms / 1000.0, 'FM999990.0') || ' s', '-');
		RETURN NEXT;
		label_zh := '处理案件'; label_en := 'Cases';
		value := coalesce(j.last_cases, 0) || ' 件（被占用跳过 ' || coalesce(j.last_locked, 0) || ' 件，结束超时会话 '
		         || coalesce(j.last_ended, 0) || ' 个）';
		value_en := coalesce(j.last_cases, 0) || ' (locked, retried later: ' || coalesce(j.last_locked, 0)
		            || '; stale sessions ended: ' || coalesce(j.last_ended, 0) || ')';
		RETURN NEXT;
	END IF;

	-- The outbox, as row-level security shows it (the jurisdiction's).
	SELECT count(*) FILTER (WHERE x.status = 'queued') AS queued,
	       count(*) FILTER (WHERE x.status = 'failed') AS failed,
	       count(*) FILTER (WHERE x.status = 'dead') AS dead,
	       count(*) FILTER (WHERE x.status = 'sent' AND x.sent_at > now() - interval '24 hours') AS sent_24h,
	       min(x.created_at) FILTER (WHERE x.status IN ('queued', 'failed')) AS oldest
	  INTO o FROM minqing.outbox x;
	label_zh := '短信发送'; label_en := 'SMS outbox'; value := NULL; value_en := NULL; depth := 0;
	RETURN NEXT;
	depth := 1;
	label_zh := '待发'; label_en := 'Queued'; value := o.queued || ' 条'; value_en := o.queued::text;
	RETURN NEXT;
	label_zh := '等待重试'; label_en := 'Failed, to retry'; value := o.failed || ' 条'; value_en := o.failed::text;
	RETURN NEXT;
	label_zh := '最早待发'; label_en := 'Oldest waiting';
	value := coalesce(to_char(minqing.district_local_time(d, o.oldest), 'YYYY-MM-DD HH24:MI:SS') || '（已等 '
	                  || minqing.ops_duration(now() - o.oldest) || '）', '无');
	value_en := coalesce(to_char(minqing.district_local_time(d, o.oldest), 'YYYY-MM-DD HH24:MI:SS') || ' ('
	                     || minqing.ops_duration(now() - o.oldest, true) || ' ago)', 'none');
	RETURN NEXT;
	label_zh := '发送失败'; label_en := 'Dead'; value := o.dead || ' 条'; value_en := o.dead::text;
	RETURN NEXT;
	label_zh := '近24小时已发'; label_en := 'Sent in 24 hours'; value := o.sent_24h || ' 条';
	value_en := o.sent_24h::text;
	RETURN NEXT;

	SELECT max(s.as_of) INTO outreach FROM minqing.report_outreach_state s;
	label_zh := '统计摘要'; label_en := 'Report summaries'; value := NULL; value_en := NULL; depth := 0;
	RETURN NEXT;
	depth := 1;
	label_zh := '外联数据截至'; label_en := 'Outreach counted at';
	value := coalesce(to_char(minqing.district_local_time(d, outreach), 'YYYY-MM-DD HH24:MI:SS'), '尚未统计');
	value_en := coalesce(to_char(minqing.district_local_time(d, outreach), 'YYYY-MM-DD HH24:MI:SS'), 'not yet');
	RETURN NEXT;

	-- The holidays entered (schema/functions/79_calendar_admin.sql).
	RETURN QUERY SELECT * FROM minqing.ops_calendar_lines(d, minqing.district_local_time(d, now())::date);

	label_zh := '数据库'; label_en := 'Database'; value := NULL; value_en := NULL; depth := 0;
	RETURN NEXT;
	depth := 1;
	label_zh := '大小'; label_en := 'Size';
	value := pg_catalog.pg_size_pretty(pg_catalog.pg_database_size(pg_catalog.current_database()));
	value_en := value;
	RETURN NEXT;
	FOR t IN SELECT * FROM minqing.ops_tables(5) LOOP
		label_zh := '表 ' || t.table_name; label_en := 'Table ' || t.table_name;
		value := t.total_size || '（约 ' || t.rows_estimate || ' 行）';
		value_en := t.total_size || ' (about ' || t.rows_estimate || ' rows)';
		RETURN NEXT;
	END LOOP;

	label_zh := '复制'; label_en := 'Replication'; value := NULL; value_en := NULL; depth := 0;
	RETURN NEXT;
	depth := 1;
	FOR r IN SELECT * FROM minqing.ops_replication() LOOP
		n := n + 1;
		IF r.role = 'standby' THEN
			label_zh := '本库是备库'; label_en := 'This server is a standby';
		ELSE
			label_zh := '备库 ' || coalesce(r.name, ''); label_en := 'Standby ' || coalesce(r.name, '');
		END IF;
		value := coalesce(r.state, '') || CASE r.sync_state WHEN 'sync' THEN '，同步' WHEN 'quorum' THEN '，同步（法定数）'
		                                   WHEN 'async' THEN '，异步' ELSE '' END
		         || '，回放延迟 ' || to_char(extract(epoch FROM r.replay_lag), 'FM999990.0') || ' 秒（'
		         || pg_catalog.pg_size_pretty(coalesce(r.lag_bytes, 0)) || '）';
		value_en := coalesce(r.state, '') || coalesce(', ' || r.sync_state, '') || ', replay lag '
		            || to_char(extract(epoch FROM r.replay_lag), 'FM999990.0') || ' s ('
		            || pg_catalog.pg_size_pretty(coalesce(r.lag_bytes, 0)) || ')';
		RETURN NEXT;
	END LOOP;
	IF n = 0 THEN
		label_zh := '备库'; label_en := 'Standbys'; value := '无'; value_en := 'none';
		RETURN NEXT;
	END IF;

	label_zh := '当前会话'; label_en := 'Sessions now'; value := NULL; value_en := NULL; depth := 0;
	RETURN NEXT;
	depth := 1;
	FOR r IN SELECT * FROM minqing.ops_sessions() LOOP
		label_zh := CASE r.duty WHEN 'officer' THEN '信息员' WHEN 'handler' THEN '办理人员' WHEN 'supervisor' THEN '督查人员'
		                        WHEN 'admin' THEN '管理员' WHEN 'kiosk' THEN '站点终端' WHEN 'job' THEN '后台任务'
		                        WHEN 'dba' THEN '数据库管理员' ELSE '其他' END;
		label_en := CASE r.duty WHEN 'job' THEN 'jobs' WHEN 'dba' THEN 'database administrators'
		                        WHEN 'other' THEN 'others' ELSE r.duty END;
		value := r.sessions || ' 个'; value_en := r.sessions::text;
		RETURN NEXT;
	END LOOP;
END
$$;
COMMENT ON FUNCTION minqing.ops_status_lines() IS
	'运行状态 line by line (label, value, in Chinese and English, depth): the escalation job (state, last pass, '
	'its duration and cases), the SMS outbox (queued, failed, oldest, dead, sent in 24 hours), the summaries, '
	'the holidays entered for this year and the next, the database''s size and largest tables, replication, sessions by duty.';
REVOKE ALL ON FUNCTION minqing.ops_status_lines() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.ops_status_lines() TO mq_admin;

-- The dead messages of the caller's jurisdiction, newest first, a page at
-- a time (keyset created_at, message_id).
CREATE OR REPLACE FUNCTION minqing.ops_dead_messages(p_limit integer DEFAULT 50,
                                                     p_after_created timestamptz DEFAULT NULL,
                                                     p_after_id bigint DEFAULT NULL)
RETURNS TABLE (message_id bigint, created_at timestamptz, recipient_name text, phone text, attempts integer,
               last_error text, body text, reason text)
LANGUAGE sql STABLE SET search_path = minqing, ext, pg_temp AS $$
	SELECT o.message_id, o.created_at, o.recipient_name, minqing.mask_phone(o.recipient_phone), o.attempts,
	       o.last_error, o.body,
	       -- the drainer's errors in Chinese where they have a form (the
	       -- rest are a transport's own words: a program's, the system's)
	       CASE WHEN o.last_error LIKE 'invalid mobile number: %'
	            THEN '不是有效的手机号码：' || substr(o.last_error, 24)
	            WHEN o.last_error LIKE 'gateway: %' THEN '短信网关报告未送达：' || substr(o.last_error, 10)
	            ELSE o.last_error END
	  FROM minqing.outbox o
	 WHERE o.status = 'dead'
	   AND (o.created_at, o.message_id) < (coalesce(p_after_created, 'infinity'),
	                                       coalesce(p_after_id, 9223372036854775807))
	 ORDER BY o.created_at DESC, o.message_id DESC
	 LIMIT least(greatest(coalesce(p_limit, 50), 1), 500)
$$;
COMMENT ON FUNCTION minqing.ops_dead_messages(integer, timestamptz, bigint) IS
	'The dead messages of the caller''s jurisdiction (never sent: a bad number, a permanent error, too many '
	'attempts, a gateway failure), newest first, keyset (created_at, message_id); the phone masked; reason: '
	'the error in Chinese where it has a known form.';
REVOKE ALL ON FUNCTION minqing.ops_dead_messages(integer, timestamptz, bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.ops_dead_messages(integer, timestamptz, bigint) TO mq_admin;

-- An administrator puts dead messages of the jurisdiction back in the
-- queue (at most 500 at a time): attempts from zero, to be sent now, the
-- last error kept until the next attempt. The others (not dead, not in the
-- jurisdiction, no such message) are counted as skipped. The drainer is
-- woken.
CREATE OR REPLACE FUNCTION minqing.outbox_retry(p_messages bigint[])
RETURNS TABLE (retried integer, skipped integer)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	n integer;
BEGIN
	PERFORM minqing.case_caller('{admin}');
	IF coalesce(cardinality(p_messages), 0) = 0 THEN
		RAISE EXCEPTION 'no message was chosen to retry' USING ERRCODE = 'invalid_parameter_value';
	ELSIF cardinality(p_messages) > 500 THEN
		RAISE EXCEPTION 'at most 500 messages can be retried at once, not %', cardinality(p_messages)
			USING ERRCODE = 'program_limit_exceeded';
	END IF;
	UPDATE minqing.outbox o
	   SET status = 'queued', attempts = 0, next_attempt_at = now(), delivery_status = NULL, delivered_at = NULL
	 WHERE o.message_id = ANY (p_messages) AND o.status = 'dead'
	   AND o.path OPERATOR(ext.<@) (SELECT minqing.my_scope());
	GET DIAGNOSTICS n = ROW_COUNT;
	IF n > 0 THEN
		PERFORM pg_notify('minqing_outbox', '');
	END IF;
	RETURN QUERY SELECT n, cardinality(ARRAY(SELECT DISTINCT unnest(p_messages))) - n;
END
$$;
COMMENT ON FUNCTION minqing.outbox_retry(bigint[]) IS
	'An administrator''s retry of dead messages of the jurisdiction (at most 500): queued again, attempts '
	'from zero, to be sent now. Returns how many were retried and skipped.';
REVOKE ALL ON FUNCTION minqing.outbox_retry(bigint[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.outbox_retry(bigint[]) TO mq_admin;

RESET ROLE;

-- The standbys this server sends to (pg_stat_replication: their lag is
-- shown to pg_monitor only, hence the definer), or, on a standby, how far
-- behind its replay is. No row: neither.
CREATE OR REPLACE FUNCTION minqing.ops_replication()
RETURNS TABLE (role text, name text, state text, sync_state text, replay_lag interval, lag_bytes numeric)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = minqing, ext, pg_temp AS $$
	SELECT 'primary', r.application_name, r.state, r.sync_state,
	       coalesce(r.replay_lag, interval '0'), pg_catalog.pg_wal_lsn_diff(pg_catalog.pg_current_wal_lsn(),
	                                                                        r.replay_lsn)
	  FROM pg_catalog.pg_stat_replication r
	 WHERE NOT pg_catalog.pg_is_in_recovery()
	UNION ALL
	SELECT 'standby', NULL, 'streaming', NULL,
	       CASE WHEN pg_catalog.pg_last_wal_receive_lsn() = pg_catalog.pg_last_wal_replay_lsn() THEN interval '0'
	            ELSE now() - pg_catalog.pg_last_xact_replay_timestamp() END,
	       pg_catalog.pg_wal_lsn_diff(pg_catalog.pg_last_wal_receive_lsn(), pg_catalog.pg_last_wal_replay_lsn())
	 WHERE pg_catalog.pg_is_in_recovery()
$$;
ALTER FUNCTION minqing.ops_replication() OWNER TO mq_monitor;
COMMENT ON FUNCTION minqing.ops_replication() IS
	'The standbys of this server (name, state, synchronous or not, replay lag in time and bytes), or on a '
	'standby its own replay lag. Owned by mq_monitor (pg_monitor).';
REVOKE ALL ON FUNCTION minqing.ops_replication() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.ops_replication() TO mq_admin;
