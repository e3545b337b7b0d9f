-- Demo district, last: drop the helpers that several scripts share
-- (defined in 10_units.sql), so that the load leaves nothing behind.
DROP FUNCTION pg_temp.mq_surname(bigint);
DROP FUNCTION pg_temp.mq_mobile(bigint);
DROP FUNCTION pg_temp.mq_pick(text[], bigint);
DROP FUNCTION pg_temp.mq_h(text, bigint);
DROP FUNCTION pg_temp.mq_drop_indexes(text[]);
DROP FUNCTION pg_temp.mq_rebuild_indexes();
