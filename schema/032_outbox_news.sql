-- 032_outbox_news.sql: the outbox's wake-up leaves the enqueuing transaction.
--
-- The outbox's statement trigger notified minqing_outbox in the transaction
-- that queued a message, so every resolution and every rejection (they tell
-- the resident by SMS) took part in PostgreSQL's cluster-wide serialisation
-- of notifying commits: 030_case_news.sql explains it, and
-- tests/bench/intake.sh measured the resolutions waiting on that lock
-- (wait event Lock:object) more than on anything else.
--
-- Now the trigger appends a row to minqing.outbox_news, and
-- minqing.outbox_news_relay() takes the rows there and sends the one
-- notification in a short transaction of its own. It is called by
-- case_news_relay(), which minqing-notify runs every half second while it
-- waits (so a message queued from psql, with no console open, still wakes
-- the drainer within a second), the console right after a person's change
-- (and every few seconds besides), and minqing-escalate after its pass. The
-- notifier's --interval poll stays the fallback for anything a
-- notification misses.

-- The table is written only by the trigger (as the owner: it is a definer
-- function) and read only by the relay; no person's role has any privilege
-- on it.
--
-- Applied by `minqing-admin migrate` as a superuser, in one transaction.

SET LOCAL ROLE mq_owner;
SET LOCAL search_path = minqing, ext, pg_temp;

CREATE TABLE minqing.outbox_news (
	queued_at timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE minqing.outbox_news IS
	'A row per statement that queued messages since the last relay: outbox_notify() appends, '
	'outbox_news_relay() takes them and notifies minqing_outbox once. Definer functions only.';
ALTER TABLE minqing.outbox_news ENABLE ROW LEVEL SECURITY;
ALTER TABLE minqing.outbox_news FORCE ROW LEVEL SECURITY;
CREATE POLICY outbox_news_owner ON minqing.outbox_news TO mq_owner USING (true) WITH CHECK (true);
-- Emptied every half second: vacuumed often, it stays a page.
ALTER TABLE minqing.outbox_news SET (autovacuum_vacuum_threshold = 200, autovacuum_vacuum_scale_factor = 0);

-- outbox_notify() (now a definer that appends here) and outbox_news_relay()
-- are in functions/30_outbox.sql, case_news_relay() in functions/40_cases.sql.
