-- The visits kept per service team (040_team_visit_count.sql): the trigger
-- that keeps team_visit_count and a recount.
--
-- The trigger is owned by mq_summariser (BYPASSRLS), which mq_owner is not a
-- member of: it is replaced as the superuser that migrates.
RESET ROLE;
SET LOCAL search_path = minqing, ext, pg_temp;

-- AFTER INSERT and AFTER DELETE on visit, per statement: the statement's
-- visits summed per team, added to the teams' rows or taken from them (in
-- team order, so that two statements naming the same teams cannot
-- deadlock); a row left at nought goes. A visit records one team; two
-- visits of one team at once wait for each other's commit on its row.
CREATE OR REPLACE FUNCTION minqing.team_visit_count_sync() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = minqing, ext, pg_temp AS $$
BEGIN
	IF TG_OP = 'INSERT' THEN
		INSERT INTO minqing.team_visit_count AS c (team_id, path, visits)
		SELECT t.team_id, t.path, v.n
		  FROM (SELECT x.team_id, count(*)::integer AS n FROM new_rows x WHERE x.team_id IS NOT NULL
		         GROUP BY x.team_id) v
		  JOIN minqing.service_team t ON t.team_id = v.team_id
		 ORDER BY t.team_id
		ON CONFLICT (team_id) DO UPDATE SET visits = c.visits + excluded.visits;
	ELSE
		-- (visits > 0 is checked per row: the rows that reach nought are
		-- deleted first, in team order as well)
		DELETE FROM minqing.team_visit_count c
		 USING (SELECT x.team_id, count(*)::integer AS n FROM old_rows x WHERE x.team_id IS NOT NULL
		         GROUP BY x.team_id) v
		 WHERE c.team_id = v.team_id AND c.visits <= v.n;
		UPDATE minqing.team_visit_count c SET visits = c.visits - v.n
		  FROM (SELECT x.team_id, count(*)::integer AS n FROM old_rows x WHERE x.team_id IS NOT NULL
		         GROUP BY x.team_id ORDER BY x.team_id) v
		 WHERE c.team_id = v.team_id;
	END IF;
	RETURN NULL;
END
$$;
ALTER FUNCTION minqing.team_visit_count_sync() OWNER TO mq_summariser;
REVOKE ALL ON FUNCTION minqing.team_visit_count_sync() FROM PUBLIC;
COMMENT ON FUNCTION minqing.team_visit_count_sync() IS
	'Trigger (AFTER INSERT and DELETE on visit, per statement, ENABLE ALWAYS): adds the visits made to their '
	'teams'' team_visit_count rows, takes the visits deleted from them. Owned by mq_summariser (BYPASSRLS).';

SET LOCAL ROLE mq_owner;

-- Count again from the visits (a repair). Shares visit, so no insert is
-- counted twice or missed. Superusers only (no EXECUTE to anyone; a
-- superuser reads past row-level security).
CREATE OR REPLACE FUNCTION minqing.team_visit_count_rebuild() RETURNS void
LANGUAGE plpgsql SET search_path = minqing, ext, pg_temp AS $$
BEGIN
	LOCK TABLE minqing.visit IN SHARE MODE;
	DELETE FROM minqing.team_visit_count;
	INSERT INTO minqing.team_visit_count (team_id, path, visits)
	SELECT t.team_id, t.path, v.n
	  FROM (SELECT x.team_id, count(*)::integer AS n FROM minqing.visit x WHERE x.team_id IS NOT NULL
	         GROUP BY x.team_id) v
	  JOIN minqing.service_team t ON t.team_id = v.team_id;
END
$$;
REVOKE ALL ON FUNCTION minqing.team_visit_count_rebuild() FROM PUBLIC;
COMMENT ON FUNCTION minqing.team_visit_count_rebuild() IS
	'Count team_visit_count again from visit (a repair). Superusers only.';

RESET ROLE;
