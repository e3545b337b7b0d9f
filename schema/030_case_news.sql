-- 030_case_news.sql: the workflow's notifications leave its transactions.
--
-- Every change of a case was announced by pg_notify('minqing_case', id) in
-- the transaction that made it (case_log), so that open consoles re-read
-- what concerns them. PostgreSQL serialises the commits of all transactions
-- that notify: each takes one lock for the whole cluster at commit and holds
-- it until the commit is written. Measured on the project's 2-core machine
-- (tests/bench/intake.sh, docs/operations.md): pgbench's TPC-B with a
-- pg_notify in each transaction ran at 0.6x plain TPC-B, and the case
-- intake at half its speed without it.
--
-- Now case_log appends the case's id to minqing.case_news (no index, no
-- lock anyone waits for), and minqing.case_news_relay() takes what is
-- there and notifies it in a transaction of its own, the same payloads on
-- the same channel, a batch per commit. The console calls it right after
-- each change the person makes and once a second besides (so a change made
-- elsewhere, by psql or a job, reaches the consoles within a second while
-- any console is open); minqing-escalate after each pass. The escalation
-- pass's own notification, one per pass, stays where it was.
--
-- The table is read and written only through definer functions owned by
-- mq_owner (a policy for that role alone); no person's role has any
-- privilege on it.
--
-- Applied by `minqing-admin migrate` as a superuser, in one transaction.

SET LOCAL ROLE mq_owner;
SET LOCAL search_path = minqing, ext, pg_temp;

CREATE TABLE minqing.case_news (
	case_id bigint NOT NULL
);
COMMENT ON TABLE minqing.case_news IS
	'Cases changed since the last relay: case_log appends, case_news_relay() takes them and notifies '
	'minqing_case with each id in a transaction of its own. Definer functions only.';
ALTER TABLE minqing.case_news ENABLE ROW LEVEL SECURITY;
ALTER TABLE minqing.case_news FORCE ROW LEVEL SECURITY;
CREATE POLICY case_news_owner ON minqing.case_news TO mq_owner USING (true) WITH CHECK (true);
-- Emptied by DELETE every second: vacuumed often, it stays a page or two.
ALTER TABLE minqing.case_news SET (autovacuum_vacuum_threshold = 200, autovacuum_vacuum_scale_factor = 0);
