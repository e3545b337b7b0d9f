-- The households each contact looks after (037_contact_count.sql): the
-- triggers that keep contact_count and a recount for a bulk load.
--
-- The triggers are owned by mq_summariser (BYPASSRLS), which mq_owner is
-- not a member of: they are replaced as the superuser that migrates. A
-- person's change is counted whoever sees which paths; the triggers write
-- only the rows of the contacts the statement's rows name.
RESET ROLE;
SET LOCAL search_path = minqing, ext, pg_temp;

-- On party_member (TG_ARGV[0] 'party_member') and villager_representative
-- ('representative'): a contact's row comes and goes with the contact,
-- counting the links the contact already has (a link outlives the role: it
-- names the resident), and is counted again when the contact moves.
CREATE OR REPLACE FUNCTION minqing.contact_count_role() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	k minqing.contact_kind := TG_ARGV[0]::minqing.contact_kind;
BEGIN
	IF TG_OP = 'TRUNCATE' THEN
		DELETE FROM minqing.contact_count c WHERE c.kind = k;
	ELSIF TG_OP = 'INSERT' THEN
		INSERT INTO minqing.contact_count AS c (resident_id, kind, district_id, path, households, elsewhere)
		SELECT r.resident_id, k, r.district_id, r.path, count(l.household_id),
		       count(l.household_id) FILTER (WHERE l.path OPERATOR(ext.<>) r.path)
		  FROM new_rows r
		  LEFT JOIN minqing.household_link l ON l.contact_resident_id = r.resident_id AND l.contact_kind = k
		 GROUP BY r.resident_id, r.district_id, r.path;
	ELSIF TG_OP = 'DELETE' THEN
		DELETE FROM minqing.contact_count c
		 WHERE c.kind = k AND c.resident_id IN (SELECT r.resident_id FROM old_rows r);
	ELSE
		DELETE FROM minqing.contact_count c WHERE c.kind = k AND c.resident_id = OLD.resident_id;
		INSERT INTO minqing.contact_count (resident_id, kind, district_id, path, households, elsewhere)
		SELECT NEW.resident_id, k, NEW.district_id, NEW.path, count(*),
		       count(*) FILTER (WHERE l.path OPERATOR(ext.<>) NEW.path)
		  FROM minqing.household_link l
		 WHERE l.contact_resident_id = NEW.resident_id AND l.contact_kind = k;
	END IF;
	RETURN NULL;
END
$$;
ALTER FUNCTION minqing.contact_count_role() OWNER TO mq_summariser;
REVOKE ALL ON FUNCTION minqing.contact_count_role() FROM PUBLIC;
COMMENT ON FUNCTION minqing.contact_count_role() IS
	'Trigger on party_member and villager_representative (TG_ARGV[0]: the contact kind): a contact_count row per '
	'contact, counted from their links when they become a contact or move. Owned by mq_summariser (BYPASSRLS).';

-- On household_link: the links a statement added (+1) or removed (-1),
-- summed per contact, each compared with the contact's path.
-- A link to a resident who is no longer that kind of contact has no row to
-- change (the row is made, counting it, if they become one again).
CREATE OR REPLACE FUNCTION minqing.contact_count_link() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = minqing, ext, pg_temp AS $$
DECLARE
	ids bigint[];
	kinds minqing.contact_kind[];
	paths ext.ltree[];
	ns integer[];
BEGIN
	-- The changes as arrays (each transition table can be named only
	-- where it exists), then one statement applies them.
	IF TG_OP = 'TRUNCATE' THEN
		UPDATE minqing.contact_count c SET households = 0, elsewhere = 0 WHERE c.households > 0;
		RETURN NULL;
	ELSIF TG_OP = 'INSERT' THEN
		SELECT array_agg(r.contact_resident_id), array_agg(r.contact_kind), array_agg(r.path), array_agg(1)
		  INTO ids, kinds, paths, ns FROM new_rows r;
	ELSIF TG_OP = 'DELETE' THEN
		SELECT array_agg(r.contact_resident_id), array_agg(r.contact_kind), array_agg(r.path), array_agg(-1)
		  INTO ids, kinds, paths, ns FROM old_rows r;
	ELSE
		ids := ARRAY[OLD.contact_resident_id, NEW.contact_resident_id];
		kinds := ARRAY[OLD.contact_kind, NEW.contact_kind];
		paths := ARRAY[OLD.path, NEW.path];
		ns := ARRAY[-1, 1];
	END IF;
	WITH s AS (
		SELECT c.resident_id, c.kind, sum(d.n)::integer AS n,
		       coalesce(sum(d.n) FILTER (WHERE d.path OPERATOR(ext.<>) c.path), 0)::integer AS e
		  FROM unnest(ids, kinds, paths, ns) AS d(resident_id, kind, path, n)
		  JOIN minqing.contact_count c ON c.resident_id = d.resident_id AND c.kind = d.kind
		 GROUP BY c.resident_id, c.kind
		 ORDER BY c.resident_id, c.kind)
	UPDATE minqing.contact_count c
	   SET households = c.households + s.n, elsewhere = c.elsewhere + s.e
	  FROM s
	 WHERE c.resident_id = s.resident_id AND c.kind = s.kind AND (s.n <> 0 OR s.e <> 0);
	RETURN NULL;
END
$$;
ALTER FUNCTION minqing.contact_count_link() OWNER TO mq_summariser;
REVOKE ALL ON FUNCTION minqing.contact_count_link() FROM PUBLIC;
COMMENT ON FUNCTION minqing.contact_count_link() IS
	'Trigger on household_link: adds the links a statement made and subtracts those it removed (an update that '
	'moves a link: both) to its contacts'' contact_count rows. Owned by mq_summariser (BYPASSRLS).';

-- A page of 党员联户 from the kept counts (contact_links()): the contacts of
-- the caller's jurisdiction whose links all lie in their own village,
-- fewest households first, keyset (households, resident id), only those
-- under five with p_few, active residents only. Past row-level security,
-- with the policies' conditions written out for the caller's my_scope()
-- (session_user's: a caller cannot name another jurisdiction): under the
-- policies the planner took the condition on path to keep a thousandth of
-- the rows where a district's keeps all, and read and sorted 50,000
-- contacts for a page of fifty. Owned by mq_lister (BYPASSRLS); its
-- answer is what the policies show: ids and counts of contacts the caller
-- may read, whose every link the caller may read too (elsewhere = 0).
CREATE OR REPLACE FUNCTION minqing.contact_links_kept(p_kind minqing.contact_kind, p_few boolean,
                                                      p_after_n integer, p_after_id bigint, p_limit integer)
RETURNS TABLE (resident_id bigint, households integer)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = minqing, ext, pg_temp
SET plan_cache_mode = force_custom_plan AS $$
DECLARE
	scope ext.ltree := minqing.my_scope();
	-- A village's contacts all have its path (a household's path is its village's).
	village ext.ltree := CASE WHEN ext.nlevel(scope) >= 3 THEN scope END;
BEGIN
	IF scope IS NULL THEN
		RETURN;
	END IF;
	-- (Planned with the values: the scope's share of the rows is estimated from the statistics.)
	RETURN QUERY
	SELECT c.resident_id, c.households
	  FROM minqing.contact_count c
	 WHERE c.kind = p_kind AND c.elsewhere = 0
	   AND c.path OPERATOR(ext.<@) scope AND (village IS NULL OR c.path = village)
	   AND (NOT coalesce(p_few, false) OR c.households < 5)
	   AND (p_after_id IS NULL OR (c.households, c.resident_id) > (p_after_n, p_after_id))
	   AND EXISTS (SELECT 1 FROM minqing.resident r
	                WHERE r.resident_id = c.resident_id AND r.active AND r.path OPERATOR(ext.<@) scope)
	 ORDER BY c.households, c.resident_id
	 LIMIT least(greatest(coalesce(p_limit, 50), 1), 500);
END
$$;
ALTER FUNCTION minqing.contact_links_kept(minqing.contact_kind, boolean, integer, bigint, integer) OWNER TO mq_lister;
REVOKE ALL ON FUNCTION minqing.contact_links_kept(minqing.contact_kind, boolean, integer, bigint, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION minqing.contact_links_kept(minqing.contact_kind, boolean, integer, bigint, integer)
	TO mq_staff;
COMMENT ON FUNCTION minqing.contact_links_kept(minqing.contact_kind, boolean, integer, bigint, integer) IS
	'A page of contact_links() from contact_count: the caller''s contacts (my_scope()) whose links all lie in '
	'their own village, with their kept household counts, fewest first. Owned by mq_lister (BYPASSRLS), the '
	'policies'' conditions written out.';

SET LOCAL ROLE mq_owner;

-- Count again from the rows: for a load that bypassed the triggers (the
-- demo district, session_replication_role = replica) or a repair. Shares
-- the three tables, so no change is counted twice or missed. Superusers
-- only (no EXECUTE to anyone; a superuser reads past row-level security).
CREATE OR REPLACE FUNCTION minqing.contact_count_rebuild() RETURNS void
LANGUAGE plpgsql SET search_path = minqing, ext, pg_temp AS $$
BEGIN
	LOCK TABLE minqing.party_member, minqing.villager_representative, minqing.household_link IN SHARE MODE;
	DELETE FROM minqing.contact_count;
	INSERT INTO minqing.contact_count (resident_id, kind, district_id, path, households, elsewhere)
	SELECT c.resident_id, c.kind, c.district_id, c.path, count(l.household_id),
	       count(l.household_id) FILTER (WHERE l.path OPERATOR(ext.<>) c.path)
	  FROM (SELECT p.resident_id, 'party_member'::minqing.contact_kind AS kind, p.district_id, p.path
	          FROM minqing.party_member p
	        UNION ALL
	        SELECT v.resident_id, 'representative', v.district_id, v.path
	          FROM minqing.villager_representative v) c
	  LEFT JOIN minqing.household_link l ON l.contact_resident_id = c.resident_id AND l.contact_kind = c.kind
	 GROUP BY c.resident_id, c.kind, c.district_id, c.path;
END
$$;
REVOKE ALL ON FUNCTION minqing.contact_count_rebuild() FROM PUBLIC;
COMMENT ON FUNCTION minqing.contact_count_rebuild() IS
	'Count contact_count again from party_member, villager_representative and household_link (after a load '
	'that bypassed the triggers). Superusers only.';

RESET ROLE;
