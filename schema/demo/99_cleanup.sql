-- Demo district, last: drop the helpers that several scripts share
-- (defined in 10_units.sql), so that the load leaves nothing behind.
DROP FUNCTION pg_temp.mq_surname(bigint);
DROP FUNCTION pg_temp.mq_mobile(bigint);
DROP FUNCTION pg_temp.mq_pick(text[], bigint);
DROP FUNCTION pg_temp.mq_h(text, bigint);

-- The outreach summaries of the reports (docs/reports.md), which the
-- escalation job keeps: counted once now, so that the report shows the
-- loaded district before the job first runs. (The case summaries are
-- written by 40_cases.sql.)
SELECT minqing.report_outreach_refresh(now(), true);

-- Fresh statistics of every table the scripts did not analyse themselves
-- (see pg_temp.mq_analyse in 10_units.sql): the load commits with them, so
-- the first queries plan well.
SELECT pg_temp.mq_analyse(array_agg(c.relname::text ORDER BY c.relname))
  FROM pg_class c
 WHERE c.relnamespace = 'minqing'::regnamespace AND c.relkind IN ('r', 'p')
   AND c.relname NOT IN (SELECT name FROM mq_analysed);

DROP FUNCTION pg_temp.mq_drop_indexes(text[], text[]);
DROP FUNCTION pg_temp.mq_rebuild_indexes();
DROP FUNCTION pg_temp.mq_analyse(text[]);
DROP FUNCTION pg_temp.mq_drop_triggers(text[], text[]);
DROP FUNCTION pg_temp.mq_restore_triggers();
