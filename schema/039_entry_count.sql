-- 039_entry_count.sql: the cases each person entered, kept per day and per
-- unit where the cases were received.
--
-- 信息员名册 (officers_roster()) shows beside each officer the cases they
-- entered in the last 30 days. It counted them from cases_entered_by under
-- row-level security: about 720 cases an officer at scale 10, 36,000 index
-- entries and their rows for a page of fifty, 34 ms for a supervisor
-- (docs/operations.md, "List screens at a million cases").
--
-- entry_count holds, per login, day (the district's calendar day) and unit
-- where the cases were received, how many were entered, with that unit's
-- path. A row is read by whoever sees the path: each case it counts was
-- received there, so they see the case too. The roster sums at most 30 rows
-- a person, usually one unit's.
--
-- Cases are never deleted, and who entered one, when and where it was
-- received do not change after the insert (only definer functions write
-- cases, and none of them sets those columns). So the count needs only
-- inserts: a statement trigger on cases (schema/functions/81_entry_count.sql)
-- adds them in the entering transaction, to the enterer's own rows, which
-- no one else's entries write. And each session of a login to its own row
-- (slot: the backend's process id; 0 for a recount): one login at several
-- terminals at once, or a benchmark's clients, would otherwise wait for
-- each other's commit on one row (the three-step transaction of
-- tests/bench/intake.sh, 8 clients as one login, fell from 379 to 190 a
-- second). A login's day holds a row per session that entered a case.
--
-- Applied by `minqing-admin migrate` as a superuser, in one transaction.

SET LOCAL ROLE mq_owner;
SET LOCAL search_path = minqing, ext, pg_temp;

CREATE TABLE minqing.entry_count (
	entered_by     name NOT NULL,
	day            date NOT NULL,
	origin_unit_id integer NOT NULL,
	district_id    smallint NOT NULL,
	origin_path    ext.ltree NOT NULL,
	slot           integer NOT NULL DEFAULT 0,
	n              integer NOT NULL CHECK (n > 0),
	PRIMARY KEY (entered_by, day, origin_unit_id, slot)
);
COMMENT ON TABLE minqing.entry_count IS
	'Per login (entered_by), calendar day in the district''s time zone, unit where the cases were received '
	'(origin_unit_id, with its path) and session (slot: the backend process id, 0 for a recount): the cases '
	'that login entered. Kept by a trigger on cases; read, summed over the slots, by officers_roster().';

-- Read as the cases it counts are, by the unit where they were received;
-- written by the trigger's owner only.
ALTER TABLE minqing.entry_count ENABLE ROW LEVEL SECURITY;
ALTER TABLE minqing.entry_count FORCE ROW LEVEL SECURITY;
CREATE POLICY entry_count_read ON minqing.entry_count FOR SELECT
	USING (origin_path OPERATOR(ext.<@) (SELECT minqing.my_scope()));
GRANT SELECT ON minqing.entry_count TO mq_staff;
GRANT SELECT, INSERT, UPDATE, DELETE ON minqing.entry_count TO mq_summariser;

-- The trigger's function (81_entry_count.sql; created here first so that the
-- trigger can name it).
CREATE FUNCTION minqing.entry_count_sync() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = minqing, ext, pg_temp AS $$
BEGIN
	RETURN NULL; -- replaced by schema/functions/81_entry_count.sql in this transaction
END
$$;
REVOKE ALL ON FUNCTION minqing.entry_count_sync() FROM PUBLIC;
CREATE TRIGGER entry_count_insert AFTER INSERT ON minqing.cases
	REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION minqing.entry_count_sync();
-- In replica mode too, as the cases' other counts (020): they must never
-- disagree with the cases.
ALTER TABLE minqing.cases ENABLE ALWAYS TRIGGER entry_count_insert;

RESET ROLE;
-- (As a superuser: mq_owner is not a member of mq_summariser.)
ALTER FUNCTION minqing.entry_count_sync() OWNER TO mq_summariser;

-- The counts of the cases there are, as the superuser (every row, past
-- row-level security; entry_count_rebuild() of the function file does the
-- same for the demo district).
INSERT INTO minqing.entry_count (entered_by, day, origin_unit_id, district_id, origin_path, n)
SELECT c.entered_by, (c.created_at AT TIME ZONE tz.tz)::date, c.origin_unit_id, min(c.district_id),
       (array_agg(c.origin_path ORDER BY c.case_id DESC))[1], count(*)
  FROM minqing.cases c
  JOIN (SELECT d.district_id, (minqing.calendar_setting(d.district_id)).time_zone AS tz
          FROM minqing.district d) tz ON tz.district_id = c.district_id
 GROUP BY 1, 2, 3;
