-- account: postgres
-- The jurisdiction overview's counts of people (people_count, 034): after
-- the demo load and after each change a town's handler makes (a household
-- with its residents, a party member and the link to them, a resident
-- moved to another village, an address edited, the link removed, a
-- resident deleted with their party membership), the counts per village
-- and kind equal a count of the rows, and the overview of four accounts
-- equals what each sees of the tables; the households in a cell (038)
-- too, and 未入网格的农户 read from them is a plain query's answer. The
-- fold sums each village's
-- changes into one row and loses nothing; nobody but the jobs folds or
-- writes the counts, and a village sees only its own.
BEGIN;
SET search_path = minqing, ext, tap, public;
SELECT plan(35);

-- (path, kind) whose kept sum differs from a count of the rows, as text.
CREATE FUNCTION pg_temp.differ() RETURNS text LANGUAGE sql AS $$
	WITH kept AS (
		SELECT path, kind, sum(n) AS n FROM minqing.people_count GROUP BY 1, 2 HAVING sum(n) <> 0
	), counted AS (
		SELECT path, 'households' AS kind, count(*)::numeric AS n FROM minqing.household GROUP BY 1
		UNION ALL SELECT path, 'residents', count(*) FROM minqing.resident GROUP BY 1
		UNION ALL SELECT path, 'party_members', count(*) FROM minqing.party_member GROUP BY 1
		UNION ALL SELECT path, 'party_linked', count(*) FROM minqing.household_link
		           WHERE contact_kind = 'party_member' GROUP BY 1
		UNION ALL SELECT path, 'in_cell', count(*) FROM minqing.household_cell GROUP BY 1
	)
	SELECT coalesce(string_agg(path::text || ' ' || kind, ', ' ORDER BY path, kind), 'none')
	  FROM ((SELECT * FROM kept EXCEPT SELECT * FROM counted)
	        UNION (SELECT * FROM counted EXCEPT SELECT * FROM kept)) x
$$;
-- The overview's people against the rows the session's user sees.
CREATE FUNCTION pg_temp.overview_is_rows() RETURNS text LANGUAGE sql AS $$
	SELECT (SELECT string_agg(kind || '=' || n, ' ' ORDER BY kind) FROM minqing.jurisdiction_overview()
	         WHERE section = 3)
	       || CASE WHEN (SELECT array_agg(n ORDER BY kind) FROM minqing.jurisdiction_overview() WHERE section = 3)
	                    = ARRAY[(SELECT count(*) FROM minqing.household),
	                            (SELECT count(*) FROM minqing.party_member),
	                            (SELECT count(*) FROM minqing.resident),
	                            (SELECT count(*) FROM minqing.household h
	                              WHERE NOT EXISTS (SELECT 1 FROM minqing.household_link l
	                                                 WHERE l.household_id = h.household_id
	                                                   AND l.contact_kind = 'party_member'))]
	               THEN ' as the rows' ELSE ' NOT as the rows' END
$$;
GRANT EXECUTE ON FUNCTION pg_temp.overview_is_rows() TO PUBLIC;
CREATE FUNCTION pg_temp.people(p text) RETURNS bigint LANGUAGE sql AS $$
	SELECT n FROM minqing.jurisdiction_overview() WHERE section = 3 AND kind = p
$$;
GRANT EXECUTE ON FUNCTION pg_temp.people(text) TO PUBLIC;

SELECT is(pg_temp.differ(), 'none', 'the demo load: the counts are a count of the rows');

SET SESSION AUTHORIZATION demo_supervisor;
SELECT matches(pg_temp.overview_is_rows(), 'households=[1-9].* as the rows$', 'a supervisor''s overview: the district''s rows');
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION demo_town;
SELECT matches(pg_temp.overview_is_rows(), 'households=[1-9].* as the rows$', 'a town''s overview: its villages'' rows');
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION demo_village;
SELECT matches(pg_temp.overview_is_rows(), 'households=[1-9].* as the rows$', 'a village''s overview: its own rows');
SELECT is((SELECT count(*) FROM people_count WHERE NOT path <@ my_scope()), 0::bigint,
          'a village reads the counts of its own path only');
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION demo_dept;
SELECT is(pg_temp.overview_is_rows(), 'households=0 party_members=0 residents=0 unlinked=0 as the rows',
          'a department sees no households: noughts');
RESET SESSION AUTHORIZATION;

-- A town's handler records a household of T01V01 with two residents, makes
-- the first a party member and links the household to them.
SET SESSION AUTHORIZATION demo_town;
SELECT pg_temp.people('households') AS h0, pg_temp.people('residents') AS r0,
       pg_temp.people('party_members') AS p0, pg_temp.people('unlinked') AS u0 \gset
INSERT INTO household (unit_id, household_no, address)
SELECT unit_id, 'PC-TEST-1', '测试路1号' FROM org_unit WHERE code = 'T01V01'
RETURNING household_id AS hh \gset
INSERT INTO resident (household_id, name, relation) VALUES (:hh, '计数甲', 'head'), (:hh, '计数乙', 'spouse');
SELECT min(resident_id) AS ra, max(resident_id) AS rb FROM resident WHERE household_id = :hh \gset
INSERT INTO party_member (resident_id, branch) VALUES (:ra, '测试支部');
INSERT INTO household_link (household_id, contact_resident_id, contact_kind) VALUES (:hh, :ra, 'party_member');
SELECT is(pg_temp.people('households') - :h0, 1::bigint, 'a new household counts at once');
SELECT is(pg_temp.people('residents') - :r0, 2::bigint, 'so do its two residents');
SELECT is(pg_temp.people('party_members') - :p0, 1::bigint, 'and the party member');
SELECT is(pg_temp.people('unlinked'), :u0::bigint, 'the household is linked to a party member: not among the unlinked');
SELECT matches(pg_temp.overview_is_rows(), ' as the rows$', 'the town''s overview is its rows');
RESET SESSION AUTHORIZATION;
SELECT is(pg_temp.differ(), 'none', 'after the new household: the counts are a count of the rows');

-- The second resident moves to a household of T01V02 (the path changes by
-- the resident's BEFORE trigger); an address edited moves nobody.
SELECT count(*) AS rows0 FROM people_count \gset
SET SESSION AUTHORIZATION demo_town;
UPDATE household SET address = '测试路2号' WHERE household_id = :hh;
RESET SESSION AUTHORIZATION;
SELECT is((SELECT count(*) FROM people_count), :rows0::bigint, 'an address edited appends nothing');
SET SESSION AUTHORIZATION demo_town;
UPDATE resident SET household_id = (SELECT min(household_id) FROM household h JOIN org_unit u USING (unit_id)
                                     WHERE u.code = 'T01V02')
 WHERE resident_id = :rb;
SELECT is(pg_temp.people('residents') - :r0, 2::bigint, 'a resident moved between two of my villages: still mine');
RESET SESSION AUTHORIZATION;
SELECT is((SELECT path::text FROM resident WHERE resident_id = :rb), 'LW.T01.T01V02', 'the resident is in T01V02 now');
SELECT is(pg_temp.differ(), 'none', 'after the move: each village''s count is a count of its rows');
SET SESSION AUTHORIZATION demo_village;
SELECT matches(pg_temp.overview_is_rows(), ' as the rows$', 'T01V01''s overview no longer counts the resident');
RESET SESSION AUTHORIZATION;

-- The link removed, then the first resident deleted (their party membership
-- goes with them, ON DELETE CASCADE).
SET SESSION AUTHORIZATION demo_town;
DELETE FROM household_link WHERE household_id = :hh;
SELECT is(pg_temp.people('unlinked') - :u0, 1::bigint, 'the link removed: one more household without a party member');
DELETE FROM resident WHERE resident_id = :ra;
SELECT is(pg_temp.people('party_members'), :p0::bigint, 'the resident deleted: their party membership is gone too');
SELECT is(pg_temp.people('residents') - :r0, 1::bigint, 'one resident less');
SELECT matches(pg_temp.overview_is_rows(), ' as the rows$', 'the town''s overview is its rows');
RESET SESSION AUTHORIZATION;
SELECT is(pg_temp.differ(), 'none', 'after the deletes: the counts are a count of the rows');

-- 未入网格的农户 from the counts (038): a household of T01V02 out of its
-- cell; the town's list and each village's are those of a plain query.
DELETE FROM household_cell WHERE household_id = (SELECT min(c.household_id) FROM household_cell c
                                                  WHERE c.path = 'LW.T01.T01V02');
SELECT is(pg_temp.differ(), 'none', 'a cell row removed: the counts are a count of the rows');
CREATE FUNCTION pg_temp.without_cell(p_unit text) RETURNS text LANGUAGE sql AS $$
	SELECT coalesce((SELECT string_agg(x.household_no, ' ' ORDER BY x.household_no, x.household_id)
	                   FROM minqing.households_without_cell(p_unit, NULL, NULL, 500) x), '')
	       || ' | '
	       || coalesce((SELECT string_agg(h.household_no, ' ' ORDER BY h.household_no, h.household_id)
	                      FROM minqing.household h
	                     WHERE h.active AND h.path <@ (SELECT u.path FROM minqing.org_unit u WHERE u.code = p_unit)
	                       AND NOT EXISTS (SELECT 1 FROM minqing.household_cell c
	                                        WHERE c.household_id = h.household_id)), '')
$$;
GRANT EXECUTE ON FUNCTION pg_temp.without_cell(text) TO PUBLIC;
SET SESSION AUTHORIZATION demo_town;
SELECT ok(pg_temp.without_cell('T01') ~ '^(.+) \| \1$', 'the town''s households without a cell: ' || pg_temp.without_cell('T01'));
SELECT ok(pg_temp.without_cell('T01V02') ~ '^(.+) \| \1$', 'T01V02''s: the one taken out of its cell');
SELECT is(pg_temp.without_cell('T01V03'), ' | ', 'a village whose households all have a cell: none, read from the counts');
RESET SESSION AUTHORIZATION;

-- Nobody but the jobs folds, and nobody writes the counts by hand.
SET SESSION AUTHORIZATION demo_town;
SELECT throws_ok('SELECT minqing.people_count_fold()', '42501', NULL, 'a handler cannot fold the counts');
SELECT throws_ok('SELECT minqing.people_count_rebuild()', '42501', NULL, 'nor count them again');
SELECT throws_ok($$INSERT INTO minqing.people_count VALUES ('LW.T01.T01V01', 'households', 1000)$$, '42501', NULL,
                 'nor add to them');
SELECT throws_ok($$DELETE FROM minqing.people_count$$, '42501', NULL, 'nor remove them');
RESET SESSION AUTHORIZATION;

-- The fold: one row per village and kind, the same sums.
SELECT ok(people_count_fold() > 0, 'the fold takes the changes');
SELECT is((SELECT count(*) FROM (SELECT 1 FROM people_count GROUP BY path, kind HAVING count(*) > 1) x), 0::bigint,
          'one row per village and kind after the fold');
SELECT is(pg_temp.differ(), 'none', 'after the fold: the counts are a count of the rows');
SELECT is(people_count_fold(), 0::bigint, 'a second fold finds nothing to take');
SELECT people_count_rebuild();
SELECT is(pg_temp.differ(), 'none', 'a recount gives the same');

SELECT * FROM finish();
ROLLBACK;
