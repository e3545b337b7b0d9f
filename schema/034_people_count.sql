-- 034_people_count.sql: the jurisdiction overview counts people from
-- counts kept per village.
--
-- jurisdiction_overview() (辖区概况) counted the households, residents and
-- party members the caller can see, and the households without a party
-- member, row by row under row-level security: for a district's supervisor
-- 400,000 households, 1.3 million residents and an anti-join, a second a
-- call at scale 10 and a quarter of the server's time in the load test at
-- 400 sessions (docs/operations.md, "Load").
--
-- What the caller sees of those tables is decided by the row's path alone
-- (path <@ my_scope(), 001_spine.sql), so the counts per path, summed over
-- the paths the caller sees, are exactly the counts of the rows. people_count
-- holds them: the triggers on household, resident, party_member and
-- household_link append what a statement changed (one row per path and
-- kind, with a sign), appending waits for nobody, and
-- minqing.people_count_fold() (the escalation job, every minute) sums each
-- path's rows into one. A reader sums what it sees, folded or not, so a
-- count is exact from the moment the change commits. A household's party
-- link has the household's path (household_link_derive), so "without a
-- party member" is the households less the party links.
--
-- Applied by `minqing-admin migrate` as a superuser, in one transaction.

SET LOCAL ROLE mq_owner;
SET LOCAL search_path = minqing, ext, pg_temp;

-- No index: at most four rows per village once folded (120 villages in the
-- demo district), plus the changes of the last minute; a reader scans them.
CREATE TABLE minqing.people_count (
	path ext.ltree NOT NULL,
	kind text NOT NULL CHECK (kind IN ('households', 'residents', 'party_members', 'party_linked')),
	n    bigint NOT NULL
);
COMMENT ON TABLE minqing.people_count IS
	'Counts of households, residents, party members and households linked to a party member (party_linked) '
	'per path, as changes (n signed) appended by the triggers on those tables and summed per path and kind '
	'by people_count_fold(). The sum over the paths a person sees is what they see of those tables.';

ALTER TABLE minqing.people_count ENABLE ROW LEVEL SECURITY;
ALTER TABLE minqing.people_count FORCE ROW LEVEL SECURITY;
CREATE POLICY people_count_read ON minqing.people_count FOR SELECT
	USING (path OPERATOR(ext.<@) (SELECT minqing.my_scope()));
GRANT SELECT ON minqing.people_count TO mq_staff;
-- Written only by the triggers' and the fold's owner, which bypasses RLS.
GRANT SELECT, INSERT, DELETE ON minqing.people_count TO mq_summariser;
GRANT SELECT ON minqing.resident, minqing.party_member TO mq_summariser;

-- The triggers' function (people_count_sync(), 78_people_count.sql;
-- created here first so that the triggers can name it).
CREATE FUNCTION minqing.people_count_sync() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = minqing, ext, pg_temp AS $$
BEGIN
	RETURN NULL; -- replaced by schema/functions/78_people_count.sql in this transaction
END
$$;
REVOKE ALL ON FUNCTION minqing.people_count_sync() FROM PUBLIC;

-- Inserts and deletes per statement (an import of thousands of residents
-- appends one row per village); a move per row, and only when the path
-- (or a link's kind) changes, so that editing a household's address costs
-- a comparison. (Not UPDATE OF path: a resident's path is changed by its
-- BEFORE trigger when the household is, and UPDATE OF looks only at the
-- columns the statement names. Not IS DISTINCT FROM: its operator cannot be
-- written schema-qualified, so pg_dump's trigger would not restore where
-- ext is not on the search_path; the columns are NOT NULL.) The argument
-- is the kind counted.
DO $$
DECLARE
	t record;
BEGIN
	FOR t IN SELECT * FROM (VALUES ('household', 'households', 'OLD.path OPERATOR(ext.<>) NEW.path'),
	                               ('resident', 'residents', 'OLD.path OPERATOR(ext.<>) NEW.path'),
	                               ('party_member', 'party_members', 'OLD.path OPERATOR(ext.<>) NEW.path'),
	                               ('household_link', 'party_linked',
	                                'OLD.path OPERATOR(ext.<>) NEW.path OR OLD.contact_kind <> NEW.contact_kind'))
	                        x(tab, kind, moved) LOOP
		EXECUTE format('CREATE TRIGGER people_count_insert AFTER INSERT ON minqing.%I '
		               'REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT '
		               'EXECUTE FUNCTION minqing.people_count_sync(%L)', t.tab, t.kind);
		EXECUTE format('CREATE TRIGGER people_count_delete AFTER DELETE ON minqing.%I '
		               'REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT '
		               'EXECUTE FUNCTION minqing.people_count_sync(%L)', t.tab, t.kind);
		EXECUTE format('CREATE TRIGGER people_count_move AFTER UPDATE ON minqing.%I FOR EACH ROW '
		               'WHEN (%s) EXECUTE FUNCTION minqing.people_count_sync(%L)', t.tab, t.moved, t.kind);
		EXECUTE format('CREATE TRIGGER people_count_truncate AFTER TRUNCATE ON minqing.%I '
		               'FOR EACH STATEMENT EXECUTE FUNCTION minqing.people_count_sync(%L)', t.tab, t.kind);
	END LOOP;
END
$$;

RESET ROLE;
-- (As a superuser: mq_owner is not a member of mq_summariser.)
ALTER FUNCTION minqing.people_count_sync() OWNER TO mq_summariser;

-- The counts of the rows there are, as the superuser (every row, past
-- row-level security; people_count_rebuild() of the function file does the
-- same for the demo district).
INSERT INTO minqing.people_count (path, kind, n)
SELECT path, 'households', count(*) FROM minqing.household GROUP BY path
UNION ALL SELECT path, 'residents', count(*) FROM minqing.resident GROUP BY path
UNION ALL SELECT path, 'party_members', count(*) FROM minqing.party_member GROUP BY path
UNION ALL SELECT path, 'party_linked', count(*) FROM minqing.household_link
           WHERE contact_kind = 'party_member' GROUP BY path;
