-- 040_team_visit_count.sql: the visits each service team made, kept per
-- team.
--
-- 服务队 (service_teams()) lists every team of the caller's jurisdiction
-- with the visits it made. It counted them under row-level security: the
-- district's 196 teams and their visits, 31 ms for a supervisor at scale 10
-- (docs/operations.md, "List screens at a million cases").
--
-- A team serves its own unit's subtree: visit_record() refuses a team that
-- does not serve the visit's village, and a team's unit never changes
-- (team_save() renames it at most). So whoever sees a team sees every
-- visit it made, and the kept count is exactly what they would count.
-- No function deletes a visit or changes its team.
--
-- The count grows by a statement trigger on visit's inserts in the
-- recording transaction (schema/functions/82_team_visit_count.sql), and
-- shrinks by one on its deletes (a superuser's repair: a team's row goes
-- with its last visit, so the team can go too). They fire in replica mode
-- too (ENABLE ALWAYS), so the demo district's bulk inserts count their
-- visits in one pass each.
--
-- Applied by `minqing-admin migrate` as a superuser, in one transaction.

SET LOCAL ROLE mq_owner;
SET LOCAL search_path = minqing, ext, pg_temp;

CREATE TABLE minqing.team_visit_count (
	team_id integer PRIMARY KEY REFERENCES minqing.service_team,
	path    ext.ltree NOT NULL,
	visits  integer NOT NULL CHECK (visits > 0)
);
COMMENT ON TABLE minqing.team_visit_count IS
	'Per service team with visits, with the team''s path: the visits it made. Kept by a trigger on visit; read '
	'by service_teams().';

-- Read as the teams are (by the team's path); written by the trigger's
-- owner only.
ALTER TABLE minqing.team_visit_count ENABLE ROW LEVEL SECURITY;
ALTER TABLE minqing.team_visit_count FORCE ROW LEVEL SECURITY;
CREATE POLICY team_visit_count_read ON minqing.team_visit_count FOR SELECT
	USING (path OPERATOR(ext.<@) (SELECT minqing.my_scope()));
GRANT SELECT ON minqing.team_visit_count TO mq_staff;
GRANT SELECT, INSERT, UPDATE, DELETE ON minqing.team_visit_count TO mq_summariser;
GRANT SELECT ON minqing.service_team TO mq_summariser;

-- The trigger's function (82_team_visit_count.sql; created here first so
-- that the trigger can name it).
CREATE FUNCTION minqing.team_visit_count_sync() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = minqing, ext, pg_temp AS $$
BEGIN
	RETURN NULL; -- replaced by schema/functions/82_team_visit_count.sql in this transaction
END
$$;
REVOKE ALL ON FUNCTION minqing.team_visit_count_sync() FROM PUBLIC;
CREATE TRIGGER team_visit_count_insert AFTER INSERT ON minqing.visit
	REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION minqing.team_visit_count_sync();
CREATE TRIGGER team_visit_count_delete AFTER DELETE ON minqing.visit
	REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION minqing.team_visit_count_sync();
ALTER TABLE minqing.visit ENABLE ALWAYS TRIGGER team_visit_count_insert;
ALTER TABLE minqing.visit ENABLE ALWAYS TRIGGER team_visit_count_delete;

RESET ROLE;
-- (As a superuser: mq_owner is not a member of mq_summariser.)
ALTER FUNCTION minqing.team_visit_count_sync() OWNER TO mq_summariser;

-- The visits there are, as the superuser (every row, past row-level
-- security; team_visit_count_rebuild() of the function file does the same).
INSERT INTO minqing.team_visit_count (team_id, path, visits)
SELECT t.team_id, t.path, v.n
  FROM (SELECT x.team_id, count(*)::integer AS n FROM minqing.visit x WHERE x.team_id IS NOT NULL
         GROUP BY x.team_id) v
  JOIN minqing.service_team t ON t.team_id = v.team_id;
