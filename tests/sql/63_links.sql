-- account: postgres
-- The reads behind 党员联户 and 未联系党员的农户 (forms/links.view,
-- forms/unlinked.view): a town's handler gets exactly what a plain query
-- under its row-level security gives, in the view's order, the next page
-- after a row's keyset being the rest in order; the link counts are the
-- links; the "fewer than five" choice; another town's people are not there.
-- The fixture (a party member left with two households, the others it
-- looked after without a party member) is made here as the superuser and
-- rolled back; the calls run as demo_town (SET SESSION AUTHORIZATION: the
-- identity is session_user), their answers kept in psql variables.
BEGIN;
SET search_path = minqing, ext, tap, public;
SELECT plan(12);

SELECT p.resident_id AS short FROM party_member p
  JOIN resident r USING (resident_id) JOIN household h ON h.household_id = r.household_id
 WHERE h.path <@ (SELECT u.path FROM staff s JOIN org_unit u USING (unit_id) WHERE s.login = 'demo_town')
 ORDER BY p.resident_id LIMIT 1 \gset
SELECT p.resident_id AS other FROM party_member p
 WHERE NOT p.path <@ (SELECT u.path FROM staff s JOIN org_unit u USING (unit_id) WHERE s.login = 'demo_town')
 ORDER BY 1 LIMIT 1 \gset
-- it keeps two of its households; the others are left without a party member
DELETE FROM household_link l
 WHERE l.contact_resident_id = :short
   AND l.household_id NOT IN (SELECT household_id FROM household_link WHERE contact_resident_id = :short
                               ORDER BY household_id LIMIT 2);
-- and a household of another village of the town, so that the unlinked
-- span two villages (unlinked_households reads village by village)
DELETE FROM household_link l
 WHERE l.household_id = (SELECT h.household_id FROM household h JOIN household_link k USING (household_id)
                          WHERE k.contact_kind = 'party_member'
                            AND h.path <@ (SELECT u.path FROM staff s JOIN org_unit u USING (unit_id)
                                            WHERE s.login = 'demo_town')
                            AND h.unit_id NOT IN (SELECT x.unit_id FROM household x
                                                   WHERE x.household_id IN (SELECT household_id FROM household_link
                                                                             WHERE contact_resident_id = :short))
                          ORDER BY h.unit_id DESC, h.household_id LIMIT 1)
   AND l.contact_kind = 'party_member';

SET SESSION AUTHORIZATION demo_town;
-- every party member, fewest households first (a page is at most 500)
SELECT (SELECT array_agg(resident_id)::text FROM contact_links(p_limit => 500)) AS got_all,
       (SELECT array_agg(resident_id ORDER BY n, resident_id)::text
          FROM (SELECT p.resident_id, (SELECT count(*) FROM household_link l
                                        WHERE l.contact_resident_id = p.resident_id
                                          AND l.contact_kind = 'party_member') AS n
                  FROM party_member p JOIN resident r USING (resident_id) WHERE r.active
                 ORDER BY n, p.resident_id LIMIT 500) x) AS want_all \gset
-- the page after the 7th row
SELECT households AS n7, resident_id AS id7 FROM contact_links(p_limit => 7) ORDER BY households DESC, resident_id DESC LIMIT 1 \gset
SELECT (SELECT array_agg(resident_id)::text FROM contact_links(p_after_n => :n7, p_after_id => :id7, p_limit => 500)) AS got_next,
       (SELECT array_agg(resident_id ORDER BY n, resident_id)::text
          FROM (SELECT p.resident_id, (SELECT count(*) FROM household_link l
                                        WHERE l.contact_resident_id = p.resident_id
                                          AND l.contact_kind = 'party_member') AS n
                  FROM party_member p JOIN resident r USING (resident_id) WHERE r.active
                 ORDER BY n, p.resident_id OFFSET 7 LIMIT 500) x) AS want_next,
       (SELECT households FROM contact_links(p_limit => 500) WHERE resident_id = :short) AS got_short_n,
       (SELECT count(*) FROM household_link WHERE contact_resident_id = :short) AS want_short_n,
       (SELECT array_agg(resident_id ORDER BY households, resident_id)::text FROM contact_links(p_show => 'few', p_limit => 500)) AS got_few,
       (SELECT array_agg(resident_id ORDER BY households, resident_id)::text FROM contact_links(p_limit => 500) WHERE households < 5) AS want_few,
       :short IN (SELECT resident_id FROM contact_links(p_show => 'few')) AS short_listed,
       :other NOT IN (SELECT resident_id FROM contact_links(p_limit => 500)) AS other_absent \gset
SELECT (SELECT array_agg(resident_id)::text FROM contact_links('representative', p_limit => 500)) AS got_reps,
       (SELECT array_agg(v.resident_id ORDER BY (SELECT count(*) FROM household_link l
                                                  WHERE l.contact_resident_id = v.resident_id
                                                    AND l.contact_kind = 'representative'), v.resident_id)::text
          FROM villager_representative v JOIN resident r USING (resident_id) WHERE r.active) AS want_reps,
       (SELECT array_agg(household_id)::text FROM unlinked_households(p_limit => 500)) AS got_unlinked,
       (SELECT array_agg(h.household_id ORDER BY h.unit_id, h.household_no, h.household_id)::text FROM household h
         WHERE h.active AND NOT EXISTS (SELECT 1 FROM household_link l
                                         WHERE l.household_id = h.household_id AND l.contact_kind = 'party_member'))
         AS want_unlinked,
       (SELECT count(*) FROM unlinked_households(p_limit => 500)) AS n_unlinked \gset
SELECT unit_id AS u1, household_no AS no1, household_id AS h1 FROM unlinked_households(p_limit => 1) \gset
SELECT (SELECT count(*) FROM unlinked_households(p_after_unit => :u1, p_after_no => :'no1', p_after_id => :h1,
                                                  p_limit => 500)) AS n_after \gset
-- the last household of the first village, then the page after it
SELECT u.unit_id AS ua, u.household_no AS noa, u.household_id AS ha
  FROM unlinked_households(p_limit => 500) u
 WHERE u.unit_id = (SELECT min(unit_id) FROM unlinked_households(p_limit => 500))
 ORDER BY u.household_no DESC LIMIT 1 \gset
SELECT (SELECT count(DISTINCT unit_id) FROM unlinked_households(p_limit => 500)) AS n_villages,
       (SELECT array_agg(household_id)::text
          FROM unlinked_households(p_after_unit => :ua, p_after_no => :'noa', p_after_id => :ha, p_limit => 500))
         AS got_next_village,
       (SELECT array_agg(household_id)::text FROM unlinked_households(p_limit => 500) WHERE unit_id > :ua)
         AS want_next_village \gset
RESET SESSION AUTHORIZATION;

SELECT is(:'got_all'::text, :'want_all'::text, 'contact_links: the party members I see, fewest households first (the first 500)');
SELECT cmp_ok(array_length(:'got_all'::bigint[], 1), '>', 7, 'more than a page of 7');
SELECT is(:'got_next'::text, :'want_next'::text, 'after the 7th row''s keyset (households, id): the rest, in order');
SELECT is(:got_short_n::bigint, :want_short_n::bigint, 'each with the number of households linked to them');
SELECT is(:'got_few'::text, :'want_few'::text, 'fewer than five: exactly those under five');
SELECT ok(:'short_listed'::boolean, 'the party member left with fewer than five households is among them');
SELECT ok(:'other_absent'::boolean, 'not another town''s party member');
SELECT is(:'got_reps'::text, :'want_reps'::text, 'the villager representatives I see, with their own links');
SELECT is(:'got_unlinked'::text, :'want_unlinked'::text, 'unlinked_households: the households I see without a party member');
SELECT is(:n_after::bigint, :n_unlinked::bigint - 1, 'after the first one''s keyset: the rest');
SELECT cmp_ok(:n_villages::integer, '>=', 2, 'the unlinked households are in two villages or more');
SELECT is(:'got_next_village'::text, :'want_next_village'::text,
          'after the first village''s last household: the next villages'' households, in order');


SELECT * FROM finish();
ROLLBACK;
