-- 027_operations.sql: what the operations screens (运行状态, the console's
-- system administration menu) and `minqing-admin status` read and do
-- (docs/operations.md, "Operations screens"; the functions in
-- schema/functions/77_operations.sql):
--
--   - job_state.last_duration_ms: how long the last escalation pass took
--     (escalation_pass writes it with the rest of its row);
--   - mq_monitor: a NOLOGIN role in pg_monitor that owns the one definer
--     function reading the replication statistics, whose lag columns
--     PostgreSQL shows only to pg_monitor; nobody logs in as it;
--   - outbox_retry: an administrator may put a dead message of the
--     jurisdiction back in the queue (outbox_retry(), a definer function
--     owned by mq_owner): the policy lets that function's UPDATE through
--     for dead rows under the administrator's path only;
--   - mq_publisher (the kiosk's results board, public_results) reads the
--     district's time zone, so that it reads a month's resolved cases by
--     the index of resolution times (the load driver found the board taking
--     minutes at scale 10, a month filtered case by case).
--
-- Applied by `minqing-admin migrate` as a superuser, in one transaction.

LOCK TABLE pg_catalog.pg_authid IN SHARE ROW EXCLUSIVE MODE;
DO $$
BEGIN
	IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'mq_monitor') THEN
		CREATE ROLE mq_monitor NOLOGIN;
	END IF;
	-- (a database migrated beside another finds it done)
	IF NOT pg_has_role('mq_monitor', 'pg_monitor', 'MEMBER') THEN
		GRANT pg_monitor TO mq_monitor;
	END IF;
END
$$;
GRANT USAGE ON SCHEMA minqing, ext TO mq_monitor;

SET LOCAL ROLE mq_owner;
SET LOCAL search_path = minqing, ext, pg_temp;

ALTER TABLE minqing.job_state ADD COLUMN last_duration_ms integer;
COMMENT ON COLUMN minqing.job_state.last_duration_ms IS
	'How long the last completed run took, in milliseconds (from the start of its transaction).';

GRANT SELECT ON minqing.work_calendar_setting TO mq_publisher;

CREATE POLICY outbox_retry ON minqing.outbox FOR UPDATE TO mq_owner
	USING (status = 'dead' AND path <@ (SELECT minqing.my_scope())
	       AND (SELECT pg_has_role(session_user, 'mq_admin', 'MEMBER')))
	WITH CHECK (status = 'queued' AND path <@ (SELECT minqing.my_scope()));

RESET ROLE;
