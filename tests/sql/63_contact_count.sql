-- account: postgres
-- The households kept per contact (contact_count, 037_contact_count.sql;
-- the triggers of schema/functions/80_contact_count.sql) and the page of
-- 党员联户 read from them (contact_links_kept): after the demo load and
-- after every kind of change the kept counts are a recount of the links
-- (links made one at a time and several in a statement, removed, moved to
-- another contact, a contact who stops being one and becomes one again with
-- links of old, a representative's); a link left in another village (as a
-- household that moved leaves it) is counted apart, and 党员联户 then
-- shows each caller what their policies show of that contact's links (the
-- contact's village less the link, the town all); the kept page of a
-- village officer holds its village's contacts only; nobody but the
-- triggers writes the counts, and the recount is the superuser's. Rolled
-- back.
BEGIN;
SET search_path = minqing, ext, tap, public;
SELECT plan(16);

-- The rows of contact_count that differ from a recount of the links (none: 0).
CREATE FUNCTION pg_temp.mismatches() RETURNS bigint LANGUAGE sql AS $$
	SELECT count(*)
	  FROM (SELECT p.resident_id, 'party_member'::minqing.contact_kind AS kind, p.path FROM minqing.party_member p
	        UNION ALL
	        SELECT v.resident_id, 'representative', v.path FROM minqing.villager_representative v) m
	  FULL JOIN minqing.contact_count c USING (resident_id, kind)
	 WHERE c.resident_id IS NULL OR m.resident_id IS NULL OR c.path <> m.path
	    OR c.households <> (SELECT count(*) FROM minqing.household_link l
	                         WHERE l.contact_resident_id = m.resident_id AND l.contact_kind = m.kind)
	    OR c.elsewhere <> (SELECT count(*) FROM minqing.household_link l
	                        WHERE l.contact_resident_id = m.resident_id AND l.contact_kind = m.kind
	                          AND l.path <> m.path)
$$;

SELECT is(pg_temp.mismatches(), 0::bigint, 'after the demo load the kept counts are the links');

-- Two party members of demo_village's village with five households or more,
-- and another village of the same town.
SELECT u.path AS v1 FROM staff s JOIN org_unit u USING (unit_id) WHERE s.login = 'demo_village' \gset
SELECT min(u.path::text) AS v2 FROM org_unit u
 WHERE u.kind IN ('village', 'community') AND u.path <> :'v1'
   AND u.path <@ (SELECT t.path FROM staff s JOIN org_unit t USING (unit_id) WHERE s.login = 'demo_town') \gset
SELECT min(c.resident_id) AS a, max(c.resident_id) AS b FROM contact_count c
 WHERE c.path = :'v1' AND c.kind = 'party_member' AND c.households >= 5 \gset
SELECT (SELECT households FROM contact_count WHERE resident_id = :a AND kind = 'party_member') AS a_n \gset

-- a removes three of its links in one statement
DELETE FROM household_link WHERE (household_id, contact_resident_id) IN
	(SELECT household_id, contact_resident_id FROM household_link WHERE contact_resident_id = :a
	  ORDER BY household_id LIMIT 3);
SELECT is((SELECT households FROM contact_count WHERE resident_id = :a AND kind = 'party_member'), :a_n - 3,
          'three links removed in one statement: three fewer');
-- b hands one of its households to a
UPDATE household_link SET contact_resident_id = :a
 WHERE (household_id, contact_resident_id) = (SELECT household_id, contact_resident_id FROM household_link
                                               WHERE contact_resident_id = :b ORDER BY household_id LIMIT 1);
SELECT is((SELECT households FROM contact_count WHERE resident_id = :a AND kind = 'party_member'), :a_n - 2,
          'a household handed over: one more for the new contact');
SELECT is(pg_temp.mismatches(), 0::bigint, 'and one fewer for the old');
-- a representative of the village links two households in one statement
SELECT min(v.resident_id) AS rep FROM villager_representative v WHERE v.path = :'v1' \gset
DELETE FROM household_link WHERE contact_resident_id = :rep AND contact_kind = 'representative';
INSERT INTO household_link (household_id, contact_resident_id, contact_kind)
SELECT h.household_id, :rep, 'representative' FROM household h WHERE h.path = :'v1' AND h.active
 ORDER BY h.household_id LIMIT 2;
SELECT is((SELECT households FROM contact_count WHERE resident_id = :rep AND kind = 'representative'), 2,
          'a representative''s two links, made in one statement');
-- a stops being a party member (its links stay: they name the resident) and becomes one again
DELETE FROM party_member WHERE resident_id = :a;
SELECT is((SELECT count(*) FROM contact_count WHERE resident_id = :a AND kind = 'party_member'), 0::bigint,
          'a contact who is no longer one has no row');
INSERT INTO party_member (resident_id, district_id, path, branch) VALUES (:a, 1, :'v1', '第一支部');
SELECT is((SELECT households FROM contact_count WHERE resident_id = :a AND kind = 'party_member'), :a_n - 2,
          'becoming one again counts the links of old');
SELECT is(pg_temp.mismatches(), 0::bigint, 'every row is the recount again');

-- One of b's links left in the other village (the check that a link is
-- made in the contact's village runs when it is made: off here).
ALTER TABLE household_link DISABLE TRIGGER household_link_derive;
UPDATE household_link SET path = :'v2'
 WHERE (household_id, contact_resident_id) = (SELECT household_id, contact_resident_id FROM household_link
                                               WHERE contact_resident_id = :b ORDER BY household_id LIMIT 1);
ALTER TABLE household_link ENABLE TRIGGER household_link_derive;
SELECT is((SELECT elsewhere FROM contact_count WHERE resident_id = :b AND kind = 'party_member'), 1,
          'a link in another village is counted apart');
SELECT is(pg_temp.mismatches(), 0::bigint, 'and the rest stays the recount');

-- 党员联户 as each caller's policies count: b's village less the link, the town all of them.
CREATE FUNCTION pg_temp.shown(p_resident bigint) RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
	r record;
	an integer;
	ai bigint;
	n integer;
BEGIN
	LOOP -- page by page, as the screen does
		n := 0;
		FOR r IN SELECT * FROM minqing.contact_links('party_member', 'all', an, ai, 100) LOOP
			IF r.resident_id = p_resident THEN
				RETURN r.households;
			END IF;
			an := r.households; ai := r.resident_id; n := n + 1;
		END LOOP;
		EXIT WHEN n < 100;
	END LOOP;
	RETURN NULL;
END
$$;
CREATE FUNCTION pg_temp.policy_count(p_resident bigint) RETURNS integer LANGUAGE sql AS $$
	SELECT count(*)::integer FROM minqing.household_link l
	 WHERE l.contact_resident_id = p_resident AND l.contact_kind = 'party_member'
$$;
GRANT EXECUTE ON FUNCTION pg_temp.shown(bigint), pg_temp.policy_count(bigint) TO PUBLIC;
SELECT count(*) AS b_all FROM household_link WHERE contact_resident_id = :b AND contact_kind = 'party_member' \gset
SET SESSION AUTHORIZATION demo_village;
SELECT is(pg_temp.shown(:b), pg_temp.policy_count(:b), 'the village sees b''s links but the one elsewhere');
SELECT is(pg_temp.shown(:b), :b_all - 1, 'one fewer than b has');
SELECT ok((SELECT bool_and(c.path = :'v1') FROM contact_links_kept('party_member', false, NULL, NULL, 500) k
             JOIN contact_count c ON c.resident_id = k.resident_id AND c.kind = 'party_member'),
          'the kept page of a village officer: its village''s contacts only');
SELECT throws_ok($$UPDATE contact_count SET households = 10$$, '42501', NULL, 'a person may not write the counts');
SELECT throws_ok($$SELECT contact_count_rebuild()$$, '42501', NULL, 'nor count them again');
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION demo_town;
SELECT is(pg_temp.shown(:b), :b_all::integer, 'the town (both villages) sees all of them');
RESET SESSION AUTHORIZATION;

SELECT * FROM finish();
ROLLBACK;
