-- Demo district, last: drop the helpers that several scripts share
-- (defined in 10_units.sql), so that the load leaves nothing behind.
DROP FUNCTION pg_temp.mq_surname(bigint);
DROP FUNCTION pg_temp.mq_mobile(bigint);
DROP FUNCTION pg_temp.mq_pick(text[], bigint);
DROP FUNCTION pg_temp.mq_h(text, bigint);
DROP FUNCTION pg_temp.mq_drop_indexes(text[]);
DROP FUNCTION pg_temp.mq_rebuild_indexes();

-- The outreach summaries of the reports (docs/reports.md), which the
-- escalation job keeps: counted once now, so that the report shows the
-- loaded district before the job first runs. (The case summaries are kept
-- by triggers during the load.)
SELECT minqing.report_outreach_refresh(now(), true);
