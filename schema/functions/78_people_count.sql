-- The counts of people per village behind the jurisdiction overview
-- (034_people_count.sql): the triggers that append the changes, the fold
-- that sums them, and a recount for a bulk load.
--
-- The first two are owned by mq_summariser (BYPASSRLS), which mq_owner is
-- not a member of: they are replaced as the superuser that migrates.
RESET ROLE;
SET LOCAL search_path = minqing, ext, pg_temp;

-- AFTER INSERT / DELETE per statement, AFTER UPDATE per row when the path
-- (or a link's kind) changed, AFTER TRUNCATE, on household, resident,
-- party_member and household_link; TG_ARGV[0] is the kind counted. Appends
-- the change per path (a link counts only when it is to a party member).
-- Owned by mq_summariser (BYPASSRLS): a person's change is counted whoever
-- sees which paths. Appending waits for nobody; people_count_fold() sums.
CREATE OR REPLACE FUNCTION minqing.people_count_sync() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	k text := TG_ARGV[0];
	was boolean := true;
	is_now boolean := true;
BEGIN
	IF TG_OP = 'TRUNCATE' THEN
		DELETE FROM minqing.people_count c WHERE c.kind = k;
	ELSIF TG_OP = 'UPDATE' THEN
		-- (Nested: PL/pgSQL would resolve contact_kind on the other tables' rows too.)
		IF TG_TABLE_NAME = 'household_link' THEN
			was := OLD.contact_kind = 'party_member';
			is_now := NEW.contact_kind = 'party_member';
		END IF;
		INSERT INTO minqing.people_count (path, kind, n)
		SELECT x.path, k, x.n
		  FROM (VALUES (OLD.path, -1, was), (NEW.path, 1, is_now)) x(path, n, counted)
		 WHERE x.counted;
	ELSIF TG_TABLE_NAME = 'household_link' THEN
		IF TG_OP = 'INSERT' THEN
			INSERT INTO minqing.people_count (path, kind, n)
			SELECT r.path, k, count(*) FROM new_rows r WHERE r.contact_kind = 'party_member' GROUP BY r.path;
		ELSE
			INSERT INTO minqing.people_count (path, kind, n)
			SELECT r.path, k, -count(*) FROM old_rows r WHERE r.contact_kind = 'party_member' GROUP BY r.path;
		END IF;
	ELSIF TG_OP = 'INSERT' THEN
		INSERT INTO minqing.people_count (path, kind, n)
		SELECT r.path, k, count(*) FROM new_rows r GROUP BY r.path;
	ELSE
		INSERT INTO minqing.people_count (path, kind, n)
		SELECT r.path, k, -count(*) FROM old_rows r GROUP BY r.path;
	END IF;
	RETURN NULL;
END
$$;
ALTER FUNCTION minqing.people_count_sync() OWNER TO mq_summariser;
REVOKE ALL ON FUNCTION minqing.people_count_sync() FROM PUBLIC;
COMMENT ON FUNCTION minqing.people_count_sync() IS
	'Trigger on household, resident, party_member and household_link (TG_ARGV[0]: the kind counted): appends '
	'what a statement added, removed or moved to people_count, per path. Owned by mq_summariser (BYPASSRLS).';

-- Sum each path's changes into one row per kind; a path whose rows are one
-- already is left alone, so a quiet minute rewrites nothing. A second fold
-- at the same time finds the rows gone (DELETE skips what another
-- transaction deleted) and a change committed meanwhile stays for the
-- next. Returns the rows taken. Run by the escalation job after every pass.
CREATE OR REPLACE FUNCTION minqing.people_count_fold() RETURNS bigint
LANGUAGE sql SECURITY DEFINER SET search_path = minqing, ext, pg_temp AS $$
	WITH l AS (
		DELETE FROM minqing.people_count c
		 WHERE (c.path, c.kind) IN (SELECT x.path, x.kind FROM minqing.people_count x
		                             GROUP BY x.path, x.kind HAVING count(*) > 1)
		RETURNING c.path, c.kind, c.n
	), f AS (
		INSERT INTO minqing.people_count (path, kind, n)
		SELECT l.path, l.kind, sum(l.n) FROM l GROUP BY l.path, l.kind HAVING sum(l.n) <> 0
	)
	SELECT count(*) FROM l
$$;
ALTER FUNCTION minqing.people_count_fold() OWNER TO mq_summariser;
REVOKE ALL ON FUNCTION minqing.people_count_fold() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.people_count_fold() TO mq_system;
COMMENT ON FUNCTION minqing.people_count_fold() IS
	'Sum the changes in people_count into one row per path and kind; returns the rows taken. Run by the '
	'escalation job after each pass; system jobs only.';

SET LOCAL ROLE mq_owner;

-- Count again from the rows: for a load that bypassed the triggers (the
-- demo district, session_replication_role = replica) or a repair. Shares
-- the four tables, so no change is counted twice or missed. Superusers
-- only (no EXECUTE to anyone; a superuser reads past row-level security).
CREATE OR REPLACE FUNCTION minqing.people_count_rebuild() RETURNS void
LANGUAGE plpgsql SET search_path = minqing, ext, pg_temp AS $$
BEGIN
	LOCK TABLE minqing.household, minqing.resident, minqing.party_member, minqing.household_link,
		minqing.household_cell IN SHARE MODE;
	DELETE FROM minqing.people_count;
	INSERT INTO minqing.people_count (path, kind, n)
	SELECT h.path, 'households', count(*) FROM minqing.household h GROUP BY h.path
	UNION ALL SELECT r.path, 'residents', count(*) FROM minqing.resident r GROUP BY r.path
	UNION ALL SELECT p.path, 'party_members', count(*) FROM minqing.party_member p GROUP BY p.path
	UNION ALL SELECT l.path, 'party_linked', count(*) FROM minqing.household_link l
	           WHERE l.contact_kind = 'party_member' GROUP BY l.path
	UNION ALL SELECT c.path, 'in_cell', count(*) FROM minqing.household_cell c GROUP BY c.path;
END
$$;
REVOKE ALL ON FUNCTION minqing.people_count_rebuild() FROM PUBLIC;
COMMENT ON FUNCTION minqing.people_count_rebuild() IS
	'Count people_count again from household, resident, party_member, household_link and household_cell (after '
	'a load that bypassed the triggers). Superusers only.';

RESET ROLE;
