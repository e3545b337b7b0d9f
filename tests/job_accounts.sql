-- The login roles of the two jobs, as README's "Install on a server" makes
-- them: minqing_escalate (mq_escalator) and minqing_notify (mq_notifier).
-- For the development and benchmark clusters (dev.sh, tests/bench/load.sh),
-- where the roles may already be there from another database of the cluster.
DO $$
BEGIN
	IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'minqing_escalate') THEN
		CREATE ROLE minqing_escalate LOGIN IN ROLE mq_escalator;
	END IF;
	IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'minqing_notify') THEN
		CREATE ROLE minqing_notify LOGIN IN ROLE mq_notifier;
	END IF;
END
$$;
