-- 010_reminders.sql: the index Reminders (提示催办, minqing.reminders() in
-- schema/functions/55_lists.sql) walks: the reminders (urge events) newest
-- first, stopped after a page.
--
-- Applied by `minqing-admin migrate` as a superuser, in one transaction.

SET LOCAL ROLE mq_owner;
SET LOCAL search_path = minqing, ext, pg_temp;

CREATE INDEX case_event_urge ON minqing.case_event (at DESC, event_id DESC) WHERE kind = 'urge';

RESET ROLE;
