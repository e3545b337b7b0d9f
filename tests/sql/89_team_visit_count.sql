-- account: postgres
-- The visits kept per service team (team_visit_count,
-- 040_team_visit_count.sql; the trigger of
-- schema/functions/82_team_visit_count.sql) and 服务队's visits read from
-- them (service_teams().visits): after the demo load the kept counts are a
-- recount of the visits; a visit recorded at the console adds one to its
-- team; a statement of several visits of two teams, and one without a team,
-- adds to each team its own; a visit deleted (a superuser's repair) is
-- taken off; the list of a supervisor, a town and a village
-- officer shows for every team what a plain count under their row-level
-- security shows; a village officer reads its village's teams' rows only;
-- nobody but the trigger writes the counts, and the recount is the
-- superuser's. Rolled back.
BEGIN;
SET search_path = minqing, ext, tap, public;
SELECT plan(14);

-- The teams whose kept count differs from a recount of the visits (none: 0).
CREATE FUNCTION pg_temp.mismatches() RETURNS bigint LANGUAGE sql AS $$
	SELECT count(*)
	  FROM (SELECT v.team_id, count(*)::integer AS n FROM minqing.visit v WHERE v.team_id IS NOT NULL
	         GROUP BY v.team_id) m
	  FULL JOIN minqing.team_visit_count c USING (team_id)
	 WHERE m.n IS NULL OR c.visits IS NULL OR m.n <> c.visits
	    OR c.path <> (SELECT t.path FROM minqing.service_team t WHERE t.team_id = c.team_id)
$$;
SELECT is(pg_temp.mismatches(), 0::bigint, 'after the demo load the kept counts are the visits');
SELECT ok((SELECT count(*) FROM team_visit_count) > 0, 'teams with visits');

SELECT t.team_id AS t1 FROM service_team t JOIN org_unit u USING (unit_id)
 WHERE u.code = 'T01V01' ORDER BY t.team_id LIMIT 1 \gset
SELECT t.team_id AS t2 FROM service_team t JOIN org_unit u USING (unit_id)
 WHERE u.code = 'T01V02' ORDER BY t.team_id LIMIT 1 \gset
SELECT coalesce((SELECT visits FROM team_visit_count WHERE team_id = :t1), 0) AS t1_n,
       coalesce((SELECT visits FROM team_visit_count WHERE team_id = :t2), 0) AS t2_n \gset

-- A visit recorded by the officer of T01V01 with its first team.
SET SESSION AUTHORIZATION demo_village;
SELECT lives_ok(format($$SELECT * FROM visit_record('T01V01-0001', 'day', p_team => %L)$$, :t1),
                'a visit recorded with a team');
RESET SESSION AUTHORIZATION;
SELECT is((SELECT visits FROM team_visit_count WHERE team_id = :t1), :t1_n + 1, 'one more for the team');

-- One statement: two visits of the first team, one of T01V02's, one of no team.
INSERT INTO visit (district_id, unit_id, path, team_id, visited_at, shift, kind)
SELECT u.district_id, u.unit_id, u.path, x.team, now() - interval '1 day', 'day', 'regular'
  FROM (VALUES ('T01V01', :t1), ('T01V01', :t1), ('T01V02', :t2), ('T01V02', NULL::integer)) x(code, team)
  JOIN org_unit u ON u.code = x.code;
SELECT is(ARRAY[(SELECT visits FROM team_visit_count WHERE team_id = :t1),
                (SELECT visits FROM team_visit_count WHERE team_id = :t2)],
          ARRAY[:t1_n + 3, :t2_n + 1], 'a statement''s visits added to each team, none for no team');
-- A superuser's repair deletes T01V02's new visit again.
DELETE FROM visit WHERE team_id = :t2 AND visited_at = now() - interval '1 day';
SELECT is(coalesce((SELECT visits FROM team_visit_count WHERE team_id = :t2), 0), :t2_n,
          'a visit deleted: one fewer (the row gone if none is left)');
SELECT is(pg_temp.mismatches(), 0::bigint, 'and the kept counts are still the visits');

-- The list's visits against a plain count under the caller's policies.
CREATE FUNCTION pg_temp.list_wrong() RETURNS bigint LANGUAGE sql AS $$
	SELECT count(*) FROM minqing.service_teams() t
	 WHERE t.visits <> (SELECT count(*) FROM minqing.visit v WHERE v.team_id = t.team_id)
$$;
GRANT EXECUTE ON FUNCTION pg_temp.list_wrong() TO PUBLIC;
SET SESSION AUTHORIZATION demo_supervisor;
SELECT is(pg_temp.list_wrong(), 0::bigint, 'the district''s teams: each count a count of the visits');
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION demo_town;
SELECT is(pg_temp.list_wrong(), 0::bigint, 'a town''s');
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION demo_village;
SELECT is(pg_temp.list_wrong(), 0::bigint, 'a village''s');
SELECT is((SELECT count(*) FROM team_visit_count c
            WHERE NOT c.path OPERATOR(ext.<@) (SELECT u.path FROM org_unit u WHERE u.code = 'T01V01')),
          0::bigint, 'a village officer reads its village''s teams'' rows only');
SELECT throws_ok($$UPDATE team_visit_count SET visits = 10$$, '42501', NULL, 'a person may not write the counts');
SELECT throws_ok($$SELECT team_visit_count_rebuild()$$, '42501', NULL, 'nor count them again');
RESET SESSION AUTHORIZATION;

SELECT lives_ok($$SELECT team_visit_count_rebuild()$$, 'the superuser counts them again');

SELECT * FROM finish();
ROLLBACK;
