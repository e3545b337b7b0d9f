-- account: postgres
-- 党员联户 kept up (schema/functions/62_links.sql): household_link_add,
-- household_link_remove, household_link_move and the drill-down read
-- contact_households, called as the demo accounts a person logs in as.
-- The fixture is made as the superuser and rolled back: in demo_village's
-- village (T01V01) party member A looks after exactly ten households, B and
-- C none, household U has no party member, N is a resident who is neither a
-- party member nor a representative; H2 is a household of demo_village2's
-- village. The calls run under SET SESSION AUTHORIZATION (identity is
-- session_user); each one's outcome ("ok" or SQLSTATE and message) is kept
-- in a setting, since pgTAP's tables are the superuser's.
BEGIN;
SET search_path = minqing, ext, tap, public;
SELECT plan(21);

SELECT u.unit_id AS v1 FROM staff s JOIN org_unit u USING (unit_id) WHERE s.login = 'demo_village' \gset
SELECT u.unit_id AS v2 FROM staff s JOIN org_unit u USING (unit_id) WHERE s.login = 'demo_village2' \gset
SELECT p.resident_id AS a FROM party_member p JOIN resident r USING (resident_id)
 JOIN household h ON h.household_id = r.household_id
 WHERE h.unit_id = :v1 AND r.active ORDER BY 1 LIMIT 1 \gset
SELECT p.resident_id AS b FROM party_member p JOIN resident r USING (resident_id)
 JOIN household h ON h.household_id = r.household_id
 WHERE h.unit_id = :v1 AND r.active AND p.resident_id > :a ORDER BY 1 LIMIT 1 \gset
SELECT p.resident_id AS c FROM party_member p JOIN resident r USING (resident_id)
 JOIN household h ON h.household_id = r.household_id
 WHERE h.unit_id = :v1 AND r.active AND p.resident_id > :b ORDER BY 1 LIMIT 1 \gset
SELECT r.resident_id AS n FROM resident r JOIN household h ON h.household_id = r.household_id
 WHERE h.unit_id = :v1 AND r.active
   AND NOT EXISTS (SELECT 1 FROM party_member p WHERE p.resident_id = r.resident_id)
   AND NOT EXISTS (SELECT 1 FROM villager_representative v WHERE v.resident_id = r.resident_id)
 ORDER BY 1 LIMIT 1 \gset
SELECT min(household_id) AS h2 FROM household WHERE unit_id = :v2 AND active \gset
-- A: exactly the first ten households of the village; U the eleventh
DELETE FROM household_link WHERE contact_resident_id IN (:a, :b, :c);
DELETE FROM household_link l USING (SELECT household_id FROM household WHERE unit_id = :v1 AND active
                                     ORDER BY household_no LIMIT 11) x
 WHERE l.household_id = x.household_id AND l.contact_kind = 'party_member';
INSERT INTO household_link (household_id, contact_resident_id, contact_kind)
SELECT household_id, :a, 'party_member' FROM household WHERE unit_id = :v1 AND active
 ORDER BY household_no LIMIT 10;
SELECT household_id AS u FROM household WHERE unit_id = :v1 AND active ORDER BY household_no OFFSET 10 LIMIT 1 \gset

-- try('name', 'statement'): runs it, keeps "ok" or "SQLSTATE message" in test.name.
\set try 'DO $$ BEGIN EXECUTE current_setting(''test.sql''); PERFORM set_config(''test.'' || current_setting(''test.name''), ''ok'', false); EXCEPTION WHEN others THEN PERFORM set_config(''test.'' || current_setting(''test.name''), SQLSTATE || '' '' || SQLERRM, false); END $$;'

SET SESSION AUTHORIZATION demo_village;
SELECT set_config('test.name', 'other_village', false), set_config('test.sql', format('SELECT minqing.household_link_add(%s, %s)', :h2, :b), false) \gset x_
:try
SELECT set_config('test.name', 'not_contact', false), set_config('test.sql', format('SELECT minqing.household_link_add(%s, %s)', :u, :n), false) \gset x_
:try
SELECT set_config('test.name', 'eleventh', false), set_config('test.sql', format('SELECT minqing.household_link_add(%s, %s)', :u, :a), false) \gset x_
:try
SELECT set_config('test.name', 'add', false), set_config('test.sql', format('SELECT minqing.household_link_add(%s, %s)', :u, :b), false) \gset x_
:try
SELECT set_config('test.name', 'second_pm', false), set_config('test.sql', format('SELECT minqing.household_link_add(%s, %s)', :u, :c), false) \gset x_
:try
SELECT set_config('test.name', 'again', false), set_config('test.sql', format('SELECT minqing.household_link_add(%s, %s)', :u, :b), false) \gset x_
:try
SELECT set_config('test.name', 'move_full', false), set_config('test.sql', format('SELECT minqing.household_link_move(%s, %s, %s)', :u, :b, :a), false) \gset x_
:try
SELECT (SELECT string_agg(contact_resident_id::text, ',') FROM household_link WHERE household_id = :u) AS after_move_full,
       (SELECT count(*) FROM household_link WHERE contact_resident_id = :a) AS a_count \gset
SELECT set_config('test.name', 'move', false), set_config('test.sql', format('SELECT minqing.household_link_move(%s, %s, %s)', :u, :b, :c), false) \gset x_
:try
SELECT (SELECT string_agg(contact_resident_id::text, ',') FROM household_link WHERE household_id = :u) AS after_move \gset
SELECT set_config('test.name', 'remove_none', false), set_config('test.sql', format('SELECT minqing.household_link_remove(%s, %s)', :u, :b), false) \gset x_
:try
-- the drill-down: A's ten households by number, and the page after the third
SELECT (SELECT array_agg(household_id)::text FROM contact_households(:a)) AS got_a,
       (SELECT array_agg(h.household_id ORDER BY h.household_no, h.household_id)::text
          FROM household h JOIN household_link l USING (household_id) WHERE l.contact_resident_id = :a) AS want_a \gset
SELECT household_no AS no3, household_id AS id3 FROM contact_households(:a, p_limit => 3)
 ORDER BY household_no DESC LIMIT 1 \gset
SELECT count(*) AS n_after3 FROM contact_households(:a, p_after_no => :'no3', p_after_id => :id3) \gset
SELECT set_config('test.name', 'remove', false), set_config('test.sql', format('SELECT minqing.household_link_remove(%s, %s)', :u, :c), false) \gset x_
:try
RESET SESSION AUTHORIZATION;
SELECT (SELECT count(*) FROM household_link WHERE household_id = :u) AS after_remove,
       (SELECT string_agg(op, ',' ORDER BY audit_id) FROM audit_log
         WHERE table_name = 'household_link' AND actor = 'demo_village' AND row_id LIKE :'u' || '/%') AS audited \gset

-- another village's officer cannot touch T01V01's household; a supervisor
-- has no such duty; the town's handler may
SET SESSION AUTHORIZATION demo_village2;
SELECT set_config('test.name', 'village2', false), set_config('test.sql', format('SELECT minqing.household_link_add(%s, %s)', :u, :b), false) \gset x_
:try
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION demo_supervisor;
SELECT set_config('test.name', 'supervisor', false), set_config('test.sql', format('SELECT minqing.household_link_add(%s, %s)', :u, :b), false) \gset x_
:try
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION demo_town;
SELECT set_config('test.name', 'town', false), set_config('test.sql', format('SELECT minqing.household_link_add(%s, %s)', :u, :b), false) \gset x_
:try
RESET SESSION AUTHORIZATION;

SELECT is(current_setting('test.other_village'), 'P0002 household ' || :h2 || ' not found',
	'a village officer cannot link another village''s household (it is not found)');
SELECT is(current_setting('test.not_contact'), '23514 ' || (SELECT name FROM resident WHERE resident_id = :n)
	|| ' is neither a party member nor a villager representative', 'only a party member or representative');
SELECT is(current_setting('test.eleventh'), '23514 a contact looks after at most 10 households',
	'an eleventh household is refused with the table''s message');
SELECT is(current_setting('test.add'), 'ok', 'a party member of the village takes on a household');
SELECT alike(current_setting('test.second_pm'), '23505 household % already has a party member as its contact: %',
	'a second party member for a household is refused, naming the first');
SELECT alike(current_setting('test.again'), '23505 household % is already looked after by this contact',
	'the same link twice is refused');
SELECT is(current_setting('test.move_full'), '23514 a contact looks after at most 10 households',
	'a move to a contact with ten households is refused');
SELECT is(:'after_move_full'::text, :'b'::text, 'the refused move left the household with its old contact (atomic)');
SELECT is(:a_count::int, 10, 'and the full contact with their ten');
SELECT is(current_setting('test.move'), 'ok', 'a move to a contact with room');
SELECT is(:'after_move'::text, :'c'::text, 'the household is with the new contact only');
SELECT alike(current_setting('test.remove_none'), 'P0002 household % is not looked after by this contact',
	'removing a link that is not there is refused');
SELECT is(current_setting('test.remove'), 'ok', 'the contact gives the household up');
SELECT is(:after_remove::int, 0, 'the household has no contact');
SELECT is(:'audited'::text, 'INSERT,DELETE,INSERT,DELETE', 'every change audited as demo_village: add, move (delete and insert), remove');
SELECT is(:'got_a'::text, :'want_a'::text, 'contact_households: the contact''s households by number');
SELECT is(:n_after3::int, 7, 'after the third one''s keyset: the other seven');
SELECT is(current_setting('test.village2'), 'P0002 household ' || :u || ' not found',
	'another village''s officer cannot link this household');
SELECT alike(current_setting('test.supervisor'), '42501 %',
	'a supervisor keeps no links (not granted)');
SELECT is(current_setting('test.town'), 'ok', 'the town''s handler links a household of its village');
SELECT is((SELECT count(*) FROM household_link WHERE household_id = :u AND contact_resident_id = :b)::int, 1,
	'and the link is there');

SELECT * FROM finish();
ROLLBACK;
