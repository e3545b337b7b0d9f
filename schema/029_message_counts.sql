-- 029_message_counts.sql: the message limits' counts stop at the limits.
--
-- minqing.message_counts() counted every message a person's actions had
-- queued in the last hour and day, for every message queued: a handler who
-- resolved a thousand cases in an hour (the workflow benchmark,
-- tests/bench/intake.sh, or an import) made each next message count them
-- all again. It now takes the three limits and counts up to them
-- (schema/functions/60_security.sql); outbox_enqueue() passes them. The old
-- signature goes.
--
-- Applied by `minqing-admin migrate` as a superuser, in one transaction.

DROP FUNCTION minqing.message_counts(name, text, text);
