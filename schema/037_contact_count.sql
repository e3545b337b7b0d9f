-- 037_contact_count.sql: how many households each party member and
-- villager representative looks after, kept per contact.
--
-- 党员联户 (contact_links()) lists the contacts the caller sees, fewest
-- households first, a page at a time: it counted every contact's links
-- under row-level security and sorted them all, 340 ms for a district's
-- 40,000 party members at scale 10 (docs/operations.md, "List screens at a
-- million cases"), for the first page of fifty.
--
-- contact_count holds, per contact and kind, the links there are
-- (households) and how many of them lie outside the contact's own village
-- (elsewhere: a link is made in the contact's village, household_link_derive,
-- but a household or a contact can move afterwards). A link is seen by
-- whoever sees its path, a contact by whoever sees theirs: where elsewhere
-- is 0 the caller who sees the contact sees every link, so the kept count is
-- exactly what they would count, and contact_links() reads a page off the
-- index (kind, households, resident_id). The few others are counted as the
-- caller sees them.
--
-- The counts are changed by triggers on party_member, villager_representative
-- and household_link (schema/functions/80_contact_count.sql) in the writing
-- transaction: a link already locks its contact's row (the limit of ten),
-- so the count's row waits for no one else.
--
-- Applied by `minqing-admin migrate` as a superuser, in one transaction.

SET LOCAL ROLE mq_owner;
SET LOCAL search_path = minqing, ext, pg_temp;

CREATE TABLE minqing.contact_count (
	resident_id bigint NOT NULL,
	kind        minqing.contact_kind NOT NULL,
	district_id smallint NOT NULL,
	path        ext.ltree NOT NULL,
	households  integer NOT NULL DEFAULT 0 CHECK (households >= 0),
	elsewhere   integer NOT NULL DEFAULT 0 CHECK (elsewhere >= 0 AND elsewhere <= households),
	PRIMARY KEY (resident_id, kind)
);
COMMENT ON TABLE minqing.contact_count IS
	'Per party member (kind party_member) and villager representative (representative), with their path: the '
	'households they look after (household_link rows of that kind) and how many of those lie outside their '
	'own village (elsewhere). Kept by triggers; read by contact_links().';
-- A page of a district or a town, fewest first; a village's by its path.
CREATE INDEX contact_count_order ON minqing.contact_count (kind, households, resident_id) WHERE elsewhere = 0;
CREATE INDEX contact_count_village ON minqing.contact_count (kind, path, households, resident_id)
	WHERE elsewhere = 0;
CREATE INDEX contact_count_elsewhere ON minqing.contact_count (kind) WHERE elsewhere > 0;
-- (No GiST index on path: the planner took it for the row-level security
-- condition, which holds for every row of a district's, and sorted them all.)

-- Read as the contacts are (the same policy as party_member's), and by
-- contact_links_kept() (owned by mq_lister, BYPASSRLS) within the caller's
-- jurisdiction; written by the triggers' owner only.
ALTER TABLE minqing.contact_count ENABLE ROW LEVEL SECURITY;
ALTER TABLE minqing.contact_count FORCE ROW LEVEL SECURITY;
CREATE POLICY contact_count_read ON minqing.contact_count FOR SELECT
	USING (path OPERATOR(ext.<@) (SELECT minqing.my_scope()));
GRANT SELECT ON minqing.contact_count TO mq_staff, mq_lister;
GRANT SELECT, INSERT, UPDATE, DELETE ON minqing.contact_count TO mq_summariser;
GRANT SELECT ON minqing.villager_representative, minqing.household_link TO mq_summariser;

-- The triggers' functions (80_contact_count.sql; created here first so that
-- the triggers can name them).
CREATE FUNCTION minqing.contact_count_role() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = minqing, ext, pg_temp AS $$
BEGIN
	RETURN NULL; -- replaced by schema/functions/80_contact_count.sql in this transaction
END
$$;
REVOKE ALL ON FUNCTION minqing.contact_count_role() FROM PUBLIC;
CREATE FUNCTION minqing.contact_count_link() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = minqing, ext, pg_temp AS $$
BEGIN
	RETURN NULL; -- replaced by schema/functions/80_contact_count.sql in this transaction
END
$$;
REVOKE ALL ON FUNCTION minqing.contact_count_link() FROM PUBLIC;

-- Per statement for inserts and deletes (an import appends thousands); per
-- row for an update that moves a contact or a link (a path, a contact, a
-- kind): editing a branch or a date costs a comparison. (Operators written
-- schema-qualified, as 034 explains.) The argument is the contact's kind.
DO $$
DECLARE
	t record;
BEGIN
	FOR t IN SELECT * FROM (VALUES ('party_member', 'party_member', 'contact_count_role',
	                                'OLD.path OPERATOR(ext.<>) NEW.path OR OLD.resident_id <> NEW.resident_id'),
	                               ('villager_representative', 'representative', 'contact_count_role',
	                                'OLD.path OPERATOR(ext.<>) NEW.path OR OLD.resident_id <> NEW.resident_id'),
	                               ('household_link', '', 'contact_count_link',
	                                'OLD.path OPERATOR(ext.<>) NEW.path OR OLD.contact_kind <> NEW.contact_kind '
	                                'OR OLD.contact_resident_id <> NEW.contact_resident_id'))
	                        x(tab, kind, fn, moved) LOOP
		EXECUTE format('CREATE TRIGGER contact_count_insert AFTER INSERT ON minqing.%I '
		               'REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT '
		               'EXECUTE FUNCTION minqing.%I(%L)', t.tab, t.fn, t.kind);
		EXECUTE format('CREATE TRIGGER contact_count_delete AFTER DELETE ON minqing.%I '
		               'REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT '
		               'EXECUTE FUNCTION minqing.%I(%L)', t.tab, t.fn, t.kind);
		EXECUTE format('CREATE TRIGGER contact_count_move AFTER UPDATE ON minqing.%I FOR EACH ROW '
		               'WHEN (%s) EXECUTE FUNCTION minqing.%I(%L)', t.tab, t.moved, t.fn, t.kind);
		EXECUTE format('CREATE TRIGGER contact_count_truncate AFTER TRUNCATE ON minqing.%I '
		               'FOR EACH STATEMENT EXECUTE FUNCTION minqing.%I(%L)', t.tab, t.fn, t.kind);
	END LOOP;
END
$$;

RESET ROLE;
-- (As a superuser: mq_owner is not a member of mq_summariser.)
ALTER FUNCTION minqing.contact_count_role() OWNER TO mq_summariser;
ALTER FUNCTION minqing.contact_count_link() OWNER TO mq_summariser;

-- The counts of the rows there are, as the superuser (every row, past
-- row-level security; contact_count_rebuild() of the function file does the
-- same for the demo district).
INSERT INTO minqing.contact_count (resident_id, kind, district_id, path, households, elsewhere)
SELECT c.resident_id, c.kind, c.district_id, c.path, count(l.household_id),
       count(l.household_id) FILTER (WHERE l.path OPERATOR(ext.<>) c.path)
  FROM (SELECT p.resident_id, 'party_member'::minqing.contact_kind AS kind, p.district_id, p.path
          FROM minqing.party_member p
        UNION ALL
        SELECT v.resident_id, 'representative', v.district_id, v.path FROM minqing.villager_representative v) c
  LEFT JOIN minqing.household_link l ON l.contact_resident_id = c.resident_id AND l.contact_kind = c.kind
 GROUP BY c.resident_id, c.kind, c.district_id, c.path;
